import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { compileGraph } from '../../main/compile/compile-graph';
import { OnnxStepper } from '../../main/engine/onnxruntime/onnx-stepper';
import { computeLoss, encodeTargets } from '../../main/training/losses';
import { createOptimizer } from '../../main/training/optimizers';
import { GraphBuilder } from '../support/graph-builder';

// The ONNX Runtime training step for PReLU (PRelu and its gradient rule), LayerNormalization (written out
// at opset 13) and Embedding (Gather and its ScatterND gradient) against TensorFlow.js cpu; GaussianNoise
// and SpatialDropout2D, which it cannot train as Keras does, are refused with the reason.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const stepOptions = (batchSize: number, units: number) =>
  ({ batchSize, optimizer: 'sgd', loss: 'categoricalCrossentropy', learningRate: 0.1, seed: 1, encoding: 'one-hot', units }) as const;

/** One SGD step by onnxruntime and by tfjs cpu; the largest relative difference of each weight's change. */
async function stepErrors(document: NetweaveDocument, inputShape: number[], classes: number, x: Float32Array, batch: number): Promise<{ name: string; error: number }[]> {
  const a = compileGraph(document.graph, { seed: 3, forTraining: true }).model;
  const b = compileGraph(document.graph, { seed: 3, forTraining: true }).model;
  // PReLU's slopes start at 0 and LayerNorm's γ/β at 1/0: move them so the step sees every path.
  for (const layer of b.layers) {
    const weights = layer.getWeights().map((w, i) => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 17 + i).add(layer.getClassName() === 'LayerNormalization' && i === 0 ? 1 : 0));
    if (weights.length === 0) continue;
    layer.setWeights(weights);
    a.getLayer(layer.name).setWeights(weights);
  }
  const before = b.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  const labels = Int32Array.from({ length: batch }, (_, i) => (i * 7) % classes);
  const stepper = await OnnxStepper.create(document, a, stepOptions(batch, classes));
  await stepper.step(x, labels, batch);
  stepper.writeBack();
  stepper.dispose();
  const opt = createOptimizer('sgd', 0.1);
  tf.tidy(() => {
    const xs = tf.tensor(x, [batch, ...inputShape]);
    const targets = encodeTargets(tf.tensor1d(labels, 'int32'), { encoding: 'one-hot', units: classes });
    const { grads } = tf.variableGrads(() => computeLoss('categoricalCrossentropy', targets, b.apply(xs, { training: true }) as tf.Tensor), b.trainableWeights.map((w) => w.read() as tf.Variable));
    opt.applyGradients(grads);
  });
  opt.dispose();
  const errors = b.weights.map((w, i) => {
    const start = before[i]!;
    const mine = a.weights[i]!.read().dataSync() as Float32Array;
    const ref = w.read().dataSync() as Float32Array;
    let err = 0;
    let scale = 1e-5;
    for (let k = 0; k < ref.length; k++) {
      err = Math.max(err, Math.abs(mine[k]! - start[k]! - (ref[k]! - start[k]!)));
      scale = Math.max(scale, Math.abs(ref[k]! - start[k]!));
    }
    return { name: w.originalName || w.name, error: err / scale };
  });
  a.dispose();
  b.dispose();
  return errors;
}

describe('onnxruntime training step: PReLU, LayerNormalization, Embedding; GaussianNoise and SpatialDropout2D refused', () => {
  it('PReLU and LayerNormalization: one SGD step changes every weight as TensorFlow.js does', async () => {
    const document = createDocument(
      new GraphBuilder()
        .node('input', 'Input', { shape: [5, 4, 3] })
        .node('prelu', 'PReLU', { sharedAxes: [1, 2] })
        .node('conv', 'Conv2D', { filters: 4, kernelSize: [2, 2] })
        .node('ln', 'LayerNormalization', {})
        .node('ln_rows', 'LayerNormalization', { axis: 1, epsilon: 0.01 })
        .node('prelu_all', 'PReLU', {})
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 3, activation: 'softmax' })
        .chain('input', 'prelu', 'conv', 'ln', 'ln_rows', 'prelu_all', 'fl', 'out')
        .build(),
      'prelu and layer norm',
    );
    const errors = await stepErrors(document, [5, 4, 3], 3, values(6 * 60, 11), 6);
    expect(errors.map((e) => e.name.split('/').pop())).toEqual(expect.arrayContaining(['alpha', 'gamma', 'beta', 'kernel']));
    for (const e of errors) expect(e.error, e.name).toBeLessThan(1e-4);
  });

  it('Embedding: repeated ids add their gradients up (Gather → ScatterND), as TensorFlow.js does', async () => {
    const document = createDocument(
      new GraphBuilder()
        .node('input', 'Input', { shape: [5] })
        .node('embed', 'Embedding', { inputDim: 7, outputDim: 3 })
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 2, activation: 'softmax' })
        .chain('input', 'embed', 'fl', 'out')
        .build(),
      'embedding',
    );
    // Ids 0…6 with repeats; id 6 never appears in the batch, so its row must not move.
    const ids = Float32Array.from({ length: 20 }, (_, i) => (i * 3) % 6);
    const errors = await stepErrors(document, [5], 2, ids, 4);
    for (const e of errors) expect(e.error, e.name).toBeLessThan(1e-5);
  });

  it.each([
    ['GaussianNoise', { stddev: 0.1 }, [4, 4, 2], /GaussianNoise \(node layer\).*random-normal noise.*TensorFlow\.js/],
    ['SpatialDropout2D', { rate: 0.3 }, [4, 4, 2], /SpatialDropout2D \(node layer\).*per-channel dropout mask.*TensorFlow\.js/],
  ] as const)('%s: refused with the reason, not trained without its noise or mask', async (kind, params, shape, message) => {
    const document = createDocument(
      new GraphBuilder()
        .node('input', 'Input', { shape: [...shape] })
        .node('layer', kind, { ...params })
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 2, activation: 'softmax' })
        .chain('input', 'layer', 'fl', 'out')
        .build(),
      kind,
    );
    const model = compileGraph(document.graph, { seed: 3, forTraining: true }).model;
    await expect(OnnxStepper.create(document, model, stepOptions(2, 2))).rejects.toMatchObject({ code: 'engine-unsupported', message: expect.stringMatching(message) });
    model.dispose();
  });
});
