import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { debianFashionMnistDir, loadDataset } from '../../main/datasets';

// The full Fashion-MNIST from Debian's dataset-fashion-mnist package.
const present = existsSync(path.join(debianFashionMnistDir, 'train-images-idx3-ubyte.gz'));
if (!present) {
  console.log(`Skipping the Fashion-MNIST test: ${debianFashionMnistDir} is absent (install it with: apt-get install dataset-fashion-mnist).`);
}

describe.skipIf(!present)('real Fashion-MNIST (Debian)', () => {
  it('loads 60,000 + 10,000 28×28 images, 6,000 per class in train, 1,000 in test', async () => {
    const started = performance.now();
    const ds = await loadDataset(`idx:${debianFashionMnistDir}`);
    const seconds = (performance.now() - started) / 1000;
    console.log(`Loaded the full Fashion-MNIST (70,000 images) in ${seconds.toFixed(2)} s`);

    expect(ds.exampleShape).toEqual([28, 28, 1]);
    expect(ds.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(ds.train.count).toBe(60_000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.train.x.length).toBe(60_000 * 784);
    const histogram = (labels: Int32Array) => {
      const counts = new Array<number>(10).fill(0);
      for (const label of labels) counts[label]!++;
      return counts;
    };
    expect(histogram(ds.train.y)).toEqual(new Array(10).fill(6000));
    expect(histogram(ds.test.y)).toEqual(new Array(10).fill(1000));

    // Compare with the files read here directly: labels after the 8-byte header, pixels after the 16-byte one.
    const labels = gunzipSync(await readFile(path.join(debianFashionMnistDir, 'train-labels-idx1-ubyte.gz')));
    expect(Array.from(ds.train.y.subarray(0, 1000))).toEqual(Array.from(labels.subarray(8, 1008)));
    const testImages = gunzipSync(await readFile(path.join(debianFashionMnistDir, 't10k-images-idx3-ubyte.gz')));
    const last = 9_999 * 784;
    for (let p = 0; p < 784; p++) expect(ds.test.x[last + p]).toBe(Math.fround(testImages[16 + last + p]! / 255));
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.train.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('caps a limited load', async () => {
    const ds = await loadDataset(`idx:${debianFashionMnistDir}`, { limit: 1000 });
    expect(ds.train.count).toBe(1000);
    expect(ds.test.count).toBe(Math.ceil((10_000 * 1000) / 60_000));
  });
});
