import type * as tf from '@tensorflow/tfjs';
import type { Evaluation, SamplePrediction } from '../../shared/training-types';
import { forwardPass } from './forward-pass';
import type { LossName, TargetPlan } from './losses';

export interface LabelledData {
  x: Float32Array;
  y: Int32Array;
  count: number;
}

export interface EvaluateOptions {
  inputShape: readonly number[];
  /** Shape of one example as the data set stores it: [H, W, C] marks image data, whose pixels go into the samples. */
  exampleShape: readonly number[];
  plan: TargetPlan;
  loss: LossName;
  classNames: readonly string[];
  sampleCount?: number;
  batchSize?: number;
}

/** Evenly spread examples, with up to a third of the places given to mistakes (the instructive ones). */
export function pickSampleIndices(count: number, wanted: number, predicted: Int32Array, labels: Int32Array): number[] {
  const take = Math.min(wanted, count);
  const chosen = new Set<number>();
  const mistakes: number[] = [];
  for (let i = 0; i < count && mistakes.length < Math.floor(take / 3); i++) if (predicted[i] !== labels[i]) mistakes.push(i);
  for (let k = 0; chosen.size < take - mistakes.length && k < take * 2; k++) {
    const index = Math.floor((k * count) / take) % count;
    if (!mistakes.includes(index)) chosen.add(index);
  }
  for (const m of mistakes) chosen.add(m);
  return [...chosen].sort((a, b) => a - b).slice(0, take);
}

export function samplePixels(x: Float32Array, index: number, exampleShape: readonly number[]): number[] {
  const size = exampleShape.reduce((a, b) => a * b, 1);
  const pixels = new Array<number>(size);
  for (let i = 0; i < size; i++) pixels[i] = Math.round(Math.min(1, Math.max(0, x[index * size + i]!)) * 255) / 255;
  return pixels;
}

/** Loss, accuracy, confusion matrix, per-class accuracy and sample predictions on labelled data. */
export function evaluateModel(model: tf.LayersModel, data: LabelledData, options: EvaluateOptions): Evaluation {
  const numClasses = options.classNames.length;
  const result = forwardPass(model, data.x, data.count, {
    inputShape: options.inputShape,
    plan: options.plan,
    loss: options.loss,
    labels: data.y,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < data.count; i++) {
    const actual = data.y[i]!;
    const guess = result.predicted[i]!;
    if (actual === guess) correct++;
    const row = confusion[actual];
    if (row && guess >= 0 && guess < numClasses) row[guess]! += 1;
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[c]! / total;
  });
  const isImage = options.exampleShape.length === 3;
  const samples: SamplePrediction[] = pickSampleIndices(data.count, options.sampleCount ?? 12, result.predicted, data.y).map((i) => ({
    ...(isImage ? { image: samplePixels(data.x, i, options.exampleShape) } : {}),
    shape: [...options.exampleShape],
    label: data.y[i]!,
    predicted: result.predicted[i]!,
    confidence: result.confidence[i]!,
  }));
  return {
    loss: data.count === 0 ? Number.NaN : result.lossSum / data.count,
    accuracy: data.count === 0 ? 0 : correct / data.count,
    classNames: [...options.classNames],
    confusion,
    perClassAccuracy,
    samples,
    count: data.count,
  };
}
