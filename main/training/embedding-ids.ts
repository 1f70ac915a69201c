import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../datasets/dataset-types';
import { TrainingError } from './training-error';

/**
 * Embedding layers read integer ids (0 … input_dim − 1). Every Input is float32 and Embedding casts
 * (truncates) its values, so images scaled to [0, 1] or standardized features would all look up a row
 * or two: such data is refused here, with what to do, instead of training on nonsense.
 */
export interface EmbeddingReader {
  layer: string;
  inputDim: number;
  /** Whether the Embedding reads the model's Input directly (any other layer's output is not ids). */
  fedByInput: boolean;
}

export function embeddingReaders(model: tf.LayersModel): EmbeddingReader[] {
  return model.layers
    .filter((layer) => layer.getClassName() === 'Embedding')
    .map((layer) => ({
      layer: layer.name,
      inputDim: (layer.getConfig() as { inputDim: number }).inputDim,
      fedByInput: layer.inboundNodes.every((node) => node.inboundLayers.every((source) => source.getClassName() === 'InputLayer')),
    }));
}

/** Why the data set cannot feed these Embedding layers, or null when every value is an id they hold. */
export function embeddingIdProblem(ds: Dataset, readers: readonly EmbeddingReader[]): string | null {
  if (readers.length === 0) return null;
  const inner = readers.find((r) => !r.fedByInput);
  if (inner) return `Embedding ${inner.layer} reads integer ids, so it must take its input straight from the Input layer, not from another layer's output: connect it to the Input.`;
  const smallest = readers.reduce((a, b) => (b.inputDim < a.inputDim ? b : a));
  for (const split of [ds.train, ds.test]) {
    for (const v of split.x) {
      if (Number.isInteger(v) && v >= 0 && v < smallest.inputDim) continue;
      const why = Number.isInteger(v) ? `the id ${v} is outside 0 … ${smallest.inputDim - 1}` : `its values are not whole numbers (e.g. ${v})`;
      return `The data set '${ds.name}' does not fit this network: Embedding ${smallest.layer} reads integer ids from 0 to ${smallest.inputDim - 1}, but ${why}. Use a data set of token or category ids (e.g. a CSV of whole numbers)${Number.isInteger(v) ? ', or raise input_dim' : '; image data sets cannot feed an Embedding'}.`;
    }
  }
  return null;
}

/** Throws the problem as a TrainingError ('dataset-shape-mismatch': the data does not fit the network). */
export function checkEmbeddingIds(ds: Dataset, model: tf.LayersModel): void {
  const problem = embeddingIdProblem(ds, embeddingReaders(model));
  if (problem) throw new TrainingError('dataset-shape-mismatch', problem);
}
