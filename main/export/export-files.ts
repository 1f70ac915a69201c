import type { ErrorCode } from '../../shared/error-codes';
import type * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { CodeTarget } from '../../graph-schema/export/export-code';
import { exportCode, exportPytorch } from '../../graph-schema/export/export-code';
import { AtomicWriteError, writeFileAtomic } from '../services/atomic-write';
import { CompileError, compileGraph } from '../compile/compile-graph';
import { writeBuiltinMnist } from './builtin-data-files';
import { loadModelFiles, ModelFilesError, saveModelFiles } from './tfjs-model-files';
import { onnxBytesFromModel } from './onnx-file';
import { loadModelFromDir } from '../training/model-io';
import { TrainingError } from '../training/training-error';
import { collectTorchWeights, encodeTorchWeights, torchDataFileFor, WeightsMismatchError } from './torch-weights-file';

export const fileExportTargets = ['ts', 'pytorch', 'keras', 'tfjs-model', 'onnx'] as const;
export type FileExportTarget = (typeof fileExportTargets)[number];

export interface ExportFilesRequest {
  document: NetweaveDocument;
  target: FileExportTarget;
  /** The code file to write, or the folder for a tfjs-model. */
  output: string;
  /** Folder of a saved TensorFlow.js model (model.json + weights.bin) trained from this graph. */
  weightsDir?: string;
  includeTraining?: boolean;
  /** onnx: the layout of image inputs/outputs, 'nhwc' like the app (default) or 'nchw'. */
  layout?: 'nhwc' | 'nchw';
}

export class ExportFilesError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'ExportFilesError';
  }
}

async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(file, content, { makeDir: true });
  } catch (err) {
    if (err instanceof AtomicWriteError) throw new ExportFilesError('file-unwritable', `Cannot write ${file}: ${err.reason}. Choose another path.`);
    throw err;
  }
}

/** The saved model must have been trained from this graph: same layers, same weight shapes. */
function assertWeightsFit(trained: tf.LayersModel, document: NetweaveDocument, dir: string): void {
  let fresh;
  try {
    fresh = compileGraph(document.graph).model;
  } catch (err) {
    if (err instanceof CompileError) throw new ExportFilesError(err.code, err.message);
    throw err;
  }
  try {
    for (const layer of fresh.layers) {
      const expected = layer.getWeights().map((w) => w.shape.join('×'));
      if (expected.length === 0) continue;
      let actual: string[];
      try {
        actual = trained.getLayer(layer.name).getWeights().map((w) => w.shape.join('×'));
      } catch {
        throw new ExportFilesError('weights-mismatch', `The model in ${dir} has no layer "${layer.name}": it was not trained from this graph. Train and save this graph's model, then export again.`);
      }
      if (actual.join(',') !== expected.join(',')) {
        throw new ExportFilesError('weights-mismatch', `Layer "${layer.name}" of the model in ${dir} has weights ${actual.join(', ')} but this graph needs ${expected.join(', ')}: it was trained from another graph.`);
      }
    }
  } finally {
    fresh.dispose();
  }
}

async function loadTrainedModel(dir: string): Promise<tf.LayersModel> {
  try {
    return await loadModelFiles(dir);
  } catch (err) {
    if (err instanceof ModelFilesError) throw new ExportFilesError(err.code, err.message);
    throw err;
  }
}

/** PyTorch weights go beside the code: net.py → net.weights.json + net.weights.bin. */
export function torchWeightsPathFor(codePath: string): string {
  return path.join(path.dirname(codePath), `${path.basename(codePath).replace(/\.py$/i, '')}.weights.json`);
}

/**
 * Writes an export to disk. Everything is checked (support, graph, weights)
 * before the first file is written, so a refused export leaves nothing behind.
 * Returns the paths written.
 */
export async function exportToFiles(request: ExportFilesRequest): Promise<string[]> {
  const { document, target, output, weightsDir } = request;
  const options = { includeTraining: request.includeTraining === true };
  if (weightsDir !== undefined && (target === 'ts' || target === 'keras')) {
    throw new ExportFilesError('export-unsupported', `--weights applies to the pytorch and tfjs-model targets; the ${target} export is code only.`);
  }
  if (target === 'tfjs-model') return exportTfjsModel(document, output, weightsDir);
  if (target === 'onnx') return exportOnnxModel(document, output, weightsDir, request.layout ?? 'nhwc');
  if (request.layout !== undefined && request.layout !== 'nhwc') throw new ExportFilesError('export-unsupported', `--layout applies to the onnx target only.`);
  if (target === 'pytorch') {
    const result = exportPytorch(document, options);
    if (!result.ok) throw new ExportFilesError(result.error.code, result.error.message, result.error.nodeId);
    // The training script reads the built-in digits from IDX files written beside it.
    const builtinData = (): Promise<string[]> =>
      options.includeTraining && document.training.dataset === 'mnist' ? writeBuiltinMnist(output, document.training.seed) : Promise.resolve([]);
    if (weightsDir === undefined) {
      await writeAtomically(output, result.code);
      return [output, ...(await builtinData())];
    }
    const trained = await loadTrainedModel(weightsDir);
    assertWeightsFit(trained, document, weightsDir);
    let encoded;
    try {
      const manifestPath = torchWeightsPathFor(output);
      encoded = { manifestPath, ...encodeTorchWeights(collectTorchWeights(trained, result.weights), path.basename(torchDataFileFor(manifestPath))) };
    } catch (err) {
      if (err instanceof WeightsMismatchError) throw new ExportFilesError(err.code, `${weightsDir}: ${err.message}`);
      throw err;
    } finally {
      trained.dispose();
    }
    const dataPath = path.join(path.dirname(encoded.manifestPath), encoded.manifest.data);
    await writeAtomically(output, result.code);
    await writeAtomically(dataPath, encoded.bytes);
    await writeAtomically(encoded.manifestPath, `${JSON.stringify(encoded.manifest, null, 1)}\n`);
    return [output, encoded.manifestPath, dataPath, ...(await builtinData())];
  }
  const result = exportCode(document, target as CodeTarget, options);
  if (!result.ok) throw new ExportFilesError(result.error.code, result.error.message, result.error.nodeId);
  await writeAtomically(output, result.code);
  return [output];
}

async function exportTfjsModel(document: NetweaveDocument, dir: string, weightsDir: string | undefined): Promise<string[]> {
  // The TypeScript check is the same one: it names unsupported layers and graph errors.
  const check = exportCode(document, 'ts');
  if (!check.ok) throw new ExportFilesError(check.error.code, check.error.message, check.error.nodeId);
  let compiled;
  try {
    compiled = compileGraph(document.graph, { seed: document.training.seed, name: document.name });
  } catch (err) {
    if (err instanceof CompileError) throw new ExportFilesError(err.code, err.message);
    throw err;
  }
  const { model } = compiled;
  try {
    if (weightsDir !== undefined) {
      const trained = await loadTrainedModel(weightsDir);
      try {
        copyWeights(trained, model, weightsDir);
      } finally {
        trained.dispose();
      }
    }
    const files = await saveModelFiles(model, dir);
    return [files.modelJson, files.weightsBin];
  } finally {
    model.dispose();
  }
}

/** Copies weights layer by layer (same names, same shapes); refuses a model trained from another graph. */
function copyWeights(from: tf.LayersModel, to: tf.LayersModel, dir: string): void {
  const mismatch = (why: string): ExportFilesError =>
    new ExportFilesError('weights-mismatch', `${dir}: ${why} Train and save the model of this graph, then export again.`);
  const updates: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (const layer of to.layers) {
    if (layer.weights.length === 0) continue;
    let source: tf.layers.Layer;
    try {
      source = from.getLayer(layer.name);
    } catch {
      throw mismatch(`the saved model has no layer "${layer.name}".`);
    }
    const values = source.getWeights();
    const fits = values.length === layer.weights.length && values.every((v, i) => v.shape.join() === layer.weights[i]!.shape.join());
    if (!fits) throw mismatch(`layer "${layer.name}" has weights of other shapes in the saved model.`);
    updates.push([layer, values]);
  }
  if (from.countParams() !== to.countParams()) throw mismatch('the saved model has a different number of parameters.');
  for (const [layer, values] of updates) layer.setWeights(values);
}

/**
 * An ONNX model (IR 8, opset 13) with the trained weights of DIR, or the seeded
 * initial ones. Built in memory and checked whole before the file is written.
 */
async function exportOnnxModel(document: NetweaveDocument, output: string, weightsDir: string | undefined, layout: 'nhwc' | 'nchw'): Promise<string[]> {
  let model: tf.LayersModel;
  let classNames: string[] | undefined;
  if (weightsDir !== undefined) {
    try {
      const loaded = await loadModelFromDir(weightsDir);
      model = loaded.model;
      classNames = loaded.metadata?.classNames;
    } catch (err) {
      if (err instanceof TrainingError) throw new ExportFilesError(err.code, err.message);
      throw err;
    }
    try {
      assertWeightsFit(model, document, weightsDir);
    } catch (err) {
      model.dispose();
      throw err;
    }
  } else {
    try {
      model = compileGraph(document.graph, { seed: document.training.seed, name: document.name }).model;
    } catch (err) {
      if (err instanceof CompileError) throw new ExportFilesError(err.code, err.message);
      throw err;
    }
  }
  let result;
  try {
    if (!classNames) {
      // Without a trained model's metadata the classes are numbered, one per output unit (two for one sigmoid unit).
      const units = model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1] as number;
      classNames = Array.from({ length: units === 1 ? 2 : units }, (_, i) => String(i));
    }
    result = onnxBytesFromModel(document, model, { layout, classNames });
  } finally {
    model.dispose();
  }
  if (!result.ok) throw new ExportFilesError(result.error.code, result.error.message, result.error.nodeId);
  await writeAtomically(output, result.bytes);
  return [output];
}
