import { attr, OnnxGraphBuilder } from './onnx-graph-builder';
import type { BuiltNode } from './onnx-graph-builder';
import type { OnnxModel, OnnxNode, OnnxTensor } from './onnx-proto';
import type { FilterGradientStrategy, GradientContext } from './onnx-gradients';
import { GradientError, gradientRules, isTilingMaxPool } from './onnx-gradients';
import type { BatchNormParts } from './onnx-batch-norm-training';
import { batchNormGradients, emitBatchNormTraining } from './onnx-batch-norm-training';
import { inferStaticShapes } from './onnx-static-shapes';
import type { StaticShapes } from './onnx-static-shapes';

/** A forward graph as the ONNX export builds it, with its weights named. */
export interface ForwardGraph {
  nodes: readonly (OnnxNode | BuiltNode)[];
  /** Constants (int64 shapes, pads) and weights; weights become inputs of the training step. */
  initializers: readonly OnnxTensor[];
  /** The batch input (shape: batch first) and the model's output (probabilities). */
  input: string;
  inputDims: readonly number[];
  output: string;
  /** Initializers the optimizer updates; the others of `weights` stay fixed (frozen layers). */
  trainable: ReadonlySet<string>;
  /**
   * Layers that act only while training, by their output value (an Identity in the forward graph):
   * GaussianNoise adds N(0, stddev²); SpatialDropout2D drops whole channels (`channelAxis` of a 4-D value).
   */
  trainingOnly?: ReadonlyMap<string, TrainingOnlyLayer>;
}

export type TrainingOnlyLayer = { kind: 'gaussian-noise'; stddev: number } | { kind: 'channel-dropout'; rate: number; channelAxis: 1 | 3 };

export type StepLoss = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';
export type StepOptimizer = 'sgd' | 'momentum' | 'rmsprop' | 'adagrad' | 'adam';

export interface TrainingStepOptions {
  batch: number;
  loss: StepLoss;
  optimizer: StepOptimizer;
  /** Seed of the dropout masks. */
  seed: number;
  /**
   * Per-layer gradient norms (the teaching lab's): for each layer, its trained weights' initializers.
   * The step then outputs, per layer in this order, Σ of the squared weight gradients and Σ of the
   * squared gradient of the layer's output (dLoss/d(output)).
   */
  normLayers?: readonly { layer: string; output: string; weights: readonly string[] }[];
  /** How convolution filter gradients are computed: by size (default), or always one way (the tests cover both). */
  filterGradient?: FilterGradientStrategy;
}

/** One optimizer-state tensor per slot (all trained weights end to end), with its initial value. */
export interface StateSlot {
  name: string;
  dims: readonly number[];
  initial: number;
}

export interface TrainingStep {
  model: OnnxModel;
  /**
   * Inputs: x, targets, the step scalars, every weight (trained and fixed), every state slot, every running statistic.
   * biasCorrection1/2 are Adam's divisors 1 − β₁ᵗ and 1 − β₂ᵗ (fed as tfjs computes them, in float32).
   */
  inputs: { x: string; targets: string; learningRate: string; biasCorrection1: string; biasCorrection2: string };
  /** Weight name → the output holding its updated value. */
  updatedWeights: Map<string, string>;
  /** State slot name → its updated output. */
  updatedState: Map<string, string>;
  /** Running statistics (batch-norm moving mean / variance) → their updated outputs. */
  updatedStatistics: Map<string, string>;
  state: StateSlot[];
  outputs: { loss: string; correct: string; weightSquares?: string; activationSquares?: string };
}

const epsilon = 1e-7;

/** TensorFlow.js' optimizer defaults: the same run on every engine. */
const optimizerState: Record<StepOptimizer, { slot: string; initial: number }[]> = {
  sgd: [],
  momentum: [{ slot: 'accumulation', initial: 0 }],
  rmsprop: [
    { slot: 'mean_square', initial: 0 },
    { slot: 'moments', initial: 0 },
  ],
  adagrad: [{ slot: 'accumulator', initial: 0.1 }],
  adam: [
    { slot: 'm', initial: 0 },
    { slot: 'v', initial: 0 },
  ],
};

/**
 * Builds the training step of a forward graph as one ONNX model: forward in training mode
 * (batch-norm on batch statistics, dropout with masks), the loss on the model's probabilities as
 * Keras computes it, the backward pass by the per-op rules, and the optimizer's update.
 */
export function buildTrainingStep(forward: ForwardGraph, options: TrainingStepOptions): TrainingStep {
  const b = new OnnxGraphBuilder('netweave_training_step');
  const weightNames = new Set(forward.initializers.filter((t) => t.dataType === 'float').map((t) => t.name));
  const constants = new Map<string, number[]>();
  const known: StaticShapes = new Map();
  // Keep the forward names: they are the weights' names.
  for (const t of forward.initializers) {
    b.uniqueName(t.name);
    known.set(t.name, [...t.dims]);
    if (t.dataType === 'int64') constants.set(t.name, Array.from(t.data as BigInt64Array, Number));
    if (t.dataType === 'float' && !weightNames.has(t.name)) b.initializers.push(t);
  }
  for (const node of forward.nodes) for (const out of node.outputs) b.uniqueName(out);
  for (const t of forward.initializers) if (t.dataType !== 'float') b.initializers.push(t);

  const x = forward.input;
  b.uniqueName(x);
  b.inputs.push({ name: x, elemType: 'float', dims: [options.batch, ...forward.inputDims] });
  known.set(x, [options.batch, ...forward.inputDims]);

  // Forward in training mode: rewrite batch normalization and dropout.
  const statistics = new Map<string, string>();
  const batchNorms = new Map<string, BatchNormParts>();
  const extras = new Map<string, string>();
  const dropoutRatio = new Map<string, number>();
  const trainingNodes: OnnxNode[] = [];
  const emit = (node: OnnxNode): void => {
    trainingNodes.push(node);
    b.nodes.push(node);
  };
  for (const node of forward.nodes) {
    if (node.opType === 'BatchNormalization') {
      emitBatchNormTraining(b, node, known, statistics, emit, batchNorms);
      continue;
    }
    if (node.opType === 'MaxPool' && !isTilingMaxPool(node)) {
      const indices = b.uniqueName(`${node.outputs[0]}_indices`);
      extras.set(node.name, indices);
      emit({ ...node, outputs: [node.outputs[0]!, indices] });
      continue;
    }
    const trainingOnly = node.opType === 'Identity' ? forward.trainingOnly?.get(node.outputs[0]!) : undefined;
    if (trainingOnly) {
      emitTrainingOnly(b, node, trainingOnly, options.seed + trainingNodes.length, emit);
      continue;
    }
    if (node.opType === 'Dropout') {
      const ratioName = node.inputs[1];
      const ratio = ratioName ? (forward.initializers.find((t) => t.name === ratioName)?.data[0] as number | undefined) ?? 0.5 : 0.5;
      dropoutRatio.set(node.name, ratio);
      const mask = b.uniqueName(`${node.outputs[0]}_mask`);
      extras.set(node.name, mask);
      const ratioInput = ratioName || b.addScalar('dropout_ratio', ratio);
      emit({
        ...node,
        inputs: [node.inputs[0]!, ratioInput, trueConstant(b)],
        outputs: [node.outputs[0]!, mask],
        attributes: { ...node.attributes, seed: attr.int(options.seed + trainingNodes.length) },
      });
      continue;
    }
    emit(node as OnnxNode);
  }
  // Constants the rewrite added (epsilons, shapes) join the known shapes.
  for (const t of b.initializers) {
    known.set(t.name, [...t.dims]);
    if (t.dataType === 'int64') constants.set(t.name, Array.from(t.data as BigInt64Array, Number));
  }
  const shapes = inferStaticShapes(trainingNodes, known, constants);

  // Targets and the loss: dY of the probabilities is written directly (Keras' clipped losses).
  const outShape = shapes.get(forward.output)!;
  const targets = b.addInput('targets', outShape);
  const y = forward.output;
  const { loss, dy, correct, reportedDy } = lossAndGradient(b, options.loss, y, targets, outShape);

  // Backward.
  const needs = valuesNeedingGradients(trainingNodes, forward.trainable);
  const contributions = new Map<string, string[]>();
  contributions.set(y, [dy]);
  const gradientOf = (value: string): string | undefined => {
    const parts = contributions.get(value);
    if (!parts || parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0];
    const sum = b.op('Sum', parts);
    contributions.set(value, [sum]);
    return sum;
  };
  const padBegins = new Map<string, readonly number[]>();
  for (const [name, values] of constants) padBegins.set(name, values.slice(0, values.length / 2));
  const ctx: GradientContext = { b, shapes, wants: (v) => needs.has(v), extras, padBegins, dropoutRatio, constants, filterGradient: options.filterGradient ?? 'auto' };
  for (let i = trainingNodes.length - 1; i >= 0; i--) {
    const node = trainingNodes[i]!;
    const g = gradientOf(node.outputs[0]!);
    if (!g) continue;
    const bn = batchNorms.get(node.outputs[0]!);
    const rule = bn ? null : gradientRules[node.opType];
    if (!bn && !rule) throw new GradientError(`no gradient rule for ONNX ${node.opType} (node ${node.name})`);
    // A batch-norm's whole training form at once (its inner nodes then get no gradient of their own).
    const grads = bn ? batchNormGradients(b, bn, g, needs, shapes) : rule!(node, g, ctx);
    const inputs = bn ? [bn.x, bn.scale, bn.bias] : node.inputs;
    grads.forEach((grad, k) => {
      const input = inputs[k];
      if (!grad || !input || !needs.has(input)) return;
      const list = contributions.get(input) ?? [];
      list.push(grad);
      contributions.set(input, list);
    });
  }

  // Inputs of the step: weights (trained ones get an update), optimizer state, step scalars.
  const learningRate = b.addInput('learning_rate', []);
  const biasCorrection1 = b.addInput('bias_correction_1', []);
  const biasCorrection2 = b.addInput('bias_correction_2', []);
  const updatedWeights = new Map<string, string>();
  const updatedState = new Map<string, string>();
  const state: StateSlot[] = [];
  const trained: OnnxTensor[] = [];
  for (const t of forward.initializers) {
    if (t.dataType !== 'float' || !weightNames.has(t.name)) continue;
    b.inputs.push({ name: t.name, elemType: 'float', dims: [...t.dims] });
    if (forward.trainable.has(t.name)) trained.push(t);
  }
  if (trained.length > 0) {
    // The optimizer runs once over all trained weights laid end to end (its state is one tensor per slot):
    // a dozen elementwise nodes in all rather than a dozen per weight. Each element's arithmetic is the same.
    const sizes = trained.map((t) => t.dims.reduce((a, d) => a * d, 1));
    const total = sizes.reduce((a, d) => a + d, 0);
    const flat = b.addInt64('shape', [-1]);
    const join = (values: string[]) => (values.length === 1 ? b.op('Reshape', [values[0]!, flat]) : b.op('Concat', values.map((v) => b.op('Reshape', [v, flat])), { axis: attr.int(0) }));
    const grads = trained.map((t) => gradientOf(t.name) ?? b.op('Mul', [t.name, b.addScalar('zero', 0)]));
    const slots = optimizerState[options.optimizer].map((s) => {
      const name = b.addInput(`optimizer/${s.slot}`, [total]);
      state.push({ name, dims: [total], initial: s.initial });
      return name;
    });
    const { weight, slots: nextSlots } = optimizerUpdate(b, options.optimizer, join(trained.map((t) => t.name)), join(grads), slots, learningRate, biasCorrection1, biasCorrection2);
    const pieces = trained.length === 1 ? [weight] : b.addNode('Split', [weight, b.addInt64('split', sizes)], { outputs: trained.length, attributes: { axis: attr.int(0) } });
    trained.forEach((t, k) => {
      const out = b.op('Reshape', [pieces[k]!, b.addInt64('shape', [...t.dims])], {}, `${t.name}/updated`);
      b.addOutput(out, [...t.dims]);
      updatedWeights.set(t.name, out);
    });
    nextSlots.forEach((next, k) => {
      const named = nameOutput(b, next, `${slots[k]}/updated`);
      b.addOutput(named, [total]);
      updatedState.set(slots[k]!, named);
    });
  }
  // The output layer's value reaches the graph output through Identity nodes: the same gradient.
  const outputValues = new Set([y]);
  for (let i = trainingNodes.length - 1; i >= 0; i--) {
    const node = trainingNodes[i]!;
    if (node.opType === 'Identity' && outputValues.has(node.outputs[0]!)) outputValues.add(node.inputs[0]!);
  }
  const norms = options.normLayers ? normOutputs(b, options.normLayers, (v) => (outputValues.has(v) ? reportedDy() : gradientOf(v)), shapes) : undefined;
  const updatedStatistics = new Map<string, string>();
  for (const [stat, updated] of statistics) {
    const out = nameOutput(b, updated, `${stat}/updated`);
    b.addOutput(out, shapes.get(stat) ?? known.get(stat)!);
    updatedStatistics.set(stat, out);
  }
  b.addOutput(loss, []);
  b.addOutput(correct, []);
  if (norms) {
    b.addOutput(norms.weightSquares, [options.normLayers!.length]);
    b.addOutput(norms.activationSquares, [options.normLayers!.length]);
  }
  // Forward and backward nodes come from two builders: number them so every node name is unique.
  b.nodes.forEach((n, i) => (b.nodes[i] = { ...n, name: `${i}:${n.name}` }));
  return {
    model: b.toModel({ producerVersion: 'training-step', opset: 17 }),
    inputs: { x, targets, learningRate, biasCorrection1, biasCorrection2 },
    updatedWeights,
    updatedState,
    updatedStatistics,
    state,
    outputs: { loss, correct, ...(norms ?? {}) },
  };
}

/** Σ g² per layer of its weight gradients and of its output's gradient, each as one [layers] output. */
function normOutputs(
  b: OnnxGraphBuilder,
  layers: readonly { layer: string; output: string; weights: readonly string[] }[],
  gradientOf: (value: string) => string | undefined,
  shapes: StaticShapes,
): { weightSquares: string; activationSquares: string } {
  const one = b.addInt64('norm_shape', [1]);
  const zero = b.addInitializer('norm_zero', [1], new Float32Array(1));
  const squares = (g: string | undefined): string => (g ? b.op('Reshape', [b.op('ReduceSumSquare', [g], { keepdims: attr.int(1) }), one]) : zero);
  const weightParts = layers.map(({ weights }) => {
    const parts = weights.map((w) => squares(gradientOf(w)));
    return parts.length === 0 ? zero : parts.length === 1 ? parts[0]! : b.op('Sum', parts);
  });
  const activationParts = layers.map(({ output }) => squares(shapes.has(output) ? gradientOf(output) : undefined));
  const join = (parts: string[], base: string): string => b.op('Concat', parts, { axis: attr.int(0) }, base);
  return { weightSquares: join(weightParts, 'weight_gradient_squares'), activationSquares: join(activationParts, 'activation_gradient_squares') };
}

/**
 * The training form of a layer that is an Identity at inference, with a seeded random op (onnxruntime draws
 * new values at every run, the same sequence for the same seed). The random values depend on no value's
 * contents, so no gradient flows through them: GaussianNoise passes dY through, SpatialDropout2D scales it
 * by its channel mask.
 */
function emitTrainingOnly(b: OnnxGraphBuilder, node: OnnxNode, layer: TrainingOnlyLayer, seed: number, emit: (n: OnnxNode) => void): void {
  const x = node.inputs[0]!;
  const out = node.outputs[0]!;
  const fresh = (base: string) => b.uniqueName(`${out}_${base}`);
  const add = (opType: string, inputs: string[], attributes: OnnxNode['attributes'], output: string): string => {
    emit({ opType, name: b.uniqueName(`${out}/${opType}`), inputs, outputs: [output], attributes });
    return output;
  };
  // No noise to add (onnxruntime aborts the whole process on a normal distribution of σ = 0), nothing to drop.
  if ((layer.kind === 'gaussian-noise' && !(layer.stddev > 0)) || (layer.kind === 'channel-dropout' && !(layer.rate > 0))) {
    emit(node);
    return;
  }
  if (layer.kind === 'gaussian-noise') {
    const noise = add('RandomNormalLike', [x], { mean: attr.float(0), scale: attr.float(layer.stddev), seed: attr.float(seed), dtype: attr.int(1) }, fresh('noise'));
    add('Add', [x, noise], {}, out);
    return;
  }
  // One uniform draw per example and channel, kept as TensorFlow.js keeps them: floor(u + keep) / keep.
  const spatial = layer.channelAxis === 1 ? [2, 3] : [1, 2];
  const perChannel = add('Slice', [x, b.addInt64('starts', [0, 0]), b.addInt64('ends', [1, 1]), b.addInt64('axes', spatial)], {}, fresh('channels'));
  const uniform = add('RandomUniformLike', [perChannel], { low: attr.float(0), high: attr.float(1), seed: attr.float(seed), dtype: attr.int(1) }, fresh('uniform'));
  const keep = b.addScalar('keep_probability', 1 - layer.rate);
  const kept = add('Floor', [add('Add', [uniform, keep], {}, fresh('shifted'))], {}, fresh('kept'));
  const scale = add('Div', [kept, keep], {}, fresh('mask'));
  add('Mul', [x, scale], {}, out);
}

/**
 * Gives a computed value the name of a step output: the node that computes it is renamed (with its
 * consumers), where an Identity per output would cost a copy and a kernel call each step. A value that
 * no node of the step computes, or that already is an output, gets the Identity.
 */
function nameOutput(b: OnnxGraphBuilder, value: string, base: string): string {
  const producer = b.nodes.findIndex((n) => n.outputs.includes(value));
  if (producer < 0 || b.outputs.some((o) => o.name === value)) return b.op('Identity', [value], {}, base);
  const name = b.uniqueName(base);
  const swap = (v: string) => (v === value ? name : v);
  for (let i = producer; i < b.nodes.length; i++) {
    const node = b.nodes[i]!;
    b.nodes[i] = { ...node, inputs: node.inputs.map(swap), outputs: node.outputs.map(swap) };
  }
  return name;
}

function trueConstant(b: OnnxGraphBuilder): string {
  const name = b.uniqueName('training_mode_true');
  b.initializers.push({ name, dims: [], dataType: 'bool', data: Uint8Array.of(1) });
  return name;
}

const randomOps = new Set(['RandomNormalLike', 'RandomUniformLike']);

/** Every value on a path from the input or a trained weight to the output needs its gradient. */
function valuesNeedingGradients(nodes: readonly OnnxNode[], trainable: ReadonlySet<string>): Set<string> {
  const dependsOnWeight = new Set<string>(trainable);
  for (const node of nodes) {
    // Random values depend on their input's shape only.
    if (randomOps.has(node.opType)) continue;
    if (node.inputs.some((i) => dependsOnWeight.has(i))) node.outputs.forEach((o) => dependsOnWeight.add(o));
  }
  return dependsOnWeight;
}

/**
 * Batch normalization on the batch's statistics, as TensorFlow.js trains it (biased variance for
 * both the normalisation and the moving average; moving = moving·momentum + batch·(1 − momentum)).
 */
function lossAndGradient(b: OnnxGraphBuilder, loss: StepLoss, y: string, t: string, shape: readonly number[]): { loss: string; dy: string; correct: string; reportedDy: () => string } {
  const batch = shape[0]!;
  const elements = shape.reduce((p, d) => p * d, 1);
  const low = b.addScalar('eps', epsilon);
  const high = b.addScalar('one_minus_eps', 1 - epsilon);
  const one = b.addScalar('one', 1);
  const inside = b.op('Cast', [b.op('And', [b.op('Greater', [y, low]), b.op('Less', [y, high])])], { to: attr.int(1) });
  const p = b.op('Clip', [y, low, high]);
  let lossValue: string;
  let dy: string;
  if (loss === 'meanSquaredError') {
    const diff = b.op('Sub', [y, t]);
    lossValue = b.op('ReduceMean', [b.op('Mul', [diff, diff])], { keepdims: attr.int(0) });
    dy = b.op('Mul', [diff, b.addScalar('mse_scale', 2 / elements)]);
  } else if (loss === 'binaryCrossentropy') {
    const q = b.op('Sub', [one, p]);
    const terms = b.op('Add', [b.op('Mul', [t, b.op('Log', [p])]), b.op('Mul', [b.op('Sub', [one, t]), b.op('Log', [q])])]);
    lossValue = b.op('Neg', [b.op('ReduceMean', [terms], { keepdims: attr.int(0) })]);
    const g = b.op('Sub', [b.op('Div', [b.op('Sub', [one, t]), q]), b.op('Div', [t, p])]);
    dy = b.op('Mul', [b.op('Mul', [g, inside]), b.addScalar('bce_scale', 1 / elements)]);
  } else {
    // −Σ t·log(clip(y)) per example, averaged. (Keras first divides y by its sum; after a softmax that
    // sum is 1 and its gradient vanishes through the softmax.)
    lossValue = b.op('Div', [b.op('Neg', [b.op('ReduceSum', [b.op('Mul', [t, b.op('Log', [p])])], { keepdims: attr.int(0) })]), b.addScalar('batch', batch)]);
    dy = b.op('Mul', [b.op('Div', [b.op('Neg', [t]), p]), b.op('Mul', [inside, b.addScalar('ce_scale', 1 / batch)])]);
  }
  const trainingDy = dy;
  // dLoss/d(probabilities) as tfjs reports it (the lab's norm of the output layer): with Keras' division by
  // Σy, each row gains Σ_k t_k·[inside]·y_k/p_k / batch, a constant the softmax's gradient removes.
  const reportedDy =
    loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy'
      ? () => b.op('Add', [trainingDy, b.op('Mul', [b.op('ReduceSum', [b.op('Div', [b.op('Mul', [b.op('Mul', [t, inside]), y]), p]), b.addInt64('axes', [1])], { keepdims: attr.int(1) }), b.addScalar('ce_scale', 1 / batch)])])
      : () => trainingDy;
  let correct: string;
  if (shape[1] === 1) {
    const predicted = b.op('Cast', [b.op('Greater', [y, b.addScalar('half', 0.5)])], { to: attr.int(1) });
    correct = b.op('ReduceSum', [b.op('Cast', [b.op('Equal', [predicted, t])], { to: attr.int(1) })], { keepdims: attr.int(0) });
  } else {
    const same = b.op('Equal', [b.op('ArgMax', [y], { axis: attr.int(1) }), b.op('ArgMax', [t], { axis: attr.int(1) })]);
    correct = b.op('ReduceSum', [b.op('Cast', [same], { to: attr.int(1) })], { keepdims: attr.int(0) });
  }
  return { loss: lossValue, dy, correct, reportedDy };
}

/** One step of TensorFlow.js' optimizer (same defaults), as ONNX nodes. */
function optimizerUpdate(
  b: OnnxGraphBuilder,
  optimizer: StepOptimizer,
  w: string,
  g: string,
  slots: string[],
  lr: string,
  c1: string,
  c2: string,
): { weight: string; slots: string[] } {
  const scalar = (name: string, v: number): string => b.addScalar(name, v);
  const eps = scalar('opt_eps', epsilon);
  switch (optimizer) {
    case 'sgd':
      return { weight: b.op('Sub', [w, b.op('Mul', [g, lr])]), slots: [] };
    case 'momentum': {
      const acc = b.op('Add', [b.op('Mul', [slots[0]!, scalar('momentum', 0.9)]), g]);
      return { weight: b.op('Sub', [w, b.op('Mul', [acc, lr])]), slots: [acc] };
    }
    case 'rmsprop': {
      const decay = 0.9;
      const ms = b.op('Add', [b.op('Mul', [slots[0]!, scalar('decay', decay)]), b.op('Mul', [b.op('Mul', [g, g]), scalar('one_minus_decay', 1 - decay)])]);
      const mom = b.op('Div', [b.op('Mul', [g, lr]), b.op('Sqrt', [b.op('Add', [ms, eps])])]);
      return { weight: b.op('Sub', [w, mom]), slots: [ms, mom] };
    }
    case 'adagrad': {
      const acc = b.op('Add', [slots[0]!, b.op('Mul', [g, g])]);
      return { weight: b.op('Sub', [w, b.op('Mul', [b.op('Div', [g, b.op('Sqrt', [b.op('Add', [acc, eps])])]), lr])]), slots: [acc] };
    }
    case 'adam': {
      const m = b.op('Add', [b.op('Mul', [slots[0]!, scalar('beta1', 0.9)]), b.op('Mul', [g, scalar('one_minus_beta1', 0.1)])]);
      const v = b.op('Add', [b.op('Mul', [slots[1]!, scalar('beta2', 0.999)]), b.op('Mul', [b.op('Mul', [g, g]), scalar('one_minus_beta2', 1 - 0.999)])]);
      // c1, c2 = 1 − β₁ᵗ, 1 − β₂ᵗ as tfjs keeps them (float32 products), divided as tfjs divides.
      const mHat = b.op('Div', [m, c1]);
      const vHat = b.op('Div', [v, c2]);
      const step = b.op('Div', [mHat, b.op('Add', [b.op('Sqrt', [vHat]), eps])]);
      return { weight: b.op('Sub', [w, b.op('Mul', [step, lr])]), slots: [m, v] };
    }
  }
}
