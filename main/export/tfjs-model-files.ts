import type * as tf from '@tensorflow/tfjs';
import { loadModelFromDir, serializeModel, writeModelDir } from '../training/model-io';
import { TrainingError } from '../training/training-error';

/**
 * The export side of saved models: the same layers-format files (model.json +
 * weights.bin) the training service writes, through its model-io, with the
 * errors exporters report.
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

/** Writes DIR/model.json and DIR/weights.bin; returns their paths. */
export async function saveModelFiles(model: tf.LayersModel, dir: string): Promise<{ modelJson: string; weightsBin: string }> {
  const { files } = await writeModelDir(dir, await serializeModel(model));
  return { modelJson: files[0]!, weightsBin: files[1]! };
}

/** Loads a model saved as DIR/model.json plus the weight files its manifest names. */
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  try {
    return (await loadModelFromDir(dir)).model;
  } catch (err) {
    if (err instanceof TrainingError && (err.code === 'model-not-found' || err.code === 'model-invalid')) {
      throw new ModelFilesError(err.code, err.message);
    }
    throw err;
  }
}
