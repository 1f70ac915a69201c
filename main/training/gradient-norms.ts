import * as tf from '@tensorflow/tfjs';
import type { LayerGradientNorm } from '../../shared/training-types';

/** One layer of a functional model, with the layers that feed it (model.layers is in topological order). */
export interface LayerStep {
  layer: tf.layers.Layer;
  inputs: string[];
}

/** A model's layers with their inputs, read from its own graph so that loaded models work too. */
export function layerSteps(model: tf.LayersModel): LayerStep[] {
  return model.layers.map((layer) => {
    const inbound = (layer as unknown as { inboundNodes: { inboundLayers: tf.layers.Layer[] }[] }).inboundNodes[0];
    return { layer, inputs: (inbound?.inboundLayers ?? []).map((l) => l.name) };
  });
}

/**
 * Runs the model layer by layer on concrete tensors. `onOutput` may replace a
 * layer's output (the gradient probes do: output + 0); every output is kept in
 * the returned map by layer name.
 */
export function executeLayers(
  model: tf.LayersModel,
  steps: readonly LayerStep[],
  x: tf.Tensor,
  training: boolean,
  onOutput?: (name: string, output: tf.Tensor) => tf.Tensor,
): Map<string, tf.Tensor> {
  const values = new Map<string, tf.Tensor>();
  const inputName = model.inputLayers[0]!.name;
  for (const { layer, inputs } of steps) {
    let out: tf.Tensor;
    if (layer.name === inputName) out = x;
    else {
      const ins = inputs.map((n) => values.get(n)!);
      out = layer.apply(ins.length === 1 ? ins[0]! : ins, { training }) as tf.Tensor;
    }
    values.set(layer.name, onOutput ? onOutput(layer.name, out) : out);
  }
  return values;
}

/** The layers with trainable weights, in depth order, and where their variables sit in the trainable list. */
export interface WeightedLayer {
  name: string;
  nodeId: string;
  depth: number;
  /** Indices into model.trainableWeights. */
  variables: number[];
}

export function weightedLayers(model: tf.LayersModel, nodeOf: (layerName: string) => string = (n) => n): WeightedLayer[] {
  const index = new Map(model.trainableWeights.map((w, i) => [w, i]));
  const out: WeightedLayer[] = [];
  for (const layer of model.layers) {
    const variables = layer.trainableWeights.map((w) => index.get(w)).filter((i): i is number => i !== undefined);
    if (variables.length > 0) out.push({ name: layer.name, nodeId: nodeOf(layer.name), depth: out.length, variables });
  }
  return out;
}

export interface GradientStep {
  loss: tf.Scalar;
  predictions: tf.Tensor;
  grads: tf.Tensor[];
  /** Per weighted layer: sum of squares of its weight gradients ([L]); absent when not instrumented. */
  weightSquares?: tf.Tensor1D;
  /** Per weighted layer: sum of squares of dLoss/d(output) ([L]); only on probed batches. */
  activationSquares?: tf.Tensor1D;
}

/**
 * Loss and gradients of one batch, computed explicitly (not a closed
 * minimize) so that their norms can be read. With `probe`, a zero tensor is
 * added to the output of every weighted layer and the gradient taken with
 * respect to it too: that gradient is dLoss/d(layer output), at no extra pass.
 * Call inside tf.tidy; the returned tensors are the caller's.
 */
export function gradientStep(
  model: tf.LayersModel,
  steps: readonly LayerStep[],
  layers: readonly WeightedLayer[],
  variables: tf.Variable[],
  x: tf.Tensor,
  lossOf: (predictions: tf.Tensor) => tf.Scalar,
  options: { instrument: boolean; probe: boolean },
): GradientStep {
  let predictions: tf.Tensor | undefined;
  const probes = new Map<string, tf.Tensor>();
  if (options.probe) {
    const shapes = new Map(layers.map((l) => [l.name, l]));
    const n = x.shape[0]!;
    for (const layer of model.layers) {
      if (!shapes.has(layer.name)) continue;
      const shape = (layer.outputShape as (number | null)[]).slice(1) as number[];
      probes.set(layer.name, tf.zeros([n, ...shape]));
    }
  }
  const f = (): tf.Scalar => {
    const out = options.probe
      ? executeLayers(model, steps, x, true, (name, t) => (probes.has(name) ? tf.add(t, probes.get(name)!) : t)).get(model.outputLayers[0]!.name)!
      : (model.apply(x, { training: true }) as tf.Tensor);
    predictions = tf.keep(out);
    return lossOf(out);
  };
  const probeList = [...probes.values()];
  const { value, grads } = tf.engine().gradients(f, [...variables, ...probeList], undefined, true);
  const weightGrads = grads.slice(0, variables.length);
  const result: GradientStep = { loss: value as tf.Scalar, predictions: predictions!, grads: weightGrads };
  if (options.instrument && layers.length > 0) {
    result.weightSquares = tf.stack(layers.map((l) => tf.addN(l.variables.map((i) => tf.sum(tf.square(weightGrads[i]!)))))) as tf.Tensor1D;
  }
  if (options.probe && probeList.length > 0) {
    const probeGrads = grads.slice(variables.length);
    result.activationSquares = tf.stack(probeGrads.map((g) => tf.sum(tf.square(g)))) as tf.Tensor1D;
  }
  return result;
}

/** Running sums of squared norms over an epoch, for its root-mean-square figures. */
export class NormAccumulator {
  private readonly weight: Float64Array;
  private readonly activation: Float64Array;
  private weightBatches = 0;
  private activationBatches = 0;

  constructor(private readonly layers: readonly WeightedLayer[]) {
    this.weight = new Float64Array(layers.length);
    this.activation = new Float64Array(layers.length);
  }

  add(weightSquares: ArrayLike<number>, activationSquares?: ArrayLike<number>): void {
    for (let i = 0; i < this.layers.length; i++) this.weight[i]! += weightSquares[i]!;
    this.weightBatches++;
    if (activationSquares) {
      for (let i = 0; i < this.layers.length; i++) this.activation[i]! += activationSquares[i]!;
      this.activationBatches++;
    }
  }

  /** RMS over the batches of each batch's L2 norm = sqrt(mean of squared norms). */
  result(): LayerGradientNorm[] {
    return this.layers.map((l, i) => ({
      nodeId: l.nodeId,
      layer: l.name,
      depth: l.depth,
      weightNorm: this.weightBatches > 0 ? Math.sqrt(this.weight[i]! / this.weightBatches) : 0,
      activationNorm: this.activationBatches > 0 ? Math.sqrt(this.activation[i]! / this.activationBatches) : null,
    }));
  }
}

/** The norms of one batch, from its read sums of squares. */
export function batchNorms(layers: readonly WeightedLayer[], weightSquares: ArrayLike<number>, activationSquares?: ArrayLike<number>): LayerGradientNorm[] {
  return layers.map((l, i) => ({
    nodeId: l.nodeId,
    layer: l.name,
    depth: l.depth,
    weightNorm: Math.sqrt(weightSquares[i]!),
    activationNorm: activationSquares ? Math.sqrt(activationSquares[i]!) : null,
  }));
}
