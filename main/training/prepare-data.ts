import type { Dataset } from '../datasets/dataset-types';
import type { LabelledData } from './evaluate';
import { TrainingError } from './training-error';

export interface PreparedData {
  train: LabelledData;
  validation: LabelledData;
  test: LabelledData;
  /** The model's input shape without the batch dimension: examples are fed in this shape. */
  inputShape: number[];
  /** One example as the data set stores it (28×28×1 even when the model takes 784). */
  exampleShape: number[];
  classNames: string[];
  datasetId: string;
  datasetName: string;
}

const elements = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Splits off the last `validationSplit` of the training examples (Keras'
 * rule, taken before any shuffling) and checks that examples can be fed in
 * the model's input shape: equal element counts are reshaped (784 ↔ 28×28×1).
 */
export function prepareData(dataset: Dataset, inputShape: readonly (number | null)[], validationSplit: number): PreparedData {
  const shape = inputShape.slice(inputShape[0] === null ? 1 : 0).map((d) => d ?? 0);
  const size = elements(shape);
  const exampleSize = elements(dataset.exampleShape);
  if (shape.some((d) => d <= 0) || size !== exampleSize) {
    throw new TrainingError(
      'dataset-shape-mismatch',
      `The model's input is [${shape.join(', ')}] (${size} values) but each example of ${dataset.name} is [${dataset.exampleShape.join(', ')}] (${exampleSize} values): set the Input layer's shape to [${dataset.exampleShape.join(', ')}].`,
    );
  }
  const total = dataset.train.count;
  const validationCount = validationSplit > 0 ? Math.min(total - 1, Math.floor(total * validationSplit)) : 0;
  const trainCount = total - Math.max(0, validationCount);
  if (trainCount < 1) throw new TrainingError('dataset-empty', `${dataset.name} has no training examples.`);
  const split = (from: number, to: number): LabelledData => ({
    x: dataset.train.x.subarray(from * exampleSize, to * exampleSize),
    y: dataset.train.y.subarray(from, to),
    count: to - from,
  });
  return {
    train: split(0, trainCount),
    validation: split(trainCount, total),
    test: { x: dataset.test.x, y: dataset.test.y, count: dataset.test.count },
    inputShape: shape,
    exampleShape: [...dataset.exampleShape],
    classNames: [...dataset.classNames],
    datasetId: dataset.id,
    datasetName: dataset.name,
  };
}
