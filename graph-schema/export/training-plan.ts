import type { TrainingSettings } from '../document';
import type { ExportModel } from './export-model';

/** What the training snippets of every target need to know, decided once. */
export interface TrainingPlan {
  settings: TrainingSettings;
  /** Example shape without the batch axis, e.g. [28, 28, 1]. */
  inputShape: number[];
  /** Units of the output layer's last axis. */
  outputUnits: number;
  dataset: DatasetRef;
  /** Labels as class indices (sparse) or as vectors (one-hot, or one value for a single sigmoid unit). */
  labels: 'indices' | 'one-hot' | 'single';
  /** Accuracy is reported for the classification losses. */
  classification: boolean;
}

export type DatasetRef =
  | { kind: 'mnist' }
  | { kind: 'xor' }
  | { kind: 'idx' | 'cifar10' | 'csv' | 'folder'; location: string; raw: string }
  | { kind: 'unknown'; raw: string };

export function parseDataset(ref: string): DatasetRef {
  if (ref === 'mnist' || ref === 'xor') return { kind: ref };
  const match = /^(idx|cifar10|csv|folder):(.*)$/.exec(ref);
  if (match) return { kind: match[1] as 'idx' | 'cifar10' | 'csv' | 'folder', location: match[2]!, raw: ref };
  return { kind: 'unknown', raw: ref };
}

export function trainingPlan(model: ExportModel): TrainingPlan {
  const input = model.byName.get(model.inputs[0]!)!;
  const output = model.byName.get(model.outputs[0]!)!;
  const inputShape = input.outputShape.slice(1) as number[];
  const outputUnits = (output.outputShape[output.outputShape.length - 1] ?? 1) as number;
  const settings = model.training;
  const labels = settings.loss === 'sparseCategoricalCrossentropy' ? 'indices' : outputUnits === 1 ? 'single' : 'one-hot';
  return {
    settings,
    inputShape,
    outputUnits,
    dataset: parseDataset(settings.dataset),
    labels,
    classification: settings.loss !== 'meanSquaredError',
  };
}

/** How each file-based data set is laid out; the same words in every target's loader stub. */
export function datasetFormatNotes(kind: 'idx' | 'cifar10' | 'csv' | 'folder'): string[] {
  switch (kind) {
    case 'idx':
      return [
        'IDX files as MNIST and Fashion-MNIST ship them: train-images-idx3-ubyte and train-labels-idx1-ubyte',
        '(optionally gzip-compressed, .gz). Big-endian header: magic 2051 (images) or 2049 (labels), then the',
        'counts and sizes, then one unsigned byte per pixel or label. Scale pixels to [0, 1].',
      ];
    case 'cifar10':
      return [
        'CIFAR-10 binary batches data_batch_1.bin … data_batch_5.bin: 3,073 bytes per image, one label byte',
        'then 1,024 red, 1,024 green and 1,024 blue bytes (channels first): reorder to 32×32×3 and scale to [0, 1].',
      ];
    case 'csv':
      return [
        'A CSV file with a header row and one example per row: numeric feature columns and one label column',
        "(the one named by '#label=COLUMN' in the reference, else the column 'label', else the last one).",
        'The classes are the distinct labels in sorted order; feature values are used as they are.',
      ];
    case 'folder':
      return [
        'A folder with one sub-folder per class (the class names, sorted), each holding PNG or JPEG images:',
        'decode each image, resize it to the input size and scale the pixels to [0, 1].',
      ];
  }
}

export function exampleCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function datasetName(plan: TrainingPlan): string {
  return plan.dataset.kind === 'mnist' || plan.dataset.kind === 'xor' ? plan.dataset.kind : plan.dataset.raw;
}
