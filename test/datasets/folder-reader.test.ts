import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, loadDataset, type Dataset } from '../../main/datasets';
import { jpegBytes, makeTempDir, pngBytes, removeDir, rowsOf, type Rgba } from './fixture-files';

let root: string;
beforeAll(async () => {
  root = await makeTempDir();
});
afterAll(async () => {
  await removeDir(root);
});

type PixelFn = (x: number, y: number) => Rgba;
/** A colourful 4×4 pattern that differs per image id. */
const colourful = (id: number): PixelFn => (x, y) => [(id * 40 + x * 50) % 256, (y * 60 + id * 7) % 256, (x * y * 15 + id) % 256, 255];
const greyish = (id: number): PixelFn => (x, y) => {
  const v = (id * 30 + x * 40 + y * 9) % 256;
  return [v, v, v, 255];
};

async function writeClasses(dir: string, classes: Record<string, { name: string; bytes: Buffer }[]>): Promise<void> {
  for (const [className, files] of Object.entries(classes)) {
    await mkdir(path.join(dir, className), { recursive: true });
    for (const file of files) await writeFile(path.join(dir, className, file.name), file.bytes);
  }
}

const png = (name: string, pixel: PixelFn, size = 4) => ({ name, bytes: pngBytes(size, size, pixel) });

/** The expected example of an image: H×W×C floats in [0,1], computed here from the pixel function. */
function expectedExample(pixel: PixelFn, size: number, channels: 1 | 3): number[] {
  const out: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x, y);
      if (channels === 3) out.push(r / 255, g / 255, b / 255);
      else out.push((0.299 * r + 0.587 * g + 0.114 * b) / 255);
    }
  }
  return out;
}

function allExamples(ds: Dataset): { row: number[]; label: string }[] {
  return [ds.train, ds.test].flatMap((split) => rowsOf(split.x, split.count).map((row, i) => ({ row, label: ds.classNames[split.y[i]!]! })));
}

function expectContainsClose(examples: { row: number[]; label: string }[], row: number[], label: string): void {
  const match = examples.find((e) => e.label === label && e.row.length === row.length && e.row.every((v, i) => Math.abs(v - row[i]!) < 1e-6));
  expect(match, `an example of class ${label} equal to ${row.slice(0, 6).join(',')}…`).toBeDefined();
}

async function loadError(ref: string): Promise<DatasetError> {
  const error = await loadDataset(ref).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('folder reader', () => {
  it('sorts class folders into class names and keeps each image at its own size by default (RGB)', async () => {
    const dir = path.join(root, 'pets');
    await writeClasses(dir, {
      dog: [png('d1.png', colourful(1)), png('d2.PNG', colourful(2))],
      cat: [png('c1.png', colourful(3)), png('c2.png', colourful(4)), png('c3.png', colourful(5))],
    });
    await writeFile(path.join(dir, 'cat', 'notes.txt'), 'not an image, ignored');
    await writeFile(path.join(dir, 'README.md'), 'ignored');
    const ds = await loadDataset(`folder:${dir}`, { testFraction: 0 });
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.exampleShape).toEqual([4, 4, 3]);
    expect(ds.train.count + ds.test.count).toBe(5);
    const examples = allExamples(ds);
    expectContainsClose(examples, expectedExample(colourful(1), 4, 3), 'dog');
    expectContainsClose(examples, expectedExample(colourful(2), 4, 3), 'dog');
    for (const id of [3, 4, 5]) expectContainsClose(examples, expectedExample(colourful(id), 4, 3), 'cat');
  });

  it('gives grey images one channel by default', async () => {
    const dir = path.join(root, 'grey');
    await writeClasses(dir, { a: [png('1.png', greyish(1)), png('2.png', greyish(2))], b: [png('3.png', greyish(3))] });
    const ds = await loadDataset(`folder:${dir}`, { testFraction: 0 });
    expect(ds.exampleShape).toEqual([4, 4, 1]);
    const examples = allExamples(ds);
    expectContainsClose(examples, expectedExample(greyish(3), 4, 1), 'b');
    expectContainsClose(examples, expectedExample(greyish(1), 4, 1), 'a');
  });

  it('converts to grey by luminance and resizes bilinearly to the requested size', async () => {
    const dir = path.join(root, 'resize');
    await writeClasses(dir, { a: [png('1.png', colourful(1))], b: [png('2.png', colourful(2))] });
    const ds = await loadDataset(`folder:${dir}`, { imageSize: [2, 2, 1], testFraction: 0 });
    expect(ds.exampleShape).toEqual([2, 2, 1]);
    // Halving with half-pixel centres averages each 2×2 block.
    const halved = (pixel: PixelFn) => {
      const grey = expectedExample(pixel, 4, 1);
      const at = (x: number, y: number) => grey[y * 4 + x]!;
      return [0, 1].flatMap((oy) => [0, 1].map((ox) => (at(2 * ox, 2 * oy) + at(2 * ox + 1, 2 * oy) + at(2 * ox, 2 * oy + 1) + at(2 * ox + 1, 2 * oy + 1)) / 4));
    };
    const examples = allExamples(ds);
    expectContainsClose(examples, halved(colourful(1)), 'a');
    expectContainsClose(examples, halved(colourful(2)), 'b');
  });

  it('drops alpha, reads JPEG (also under a .png name), and upsizes smaller images to the first image size', async () => {
    const dir = path.join(root, 'mixed');
    const solid = (rgb: [number, number, number]) => () => rgb;
    await writeClasses(dir, {
      a: [png('1.png', (x, y) => [200, 100, 50, (x + y) * 30])],
      b: [{ name: '2.jpg', bytes: jpegBytes(8, 8, solid([30, 160, 220])) }, { name: '3.png', bytes: jpegBytes(2, 2, solid([250, 10, 10])) }],
    });
    const ds = await loadDataset(`folder:${dir}`, { testFraction: 0 });
    expect(ds.exampleShape).toEqual([4, 4, 3]);
    const examples = allExamples(ds);
    expectContainsClose(examples, Array.from({ length: 16 }, () => [200 / 255, 100 / 255, 50 / 255]).flat(), 'a');
    const near = (rgb: number[]) =>
      examples.some((e) => e.label === 'b' && e.row.every((v, i) => Math.abs(v - rgb[i % 3]! / 255) <= 3 / 255));
    expect(near([30, 160, 220])).toBe(true);
    expect(near([250, 10, 10])).toBe(true);
  });

  it('splits by seed and decodes only what the limit keeps', async () => {
    const dir = path.join(root, 'many');
    await writeClasses(dir, {
      x: Array.from({ length: 10 }, (_, i) => png(`${i}.png`, colourful(i))),
      y: Array.from({ length: 10 }, (_, i) => png(`${i}.png`, colourful(i + 50))),
    });
    const ds = await loadDataset(`folder:${dir}`, { seed: 3 });
    expect(ds.test.count).toBe(4);
    expect(ds.train.count).toBe(16);
    const limited = await loadDataset(`folder:${dir}`, { seed: 3, limit: 5 });
    expect(limited.train.count).toBe(5);
    expect(limited.train.x.length).toBe(5 * 48);
    expect(limited.test.count).toBe(4);
    const fractions: number[] = [];
    await loadDataset(`folder:${dir}`, { limit: 2, onProgress: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
  });

  it('refuses an empty class folder, naming it', async () => {
    const dir = path.join(root, 'empty-class');
    await writeClasses(dir, { a: [png('1.png', colourful(1))], b: [] });
    await writeFile(path.join(dir, 'b', 'readme.txt'), 'no images here');
    const error = await loadError(`folder:${dir}`);
    expect(error.code).toBe('dataset-empty');
    expect(error.message).toContain(path.join(dir, 'b'));
  });

  it('refuses an unreadable image, naming the file', async () => {
    const dir = path.join(root, 'unreadable');
    await writeClasses(dir, { a: [png('1.png', colourful(1))], b: [{ name: 'broken.jpg', bytes: Buffer.from('hello, not an image') }] });
    const error = await loadError(`folder:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('broken.jpg');
  });

  it('refuses a cut-short PNG, naming the file', async () => {
    const dir = path.join(root, 'cut-png');
    const whole = pngBytes(16, 16, colourful(9));
    await writeClasses(dir, { a: [png('1.png', colourful(1))], b: [{ name: 'cut.png', bytes: whole.subarray(0, 60) }] });
    const error = await loadError(`folder:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('cut.png');
  });

  it('refuses GIF files as unsupported', async () => {
    const dir = path.join(root, 'gif');
    await writeClasses(dir, { a: [png('1.png', colourful(1))], b: [{ name: 'anim.gif', bytes: Buffer.from('GIF89a....') }] });
    const error = await loadError(`folder:${dir}`);
    expect(error.code).toBe('dataset-unsupported');
    expect(error.message).toContain('anim.gif');
  });

  it('refuses folders without class subfolders, with one class, and paths that do not exist', async () => {
    const loose = path.join(root, 'loose');
    await mkdir(loose, { recursive: true });
    await writeFile(path.join(loose, 'img.png'), pngBytes(2, 2, colourful(1)));
    const looseError = await loadError(`folder:${loose}`);
    expect(looseError.code).toBe('dataset-empty');
    expect(looseError.message).toMatch(/own subfolder/);
    const one = path.join(root, 'one-class');
    await writeClasses(one, { only: [png('1.png', colourful(1))] });
    expect((await loadError(`folder:${one}`)).code).toBe('dataset-empty');
    const missing = await loadError(`folder:${path.join(root, 'no-such-folder')}`);
    expect(missing.code).toBe('dataset-not-found');
    expect(missing.message).toContain('no-such-folder');
  });

  it('reads the same bytes the same way twice (deterministic)', async () => {
    const dir = path.join(root, 'pets');
    const first = await loadDataset(`folder:${dir}`, { seed: 11 });
    const second = await loadDataset(`folder:${dir}`, { seed: 11 });
    expect(Array.from(second.train.x)).toEqual(Array.from(first.train.x));
    expect(Array.from(second.train.y)).toEqual(Array.from(first.train.y));
  });
});
