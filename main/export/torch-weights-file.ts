import type * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TorchTensor, TorchWeightEntry } from '../../graph-schema/export/torch-weights-plan';
import { toTorchLayout } from '../../graph-schema/export/torch-weights-plan';
import { writeFileAtomic } from '../services/atomic-write';

/**
 * Weights for the generated PyTorch module, readable with numpy alone: a JSON
 * manifest (state-dict key, shape, byte offset of each tensor) and one
 * little-endian float32 file, every tensor already in PyTorch's layout.
 */

export const torchWeightsFormat = 'netweave.torch-weights';

export interface TorchWeightsManifest {
  format: typeof torchWeightsFormat;
  version: 1;
  dtype: 'float32';
  byteOrder: 'little';
  /** The data file, beside the manifest. */
  data: string;
  tensors: { key: string; shape: number[]; offset: number }[];
}

export class WeightsMismatchError extends Error {
  readonly code = 'weights-mismatch';
  constructor(message: string) {
    super(message);
    this.name = 'WeightsMismatchError';
  }
}

/** "conv1/kernel" or "conv1/kernel_1" (tfjs renames repeats) → "kernel". */
function weightName(variable: tf.LayerVariable): string {
  const last = (variable.originalName || variable.name).split('/').pop() ?? '';
  return last.replace(/_\d+$/, '');
}

/** The model's weights, moved into PyTorch's layout and keyed as the generated module expects. */
export function collectTorchWeights(model: tf.LayersModel, plan: readonly TorchWeightEntry[]): { key: string; tensor: TorchTensor }[] {
  const used = new Set<tf.LayerVariable>();
  const out: { key: string; tensor: TorchTensor }[] = [];
  for (const entry of plan) {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(entry.layer);
    } catch {
      throw new WeightsMismatchError(`The saved model has no layer "${entry.layer}"; it was not trained from this graph. Train and save the model of this graph, then export again.`);
    }
    const variable = layer.weights.find((w) => weightName(w) === entry.weight);
    if (!variable) throw new WeightsMismatchError(`Layer "${entry.layer}" of the saved model has no ${entry.weight} weight; the graph has changed since it was saved.`);
    used.add(variable);
    const values = variable.read().dataSync() as Float32Array;
    out.push({ key: entry.key, tensor: toTorchLayout(values, variable.shape as number[], entry.layout) });
  }
  const left = model.weights.filter((w) => !used.has(w));
  if (left.length > 0) {
    throw new WeightsMismatchError(`The saved model has weights the graph does not explain (${left.map((w) => w.originalName || w.name).slice(0, 3).join(', ')}); export from the graph it was trained from.`);
  }
  return out;
}

const littleEndianHost = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

export function encodeTorchWeights(tensors: readonly { key: string; tensor: TorchTensor }[], dataFileName: string): { manifest: TorchWeightsManifest; bytes: Uint8Array } {
  const total = tensors.reduce((n, t) => n + t.tensor.values.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  const entries: TorchWeightsManifest['tensors'] = [];
  let offset = 0;
  for (const { key, tensor } of tensors) {
    if (littleEndianHost) bytes.set(new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength), offset);
    else tensor.values.forEach((v, i) => view.setFloat32(offset + i * 4, v, true));
    entries.push({ key, shape: tensor.shape, offset });
    offset += tensor.values.byteLength;
  }
  return { manifest: { format: torchWeightsFormat, version: 1, dtype: 'float32', byteOrder: 'little', data: dataFileName, tensors: entries }, bytes };
}

/** The data file that goes with a manifest: model.weights.json → model.weights.bin. */
export function torchDataFileFor(manifestPath: string): string {
  const base = path.basename(manifestPath).replace(/\.json$/i, '');
  return path.join(path.dirname(manifestPath), `${base}.bin`);
}

/** Writes the manifest and its data file; returns both paths. */
export async function writeTorchWeights(model: tf.LayersModel, plan: readonly TorchWeightEntry[], manifestPath: string): Promise<{ manifest: string; data: string }> {
  const dataPath = torchDataFileFor(manifestPath);
  const { manifest, bytes } = encodeTorchWeights(collectTorchWeights(model, plan), path.basename(dataPath));
  await mkdir(path.dirname(manifestPath), { recursive: true });
  for (const [file, content] of [
    [dataPath, bytes],
    [manifestPath, `${JSON.stringify(manifest, null, 1)}\n`],
  ] as const) {
    await writeFileAtomic(file, content);
  }
  return { manifest: manifestPath, data: dataPath };
}
