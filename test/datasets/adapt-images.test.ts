import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadDataset, resizeBilinear } from '../../main/datasets';
import { adaptImages, maxAdaptedValues } from '../../main/datasets/adapt-images';
import type { Dataset } from '../../main/datasets';
import { cifarRecord, makeTempDir, removeDir, writeIdxSet } from './fixture-files';

let root: string;
beforeAll(async () => {
  root = await makeTempDir('netweave-adapt-');
});
afterAll(async () => {
  await removeDir(root);
});

/** Bilinear 2 → 4 with half-pixel centres, worked by hand: a, ¾a+¼b, ¼a+¾b, b. */
const upTwoToFour = (a: number, b: number) => [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b];

describe('image data sets fit the Input shape (resize, channels)', () => {
  it('IDX 2×2 grey → 4×4×3: each output pixel is the hand-worked bilinear value, repeated in R, G and B', async () => {
    const dir = path.join(root, 'idx');
    // Two 2×2 images (bytes), labels 0 and 1; the test file holds the first image again.
    const images = [
      [0, 51, 102, 255],
      [255, 204, 0, 153],
    ];
    await writeIdxSet(dir, { rows: 2, cols: 2, trainImages: images, trainLabels: [0, 1], testImages: [images[0]!], testLabels: [0] });
    const ds = await loadDataset(`idx:${dir}`, { imageSize: [4, 4, 3] });
    expect(ds.exampleShape).toEqual([4, 4, 3]);
    expect(ds.adaptedFrom).toEqual([2, 2, 1]);
    expect(ds.name).toMatch(/, resized 2×2×1 → 4×4×3$/);
    expect(Array.from(ds.train.y)).toEqual([0, 1]);
    expect(ds.test.count).toBe(1);
    images.forEach((bytes, n) => {
      const [tl, tr, bl, br] = bytes.map((b) => b / 255) as [number, number, number, number];
      const left = upTwoToFour(tl, bl);
      const right = upTwoToFour(tr, br);
      for (let y = 0; y < 4; y++) {
        const row = upTwoToFour(left[y]!, right[y]!);
        for (let x = 0; x < 4; x++) {
          for (let c = 0; c < 3; c++) expect(ds.train.x[n * 48 + (y * 4 + x) * 3 + c]).toBeCloseTo(row[x]!, 6);
        }
      }
    });
  });

  it('leaves a data set that already fits, or that is not images, exactly as read', async () => {
    const dir = path.join(root, 'idx-fit');
    await writeIdxSet(dir, { rows: 3, cols: 3, trainImages: [[1, 2, 3, 4, 5, 6, 7, 8, 9], [9, 8, 7, 6, 5, 4, 3, 2, 1]], trainLabels: [0, 1], testImages: [[5, 5, 5, 5, 5, 5, 5, 5, 5]], testLabels: [1] });
    const plain = await loadDataset(`idx:${dir}`);
    const same = await loadDataset(`idx:${dir}`, { imageSize: [3, 3, 1] });
    expect(same.name).toBe(plain.name);
    expect(same.adaptedFrom).toBeUndefined();
    expect(Array.from(same.train.x)).toEqual(Array.from(plain.train.x));
    const xor = await loadDataset('xor', { imageSize: [32, 32, 3] });
    expect(xor.exampleShape).toEqual([2]);
    expect(xor.adaptedFrom).toBeUndefined();
  });

  it('built-in MNIST → 32×32×3 under a limit: the same examples and labels as unresized, each resized with bilinear, channels equal', async () => {
    const options = { limit: 120, seed: 3 };
    const grey = await loadDataset('mnist', options);
    const rgb = await loadDataset('mnist', { ...options, imageSize: [32, 32, 3] });
    expect(rgb.exampleShape).toEqual([32, 32, 3]);
    expect(rgb.name).toBe(`${grey.name}, resized 28×28×1 → 32×32×3`);
    expect(rgb.train.count).toBe(120);
    expect(Array.from(rgb.train.y)).toEqual(Array.from(grey.train.y));
    expect(Array.from(rgb.test.y)).toEqual(Array.from(grey.test.y));
    expect(rgb.train.x.length).toBe(120 * 32 * 32 * 3);
    for (const n of [0, 57, 119]) {
      const expected = resizeBilinear(grey.train.x.subarray(n * 784, (n + 1) * 784), 28, 28, 1, 32, 32);
      const got = rgb.train.x.subarray(n * 3072, (n + 1) * 3072);
      let worst = 0;
      for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(got[p * 3 + c]! - expected[p]!));
      expect(worst).toBe(0);
      // An upsampled digit keeps its ink: the mean brightness moves by well under 1%.
      const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
      expect(Math.abs(mean(expected) - mean(grey.train.x.subarray(n * 784, (n + 1) * 784)))).toBeLessThan(0.01);
    }
  });

  it('CIFAR-10 32×32×3 → 16×16×1: luminance (BT.601), then the 2×2 means of the half-size resize', async () => {
    const dir = path.join(root, 'cifar');
    await mkdir(dir, { recursive: true });
    const pixel = (id: number) => (x: number, y: number, c: number) => (id * 17 + x * 5 + y * 3 + c * 60) % 256;
    const batch = (first: number, labels: number[]) => Buffer.concat(labels.map((label, i) => cifarRecord(label, pixel(first + i))));
    for (let b = 1; b <= 5; b++) await writeFile(path.join(dir, `data_batch_${b}.bin`), batch(b * 10, [b % 10]));
    await writeFile(path.join(dir, 'test_batch.bin'), batch(0, [7]));
    const ds = await loadDataset(`cifar10:${dir}`, { imageSize: [16, 16, 1] });
    expect(ds.exampleShape).toEqual([16, 16, 1]);
    expect(ds.name).toMatch(/resized 32×32×3 → 16×16×1$/);
    const grey = (id: number, x: number, y: number) => (0.299 * pixel(id)(x, y, 0) + 0.587 * pixel(id)(x, y, 1) + 0.114 * pixel(id)(x, y, 2)) / 255;
    for (const [oy, ox] of [[0, 0], [7, 11], [15, 15]] as const) {
      const expected = (grey(0, 2 * ox, 2 * oy) + grey(0, 2 * ox + 1, 2 * oy) + grey(0, 2 * ox, 2 * oy + 1) + grey(0, 2 * ox + 1, 2 * oy + 1)) / 4;
      expect(ds.test.x[oy * 16 + ox]).toBeCloseTo(expected, 5);
    }
  });

  it('refuses, before allocating, an adaptation past the size cap, and says to use a limit', () => {
    const tiny: Dataset = {
      id: 'fake',
      name: 'Fake digits',
      exampleShape: [2, 2, 1],
      numClasses: 2,
      classNames: ['a', 'b'],
      train: { x: new Float32Array(4 * 1000), y: new Int32Array(1000), count: 1000 },
      test: { x: new Float32Array(4), y: new Int32Array(1), count: 1 },
      source: 'test',
    };
    const side = Math.ceil(Math.sqrt(maxAdaptedValues / 1001 / 3)) + 1;
    expect(() => adaptImages(tiny, [side, side, 3])).toThrow(expect.objectContaining({ code: 'dataset-too-large', message: expect.stringMatching(/limit/) }));
  });
});
