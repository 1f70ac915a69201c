import { samePadding } from '../../shape';
import type { ActivationTable, TargetTable } from '../../target-table';
import { activationEntry, expands, isUnsupported } from '../../target-table';
import type { ExportLayer } from '../export-model';
import type { TfjsWeightName, TorchLayout } from '../torch-weights-plan';
import { toTorchLayout } from '../torch-weights-plan';
import type { OnnxGraphBuilder } from './onnx-graph-builder';
import { attr } from './onnx-graph-builder';
import type { OnnxAttribute } from './onnx-proto';
import { onnxEmbedding, onnxGaussianNoise, onnxLayerNormalization, onnxPrelu, onnxSpatialDropout2D } from './onnx-misc';
import { conv1dOnnx, conv2dTransposeOnnx, cropping2dOnnx, globalPooling1dOnnx, pooling1dOnnx, upSampling2dOnnx } from './onnx-spatial';

/**
 * The ONNX export target: per layer kind, how its forward pass is written as
 * standard ONNX ops (opset 13), `expands` for blocks, or why it cannot be.
 * Image tensors (rank 4) live channels-first ("nchw") wherever a convolution or
 * pooling needs them; everything else keeps the app's channels-last order ("native").
 */
export type OnnxLayout = 'nchw' | 'native';

/** A value of the graph being built: its name and the axis order it is in. */
export interface OnnxValue {
  name: string;
  layout: OnnxLayout;
}

/** A weight as TensorFlow.js holds it. */
export interface WeightTensor {
  shape: readonly number[];
  values: Float32Array;
}

export interface OnnxLayerContext {
  b: OnnxGraphBuilder;
  /** The layer's inputs, already in the layout `inputLayout` asked for. */
  inputs: OnnxValue[];
  p: ExportLayer['params'];
  /** A weight of this layer in ONNX's axis order, added as an initializer; returns its name. */
  weight(name: TfjsWeightName, layout: TorchLayout): string;
  /** Base for value names: the layer's variable. */
  base: string;
}

export interface OnnxTranslation {
  /** The layout the inputs must be in; 'any' keeps the first input's. */
  inputLayout(layer: ExportLayer): OnnxLayout | 'any';
  /** Emits the layer's nodes; returns its output value. */
  forward(layer: ExportLayer, c: OnnxLayerContext): OnnxValue;
}

/** Thrown for a layer whose parameters ONNX cannot express; the exporter names the node. */
export class OnnxRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxRefusal';
  }
}

type Pair = [number, number];

/** Each activation as ONNX ops on a value in the given layout (softmax runs over the channel axis). */
export const onnxActivations: ActivationTable<(b: OnnxGraphBuilder, x: string, layout: OnnxLayout, base: string) => string> = {
  linear: (b, x) => x,
  relu: (b, x, _l, base) => b.op('Relu', [x], {}, base),
  sigmoid: (b, x, _l, base) => b.op('Sigmoid', [x], {}, base),
  tanh: (b, x, _l, base) => b.op('Tanh', [x], {}, base),
  elu: (b, x, _l, base) => b.op('Elu', [x], { alpha: attr.float(1) }, base),
  // ONNX's default α and γ are Keras' SELU constants rounded to float32.
  selu: (b, x, _l, base) => b.op('Selu', [x], {}, base),
  softmax: (b, x, layout, base) => b.op('Softmax', [x], { axis: attr.int(layout === 'nchw' ? 1 : -1) }, base),
  // Keras' swish is x · sigmoid(x).
  swish: (b, x, _l, base) => b.op('Mul', [x, b.op('Sigmoid', [x], {}, `${base}_sigmoid`)], {}, base),
  // Opset 13's Clip takes its bounds as inputs.
  relu6: (b, x, _l, base) => b.op('Clip', [x, b.addScalar(`${base}_min`, 0), b.addScalar(`${base}_max`, 6)], {}, base),
  // Keras 3's exact gelu: x · ½ · (1 + erf(x / √2)).
  gelu: (b, x, _l, base) => {
    const erf = b.op('Erf', [b.op('Div', [x, b.addScalar(`${base}_sqrt2`, Math.SQRT2)], {}, `${base}_scaled`)], {}, `${base}_erf`);
    const half = b.op('Mul', [b.op('Add', [erf, b.addScalar(`${base}_one`, 1)], {}, `${base}_shifted`), b.addScalar(`${base}_half`, 0.5)], {}, `${base}_cdf`);
    return b.op('Mul', [x, half], {}, base);
  },
  // Keras 3: relu6(x + 3) / 6 = clip(x / 6 + ½, 0, 1); HardSwish itself needs opset 14.
  hard_sigmoid: (b, x, _l, base) => b.op('HardSigmoid', [x], { alpha: attr.float(1 / 6), beta: attr.float(0.5) }, base),
  hard_swish: (b, x, _l, base) => b.op('Mul', [x, b.op('HardSigmoid', [x], { alpha: attr.float(1 / 6), beta: attr.float(0.5) }, `${base}_gate`)], {}, base),
  softplus: (b, x, _l, base) => b.op('Softplus', [x], {}, base),
  softsign: (b, x, _l, base) => b.op('Softsign', [x], {}, base),
  // Mish needs opset 18: x · tanh(softplus(x)).
  mish: (b, x, _l, base) => b.op('Mul', [x, b.op('Tanh', [b.op('Softplus', [x], {}, `${base}_softplus`)], {}, `${base}_tanh`)], {}, base),
};

export function onnxActivate(b: OnnxGraphBuilder, x: OnnxValue, activation: string, base: string): OnnxValue {
  const entry = activationEntry(onnxActivations, activation);
  if (isUnsupported(entry)) throw new OnnxRefusal(`activation ${activation}: ${entry.unsupported}`);
  return { name: entry(b, x.name, x.layout, base), layout: x.layout };
}

/** ONNX pads [top, left, bottom, right] of a window op; Keras 'same' puts the odd extra row/column at the end. */
export function windowPads(layer: ExportLayer, kernel: Pair, strides: Pair, dilation: Pair = [1, 1]): number[] {
  if (layer.params.padding !== 'same') return [0, 0, 0, 0];
  const input = layer.inputShapes[0]!;
  const rows = samePadding(input[1] as number, kernel[0], strides[0], dilation[0]);
  const cols = samePadding(input[2] as number, kernel[1], strides[1], dilation[1]);
  return [rows.before, cols.before, rows.after, cols.after];
}

const pair = (p: ExportLayer['params'], key: string): Pair => p[key] as Pair;
const image = (): OnnxLayout => 'nchw';
const native = (): OnnxLayout => 'native';
const imageIfRank4 = (layer: ExportLayer): OnnxLayout => (layer.outputShape.length === 4 ? 'nchw' : 'native');

function conv(layer: ExportLayer, c: OnnxLayerContext, weight: string, bias: string | null, group: number, withActivation = true): OnnxValue {
  const kernel = pair(c.p, 'kernelSize');
  const strides = pair(c.p, 'strides');
  const dilation = pair(c.p, 'dilationRate');
  const out = c.b.op(
    'Conv',
    [c.inputs[0]!.name, weight, ...(bias ? [bias] : [])],
    {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(strides),
      dilations: attr.ints(dilation),
      pads: attr.ints(windowPads(layer, kernel, strides, dilation)),
      group: attr.int(group),
    },
    withActivation && c.p.activation !== 'linear' ? `${c.base}_conv` : c.base,
  );
  const value: OnnxValue = { name: out, layout: 'nchw' };
  return withActivation ? onnxActivate(c.b, value, c.p.activation as string, c.base) : value;
}

function channelsIn(layer: ExportLayer): number {
  const shape = layer.inputShapes[0]!;
  return shape[shape.length - 1] as number;
}

function pool(op: 'MaxPool' | 'AveragePool', layer: ExportLayer, c: OnnxLayerContext): OnnxValue {
  const kernel = pair(c.p, 'poolSize');
  const strides = pair(c.p, 'strides');
  const pads = windowPads(layer, kernel, strides);
  const x = c.inputs[0]!.name;
  const window = { kernel_shape: attr.ints(kernel), strides: attr.ints(strides) };
  const fits = pads.every((pad, i) => pad < kernel[i % 2]!);
  if (fits) {
    // Keras averages over the cells inside the image only: count_include_pad = 0 (ONNX's default, stated).
    const extra: Record<string, OnnxAttribute> = op === 'AveragePool' ? { count_include_pad: attr.int(0) } : {};
    return { name: c.b.op(op, [x], { ...window, pads: attr.ints(pads), ...extra }, c.base), layout: 'nchw' };
  }
  // A stride beyond the window can make Keras' 'same' pad a whole window, which ONNX pooling refuses:
  // pad explicitly (max pooling with the lowest float, so padding never wins).
  const [top, left, bottom, right] = pads as [number, number, number, number];
  const padsName = c.b.addInt64(`${c.base}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
  const value = c.b.addScalar(`${c.base}_pad_value`, op === 'MaxPool' ? -3.4028234663852886e38 : 0);
  const padded = c.b.op('Pad', [x, padsName, value], { mode: attr.string('constant') }, `${c.base}_padded`);
  if (op === 'MaxPool') return { name: c.b.op('MaxPool', [padded], window, c.base), layout: 'nchw' };
  // Average of the real cells only: rescale each window's mean by (window size / real cells in it).
  const [, h, w] = layer.inputShapes[0]! as number[];
  const [, oh, ow] = layer.outputShape as number[];
  const factor = new Float32Array(oh! * ow!);
  for (let i = 0; i < oh!; i++)
    for (let j = 0; j < ow!; j++) {
      const rows = Math.min(i * strides[0] - top + kernel[0], h!) - Math.max(i * strides[0] - top, 0);
      const cols = Math.min(j * strides[1] - left + kernel[1], w!) - Math.max(j * strides[1] - left, 0);
      factor[i * ow! + j] = (kernel[0] * kernel[1]) / Math.max(rows * cols, 1);
    }
  const mean = c.b.op('AveragePool', [padded], window, `${c.base}_window_mean`);
  const scale = c.b.addInitializer(`${c.base}_real_cells`, [1, 1, oh!, ow!], factor);
  return { name: c.b.op('Mul', [mean, scale], {}, c.base), layout: 'nchw' };
}

function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool', c: OnnxLayerContext): OnnxValue {
  const pooled = c.b.op(op, [c.inputs[0]!.name], {}, `${c.base}_pool`);
  return { name: c.b.op('Flatten', [pooled], { axis: attr.int(1) }, c.base), layout: 'native' };
}

function positiveAxis(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

/** Keras batch norm in inference: ONNX BatchNormalization over axis 1, with the moving statistics. */
function batchNorm(layer: ExportLayer, c: OnnxLayerContext): OnnxValue {
  const rank = layer.outputShape.length;
  const axis = positiveAxis(c.p.axis as number, rank);
  const channels = layer.outputShape[axis] as number;
  const x = c.inputs[0]!;
  const channelsFirst = x.layout === 'nchw';
  const featureAxis = channelsFirst ? 1 : axis;
  // Without γ or β Keras uses 1 and 0: write them as constants (not weights).
  const scale = c.p.scale ? c.weight('gamma', 'as-is') : c.b.addInitializer(`${c.base}_scale_one`, [channels], new Float32Array(channels).fill(1));
  const bias = c.p.center ? c.weight('beta', 'as-is') : c.b.addInitializer(`${c.base}_bias_zero`, [channels], new Float32Array(channels));
  const mean = c.weight('moving_mean', 'as-is');
  const variance = c.weight('moving_variance', 'as-is');
  let input = x.name;
  const perm = Array.from({ length: rank }, (_, i) => i);
  if (featureAxis !== 1) {
    perm.splice(featureAxis, 1);
    perm.splice(1, 0, featureAxis);
    input = c.b.op('Transpose', [input], { perm: attr.ints(perm) }, `${c.base}_in`);
  }
  let out = c.b.op(
    'BatchNormalization',
    [input, scale, bias, mean, variance],
    { epsilon: attr.float(c.p.epsilon as number), momentum: attr.float(c.p.momentum as number) },
    featureAxis !== 1 ? `${c.base}_bn` : c.base,
  );
  if (featureAxis !== 1) {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    out = c.b.op('Transpose', [out], { perm: attr.ints(inverse) }, c.base);
  }
  return { name: out, layout: x.layout };
}

/** The ONNX export target: each kind's translation, `expands` for blocks, or `unsupported(reason)`. */
export const onnxTable: TargetTable<OnnxTranslation> = {
  // The exporter makes the graph input itself.
  Input: { inputLayout: () => 'any', forward: (_layer, c) => c.inputs[0]! },
  Conv2DTranspose: { inputLayout: image, forward: conv2dTransposeOnnx },
  GlobalMaxPooling1D: { inputLayout: native, forward: globalPooling1dOnnx('GlobalMaxPool') },
  GlobalAveragePooling1D: { inputLayout: native, forward: globalPooling1dOnnx('GlobalAveragePool') },
  AveragePooling1D: { inputLayout: native, forward: pooling1dOnnx('AveragePool') },
  MaxPooling1D: { inputLayout: native, forward: pooling1dOnnx('MaxPool') },
  Cropping2D: { inputLayout: image, forward: cropping2dOnnx },
  UpSampling2D: { inputLayout: image, forward: upSampling2dOnnx },
  Conv1D: { inputLayout: native, forward: conv1dOnnx },
  Conv2D: { inputLayout: image, forward: (layer, c) => conv(layer, c, c.weight('kernel', 'conv-kernel'), c.p.useBias ? c.weight('bias', 'as-is') : null, 1) },
  // Depthwise: one group per input channel; output channel c · multiplier + m, as TensorFlow orders them.
  DepthwiseConv2D: {
    inputLayout: image,
    forward: (layer, c) => conv(layer, c, c.weight('depthwise_kernel', 'depthwise-kernel'), c.p.useBias ? c.weight('bias', 'as-is') : null, channelsIn(layer)),
  },
  // Separable: a depthwise Conv without bias, then a 1×1 Conv that mixes the channels.
  SeparableConv2D: {
    inputLayout: image,
    forward: (layer, c) => {
      const depthwise = conv(layer, { ...c, base: `${c.base}_depthwise` }, c.weight('depthwise_kernel', 'depthwise-kernel'), null, channelsIn(layer), false);
      const pointwise = c.b.op(
        'Conv',
        [depthwise.name, c.weight('pointwise_kernel', 'conv-kernel'), ...(c.p.useBias ? [c.weight('bias', 'as-is')] : [])],
        { kernel_shape: attr.ints([1, 1]) },
        c.p.activation !== 'linear' ? `${c.base}_pointwise` : c.base,
      );
      return onnxActivate(c.b, { name: pointwise, layout: 'nchw' }, c.p.activation as string, c.base);
    },
  },
  MaxPooling2D: { inputLayout: image, forward: (layer, c) => pool('MaxPool', layer, c) },
  AveragePooling2D: { inputLayout: image, forward: (layer, c) => pool('AveragePool', layer, c) },
  GlobalAveragePooling2D: { inputLayout: image, forward: (_layer, c) => globalPool('GlobalAveragePool', c) },
  GlobalMaxPooling2D: { inputLayout: image, forward: (_layer, c) => globalPool('GlobalMaxPool', c) },
  ZeroPadding2D: {
    inputLayout: image,
    forward: (_layer, c) => {
      const [top, bottom] = pair(c.p, 'heightPadding');
      const [left, right] = pair(c.p, 'widthPadding');
      const pads = c.b.addInt64(`${c.base}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
      return { name: c.b.op('Pad', [c.inputs[0]!.name, pads], { mode: attr.string('constant') }, c.base), layout: 'nchw' };
    },
  },
  // Gemm on (batch, features); Dense on longer tensors works on the last axis: MatMul + Add.
  Dense: {
    inputLayout: native,
    forward: (layer, c) => {
      const x = c.inputs[0]!.name;
      const kernel = c.weight('kernel', 'as-is');
      const bias = c.p.useBias ? c.weight('bias', 'as-is') : null;
      const activated = c.p.activation !== 'linear';
      const base = activated ? `${c.base}_linear` : c.base;
      let out: string;
      if (layer.inputShapes[0]!.length === 2) out = c.b.op('Gemm', [x, kernel, ...(bias ? [bias] : [])], {}, base);
      else {
        out = c.b.op('MatMul', [x, kernel], {}, bias ? `${c.base}_matmul` : base);
        if (bias) out = c.b.op('Add', [out, bias], {}, base);
      }
      return onnxActivate(c.b, { name: out, layout: 'native' }, c.p.activation as string, c.base);
    },
  },
  // Keras flattens channels-last: the input arrives transposed back to NHWC.
  Flatten: { inputLayout: native, forward: (_layer, c) => ({ name: c.b.op('Flatten', [c.inputs[0]!.name], { axis: attr.int(1) }, c.base), layout: 'native' }) },
  Reshape: {
    inputLayout: native,
    forward: (layer, c) => {
      // 0 keeps the batch size of the input.
      const shape = c.b.addInt64(`${c.base}_shape`, [0, ...(layer.outputShape.slice(1) as number[])]);
      return { name: c.b.op('Reshape', [c.inputs[0]!.name, shape], {}, c.base), layout: 'native' };
    },
  },
  // Inference: Dropout without training_mode passes its input through; the rate stays in the graph for training.
  Dropout: {
    inputLayout: () => 'any',
    forward: (_layer, c) => {
      const ratio = c.b.addScalar(`${c.base}_ratio`, c.p.rate as number);
      return { name: c.b.op('Dropout', [c.inputs[0]!.name, ratio], {}, c.base), layout: c.inputs[0]!.layout };
    },
  },
  BatchNormalization: {
    inputLayout: (layer) => (layer.outputShape.length === 4 && positiveAxis(layer.params.axis as number, 4) === 3 ? 'nchw' : 'native'),
    forward: batchNorm,
  },
  Activation: { inputLayout: () => 'any', forward: (_layer, c) => onnxActivate(c.b, c.inputs[0]!, c.p.activation as string, c.base) },
  Add: {
    inputLayout: imageIfRank4,
    forward: (_layer, c) => {
      let sum = c.inputs[0]!.name;
      c.inputs.slice(1).forEach((x, i) => {
        sum = c.b.op('Add', [sum, x.name], {}, i === c.inputs.length - 2 ? c.base : `${c.base}_partial`);
      });
      return { name: sum, layout: c.inputs[0]!.layout };
    },
  },
  Concatenate: {
    inputLayout: imageIfRank4,
    forward: (layer, c) => {
      const rank = layer.outputShape.length;
      const axis = positiveAxis(c.p.axis as number, rank);
      // Channels-last axis → channels-first axis for image tensors.
      const onnxAxis = c.inputs[0]!.layout === 'nchw' ? ([0, 2, 3, 1][axis] as number) : axis;
      return { name: c.b.op('Concat', c.inputs.map((x) => x.name), { axis: attr.int(onnxAxis) }, c.base), layout: c.inputs[0]!.layout };
    },
  },
  Subtract: { inputLayout: imageIfRank4, forward: (_layer, c) => variadic('Sub', c) },
  Multiply: { inputLayout: imageIfRank4, forward: (_layer, c) => variadic('Mul', c) },
  Average: { inputLayout: imageIfRank4, forward: (_layer, c) => ({ name: c.b.op('Mean', c.inputs.map((x) => x.name), {}, c.base), layout: c.inputs[0]!.layout }) },
  Maximum: { inputLayout: imageIfRank4, forward: (_layer, c) => ({ name: c.b.op('Max', c.inputs.map((x) => x.name), {}, c.base), layout: c.inputs[0]!.layout }) },
  Minimum: { inputLayout: imageIfRank4, forward: (_layer, c) => ({ name: c.b.op('Min', c.inputs.map((x) => x.name), {}, c.base), layout: c.inputs[0]!.layout }) },
  ReLU: { inputLayout: () => 'any', forward: (_layer, c) => kerasRelu(c) },
  LeakyReLU: { inputLayout: () => 'any', forward: (_layer, c) => elementwise(c, 'LeakyRelu', { alpha: attr.float(c.p.negativeSlope as number) }) },
  ELU: { inputLayout: () => 'any', forward: (_layer, c) => elementwise(c, 'Elu', { alpha: attr.float(c.p.alpha as number) }) },
  Softmax: {
    inputLayout: native,
    forward: (layer, c) => elementwise(c, 'Softmax', { axis: attr.int(positiveAxis(c.p.axis as number, layer.outputShape.length)) }),
  },
  Rescaling: {
    inputLayout: () => 'any',
    forward: (_layer, c) => {
      const x = c.inputs[0]!;
      const scaled = c.b.op('Mul', [x.name, c.b.addScalar(`${c.base}_scale`, c.p.scale as number)], {}, c.p.offset !== 0 ? `${c.base}_scaled` : c.base);
      if (c.p.offset === 0) return { name: scaled, layout: x.layout };
      return { name: c.b.op('Add', [scaled, c.b.addScalar(`${c.base}_offset`, c.p.offset as number)], {}, c.base), layout: x.layout };
    },
  },
  Permute: { inputLayout: native, forward: (_layer, c) => elementwise(c, 'Transpose', { perm: attr.ints([0, ...(c.p.dims as number[])]) }) },
  // Opset 13: Unsqueeze takes its axes as an input; Tile then copies the new axis n times.
  RepeatVector: {
    inputLayout: native,
    forward: (_layer, c) => {
      const unsqueezed = c.b.op('Unsqueeze', [c.inputs[0]!.name, c.b.addInt64(`${c.base}_axes`, [1])], {}, `${c.base}_unsqueezed`);
      return { name: c.b.op('Tile', [unsqueezed, c.b.addInt64(`${c.base}_repeats`, [1, c.p.n as number, 1])], {}, c.base), layout: 'native' };
    },
  },
  PReLU: onnxPrelu,
  LayerNormalization: onnxLayerNormalization,
  Embedding: onnxEmbedding,
  GaussianNoise: onnxGaussianNoise,
  SpatialDropout2D: onnxSpatialDropout2D,
  InceptionBlock: expands,
  ResidualBlock: expands,
  InvertedResidualBlock: expands,
  DenseBlock: expands,
  TransitionBlock: expands,
};

/** One op over the layer's single input, keeping its layout. */
function elementwise(c: OnnxLayerContext, op: string, attributes: Record<string, OnnxAttribute>): OnnxValue {
  const x = c.inputs[0]!;
  return { name: c.b.op(op, [x.name], attributes, c.base), layout: x.layout };
}

/** A binary op chained over every input (left to right), as Keras' merge layers do. */
function variadic(op: 'Sub' | 'Mul', c: OnnxLayerContext): OnnxValue {
  let out = c.inputs[0]!.name;
  c.inputs.slice(1).forEach((x, i) => {
    out = c.b.op(op, [out, x.name], {}, i === c.inputs.length - 2 ? c.base : `${c.base}_partial`);
  });
  return { name: out, layout: c.inputs[0]!.layout };
}

/** Keras' ReLU: x from the threshold up, negative_slope · (x − threshold) below, capped at max_value when it is > 0. */
function kerasRelu(c: OnnxLayerContext): OnnxValue {
  const x = c.inputs[0]!;
  const maxValue = c.p.maxValue as number;
  const slope = c.p.negativeSlope as number;
  const threshold = c.p.threshold as number;
  const capped = maxValue > 0;
  let out: string;
  if (slope === 0 && threshold === 0) out = c.b.op('Relu', [x.name], {}, capped ? `${c.base}_relu` : c.base);
  else {
    const t = c.b.addScalar(`${c.base}_threshold`, threshold);
    const below = c.b.op('Mul', [c.b.op('Sub', [x.name, t], {}, `${c.base}_shifted`), c.b.addScalar(`${c.base}_slope`, slope)], {}, `${c.base}_below`);
    const above = c.b.op('GreaterOrEqual', [x.name, t], {}, `${c.base}_above`);
    out = c.b.op('Where', [above, x.name, below], {}, capped ? `${c.base}_piecewise` : c.base);
  }
  if (capped) out = c.b.op('Min', [out, c.b.addScalar(`${c.base}_max`, maxValue)], {}, c.base);
  return { name: out, layout: x.layout };
}

/** A weight in ONNX's axis order (the PyTorch layouts are ONNX's: OIHW kernels). */
export function onnxWeightLayout(tensor: WeightTensor, layout: TorchLayout): { dims: number[]; values: Float32Array } {
  const moved = toTorchLayout(tensor.values, tensor.shape, layout);
  return { dims: moved.shape, values: moved.values };
}
