import type { Dataset } from './dataset-types';

export type DatasetFit = { ok: true } | { ok: false; code: 'dataset-shape-mismatch'; message: string };
type Shape = readonly (number | null)[];

/**
 * Whether a data set can feed a graph: the Input layer must take as many values per example
 * (a 784-vector fits 28×28×1 and back: same count, reshaped), and the output must have one unit
 * per class (or 1 unit, sigmoid, for two classes). Shapes are batch-first, e.g. [null, 28, 28, 1].
 */
export function checkDatasetFits(ds: Dataset, inputShape: Shape, outputShape: Shape): DatasetFit {
  const problems = [inputProblem(ds, inputShape.slice(1)), outputProblem(ds, outputShape)].filter((p): p is string => p !== null);
  if (problems.length === 0) return { ok: true };
  return { ok: false, code: 'dataset-shape-mismatch', message: `The data set '${ds.name}' does not fit this network: ${problems.join('; also, ')}.` };
}

function inputProblem(ds: Dataset, expected: Shape): string | null {
  const actual = ds.exampleShape;
  const actualCount = product(actual);
  const fixed = expected.every((d): d is number => d !== null);
  if (fixed && product(expected) === actualCount) return null;
  const sameRank = expected.length === actual.length;
  if (!fixed && sameRank && expected.every((d, i) => d === null || d === actual[i])) return null;

  const dataPart = `the data set's ${describeExamples(actual)}`;
  const inputPart = `the Input layer expects ${describeShape(expected)}`;
  let detail: string;
  if (sameRank) {
    const names = dimensionNames(actual.length);
    detail = expected
      .map((d, i) => (d !== null && d !== actual[i] ? `${names[i]} ${actual[i]} ≠ ${d}` : null))
      .filter((part) => part !== null)
      .join(', ');
  } else if (fixed) {
    detail = `${formatNumber(actualCount)} values per example ≠ ${formatNumber(product(expected))}`;
  } else {
    detail = `${actual.length} dimensions ≠ ${expected.length}`;
  }
  const fix = `set the Input layer's shape to [${actual.join(', ')}]${actual.length === 3 ? ' or use images of the expected size (folder data sets can be resized)' : ''}`;
  return `${dataPart} but ${inputPart} (${detail}): ${fix}`;
}

function outputProblem(ds: Dataset, outputShape: Shape): string | null {
  if (outputShape.length !== 2) {
    return `the network's output has shape [${outputShape.map(showDim).join(', ')}], but a classifier must give one vector per example ([batch, units]): end with Flatten and a Dense layer of ${ds.numClasses} units`;
  }
  const units = outputShape[1];
  if (units === ds.numClasses || (units === 1 && ds.numClasses === 2)) return null;
  const shown = ds.classNames.slice(0, 5).join(', ') + (ds.classNames.length > 5 ? ', …' : '');
  const unitsText = units === null ? 'an unknown number of units' : `${units} unit${units === 1 ? '' : 's'}`;
  const target = ds.numClasses === 2 ? '2 (softmax) or 1 (sigmoid)' : String(ds.numClasses);
  if (units !== null && units === product(ds.exampleShape)) {
    // One output per input value: a network that reconstructs its input (the autoencoder template).
    return `the output layer has ${unitsText}, one per input value: a network that reconstructs its input (an autoencoder), but Netweave trains against class labels only (${ds.numClasses} classes here). Export it to PyTorch or Keras and train it with the inputs as targets, or end it in a ${target}-unit layer to classify`;
  }
  return `the output layer has ${unitsText} but the data set has ${ds.numClasses} classes (${shown}): set the last layer's units to ${target}`;
}

function describeExamples(shape: readonly number[]): string {
  if (shape.length === 3) return `images are ${shape.join('×')}`;
  if (shape.length === 1) return `examples are vectors of ${formatNumber(shape[0]!)} values`;
  return `examples have shape ${shape.join('×')}`;
}

function describeShape(shape: Shape): string {
  if (shape.length === 1) return `vectors of ${shape[0] === null ? 'any number of' : formatNumber(shape[0]!)} values`;
  return shape.map(showDim).join('×');
}

function dimensionNames(rank: number): string[] {
  if (rank === 3) return ['height', 'width', 'channels'];
  if (rank === 1) return ['features'];
  return Array.from({ length: rank }, (_, i) => `dimension ${i + 1}`);
}

const showDim = (d: number | null) => (d === null ? '?' : String(d));
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
const formatNumber = (value: number) => value.toLocaleString('en-US');
