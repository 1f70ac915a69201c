import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, loadDataset } from '../../main/datasets';
import { cifarRecord, makeTempDir, removeDir } from './fixture-files';

let root: string;
beforeAll(async () => {
  root = await makeTempDir();
});
afterAll(async () => {
  await removeDir(root);
});

/** Every record gets its own pixel pattern, different per channel, so a planar/interleaved mix-up shows. */
const pixelOf = (recordId: number) => (x: number, y: number, c: number) => (recordId * 31 + x * 7 + y * 3 + c * 85) % 256;

interface Batch {
  name: string;
  labels: number[];
  firstId: number;
}

async function writeBatches(dir: string, batches: Batch[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const batch of batches) {
    const records = batch.labels.map((label, i) => cifarRecord(label, pixelOf(batch.firstId + i)));
    await writeFile(path.join(dir, batch.name), Buffer.concat(records));
  }
}

const standardBatches: Batch[] = [
  { name: 'data_batch_1.bin', labels: [3, 9, 0], firstId: 0 },
  { name: 'data_batch_2.bin', labels: [1, 1], firstId: 3 },
  { name: 'test_batch.bin', labels: [8, 4], firstId: 5 },
];

/** The expected height×width×channel value, straight from the pattern. */
const expectedValue = (recordId: number, x: number, y: number, c: number) => Math.fround(pixelOf(recordId)(x, y, c) / 255);

async function loadError(ref: string): Promise<DatasetError> {
  const error = await loadDataset(ref).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('cifar10 reader', () => {
  it('converts channel-planar records to 32×32×3 (HWC) floats in [0,1], batches in order', async () => {
    const dir = path.join(root, 'standard');
    await writeBatches(dir, standardBatches);
    const ds = await loadDataset(`cifar10:${dir}`);
    expect(ds.exampleShape).toEqual([32, 32, 3]);
    expect(ds.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(ds.train.count).toBe(5);
    expect(ds.test.count).toBe(2);
    expect(Array.from(ds.train.y)).toEqual([3, 9, 0, 1, 1]);
    expect(Array.from(ds.test.y)).toEqual([8, 4]);
    const check = (x: Float32Array, count: number, firstId: number) => {
      let mismatches = 0;
      for (let n = 0; n < count; n++) {
        for (let y = 0; y < 32; y++) {
          for (let px = 0; px < 32; px++) {
            for (let c = 0; c < 3; c++) {
              if (x[n * 3072 + (y * 32 + px) * 3 + c] !== expectedValue(firstId + n, px, y, c)) mismatches++;
            }
          }
        }
      }
      return mismatches;
    };
    expect(check(ds.train.x, 5, 0)).toBe(0);
    expect(check(ds.test.x, 2, 5)).toBe(0);
  });

  it('finds the batches in the archive folder cifar-10-batches-bin and reads class names from batches.meta.txt', async () => {
    const dir = path.join(root, 'archive');
    const inner = path.join(dir, 'cifar-10-batches-bin');
    await writeBatches(inner, standardBatches);
    const names = ['a0', 'b1', 'c2', 'd3', 'e4', 'f5', 'g6', 'h7', 'i8', 'j9'];
    await writeFile(path.join(inner, 'batches.meta.txt'), `${names.join('\n')}\n\n`);
    const ds = await loadDataset(`cifar10:${dir}`);
    expect(ds.classNames).toEqual(names);
    expect(ds.train.count).toBe(5);
  });

  it('applies limit to the training records', async () => {
    const dir = path.join(root, 'limit');
    await writeBatches(dir, standardBatches);
    const ds = await loadDataset(`cifar10:${dir}`, { limit: 2 });
    expect(ds.train.count).toBe(2);
    expect(ds.train.x.length).toBe(2 * 3072);
    expect(ds.test.count).toBe(2);
  });

  it('reports a file that is not a whole number of records as truncated, with sizes', async () => {
    const dir = path.join(root, 'truncated');
    await writeBatches(dir, standardBatches);
    const file = path.join(dir, 'test_batch.bin');
    await writeFile(file, Buffer.concat([cifarRecord(1, pixelOf(0)), cifarRecord(2, pixelOf(1)).subarray(0, 1000)]));
    const error = await loadError(`cifar10:${dir}`);
    expect(error.code).toBe('dataset-truncated');
    expect(error.message).toContain('test_batch.bin');
    expect(error.message).toContain('4,073 bytes');
    expect(error.message).toContain('3,073');
    expect(error.message).toMatch(/record 1 .*byte 3,073.*1,000 bytes/);
  });

  it('refuses a label outside the classes', async () => {
    const dir = path.join(root, 'bad-label');
    await writeBatches(dir, [{ name: 'data_batch_1.bin', labels: [2, 10], firstId: 0 }, { name: 'test_batch.bin', labels: [1], firstId: 2 }]);
    const error = await loadError(`cifar10:${dir}`);
    expect(error.code).toBe('dataset-corrupt');
    expect(error.message).toContain('data_batch_1.bin');
    expect(error.message).toMatch(/record 1 \(byte 3,073\) has label 10/);
  });

  it('names the missing files', async () => {
    const dir = path.join(root, 'no-test');
    await writeBatches(dir, [standardBatches[0]!]);
    const error = await loadError(`cifar10:${dir}`);
    expect(error.code).toBe('dataset-not-found');
    expect(error.message).toContain('test_batch.bin');
    const none = path.join(root, 'no-train');
    await writeBatches(none, [standardBatches[2]!]);
    const error2 = await loadError(`cifar10:${none}`);
    expect(error2.code).toBe('dataset-not-found');
    expect(error2.message).toContain('data_batch_1.bin');
  });

  it('refuses an empty batch file and a missing folder', async () => {
    const dir = path.join(root, 'empty');
    await writeBatches(dir, standardBatches);
    await writeFile(path.join(dir, 'data_batch_2.bin'), Buffer.alloc(0));
    expect((await loadError(`cifar10:${dir}`)).code).toBe('dataset-empty');
    expect((await loadError(`cifar10:${path.join(root, 'absent')}`)).code).toBe('dataset-not-found');
  });
});
