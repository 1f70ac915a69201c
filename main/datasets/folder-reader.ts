import path from 'node:path';
import type { DataSplit, Dataset } from './dataset-types';
import { DatasetError } from './dataset-error';
import { listFolder, maxImageFileBytes, readDatasetFile } from './file-access';
import { decodeImage, isGrey, rgbaToChannels, type DecodedImage } from './image-decode';
import { resizeBilinear } from './bilinear-resize';
import { limitedTestCount, stratifiedSplit } from './split';
import { seededRandom } from './seeded-random';
import { formatCount } from './byte-scaling';
import type { ReaderContext } from './reader-context';

const readableExtensions = new Set(['.png', '.jpg', '.jpeg']);
const otherImageExtensions = new Set(['.gif', '.bmp', '.webp', '.tif', '.tiff', '.heic', '.avif']);

interface ImageFile {
  file: string;
  label: number;
}

/**
 * Reads one subfolder per class (class names = sorted folder names) of PNG/JPEG images,
 * converts them to the requested channels, resizes them (bilinear) and scales to [0, 1].
 * Under a limit only the chosen images are decoded.
 */
export async function readFolderDataset(dir: string, context: ReaderContext): Promise<Dataset> {
  context.progress(0, `Listing ${dir}`);
  const { classNames, images } = await listClassImages(dir);
  const labels = images.map((image) => image.label);
  const split = stratifiedSplit(labels, classNames.length, context.testFraction, seededRandom(context.seed));
  let { train, test } = split;
  if (context.limit !== undefined && context.limit < train.length) {
    const testCount = limitedTestCount(test.length, train.length, context.limit);
    train = train.slice(0, context.limit); // already shuffled: the first ones are a random sample
    test = test.slice(0, testCount);
  }

  // Default size: that of the first image (in sorted order); default channels: grey only if every image is.
  const first = await readImage(images[0]!.file);
  const [height, width] = context.imageSize ?? [first.height, first.width];
  const requestedChannels = context.imageSize?.[2] as 1 | 3 | undefined;
  const decodeChannels: 1 | 3 = requestedChannels ?? 3;
  const exampleSize = height * width * decodeChannels;

  let decoded = 0;
  const total = train.length + test.length;
  let allGrey = true;
  const decodeSplit = async (indices: number[]): Promise<DataSplit> => {
    const x = new Float32Array(indices.length * exampleSize);
    const y = new Int32Array(indices.length);
    for (const [slot, index] of indices.entries()) {
      const { file, label } = images[index]!;
      const image = index === 0 ? first : await readImage(file);
      if (requestedChannels === undefined && allGrey && !isGrey(image)) allGrey = false;
      const converted = rgbaToChannels(image, decodeChannels);
      x.set(resizeBilinear(converted, image.height, image.width, decodeChannels, height, width), slot * exampleSize);
      y[slot] = label;
      decoded++;
      if (decoded % 50 === 0 || decoded === total) context.progress(decoded / total, `Decoded ${formatCount(decoded)} of ${formatCount(total)} images`);
    }
    return { x, y, count: indices.length };
  };
  let trainSplit = await decodeSplit(train);
  let testSplit = await decodeSplit(test);
  let channels: number = decodeChannels;
  if (requestedChannels === undefined && allGrey) {
    trainSplit = keepFirstChannel(trainSplit);
    testSplit = keepFirstChannel(testSplit);
    channels = 1;
  }
  return {
    id: context.id,
    name: `${path.basename(dir)} (image folder)`,
    exampleShape: [height, width, channels],
    numClasses: classNames.length,
    classNames,
    train: trainSplit,
    test: testSplit,
    source: `${formatCount(images.length)} images in ${classNames.length} class folders under ${dir}`,
  };
}

async function listClassImages(dir: string): Promise<{ classNames: string[]; images: ImageFile[] }> {
  const entries = (await listFolder(dir)).filter((entry) => !entry.name.startsWith('.'));
  const classNames = entries
    .filter((entry) => entry.isDirectory)
    .map((entry) => entry.name)
    .sort(byCodePoint);
  if (classNames.length === 0) {
    const loose = entries.some((entry) => entry.isFile && readableExtensions.has(path.extname(entry.name).toLowerCase()));
    throw new DatasetError(
      'dataset-empty',
      loose
        ? `${dir} holds images but no class folders: put the images of each class in its own subfolder (e.g. ${dir}/cat, ${dir}/dog).`
        : `${dir} has no class folders: an image folder data set holds one subfolder of PNG/JPEG images per class.`,
    );
  }
  if (classNames.length < 2) {
    throw new DatasetError('dataset-empty', `${dir} has a single class folder ('${classNames[0]}'): a classification data set needs at least two, one subfolder per class.`);
  }
  const images: ImageFile[] = [];
  for (const [label, className] of classNames.entries()) {
    const classDir = path.join(dir, className);
    const files = (await listFolder(classDir))
      .filter((entry) => entry.isFile && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort(byCodePoint);
    const unsupported = files.find((name) => otherImageExtensions.has(path.extname(name).toLowerCase()));
    if (unsupported !== undefined) {
      throw new DatasetError(
        'dataset-unsupported',
        `${path.join(classDir, unsupported)} is a ${path.extname(unsupported).slice(1).toUpperCase()} image; only PNG and JPEG are read: convert it, or remove it.`,
      );
    }
    const readable = files.filter((name) => readableExtensions.has(path.extname(name).toLowerCase()));
    if (readable.length === 0) {
      throw new DatasetError('dataset-empty', `The class folder ${classDir} has no PNG or JPEG images: add some, or remove the folder.`);
    }
    for (const name of readable) images.push({ file: path.join(classDir, name), label });
  }
  return { classNames, images };
}

async function readImage(file: string): Promise<DecodedImage> {
  const image = decodeImage(await readDatasetFile(file, maxImageFileBytes), file);
  if (image.width === 0 || image.height === 0) throw new DatasetError('dataset-corrupt', `${file} has no pixels (${image.width}×${image.height}): replace or remove it.`);
  return image;
}

function keepFirstChannel(split: DataSplit): DataSplit {
  const x = new Float32Array(split.x.length / 3);
  for (let i = 0; i < x.length; i++) x[i] = split.x[i * 3]!;
  return { ...split, x };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
