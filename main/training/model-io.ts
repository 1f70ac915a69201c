import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { Shape } from '../../graph-schema/shape';
import { tfjsConfigFix } from '../../graph-schema/tfjs-workarounds';
import { attachConstants } from '../compile/compile-graph';
import { AtomicWriteError, cleanStaleTemps, writeFileAtomic } from '../services/atomic-write';
import { TrainingError } from './training-error';

/**
 * Saved models are the TensorFlow.js layers format: model.json (topology +
 * weightsManifest pointing at weights.bin) that tf.loadLayersModel reads in a
 * browser, plus netweave's own facts (class names, input shape) in
 * userDefinedMetadata.netweave and the project document in netweave.json.
 * Written without tfjs-node: model.save('file://') needs it, withSaveHandler
 * and fromMemory do not.
 */

export const modelFileName = 'model.json';
export const weightsFileName = 'weights.bin';
export const sidecarFileName = 'netweave.json';

export interface NetweaveModelMetadata {
  format: 'netweave.model';
  version: 1;
  classNames: string[];
  /** Input shape without the batch dimension, e.g. [28, 28, 1]. */
  inputShape: number[];
  /** Shape of one example of the data set it was trained on (may differ from inputShape when only the element count matches). */
  exampleShape?: number[];
  /** 'binary': one unit, class 1 when ≥ 0.5; 'one-hot': arg-max over one unit per class. */
  targetEncoding: 'one-hot' | 'binary';
  loss?: string;
  dataset?: string;
  datasetName?: string;
  /** Seed of the run; data sets without their own split (mnist, csv, folder) split by it, so evaluation reuses it to keep to unseen examples. */
  seed?: number;
  engine?: string;
  epochsCompleted?: number;
  testAccuracy?: number;
  savedAt: string;
}

/** A model as plain, structured-clonable data: what crosses from the training worker to main. */
export interface SerializedModel {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export async function serializeModel(model: tf.LayersModel): Promise<SerializedModel> {
  let captured: SerializedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      captured = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new TrainingError('model-save-failed', 'TensorFlow.js produced no model artifacts.');
  restoreDroppedConfig(model, captured.modelTopology);
  return captured;
}

interface TopologyLayer {
  class_name: string;
  config: Record<string, unknown> & { name?: string };
}

/**
 * TensorFlow.js 4.22's SeparableConv2D.getConfig leaves out depth_multiplier, so the saved model
 * would load back with a multiplier of 1 and weights that do not fit: write it back in.
 */
function restoreDroppedConfig(model: tf.LayersModel, topology: object): void {
  type Config = { config?: { layers?: TopologyLayer[] } };
  const t = topology as Config & { model_config?: Config };
  const layers = t.config?.layers ?? t.model_config?.config?.layers ?? [];
  for (const entry of layers) {
    if (entry.class_name !== 'SeparableConv2D' || entry.config.depth_multiplier !== undefined || !entry.config.name) continue;
    const layer = model.getLayer(entry.config.name) as unknown as { depthMultiplier?: number };
    if (typeof layer.depthMultiplier === 'number') entry.config.depth_multiplier = layer.depthMultiplier;
  }
}

export async function deserializeModel(serialized: SerializedModel): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: serialized.modelTopology, weightSpecs: serialized.weightSpecs, weightData: serialized.weightData, format: 'layers-model' }),
  );
  // A loaded model needs the same TensorFlow.js workarounds as a compiled one to train (BatchNormalization without γ or β).
  for (const layer of model.layers) {
    const fix = tfjsConfigFix({ kind: layer.getClassName(), config: layer.getConfig() as Record<string, unknown>, outputShape: layer.outputShape as Shape });
    attachConstants(layer, fix.constants);
  }
  return model;
}

/** The model.json object, in the standard layers format. */
export function buildModelJson(serialized: SerializedModel, metadata?: NetweaveModelMetadata): Record<string, unknown> {
  return {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: serialized.modelTopology,
    weightsManifest: [{ paths: [weightsFileName], weights: serialized.weightSpecs }],
    ...(metadata ? { userDefinedMetadata: { netweave: metadata } } : {}),
  };
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(file, data);
  } catch (err) {
    if (err instanceof AtomicWriteError) throw new TrainingError('model-save-failed', `Could not write the model file ${err.file}: ${err.reason}. Check that the folder is writable.`);
    throw err;
  }
}

/** Writes model.json, weights.bin and (with a document) netweave.json into `dir`, creating it. */
export async function writeModelDir(
  dir: string,
  serialized: SerializedModel,
  metadata?: NetweaveModelMetadata,
  document?: NetweaveDocument,
): Promise<{ dir: string; files: string[] }> {
  const target = path.resolve(dir);
  try {
    await mkdir(target, { recursive: true });
    await cleanStaleTemps(target);
    const files = [path.join(target, modelFileName), path.join(target, weightsFileName)];
    await writeAtomically(files[1]!, new Uint8Array(serialized.weightData));
    await writeAtomically(files[0]!, JSON.stringify(buildModelJson(serialized, metadata)));
    if (document && metadata) {
      const sidecar = path.join(target, sidecarFileName);
      await writeAtomically(sidecar, `${JSON.stringify({ format: 'netweave.model-sidecar', version: 1, metadata, document }, null, 2)}\n`);
      files.push(sidecar);
    }
    return { dir: target, files };
  } catch (error) {
    if (error instanceof TrainingError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainingError('model-save-failed', `Could not write the model to ${target}: ${reason}. Check that the folder is writable.`);
  }
}

export async function saveModelToDir(
  model: tf.LayersModel,
  dir: string,
  metadata: NetweaveModelMetadata,
  document?: NetweaveDocument,
): Promise<{ dir: string; files: string[] }> {
  return writeModelDir(dir, await serializeModel(model), metadata, document);
}

const bytesPerElement: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    if (spec.quantization) return undefined;
    const size = bytesPerElement[spec.dtype];
    if (size === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}

/** Caps on what a model folder may make us read: model.json / netweave.json, and the weights together. */
export const maxModelJsonBytes = 64 * 1024 * 1024;
export const maxWeightsBytes = 2 * 1024 * 1024 * 1024;

async function readCapped(file: string, cap: number, what: string): Promise<Buffer> {
  const size = (await stat(file)).size;
  if (size > cap) throw new TrainingError('model-too-large', `${file} is ${size} bytes; a model's ${what} may be at most ${cap} bytes.`);
  return readFile(file);
}

/** A weights path of model.json, kept inside the model's folder (symlinks followed). */
async function weightFileInside(dir: string, name: string, modelFile: string): Promise<string> {
  const outside = new TrainingError('model-invalid', `${modelFile} lists a weights file outside its folder; only files beside model.json are read.`);
  if (typeof name !== 'string' || name.includes('\0')) throw outside;
  const candidate = path.resolve(dir, name);
  const relative = path.relative(dir, candidate);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw outside;
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(candidate).catch(() => candidate)]);
  const realRelative = path.relative(realDir, realFile);
  if (realRelative === '' || realRelative.startsWith('..') || path.isAbsolute(realRelative)) throw outside;
  return realFile;
}

export interface ModelDirContents {
  serialized: SerializedModel;
  metadata?: NetweaveModelMetadata;
  document?: NetweaveDocument;
}

/** Reads a layers-format model folder (any tfjs layers model; netweave's metadata and document when present). */
export async function readModelDir(dir: string): Promise<ModelDirContents> {
  const target = path.resolve(dir);
  const modelFile = path.join(target, modelFileName);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse((await readCapped(modelFile, maxModelJsonBytes, modelFileName)).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TrainingError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new TrainingError('model-not-found', `No ${modelFileName} in ${target}: pass a folder written by \`netweave train\` (model.json + weights.bin).`);
    }
    // The parser's message quotes the file: never shown.
    throw new TrainingError('model-invalid', `${modelFile} is not valid JSON: the model folder is damaged.`);
  }
  const manifest = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] | undefined;
  if (!json.modelTopology || !Array.isArray(manifest)) {
    throw new TrainingError('model-invalid', `${modelFile} is not a TensorFlow.js layers model (no modelTopology or weightsManifest).`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new TrainingError('model-invalid', `${modelFile} has a weightsManifest entry without "paths" and "weights" lists: the model folder is damaged.`);
    }
    weightSpecs.push(...group.weights);
    for (const file of group.paths) {
      const weightFile = await weightFileInside(target, file, modelFile);
      try {
        const bytes = await readCapped(weightFile, maxWeightsBytes, 'weights file');
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      } catch (error) {
        if (error instanceof TrainingError) throw error;
        throw new TrainingError('model-invalid', `${modelFile} lists ${file}, which cannot be read in ${target}.`);
      }
    }
  }
  const weightData = tf.io.concatenateArrayBuffers(buffers);
  const expected = expectedWeightBytes(weightSpecs);
  if (expected !== undefined && expected !== weightData.byteLength) {
    throw new TrainingError('model-invalid', `The weight files in ${target} hold ${weightData.byteLength} bytes but model.json describes ${expected}: the model is truncated or mixed up.`);
  }
  const userMeta = json.userDefinedMetadata as { netweave?: NetweaveModelMetadata } | undefined;
  let metadata = userMeta?.netweave;
  let document: NetweaveDocument | undefined;
  try {
    const sidecar = JSON.parse((await readCapped(path.join(target, sidecarFileName), maxModelJsonBytes, sidecarFileName)).toString('utf8')) as { metadata?: NetweaveModelMetadata; document?: NetweaveDocument };
    metadata ??= sidecar.metadata;
    document = sidecar.document;
  } catch {
    // The sidecar is optional: a plain tfjs model folder still loads.
  }
  return { serialized: { modelTopology: json.modelTopology as object, weightSpecs, weightData }, ...(metadata ? { metadata } : {}), ...(document ? { document } : {}) };
}

export async function loadModelFromDir(dir: string): Promise<{ model: tf.LayersModel } & ModelDirContents> {
  const contents = await readModelDir(dir);
  try {
    return { model: await deserializeModel(contents.serialized), ...contents };
  } catch (error) {
    throw new TrainingError('model-invalid', `TensorFlow.js cannot rebuild the model in ${path.resolve(dir)}: ${error instanceof Error ? error.message : String(error)}.`);
  }
}
