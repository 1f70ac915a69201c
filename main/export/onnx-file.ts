import type * as tf from '@tensorflow/tfjs';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { OnnxExportError, OnnxExportOptions, WeightLookup } from '../../graph-schema/export/onnx/export-onnx';
import { exportOnnx } from '../../graph-schema/export/onnx/export-onnx';
import type { WeightTensor } from '../../graph-schema/export/onnx/onnx-table';

/** "conv1/kernel" or "conv1/kernel_1" (tfjs renames repeats) → "kernel". */
function weightName(variable: tf.LayerVariable): string {
  const last = (variable.originalName || variable.name).split('/').pop() ?? '';
  return last.replace(/_\d+$/, '');
}

/** The weights of a TensorFlow.js model, by layer name and weight name. */
export function tfjsWeightLookup(model: tf.LayersModel): { lookup: WeightLookup; unused(): string[] } {
  const used = new Set<tf.LayerVariable>();
  const lookup: WeightLookup = (layerName, weight): WeightTensor | undefined => {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(layerName);
    } catch {
      return undefined;
    }
    const variable = layer.weights.find((w) => weightName(w) === weight);
    if (!variable) return undefined;
    used.add(variable);
    return { shape: variable.shape as number[], values: Float32Array.from(variable.read().dataSync() as Float32Array) };
  };
  return { lookup, unused: () => model.weights.filter((w) => !used.has(w)).map((w) => w.originalName || w.name) };
}

/**
 * The .onnx bytes of a document with the weights of a built TensorFlow.js model
 * (trained, or compiled with the project's seed). Refuses a model whose weights
 * the graph does not explain.
 */
export function onnxBytesFromModel(
  document: NetweaveDocument,
  model: tf.LayersModel,
  options: OnnxExportOptions = {},
): { ok: true; bytes: Uint8Array } | { ok: false; error: OnnxExportError } {
  const { lookup, unused } = tfjsWeightLookup(model);
  const result = exportOnnx(document, lookup, options);
  if (!result.ok) return result;
  const left = unused();
  if (left.length > 0) {
    return {
      ok: false,
      error: { code: 'weights-mismatch', message: `The model has weights the graph does not explain (${left.slice(0, 3).join(', ')}); export from the model trained from this graph.` },
    };
  }
  return result;
}
