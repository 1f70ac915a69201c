import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError, loadDataset } from '../../main/datasets';
import { idxBytes, imageMagic, labelMagic, makeTempDir, patternBytes, removeDir, rowsOf, writeIdxSet, type IdxSet } from './fixture-files';

let root: string;
beforeAll(async () => {
  root = await makeTempDir();
});
afterAll(async () => {
  await removeDir(root);
});

// 3 rows × 2 columns: small enough to check every value.
const rows = 3;
const cols = 2;
const smallSet = (): IdxSet => ({
  rows,
  cols,
  trainImages: [0, 1, 2, 3, 4].map((i) => patternBytes(rows * cols, i + 1)),
  trainLabels: [7, 0, 9, 3, 3],
  testImages: [[0, 255, 128, 64, 32, 1], [255, 255, 0, 0, 17, 200]],
  testLabels: [1, 9],
});

async function freshDir(name: string, set: IdxSet = smallSet(), gzip?: (name: string) => boolean): Promise<string> {
  const dir = path.join(root, name);
  await writeIdxSet(dir, set, gzip);
  return dir;
}

async function loadError(ref: string): Promise<DatasetError> {
  const error = await loadDataset(ref).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

const scaled = (bytes: number[]) => bytes.map((b) => Math.fround(b / 255));

describe('idx reader: valid files', () => {
  it('reads raw files: pixel bytes scaled to [0,1], labels as they are, shape [rows, cols, 1]', async () => {
    const set = smallSet();
    const dir = await freshDir('raw', set);
    const ds = await loadDataset(`idx:${dir}`);
    expect(ds.exampleShape).toEqual([3, 2, 1]);
    expect(ds.numClasses).toBe(10);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.train.count).toBe(5);
    expect(ds.test.count).toBe(2);
    expect(rowsOf(ds.train.x, 5)).toEqual(set.trainImages.map(scaled));
    expect(Array.from(ds.train.y)).toEqual(set.trainLabels);
    expect(rowsOf(ds.test.x, 2)).toEqual(set.testImages.map(scaled));
    expect(Array.from(ds.test.y)).toEqual(set.testLabels);
    expect(ds.test.x[1]).toBe(1);
    expect(ds.test.x[0]).toBe(0);
    expect(ds.id).toBe(`idx:${dir}`);
  });

  it('reads gzipped and raw files mixed, and the ".idx" spelling of the names', async () => {
    const set = smallSet();
    const dir = await freshDir('mixed', set, (name) => name.startsWith('t10k') || name.includes('labels'));
    await rename(path.join(dir, 'train-images-idx3-ubyte'), path.join(dir, 'train-images.idx3-ubyte'));
    const ds = await loadDataset(`idx:${dir}`);
    expect(rowsOf(ds.train.x, 5)).toEqual(set.trainImages.map(scaled));
    expect(Array.from(ds.test.y)).toEqual(set.testLabels);
    expect(rowsOf(ds.test.x, 2)).toEqual(set.testImages.map(scaled));
  });

  it('resolves a relative folder against baseDir', async () => {
    await freshDir('relative');
    const ds = await loadDataset('idx:relative', { baseDir: root });
    expect(ds.train.count).toBe(5);
    expect(ds.id).toBe(`idx:${path.join(root, 'relative')}`);
  });

  it('names the Fashion-MNIST classes when the folder name says fashion', async () => {
    const dir = await freshDir('my-Fashion-set', smallSet(), () => true);
    const ds = await loadDataset(`idx:${dir}`);
    expect(ds.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(ds.name).toMatch(/Fashion-MNIST/);
  });

  it('takes class names from classes.txt, which allows more than 10 classes', async () => {
    const set = { ...smallSet(), trainLabels: [11, 0, 1, 2, 3] };
    const dir = await freshDir('twelve', set);
    const names = Array.from({ length: 12 }, (_, i) => `class ${String.fromCharCode(65 + i)}`);
    await writeFile(path.join(dir, 'classes.txt'), `${names.join('\n')}\n\n`);
    const ds = await loadDataset(`idx:${dir}`);
    expect(ds.numClasses).toBe(12);
    expect(ds.classNames).toEqual(names);
    expect(ds.train.y[0]).toBe(11);
  });

  it('caps training examples with limit: a subset of the real examples, labels kept with their images', async () => {
    const set = smallSet();
    const dir = await freshDir('limited', set);
    const ds = await loadDataset(`idx:${dir}`, { limit: 3, seed: 5 });
    expect(ds.train.count).toBe(3);
    expect(ds.train.x.length).toBe(3 * rows * cols);
    // The test set is tiny, so it keeps everything it has.
    expect(ds.test.count).toBe(2);
    const originals = set.trainImages.map(scaled).map((image, i) => JSON.stringify([image, set.trainLabels[i]]));
    const chosen = rowsOf(ds.train.x, 3).map((image, i) => JSON.stringify([image, ds.train.y[i]]));
    for (const example of chosen) expect(originals).toContain(example);
    expect(new Set(chosen).size).toBe(3);
    // Same seed, same subset.
    const again = await loadDataset(`idx:${dir}`, { limit: 3, seed: 5 });
    expect(Array.from(again.train.x)).toEqual(Array.from(ds.train.x));
  });

  it('reports progress from 0 to 1', async () => {
    const dir = await freshDir('progress');
    const fractions: number[] = [];
    const messages: string[] = [];
    await loadDataset(`idx:${dir}`, {
      onProgress: (fraction, message) => {
        fractions.push(fraction);
        messages.push(message);
      },
    });
    expect(messages.every((m) => m.length > 0)).toBe(true);
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });
});

describe('idx reader: broken files', () => {
  it('refuses a folder that does not exist', async () => {
    const error = await loadError(`idx:${path.join(root, 'nowhere')}`);
    expect(error.code).toBe('dataset-not-found');
    expect(error.message).toContain('nowhere');
  });

  it('refuses a file given as the folder', async () => {
    const dir = await freshDir('file-as-dir');
    const error = await loadError(`idx:${path.join(dir, 'train-labels-idx1-ubyte')}`);
    expect(error.code).toBe('dataset-not-found');
    expect(error.message).toMatch(/not a folder/);
  });

  it('names a missing file and lists the four it needs', async () => {
    const dir = await freshDir('missing');
    await rename(path.join(dir, 't10k-labels-idx1-ubyte'), path.join(dir, 'renamed'));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-not-found');
    expect(error.message).toContain('t10k-labels-idx1-ubyte');
    expect(error.message).toContain('train-images-idx3-ubyte');
  });

  it('refuses swapped image and label files by their magic numbers', async () => {
    const dir = await freshDir('swapped');
    const images = await readFile(path.join(dir, 'train-images-idx3-ubyte'));
    const labels = await readFile(path.join(dir, 'train-labels-idx1-ubyte'));
    await writeFile(path.join(dir, 'train-images-idx3-ubyte'), labels);
    await writeFile(path.join(dir, 'train-labels-idx1-ubyte'), images);
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toMatch(/swapped/);
    expect(error.message).toMatch(/2049|2051/);
  });

  it('refuses a file that is not IDX at all (wrong magic)', async () => {
    const dir = await freshDir('wrong-magic');
    await writeFile(path.join(dir, 't10k-images-idx3-ubyte'), Buffer.from('PK\x03\x04 this is a zip file, not IDX'));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('t10k-images-idx3-ubyte');
    expect(error.message).toMatch(/magic number/);
    expect(error.message).toContain('0x504b0304');
  });

  it('refuses non-byte IDX types as unsupported', async () => {
    const dir = await freshDir('floats');
    await writeFile(path.join(dir, 'train-images-idx3-ubyte'), idxBytes(0x00000d03, [1, 1, 1], [0, 0, 0, 0]));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-unsupported');
    expect(error.message).toMatch(/32-bit floats/);
  });

  it('reports a cut-short image file with expected and actual byte counts', async () => {
    const set = smallSet();
    const dir = await freshDir('truncated', set);
    const file = path.join(dir, 'train-images-idx3-ubyte');
    const full = await readFile(file);
    await writeFile(file, full.subarray(0, full.length - 4));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-truncated');
    expect(error.message).toContain('train-images-idx3-ubyte');
    const expectedBytes = 16 + 5 * rows * cols;
    expect(error.message).toContain(`${expectedBytes} bytes`);
    expect(error.message).toContain(`only ${expectedBytes - 4} bytes`);
    expect(error.message).toContain('4 missing');
  });

  it('reports a header that is cut short', async () => {
    const dir = await freshDir('short-header');
    await writeFile(path.join(dir, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0]));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-truncated');
    expect(error.message).toContain('train-labels-idx1-ubyte');
  });

  it('refuses bytes beyond what the header announces', async () => {
    const dir = await freshDir('extra');
    const file = path.join(dir, 'train-labels-idx1-ubyte');
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.from([1, 2, 3])]));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toMatch(/3 bytes more/);
  });

  it('refuses image and label counts that disagree', async () => {
    const set = { ...smallSet(), trainLabels: [1, 2, 3, 4] };
    const dir = await freshDir('count-mismatch', set);
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('5 images');
    expect(error.message).toContain('4 labels');
    expect(error.message).toContain('train-labels-idx1-ubyte');
  });

  it('refuses a label outside 0–9, naming the item and byte', async () => {
    const set = { ...smallSet(), testLabels: [1, 10] };
    const dir = await freshDir('label-range', set);
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('t10k-labels-idx1-ubyte');
    expect(error.message).toMatch(/label 10 of item 1 \(byte 9\)/);
  });

  it('refuses a .gz file that is not gzip', async () => {
    const dir = await freshDir('bad-gzip', smallSet(), (name) => name === 'train-labels-idx1-ubyte');
    await writeFile(path.join(dir, 'train-labels-idx1-ubyte.gz'), Buffer.from('definitely not gzip'));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('train-labels-idx1-ubyte.gz');
    expect(error.message).toMatch(/gzip/);
  });

  it('refuses a damaged gzip stream', async () => {
    const dir = await freshDir('damaged-gzip', smallSet(), (name) => name === 'train-images-idx3-ubyte');
    const file = path.join(dir, 'train-images-idx3-ubyte.gz');
    const bytes = Buffer.from(await readFile(file));
    for (let i = 10; i < bytes.length - 8; i++) bytes[i] = 0xff; // keep the signature, ruin the deflate data
    await writeFile(file, bytes);
    const error = await loadError(`idx:${dir}`);
    expect(['dataset-corrupt', 'dataset-truncated']).toContain(error.code);
    expect(error.message).toContain('train-images-idx3-ubyte.gz');
  });

  it('reports a cut-short gzip archive as truncated', async () => {
    const dir = await freshDir('short-gzip', smallSet());
    const big = idxBytes(imageMagic, [50, rows, cols], patternBytes(50 * rows * cols, 3));
    const zipped = gzipSync(big);
    await writeFile(path.join(dir, 'train-images-idx3-ubyte.gz'), zipped.subarray(0, Math.floor(zipped.length / 2)));
    await rename(path.join(dir, 'train-images-idx3-ubyte'), path.join(dir, 'ignored-raw'));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-truncated');
    expect(error.message).toContain('train-images-idx3-ubyte.gz');
  });

  it('refuses train and test images of different sizes', async () => {
    const dir = await freshDir('sizes');
    await writeFile(path.join(dir, 't10k-images-idx3-ubyte'), idxBytes(imageMagic, [2, 2, 3], patternBytes(12, 1)));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toMatch(/3×2.*2×3/);
  });

  it('refuses a file with no images', async () => {
    const dir = await freshDir('no-images');
    await writeFile(path.join(dir, 'train-images-idx3-ubyte'), idxBytes(imageMagic, [0, rows, cols], []));
    await writeFile(path.join(dir, 'train-labels-idx1-ubyte'), idxBytes(labelMagic, [0], []));
    const error = await loadError(`idx:${dir}`);
    expect(error.code).toBe('dataset-empty');
  });

  it('never shows a stack trace in a message', async () => {
    const dir = path.join(root, 'stackless');
    await mkdir(dir);
    const error = await loadError(`idx:${dir}`);
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});
