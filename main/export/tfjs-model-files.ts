import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * TensorFlow.js layers models as model.json + weights.bin without tfjs-node
 * (whose file:// handlers are missing here): saved through withSaveHandler,
 * read back through fromMemory. The round trip is bit-identical.
 */

export class ModelFilesError extends Error {
  constructor(
    readonly code: 'model-not-found' | 'model-invalid',
    message: string,
  ) {
    super(message);
    this.name = 'ModelFilesError';
  }
}

export const modelJsonName = 'model.json';
export const weightsBinName = 'weights.bin';

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  return new Uint8Array(new tf.io.CompositeArrayBuffer(data).slice());
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/** Writes DIR/model.json and DIR/weights.bin; returns their paths. */
export async function saveModelFiles(model: tf.LayersModel, dir: string): Promise<{ modelJson: string; weightsBin: string }> {
  await mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, modelJsonName);
  const weightsBin = path.join(dir, weightsBinName);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        weightsManifest: [{ paths: [`./${weightsBinName}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeAtomically(weightsBin, weightBytes(artifacts.weightData));
      await writeAtomically(modelJson, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { modelJson, weightsBin };
}

/** Loads a model saved as DIR/model.json plus the weight files its manifest names. */
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  const modelJson = path.join(dir, modelJsonName);
  if (!existsSync(modelJson)) {
    throw new ModelFilesError('model-not-found', `${dir} holds no ${modelJsonName}. Pass the folder of a model saved by Netweave (model.json + weights.bin).`);
  }
  let parsed: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    parsed = JSON.parse(await readFile(modelJson, 'utf8'));
  } catch {
    throw new ModelFilesError('model-invalid', `${modelJson} is not valid JSON. Save the model again.`);
  }
  if (!parsed.modelTopology || !Array.isArray(parsed.weightsManifest)) {
    throw new ModelFilesError('model-invalid', `${modelJson} is not a TensorFlow.js layers model (no modelTopology or weightsManifest).`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of parsed.weightsManifest) {
    specs.push(...group.weights);
    for (const file of group.paths) {
      const full = path.join(dir, file);
      if (!existsSync(full)) throw new ModelFilesError('model-not-found', `${modelJson} names ${file}, which is missing from ${dir}.`);
      buffers.push(new Uint8Array(await readFile(full)));
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: specs, weightData: weightData.buffer }));
  } catch (err) {
    throw new ModelFilesError('model-invalid', `${modelJson} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
}
