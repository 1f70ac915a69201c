import path from 'node:path';
import type { DataSplit, Dataset } from './dataset-types';
import { DatasetError } from './dataset-error';
import { listFolder, readDatasetFile } from './file-access';
import { byteToUnit, formatCount } from './byte-scaling';
import { parseClassNameLines, type ReaderContext } from './reader-context';

export const cifar10ClassNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const side = 32;
const planeSize = side * side;
const recordSize = 1 + 3 * planeSize; // label byte, then the R, G and B planes
const trainBatchNames = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`);
const testBatchName = 'test_batch.bin';
const metaName = 'batches.meta.txt';
/** The folder the official archive unpacks to; accepted one level down. */
const archiveFolderName = 'cifar-10-batches-bin';

/** Reads the CIFAR-10 binary version: data_batch_1..5.bin (those present) and test_batch.bin. */
export async function readCifar10Dataset(dir: string, context: ReaderContext): Promise<Dataset> {
  let folder = dir;
  let entries = await listFolder(folder);
  if (!entries.some((e) => e.name === testBatchName) && entries.some((e) => e.name === archiveFolderName && e.isDirectory)) {
    folder = path.join(dir, archiveFolderName);
    entries = await listFolder(folder);
  }
  const present = new Set(entries.filter((e) => e.isFile).map((e) => e.name));
  const trainFiles = trainBatchNames.filter((name) => present.has(name)).map((name) => path.join(folder, name));
  if (trainFiles.length === 0 || !present.has(testBatchName)) {
    const missing = [trainFiles.length === 0 ? 'data_batch_1.bin … data_batch_5.bin' : null, present.has(testBatchName) ? null : testBatchName].filter(Boolean);
    throw new DatasetError(
      'dataset-not-found',
      `${folder} has no ${missing.join(' and no ')}: a CIFAR-10 folder holds the binary version's files (data_batch_1.bin … data_batch_5.bin and test_batch.bin, from cifar-10-binary.tar.gz).`,
    );
  }
  const classNames = present.has(metaName)
    ? parseClassNameLines((await readDatasetFile(path.join(folder, metaName))).toString('utf8'))
    : cifar10ClassNames;
  if (classNames.length < 2) {
    throw new DatasetError('dataset-corrupt', `${path.join(folder, metaName)} names ${classNames.length} class(es); it should list the class names, one per line.`);
  }

  context.progress(0, `Reading CIFAR-10 batches in ${folder}`);
  const allFiles = [...trainFiles, path.join(folder, testBatchName)];
  const buffers: Buffer[] = [];
  for (const [i, file] of allFiles.entries()) {
    const bytes = await readDatasetFile(file);
    checkBatchLength(bytes, file);
    buffers.push(bytes);
    context.progress((0.7 * (i + 1)) / allFiles.length, `Read ${path.basename(file)}`);
  }
  const train = decodeBatches(buffers.slice(0, -1), trainFiles, classNames.length);
  context.progress(0.95, 'Converted the training images');
  const test = decodeBatches(buffers.slice(-1), allFiles.slice(-1), classNames.length);
  context.progress(1, `Loaded ${formatCount(train.count)} training and ${formatCount(test.count)} test images`);
  return {
    id: context.id,
    name: 'CIFAR-10',
    exampleShape: [side, side, 3],
    numClasses: classNames.length,
    classNames,
    train,
    test,
    source: `CIFAR-10 binary batches in ${folder} (${trainFiles.map((f) => path.basename(f)).join(', ')}; ${testBatchName})`,
  };
}

function checkBatchLength(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) throw new DatasetError('dataset-empty', `${file} is empty: download the CIFAR-10 binary version again.`);
  const partial = bytes.length % recordSize;
  if (partial !== 0) {
    throw new DatasetError(
      'dataset-truncated',
      `${file} is ${formatCount(bytes.length)} bytes, not a whole number of ${formatCount(recordSize)}-byte records (1 label byte + 3,072 pixel bytes): ` +
        `record ${Math.floor(bytes.length / recordSize)} (from byte ${formatCount(bytes.length - partial)}) is cut short after ${formatCount(partial)} bytes. Download the file again.`,
    );
  }
}

/** Channel-planar records (R plane, G plane, B plane) to height×width×channel floats in [0, 1]. */
function decodeBatches(buffers: Uint8Array[], files: string[], numClasses: number): DataSplit {
  const count = buffers.reduce((sum, b) => sum + b.length / recordSize, 0);
  const x = new Float32Array(count * planeSize * 3);
  const y = new Int32Array(count);
  let example = 0;
  buffers.forEach((bytes, fileIndex) => {
    const records = bytes.length / recordSize;
    for (let r = 0; r < records; r++, example++) {
      const start = r * recordSize;
      const label = bytes[start]!;
      if (label >= numClasses) {
        throw new DatasetError(
          'dataset-corrupt',
          `${files[fileIndex]}: record ${r} (byte ${formatCount(start)}) has label ${label}, outside 0–${numClasses - 1}. Is this a CIFAR-10 file (CIFAR-100's binary files have two label bytes and cannot be read here)?`,
        );
      }
      y[example] = label;
      const out = example * planeSize * 3;
      for (let p = 0; p < planeSize; p++) {
        x[out + p * 3] = byteToUnit[bytes[start + 1 + p]!]!;
        x[out + p * 3 + 1] = byteToUnit[bytes[start + 1 + planeSize + p]!]!;
        x[out + p * 3 + 2] = byteToUnit[bytes[start + 1 + 2 * planeSize + p]!]!;
      }
    }
  });
  return { x, y, count };
}
