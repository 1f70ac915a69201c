// Writers for small data set files, built byte by byte from the published formats (independent of the readers).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

export async function makeTempDir(prefix = 'netweave-datasets-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** An IDX file: 32-bit big-endian magic, one 32-bit big-endian size per dimension, then the bytes. */
export function idxBytes(magic: number, dims: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Array.from(values))]);
}

export const imageMagic = 2051;
export const labelMagic = 2049;

export interface IdxSet {
  rows: number;
  cols: number;
  trainImages: number[][];
  trainLabels: number[];
  testImages: number[][];
  testLabels: number[];
}

/** Writes the four IDX files; `gzip` picks which are written gzipped (with a .gz name). */
export async function writeIdxSet(dir: string, set: IdxSet, gzip: (name: string) => boolean = () => false): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: [string, Buffer][] = [
    ['train-images-idx3-ubyte', idxBytes(imageMagic, [set.trainImages.length, set.rows, set.cols], set.trainImages.flat())],
    ['train-labels-idx1-ubyte', idxBytes(labelMagic, [set.trainLabels.length], set.trainLabels)],
    ['t10k-images-idx3-ubyte', idxBytes(imageMagic, [set.testImages.length, set.rows, set.cols], set.testImages.flat())],
    ['t10k-labels-idx1-ubyte', idxBytes(labelMagic, [set.testLabels.length], set.testLabels)],
  ];
  for (const [name, bytes] of files) {
    if (gzip(name)) await writeFile(path.join(dir, `${name}.gz`), gzipSync(bytes));
    else await writeFile(path.join(dir, name), bytes);
  }
}

/** A deterministic byte pattern so every example differs. */
export function patternBytes(count: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => (i * 37 + seed * 101 + ((i * seed) % 13)) % 256);
}

/** One CIFAR-10 binary record: label byte, then 1024 red, 1024 green, 1024 blue bytes (row-major 32×32). */
export function cifarRecord(label: number, pixel: (x: number, y: number, channel: number) => number): Buffer {
  const record = Buffer.alloc(3073);
  record[0] = label;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) record[1 + c * 1024 + y * 32 + x] = pixel(x, y, c);
  }
  return record;
}

export type Rgba = [number, number, number, number];

export function pngBytes(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      const i = (y * width + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

export function jpegBytes(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return jpeg.encode({ width, height, data }, 100).data;
}

/** The rows of a split as arrays, to compare examples without relying on their order. */
export function rowsOf(x: Float32Array, count: number): number[][] {
  const size = x.length / Math.max(count, 1);
  return Array.from({ length: count }, (_, i) => Array.from(x.subarray(i * size, (i + 1) * size)));
}
