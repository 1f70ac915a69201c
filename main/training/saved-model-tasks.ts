import type * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { checkDatasetFits, loadDataset } from '../datasets/index';
import { checkEmbeddingIds } from './embedding-ids';
import type { Dataset } from '../datasets/index';
import type { EnginePreference } from '../engine/index';
import { initEngine, parseEnginePreference } from '../engine/index';
import type { EngineInfo, Evaluation } from '../../shared/training-types';
import { evaluateModel } from './evaluate';
import { forwardPass } from './forward-pass';
import type { LossName, TargetPlan } from './losses';
import { planTargets } from './losses';
import type { NetweaveModelMetadata } from './model-io';
import { loadModelFromDir } from './model-io';
import { TrainingError } from './training-error';
import type { LandscapeResult } from './lab-tasks';
import { computeLandscape } from './lab-tasks';
import { prepareData } from './prepare-data';

/** Evaluation and prediction with a saved model, on the calling thread (inference only, no training). */

export interface SavedModelTaskOptions {
  /** A data set reference; default: the one the model was trained on. */
  data?: string;
  limit?: number;
  engine?: string;
  /** Seed of the train/test split; default: the training run's, so that the test examples are ones it did not train on. */
  seed?: number;
}

interface LoadedForTask {
  model: tf.LayersModel;
  metadata: NetweaveModelMetadata | undefined;
  engine: EngineInfo;
  inputShape: number[];
  outputShape: (number | null)[];
}

async function openModel(dir: string, engine: string | undefined): Promise<LoadedForTask> {
  const preference: EnginePreference | undefined = engine ? parseEnginePreference(engine) : undefined;
  const info = await initEngine(preference);
  const { model, metadata } = await loadModelFromDir(dir);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new TrainingError('model-invalid', `The model in ${dir} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; netweave evaluates models with one of each.`);
  }
  return {
    model,
    metadata,
    engine: info,
    inputShape: model.inputs[0]!.shape.slice(1).map((d) => d ?? 0),
    outputShape: model.outputs[0]!.shape,
  };
}

async function openData(loaded: LoadedForTask, options: SavedModelTaskOptions): Promise<Dataset> {
  const ref = options.data ?? loaded.metadata?.dataset;
  if (!ref) throw new TrainingError('dataset-missing', 'The model does not say which data set it was trained on: pass --data (e.g. --data mnist).');
  const [h, w, c] = loaded.inputShape;
  const imageSize: [number, number, number] | undefined = loaded.inputShape.length === 3 && (c === 1 || c === 3) ? [h!, w!, c] : undefined;
  const dataset = await loadDataset(ref, {
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(imageSize ? { imageSize } : {}),
    ...((options.seed ?? loaded.metadata?.seed) !== undefined ? { seed: options.seed ?? loaded.metadata?.seed } : {}),
  });
  const fit = checkDatasetFits(dataset, loaded.model.inputs[0]!.shape, loaded.outputShape);
  if (!fit.ok) throw new TrainingError(fit.code, fit.message);
  checkEmbeddingIds(dataset, loaded.model);
  return dataset;
}

function planFor(loaded: LoadedForTask, numClasses: number): { plan: TargetPlan; loss: LossName } {
  const loss = (loaded.metadata?.loss as LossName | undefined) ?? (loaded.outputShape[1] === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy');
  return { plan: planTargets(loss, loaded.outputShape, numClasses), loss };
}

export interface SavedModelEvaluation {
  engine: EngineInfo;
  dataset: { id: string; name: string };
  evaluation: Evaluation;
}

/** Loss, accuracy, confusion matrix and samples of a saved model on a data set's test split. */
export async function evaluateSavedModel(dir: string, options: SavedModelTaskOptions = {}): Promise<SavedModelEvaluation> {
  const loaded = await openModel(dir, options.engine);
  try {
    const dataset = await openData(loaded, options);
    const { plan, loss } = planFor(loaded, dataset.numClasses);
    const evaluation = evaluateModel(loaded.model, dataset.test, {
      inputShape: loaded.inputShape,
      exampleShape: dataset.exampleShape,
      plan,
      loss,
      classNames: dataset.classNames,
    });
    return { engine: loaded.engine, dataset: { id: dataset.id, name: dataset.name }, evaluation };
  } finally {
    loaded.model.dispose();
  }
}

export interface Prediction {
  index: number;
  /** Known for examples from a data set. */
  label?: number;
  predicted: number;
  predictedName: string;
  confidence: number;
  /** The model's raw output for the example. */
  output: number[];
}

export interface SavedModelPredictions {
  engine: EngineInfo;
  classNames: string[];
  predictions: Prediction[];
}

function flattenExample(value: unknown, into: number[]): void {
  if (typeof value === 'number') into.push(value);
  else if (Array.isArray(value)) for (const item of value) flattenExample(item, into);
  else throw new TrainingError('input-invalid', 'Each example must be a number or a (nested) array of numbers.');
}

/** Examples from a JSON file: an array of examples, or { "examples": [...] }; each flat or nested, with the input's element count. */
export async function readExamplesFile(file: string, inputSize: number): Promise<{ x: Float32Array; count: number }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new TrainingError(code === 'ENOENT' ? 'file-not-found' : 'input-invalid', code === 'ENOENT' ? `No such file: ${file}.` : `${file} is not valid JSON.`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { examples?: unknown } | null)?.examples;
  if (!Array.isArray(list) || list.length === 0) throw new TrainingError('input-invalid', `${file} must hold a non-empty array of examples, or { "examples": [...] }.`);
  const x = new Float32Array(list.length * inputSize);
  list.forEach((example, i) => {
    const values: number[] = [];
    flattenExample(example, values);
    if (values.length !== inputSize) {
      throw new TrainingError('input-invalid', `Example ${i} in ${file} has ${values.length} values; the model takes ${inputSize} per example.`);
    }
    x.set(values, i * inputSize);
  });
  return { x, count: list.length };
}

/** Predictions of a saved model for the first `count` test examples of a data set, or for examples from a JSON file. */
export async function predictWithSavedModel(dir: string, options: SavedModelTaskOptions & { count?: number; inputFile?: string }): Promise<SavedModelPredictions> {
  const loaded = await openModel(dir, options.engine);
  try {
    const inputSize = loaded.inputShape.reduce((a, b) => a * b, 1);
    let x: Float32Array;
    let count: number;
    let labels: Int32Array | undefined;
    let classNames: string[];
    if (options.inputFile) {
      ({ x, count } = await readExamplesFile(options.inputFile, inputSize));
      const units = loaded.outputShape[1] ?? 0;
      classNames = loaded.metadata?.classNames ?? Array.from({ length: units === 1 ? 2 : units }, (_, i) => String(i));
    } else {
      const dataset = await openData(loaded, options);
      count = Math.min(options.count ?? 10, dataset.test.count);
      x = dataset.test.x.subarray(0, count * inputSize);
      labels = dataset.test.y.subarray(0, count);
      classNames = dataset.classNames;
    }
    const { plan } = planFor(loaded, classNames.length);
    const result = forwardPass(loaded.model, x, count, { inputShape: loaded.inputShape, plan, keepOutputs: true });
    const predictions: Prediction[] = Array.from({ length: count }, (_, i) => ({
      index: i,
      ...(labels ? { label: labels[i]! } : {}),
      predicted: result.predicted[i]!,
      predictedName: classNames[result.predicted[i]!] ?? String(result.predicted[i]),
      confidence: result.confidence[i]!,
      output: Array.from(result.outputs!.subarray(i * plan.units, (i + 1) * plan.units)),
    }));
    return { engine: loaded.engine, classNames, predictions };
  } finally {
    loaded.model.dispose();
  }
}

/** The loss landscape (lab-tasks.ts computeLandscape) of a saved model, on the calling thread. */
export async function landscapeSavedModel(
  dir: string,
  options: SavedModelTaskOptions & { grid?: number; span?: number; batch?: number; onProgress?: (done: number, total: number) => void },
): Promise<{ engine: EngineInfo; dataset: { id: string; name: string } } & LandscapeResult> {
  const loaded = await openModel(dir, options.engine);
  try {
    const dataset = await openData(loaded, options);
    const { plan, loss } = planFor(loaded, dataset.numClasses);
    const data = prepareData(dataset, loaded.model.inputs[0]!.shape, 0);
    const result = await computeLandscape(
      { model: loaded.model, data, plan, loss, seed: options.seed ?? loaded.metadata?.seed ?? 0, nodeOutput: new Map(), nodeLayers: new Map() },
      { ...(options.grid ? { grid: options.grid } : {}), ...(options.span ? { span: options.span } : {}), ...(options.batch ? { batch: options.batch } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    return { engine: loaded.engine, dataset: { id: data.datasetId, name: data.datasetName }, ...result };
  } finally {
    loaded.model.dispose();
  }
}
