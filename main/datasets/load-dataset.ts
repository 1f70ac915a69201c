import path from 'node:path';
import type { Dataset, LoadDatasetOptions } from './dataset-types';
import { DatasetError } from './dataset-error';
import { formatDatasetRef, parseDatasetRef, type DatasetRef } from './dataset-ref';
import { applyLimit, defaultSeed, defaultTestFraction } from './split';
import type { ReaderContext } from './reader-context';
import { readMnistPackage } from './mnist-reader';
import { buildXorDataset } from './xor-reader';
import { readIdxDataset } from './idx-reader';
import { readCifar10Dataset } from './cifar10-reader';
import { readCsvDataset } from './csv-reader';
import { readFolderDataset } from './folder-reader';
import { adaptImages } from './adapt-images';

/**
 * Loads a data set by reference ('mnist', 'xor', 'idx:DIR', 'cifar10:DIR', 'csv:FILE[#label=COLUMN]',
 * 'folder:DIR') into plain typed arrays. Rejects with a DatasetError that says what is wrong and what to do.
 */
export async function loadDataset(ref: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const parsed = parseDatasetRef(ref);
  if (parsed instanceof DatasetError) throw parsed;
  checkOptions(options);
  const resolved = resolvePaths(parsed, options.baseDir ?? process.cwd());
  const seed = options.seed ?? defaultSeed;
  const report = options.onProgress;
  const context: ReaderContext = {
    id: formatDatasetRef(resolved),
    seed,
    testFraction: options.testFraction ?? defaultTestFraction,
    limit: options.limit,
    imageSize: options.imageSize,
    progress: report ? (fraction, message) => report(Math.min(Math.max(fraction, 0), 1), message) : () => {},
  };
  const dataset = applyLimit(await readDataset(resolved, context), options.limit, seed);
  // After the limit, so only the examples kept are resized. Folder images come out at this size already.
  return options.imageSize ? adaptImages(dataset, options.imageSize) : dataset;
}

async function readDataset(ref: DatasetRef, context: ReaderContext): Promise<Dataset> {
  switch (ref.kind) {
    case 'mnist':
      return readMnistPackage(context);
    case 'xor': {
      context.progress(1, 'Built the XOR truth table');
      return buildXorDataset();
    }
    case 'idx':
      return readIdxDataset(ref.path, context);
    case 'cifar10':
      return readCifar10Dataset(ref.path, context);
    case 'csv':
      return readCsvDataset(ref.path, ref.labelColumn, context);
    case 'folder':
      return readFolderDataset(ref.path, context);
  }
}

function resolvePaths(ref: DatasetRef, baseDir: string): DatasetRef {
  return 'path' in ref ? { ...ref, path: path.resolve(baseDir, ref.path) } : ref;
}

function checkOptions(options: LoadDatasetOptions): void {
  const { limit, testFraction, imageSize, seed } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new DatasetError('dataset-invalid-ref', `The example limit must be a whole number above 0 (got ${limit}).`);
  }
  if (testFraction !== undefined && !(testFraction >= 0 && testFraction < 1)) {
    throw new DatasetError('dataset-invalid-ref', `The test fraction must be at least 0 and below 1, e.g. 0.2 (got ${testFraction}).`);
  }
  if (seed !== undefined && !Number.isFinite(seed)) throw new DatasetError('dataset-invalid-ref', `The seed must be a number (got ${seed}).`);
  if (imageSize !== undefined) {
    const [height, width, channels] = imageSize;
    const positive = (v: number) => Number.isInteger(v) && v > 0 && v <= 8192;
    if (imageSize.length !== 3 || !positive(height) || !positive(width) || (channels !== 1 && channels !== 3)) {
      throw new DatasetError(
        'dataset-invalid-ref',
        `The image size must be [height, width, channels] with sizes from 1 to 8192 and 1 (grey) or 3 (RGB) channels (got [${imageSize.join(', ')}]).`,
      );
    }
  }
}
