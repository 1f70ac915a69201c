import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Graph, NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { exportPytorch } from '../../graph-schema/export/export-code';
import { writeTorchWeights } from '../../main/export/torch-weights-file';
import { writeFloat32 } from './export-test-utils';

/** A graph from a list of layers, each fed by the previous one unless `from` names its inputs. */
export function graphOf(layers: { id: string; kind: string; params?: Record<string, unknown>; from?: string[] }[]): Graph {
  const nodes = layers.map((l, i) => ({ id: l.id, kind: l.kind, params: l.params ?? {}, position: { x: 0, y: i * 100 } }));
  const edges = layers.flatMap((l, i) =>
    i === 0 ? [] : (l.from ?? [layers[i - 1]!.id]).map((source, k) => ({ id: `e_${l.id}_${k}`, source, sourcePort: 'out', target: l.id, targetPort: 'in' })),
  );
  return { nodes, edges };
}

export function documentOf(name: string, layers: Parameters<typeof graphOf>[0]): NetweaveDocument {
  return createDocument(graphOf(layers), name);
}

/** Two inputs (an image and a vector) merged by Add, two outputs. */
export function twoInputsTwoOutputs(): NetweaveDocument {
  return documentOf('two in, two out', [
    { id: 'image', kind: 'Input', params: { shape: [6, 6, 2] } },
    { id: 'conv', kind: 'Conv2D', params: { filters: 3, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' } },
    { id: 'gap', kind: 'GlobalAveragePooling2D' },
    { id: 'features', kind: 'Input', params: { shape: [5] }, from: [] },
    { id: 'embed', kind: 'Dense', params: { units: 3, activation: 'tanh' } },
    { id: 'joined', kind: 'Add', from: ['gap', 'embed'] },
    { id: 'classes', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
    { id: 'values', kind: 'Dense', params: { units: 4 }, from: ['embed'] },
  ]);
}

/** Gives biases, batch-norm γ/β, moving statistics and PReLU slopes non-trivial values, so that every weight matters. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  let offset = 0;
  for (const layer of model.layers) {
    const values = layer.getWeights().map((w, i) => {
      const name = (layer.weights[i]!.originalName.split('/').pop() ?? '').replace(/_\d+$/, '');
      const s = seed + offset++;
      switch (name) {
        case 'bias':
        case 'beta':
          return tf.randomNormal(w.shape, 0, 0.5, 'float32', s);
        case 'gamma':
          return tf.randomUniform(w.shape, 0.5, 1.5, 'float32', s);
        case 'moving_mean':
          return tf.randomNormal(w.shape, 0, 0.5, 'float32', s);
        case 'moving_variance':
          return tf.randomUniform(w.shape, 0.5, 2, 'float32', s);
        // PReLU's slopes start at 0 (a plain relu): give them both signs.
        case 'alpha':
          return tf.randomUniform(w.shape, -0.5, 0.5, 'float32', s);
        default:
          return w;
      }
    });
    if (values.length > 0) layer.setWeights(values);
  }
}

export interface CompareJob {
  name: string;
  module: string;
  weights: string;
  inputs: { path: string; shape: number[] }[];
  expected: { path: string; shape: number[] }[];
}

/**
 * Writes everything the harness needs to compare the PyTorch module with the
 * TensorFlow.js model: code, weights in PyTorch layout, an input batch and
 * the TensorFlow.js outputs for it.
 */
export function writeCompareCase(
  dir: string,
  name: string,
  document: NetweaveDocument,
  model: tf.LayersModel,
  options: { batch?: number; inputShift?: number; seed?: number; input?: tf.Tensor; reference?: (x: tf.Tensor) => tf.Tensor } = {},
): Promise<CompareJob> {
  const exported = exportPytorch(document);
  if (!exported.ok) throw new Error(`${name}: ${exported.error.message}`);
  const module = path.join(dir, `${name}.py`);
  writeFileSync(module, exported.code);
  const weights = path.join(dir, `${name}.weights.json`);
  const batch = options.batch ?? 4;
  const xs = options.input
    ? [options.input]
    : model.inputs.map((t, i) => tf.randomNormal([batch, ...(t.shape.slice(1) as number[])], options.inputShift ?? 0, 1, 'float32', (options.seed ?? 7) + i));
  const inputs = xs.map((x, i) => {
    const file = path.join(dir, `${name}.input${i}.bin`);
    writeFloat32(file, x.dataSync() as Float32Array);
    return { path: file, shape: [...x.shape] };
  });
  const x = xs.length === 1 ? xs[0]! : xs;
  const predicted = options.reference ? options.reference(xs[0]!) : model.predict(x);
  const outputs = Array.isArray(predicted) ? predicted : [predicted];
  const expected = outputs.map((out, i) => {
    const file = path.join(dir, `${name}.expected${i}.bin`);
    writeFloat32(file, out.dataSync() as Float32Array);
    return { path: file, shape: out.shape };
  });
  outputs.forEach((o) => o.dispose());
  if (!options.input) xs.forEach((t) => t.dispose());
  return writeTorchWeights(model, exported.weights, weights).then(() => ({ name, module, weights, inputs, expected }));
}

/**
 * Keras' batch normalization at inference, written out with tensor ops:
 * (x − moving mean) / √(moving variance + ε) · γ + β along one axis.
 */
export function kerasBatchNorm(x: tf.Tensor, layer: tf.layers.Layer): tf.Tensor {
  const config = layer.getConfig() as { axis: number; epsilon: number };
  const axis = config.axis < 0 ? x.rank + config.axis : config.axis;
  const shape = new Array<number>(x.rank).fill(1);
  shape[axis] = x.shape[axis]!;
  const named = new Map(layer.weights.map((w, i) => [(w.originalName.split('/').pop() ?? '').replace(/_\d+$/, ''), layer.getWeights()[i]!.reshape(shape)]));
  return tf.tidy(() => {
    let y = x.sub(named.get('moving_mean')!).div(named.get('moving_variance')!.add(config.epsilon).sqrt());
    if (named.has('gamma')) y = y.mul(named.get('gamma')!);
    if (named.has('beta')) y = y.add(named.get('beta')!);
    return y;
  });
}
