import type { DataSplit, Dataset } from './dataset-types';
import { DatasetError } from './dataset-error';
import { resizeBilinear } from './bilinear-resize';
import { formatCount } from './byte-scaling';

/** Past this many float values (1 GiB) an adapted data set is refused: a limit keeps it small. */
export const maxAdaptedValues = 256 * 1024 * 1024;

/**
 * Fits an image data set read at its own size (MNIST 28×28×1, IDX, CIFAR-10 32×32×3) to the
 * graph's Input [height, width, channels]: bilinear resize (half-pixel centres, as the folder
 * reader does) and grey → RGB by repeating the channel, or RGB → grey by luminance (BT.601, the
 * weights the folder reader uses). A data set that already fits, or is not images, is returned as it is.
 * The name says what was done, so every place that shows the data set shows it.
 */
export function adaptImages(dataset: Dataset, size: readonly [number, number, number]): Dataset {
  const from = dataset.exampleShape;
  if (from.length !== 3) return dataset;
  const [inHeight, inWidth, inChannels] = from as [number, number, number];
  const [height, width, channels] = size;
  if (inChannels !== 1 && inChannels !== 3) return dataset;
  if (inHeight === height && inWidth === width && inChannels === channels) return dataset;

  const values = (dataset.train.count + dataset.test.count) * height * width * channels;
  if (values > maxAdaptedValues) {
    throw new DatasetError(
      'dataset-too-large',
      `${dataset.name} resized to ${size.join('×')} would take ${formatCount(values)} values (${(values / 2 ** 28).toFixed(1)} GiB), more than the ${maxAdaptedValues / 2 ** 28} GiB allowed: use fewer examples (a limit, e.g. --limit 10000) or a smaller Input layer.`,
    );
  }
  const convert = (split: DataSplit): DataSplit => {
    const inSize = inHeight * inWidth * inChannels;
    const outSize = height * width * channels;
    const x = new Float32Array(split.count * outSize);
    for (let i = 0; i < split.count; i++) {
      let image = split.x.subarray(i * inSize, (i + 1) * inSize);
      // Grey first when going down to one channel, so the resize works on a third of the values.
      if (inChannels === 3 && channels === 1) image = toGrey(image);
      const working = inChannels === 3 && channels === 1 ? 1 : inChannels;
      let resized = resizeBilinear(image, inHeight, inWidth, working, height, width);
      if (working === 1 && channels === 3) resized = repeatGrey(resized);
      x.set(resized, i * outSize);
    }
    return { x, y: split.y, count: split.count };
  };
  return {
    ...dataset,
    name: `${dataset.name}, ${describeAdaptation(from, [height, width, channels])}`,
    exampleShape: [height, width, channels],
    train: convert(dataset.train),
    test: convert(dataset.test),
    adaptedFrom: [...from],
  };
}

/** 'resized 28×28×1 → 32×32×3' (or 'converted' when only the channels change). */
export function describeAdaptation(from: readonly number[], to: readonly number[]): string {
  const sameSize = from[0] === to[0] && from[1] === to[1];
  return `${sameSize ? 'converted' : 'resized'} ${from.join('×')} → ${to.join('×')}`;
}

function toGrey(rgb: Float32Array): Float32Array {
  const out = new Float32Array(rgb.length / 3);
  for (let p = 0; p < out.length; p++) out[p] = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!;
  return out;
}

function repeatGrey(grey: Float32Array): Float32Array {
  const out = new Float32Array(grey.length * 3);
  for (let p = 0; p < grey.length; p++) {
    const v = grey[p]!;
    out[p * 3] = v;
    out[p * 3 + 1] = v;
    out[p * 3 + 2] = v;
  }
  return out;
}
