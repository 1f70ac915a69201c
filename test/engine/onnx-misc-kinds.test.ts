import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { compileGraph } from '../../main/compile/compile-graph';
import type { TrainingStep } from '../../graph-schema/export/onnx/onnx-training-step';
import { OnnxStepper } from '../../main/engine/onnxruntime/onnx-stepper';
import { runInProcess } from '../training/training-test-utils';
import { computeLoss, encodeTargets } from '../../main/training/losses';
import { createOptimizer } from '../../main/training/optimizers';
import { GraphBuilder } from '../support/graph-builder';

// The ONNX Runtime training step for PReLU (PRelu and its gradient rule), LayerNormalization (written out
// at opset 13) and Embedding (Gather and its ScatterND gradient) against TensorFlow.js cpu; GaussianNoise
// and SpatialDropout2D, Identities at inference, get their seeded noise and channel masks while training.

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

describe('onnxruntime training step: PReLU, LayerNormalization, Embedding, GaussianNoise, SpatialDropout2D', () => {
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

  /** A stepper on `document` whose steps also return the probed values; learning rate 0 keeps the weights. */
  async function probedStepper(document: NetweaveDocument, batch: number, classes: number, pick: (step: TrainingStep) => string[], seed = 1) {
    const model = compileGraph(document.graph, { seed: 3, forTraining: true }).model;
    const stepper = await OnnxStepper.create(document, model, { ...stepOptions(batch, classes), learningRate: 0, seed, probe: pick });
    return { stepper, model };
  }
  const producedBy = (step: TrainingStep, opType: string, part = ''): OnnxNodeLike => step.model.graph.nodes.find((n) => n.opType === opType && n.outputs[0]!.includes(part))!;
  type OnnxNodeLike = TrainingStep['model']['graph']['nodes'][number];

  it('GaussianNoise trains on onnxruntime: N(0, stddev²) noise added to its input, new at every step, the same again for the same seed', async () => {
    const stddev = 0.5;
    const document = createDocument(
      new GraphBuilder()
        .node('input', 'Input', { shape: [8, 8, 2] })
        .node('conv', 'Conv2D', { filters: 3, kernelSize: [3, 3], padding: 'same' })
        .node('noise', 'GaussianNoise', { stddev })
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 2, activation: 'softmax' })
        .chain('input', 'conv', 'noise', 'fl', 'out')
        .build(),
      'noise',
    );
    const pick = (step: TrainingStep) => {
      const add = step.model.graph.nodes.find((n) => n.opType === 'Add' && n.inputs[1] === producedBy(step, 'RandomNormalLike').outputs[0])!;
      return [add.inputs[0]!, add.inputs[1]!, add.outputs[0]!];
    };
    const batch = 32;
    const x = values(batch * 128, 9);
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 2);
    const draws: Float32Array[] = [];
    for (const seed of [1, 1]) {
      const { stepper, model } = await probedStepper(document, batch, 2, pick, seed);
      const [clean, noise, noisy] = pick(stepper.trainingStep()!);
      const first = (await stepper.step(x, labels, batch)).probes!;
      const second = (await stepper.step(x, labels, batch)).probes!;
      const n = first[noise!]!.data;
      expect(first[noise!]!.dims).toEqual([batch, 3, 8, 8]);
      const mean = n.reduce((a, v) => a + v, 0) / n.length;
      const sd = Math.sqrt(n.reduce((a, v) => a + (v - mean) ** 2, 0) / n.length);
      expect(Math.abs(mean)).toBeLessThan(0.03);
      expect(Math.abs(sd / stddev - 1)).toBeLessThan(0.05);
      const c = first[clean!]!.data;
      const y = first[noisy!]!.data;
      for (let i = 0; i < y.length; i += 97) expect(y[i]!).toBeCloseTo(c[i]! + n[i]!, 5);
      expect(second[noise!]!.data).not.toEqual(n);
      draws.push(Float32Array.from(n));
      stepper.dispose();
      model.dispose();
    }
    expect(draws[1]).toEqual(draws[0]);
  });

  it.each([
    ['after a convolution (channels first)', true],
    ['on the input', false],
  ] as const)('SpatialDropout2D trains on onnxruntime %s: whole channels dropped at the rate, the kept scaled by 1/(1 − rate)', async (_where, afterConv) => {
    const rate = 0.4;
    const [h, w, c] = [6, 5, 7];
    const builder = new GraphBuilder().node('input', 'Input', { shape: [h, w, afterConv ? 2 : c] });
    if (afterConv) builder.node('conv', 'Conv2D', { filters: c, kernelSize: [3, 3], padding: 'same' });
    const document = createDocument(
      builder
        .node('drop', 'SpatialDropout2D', { rate })
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 2, activation: 'softmax' })
        .chain(...(afterConv ? ['input', 'conv', 'drop', 'fl', 'out'] : ['input', 'drop', 'fl', 'out']))
        .build(),
      'spatial dropout',
    );
    const pick = (step: TrainingStep) => {
      const mask = producedBy(step, 'Div', '_mask').outputs[0]!;
      const mul = step.model.graph.nodes.find((n) => n.opType === 'Mul' && n.inputs[1] === mask)!;
      return [mask, mul.inputs[0]!, mul.outputs[0]!];
    };
    const batch = 40;
    const { stepper, model } = await probedStepper(document, batch, 2, pick);
    const [maskName, inName, outName] = pick(stepper.trainingStep()!);
    const probes = (await stepper.step(values(batch * h * w * (afterConv ? 2 : c), 4), Int32Array.from({ length: batch }, (_, i) => i % 2), batch)).probes!;
    const mask = probes[maskName!]!;
    const input = probes[inName!]!;
    const output = probes[outName!]!;
    // One draw per example and channel, wherever the value keeps its channels.
    const channelAxis = input.dims.indexOf(c);
    expect(mask.dims).toEqual(input.dims.map((d, i) => (i === 0 || i === channelAxis ? d : 1)));
    const kept = 1 / (1 - rate);
    for (const v of mask.data) expect([0, kept].some((k) => Math.abs(v - k) < 1e-6)).toBe(true);
    const dropped = mask.data.filter((v) => v === 0).length / mask.data.length;
    expect(Math.abs(dropped - rate)).toBeLessThan(0.12);
    // The output is the input times its example's channel mask.
    const strides = input.dims.map((_, i) => input.dims.slice(i + 1).reduce((a, d) => a * d, 1));
    for (let i = 0; i < output.data.length; i += 7) {
      const example = Math.floor(i / strides[0]!);
      const channel = Math.floor(i / strides[channelAxis]!) % c;
      expect(output.data[i]!).toBeCloseTo(input.data[i]! * mask.data[example * c + channel]!, 5);
    }
    stepper.dispose();
    model.dispose();
  });

  it.each([
    ['GaussianNoise', { stddev: 0 }],
    ['SpatialDropout2D', { rate: 0 }],
  ] as const)('%s with no noise: the step equals TensorFlow.js (the gradient passes through)', async (kind, params) => {
    const document = createDocument(
      new GraphBuilder()
        .node('input', 'Input', { shape: [5, 4, 2] })
        .node('conv', 'Conv2D', { filters: 3, kernelSize: [3, 3], activation: 'tanh' })
        .node('layer', kind, { ...params })
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 2, activation: 'softmax' })
        .chain('input', 'conv', 'layer', 'fl', 'out')
        .build(),
      kind,
    );
    const errors = await stepErrors(document, [5, 4, 2], 2, values(4 * 40, 3), 4);
    expect(errors.map((e) => e.name.split('/').pop())).toEqual(expect.arrayContaining(['kernel', 'bias']));
    for (const e of errors) expect(e.error, e.name).toBeLessThan(1e-5);
  });

  it('a run with GaussianNoise and SpatialDropout2D trains on onnxruntime under auto (not refused)', async () => {
    const document = createDocument(
      new GraphBuilder()
        .node('input', 'Input', { shape: [28, 28, 1] })
        .node('noise', 'GaussianNoise', { stddev: 0.1 })
        .node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], activation: 'relu' })
        .node('drop', 'SpatialDropout2D', { rate: 0.2 })
        .node('pool', 'MaxPooling2D', {})
        .node('fl', 'Flatten', {})
        .node('out', 'Dense', { units: 10, activation: 'softmax' })
        .chain('input', 'noise', 'conv', 'drop', 'pool', 'fl', 'out')
        .build(),
      'noisy',
      { dataset: 'mnist', epochs: 2, batchSize: 32 },
    );
    const run = await runInProcess({ document, dataset: 'mnist', limit: 300, engine: 'auto', seed: 2 });
    expect(run.error).toBeUndefined();
    expect(run.finished?.engine.name).toBe('onnxruntime');
    expect(run.epochs.at(-1)!.loss).toBeLessThan(run.epochs[0]!.loss);
  });
});
