import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../graph-schema/document';
import { gunzipDatasetFile } from '../../main/datasets/file-access';
import { decodeImage, imageDimensions, maxImagePixels } from '../../main/datasets/image-decode';
import { idxAnnouncedBytes } from '../../main/datasets/idx-reader';
import { loadDataset } from '../../main/datasets/index';
import { checkTrainingMemory, engineMemoryLimit, estimateTrainingMemory, wasmUsableBytes } from '../../main/training/memory-estimate';
import { readModelDir } from '../../main/training/model-io';
import { useTempDirs } from '../shell/temp-dirs';

const tempDir = useTempDirs();
const at = { x: 0, y: 0 };

function idxHeader(type: number, dims: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

describe('unpacking is capped at what the IDX header announces', () => {
  it('stops a gzip bomb as soon as it passes the announced size', async () => {
    // Announces 10 labels, then holds 64 MiB of zeros (a few dozen KiB gzipped).
    const bomb = gzipSync(Buffer.concat([idxHeader(0x08, [10]), Buffer.alloc(64 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(200_000);
    const before = process.memoryUsage().rss;
    await expect(gunzipDatasetFile(bomb, 'labels.gz', idxAnnouncedBytes)).rejects.toMatchObject({ code: 'dataset-too-large' });
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    // The honest file of the same header unpacks.
    const honest = gzipSync(Buffer.concat([idxHeader(0x08, [10]), Buffer.alloc(10)]));
    expect((await gunzipDatasetFile(honest, 'labels.gz', idxAnnouncedBytes)).length).toBe(18);
  });

  it('refuses the bomb through the data set loader too, with a one-line coded error', async () => {
    const dir = tempDir();
    const images = Buffer.concat([idxHeader(0x08, [2, 2, 2]), Buffer.alloc(8)]);
    const labels = Buffer.concat([idxHeader(0x08, [2]), Buffer.from([0, 1])]);
    writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([idxHeader(0x08, [2, 2, 2]), Buffer.alloc(32 * 1024 * 1024)])));
    writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), labels);
    writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), images);
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), labels);
    await expect(loadDataset(`idx:${dir}`)).rejects.toMatchObject({ code: 'dataset-too-large' });
  });
});

describe('images are refused above the pixel limit before decoding', () => {
  function pngHeaderOnly(width: number, height: number): Buffer {
    const small = PNG.sync.write(Object.assign(new PNG({ width: 1, height: 1 }), {}));
    const bytes = Buffer.from(small);
    bytes.writeUInt32BE(width, 16);
    bytes.writeUInt32BE(height, 20);
    return bytes;
  }

  it('reads the size from the header and refuses 16000×16000 with dataset-too-large', () => {
    const bomb = pngHeaderOnly(16000, 16000);
    expect(imageDimensions(bomb, 'png')).toEqual({ width: 16000, height: 16000 });
    expect(16000 * 16000).toBeGreaterThan(maxImagePixels);
    expect(() => decodeImage(bomb, 'big.png')).toThrow(expect.objectContaining({ code: 'dataset-too-large' }));
    const png = new PNG({ width: 3, height: 2 });
    const decoded = decodeImage(PNG.sync.write(png), 'small.png');
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
  });

  it('finds a JPEG frame size in its SOF marker', () => {
    // SOI, an APP0 segment, then SOF0 with height 20000 and width 30000.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x4e, 0x20, 0x75, 0x30, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(imageDimensions(jpeg, 'jpeg')).toEqual({ width: 30000, height: 20000 });
    expect(() => decodeImage(jpeg, 'big.jpg')).toThrow(expect.objectContaining({ code: 'dataset-too-large' }));
  });
});

describe('a saved model folder cannot point outside itself', () => {
  function modelDir(paths: string[]): string {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths, weights: [] }] }));
    return dir;
  }

  it('refuses weights paths that leave the folder, by .. , absolutely or through a symlink', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'secret.bin'), 'SECRET');
    for (const paths of [['../secret.bin'], [path.join(outside, 'secret.bin')], ['link.bin']]) {
      const dir = modelDir(paths);
      symlinkSync(path.join(outside, 'secret.bin'), path.join(dir, 'link.bin'));
      const error = await readModelDir(dir).catch((e: unknown) => e);
      expect(error, paths[0]).toMatchObject({ code: 'model-invalid' });
      expect((error as Error).message).toContain('outside its folder');
    }
    const damaged = tempDir();
    writeFileSync(path.join(damaged, 'model.json'), '{"format":"layers-model","modelTopology":{},"weightsManifest":[{"paths":7}]}');
    await expect(readModelDir(damaged)).rejects.toMatchObject({ code: 'model-invalid' });
  });
});

describe('memory is estimated before training', () => {
  const dense = (inputs: number, units: number): Graph => ({
    nodes: [
      { id: 'in', kind: 'Input', params: { shape: [inputs] }, position: at },
      { id: 'd', kind: 'Dense', params: { units }, position: at },
    ],
    edges: [{ id: 'e', source: 'in', sourcePort: 'out', target: 'd', targetPort: 'in' }],
  });

  it('refuses Dense(1e6) on the wasm engine, naming the figure', () => {
    const estimate = estimateTrainingMemory(dense(1000, 1_000_000), 32, 'adam');
    expect(estimate.weights).toBe((1000 * 1_000_000 + 1_000_000) * 4);
    expect(() => checkTrainingMemory(estimate, engineMemoryLimit('wasm'), 'wasm', 32)).toThrow(
      expect.objectContaining({ code: 'memory-too-large', message: expect.stringMatching(/about 1[0-9]\.\d GiB.*more than the 3\.0 GiB the wasm engine/) }),
    );
  });

  it('suggests a batch size that fits when activations are what is too large, and that size passes', () => {
    const conv: Graph = {
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [512, 512, 3] }, position: at },
        { id: 'c', kind: 'Conv2D', params: { filters: 64, kernelSize: [3, 3], padding: 'same' }, position: at },
      ],
      edges: [{ id: 'e', source: 'in', sourcePort: 'out', target: 'c', targetPort: 'in' }],
    };
    const big = estimateTrainingMemory(conv, 256, 'adam');
    let message = '';
    try {
      checkTrainingMemory(big, wasmUsableBytes, 'wasm', 256);
    } catch (error) {
      message = (error as Error).message;
    }
    const suggested = Number(/batch size of (\d+)/.exec(message)?.[1]);
    expect(suggested).toBeGreaterThan(0);
    expect(suggested).toBeLessThan(256);
    expect(() => checkTrainingMemory(estimateTrainingMemory(conv, suggested, 'adam'), wasmUsableBytes, 'wasm', suggested)).not.toThrow();
    expect(() => checkTrainingMemory(estimateTrainingMemory(conv, suggested + 1, 'adam'), wasmUsableBytes, 'wasm', suggested + 1)).toThrow();
  });

  it('lets ordinary models through', () => {
    expect(() => checkTrainingMemory(estimateTrainingMemory(dense(784, 128), 32, 'adam'), wasmUsableBytes, 'wasm', 32)).not.toThrow();
    expect(readdirSync(tempDir())).toEqual([]);
    mkdirSync(path.join(tempDir(), 'x'));
  });
});
