import path from 'node:path';
import type { DataSplit, Dataset } from './dataset-types';
import { DatasetError } from './dataset-error';
import { gunzipDatasetFile, listFolder, looksGzipped, readDatasetFile } from './file-access';
import { parseIdx } from './idx-format';
import { bytesToUnitFloats, formatCount } from './byte-scaling';
import { parseClassNameLines, type ReaderContext } from './reader-context';

export const fashionMnistClassNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const digitClassNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** Optional file beside the IDX files naming the classes, one per line (for sets with other than 10 classes, e.g. EMNIST). */
export const idxClassNamesFile = 'classes.txt';

const idxFileNames = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type IdxRole = keyof typeof idxFileNames;

/** Reads an MNIST-format folder: the four IDX files, each raw or gzipped. */
export async function readIdxDataset(dir: string, context: ReaderContext): Promise<Dataset> {
  const entries = await listFolder(dir);
  const present = new Set(entries.filter((entry) => entry.isFile).map((entry) => entry.name));
  const files = {} as Record<IdxRole, string>;
  for (const role of Object.keys(idxFileNames) as IdxRole[]) files[role] = findIdxFile(dir, present, role);

  const fashion = /fashion/i.test(dir);
  const classNames = present.has(idxClassNamesFile)
    ? parseClassNameLines((await readDatasetFile(path.join(dir, idxClassNamesFile))).toString('utf8'))
    : fashion
      ? fashionMnistClassNames
      : digitClassNames;
  if (classNames.length < 2) {
    throw new DatasetError('dataset-empty', `${path.join(dir, idxClassNamesFile)} names ${classNames.length} class(es): list at least two class names, one per line.`);
  }

  context.progress(0, `Reading IDX files in ${dir}`);
  let done = 0;
  const load = async (role: IdxRole) => {
    const bytes = await readIdxBytes(files[role]);
    const parsed = parseIdx(bytes, files[role], role.endsWith('Images') ? 'images' : 'labels');
    done++;
    context.progress(0.8 * (done / 4), `Read ${path.basename(files[role])}`);
    return parsed;
  };
  // The four files unpack in parallel: zlib works off the main thread.
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    load('trainImages'),
    load('trainLabels'),
    load('testImages'),
    load('testLabels'),
  ]);

  const [, rows, cols] = trainImages.dims as [number, number, number];
  const [, testRows, testCols] = testImages.dims as [number, number, number];
  if (rows !== testRows || cols !== testCols) {
    throw new DatasetError(
      'dataset-corrupt',
      `The training images in ${files.trainImages} are ${rows}×${cols} but the test images in ${files.testImages} are ${testRows}×${testCols}: both files must hold images of one size.`,
    );
  }
  const train = toSplit(trainImages, trainLabels, files.trainImages, files.trainLabels, classNames.length);
  context.progress(0.9, 'Converted the training images');
  const test = toSplit(testImages, testLabels, files.testImages, files.testLabels, classNames.length);
  context.progress(1, `Loaded ${formatCount(train.count)} training and ${formatCount(test.count)} test images`);

  return {
    id: context.id,
    name: fashion ? 'Fashion-MNIST (IDX)' : `IDX images (${path.basename(dir)})`,
    exampleShape: [rows, cols, 1],
    numClasses: classNames.length,
    classNames: [...classNames],
    train,
    test,
    source: `IDX files in ${dir}`,
  };
}

/** The raw name, the '.idx' spelling some downloads use, each with or without .gz. */
function findIdxFile(dir: string, present: Set<string>, role: IdxRole): string {
  const name = idxFileNames[role];
  const dotted = name.replace('-idx', '.idx');
  const found = [name, `${name}.gz`, dotted, `${dotted}.gz`].find((candidate) => present.has(candidate));
  if (found !== undefined) return path.join(dir, found);
  const all = Object.values(idxFileNames).join(', ');
  throw new DatasetError(
    'dataset-not-found',
    `${dir} has no ${name} (nor ${name}.gz): an IDX data set folder needs the four files ${all}, each raw or gzipped.`,
  );
}

/** The size an IDX header announces (magic, dimensions, then the values); undefined until the header is complete. */
export function idxAnnouncedBytes(head: Buffer): number | undefined {
  if (head.length < 4) return undefined;
  const sizes: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };
  const element = sizes[head[2]!];
  const dims = head[3]!;
  // Not an IDX header: no size is announced, and parseIdx refuses the file once it is unpacked.
  if (element === undefined || head[0] !== 0 || head[1] !== 0) return Number.MAX_SAFE_INTEGER;
  if (head.length < 4 + 4 * dims) return undefined;
  let count = 1;
  for (let d = 0; d < dims; d++) count *= head.readUInt32BE(4 + 4 * d);
  return 4 + 4 * dims + count * element;
}

async function readIdxBytes(file: string): Promise<Buffer> {
  const bytes = await readDatasetFile(file);
  return file.endsWith('.gz') || looksGzipped(bytes) ? gunzipDatasetFile(bytes, file, idxAnnouncedBytes) : bytes;
}

function toSplit(
  images: { dims: number[]; values: Uint8Array },
  labels: { dims: number[]; values: Uint8Array },
  imageFile: string,
  labelFile: string,
  numClasses: number,
): DataSplit {
  const count = images.dims[0]!;
  const labelCount = labels.dims[0]!;
  if (count !== labelCount) {
    throw new DatasetError(
      'dataset-corrupt',
      `${imageFile} holds ${formatCount(count)} images but ${labelFile} holds ${formatCount(labelCount)} labels: the counts must agree. Are the files from the same download?`,
    );
  }
  if (count === 0) throw new DatasetError('dataset-empty', `${imageFile} holds no images: use a complete IDX data set.`);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.values[i]!;
    if (label >= numClasses) {
      throw new DatasetError(
        'dataset-corrupt',
        `${labelFile}: label ${label} of item ${i} (byte ${8 + i}) is outside 0–${numClasses - 1}. ` +
          `For a data set with more classes, put a ${idxClassNamesFile} with one class name per line beside the IDX files.`,
      );
    }
    y[i] = label;
  }
  return { x: bytesToUnitFloats(images.values), y, count };
}
