import { outputPaddingOf, transposeAxis } from '../../kinds/transpose-geometry';
import { samePadding } from '../../shape';
import type { ExportLayer } from '../export-model';
import { attr } from './onnx-graph-builder';
import type { OnnxAttribute } from './onnx-proto';
import type { OnnxLayerContext, OnnxValue } from './onnx-table';
import { onnxActivate } from './onnx-table';

/** ONNX translations of the spatial kinds (transposed convolution, 1-D convolution and pooling, resampling, cropping). */

type Pair = [number, number];

/** Conv2DTranspose → ConvTranspose with explicit pads (Keras cuts the odd cell at the end) and output_padding for cells past the full result. */
export function conv2dTransposeOnnx(layer: ExportLayer, c: OnnxLayerContext): OnnxValue {
  const [, h, w] = layer.inputShapes[0]! as number[];
  const kernel = c.p.kernelSize as Pair;
  const strides = c.p.strides as Pair;
  const dilation = c.p.dilationRate as Pair;
  const op = outputPaddingOf(c.p.outputPadding as Pair);
  const axes = [0, 1].map((i) => transposeAxis([h!, w!][i]!, kernel[i]!, strides[i]!, c.p.padding as 'valid' | 'same', op?.[i] ?? null, dilation[i]!));
  const ends = axes.map((a) => Math.max(a.full - a.before - a.out, 0));
  const outputPadding = axes.map((a) => Math.max(a.out - (a.full - a.before), 0));
  const weight = c.weight('kernel', 'conv-kernel');
  const out = c.b.op(
    'ConvTranspose',
    [c.inputs[0]!.name, weight, ...(c.p.useBias ? [c.weight('bias', 'as-is')] : [])],
    {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(strides),
      dilations: attr.ints(dilation),
      pads: attr.ints([axes[0]!.before, axes[1]!.before, ends[0]!, ends[1]!]),
      output_padding: attr.ints(outputPadding),
    },
    c.p.activation !== 'linear' ? `${c.base}_conv` : c.base,
  );
  return onnxActivate(c.b, { name: out, layout: 'nchw' }, c.p.activation as string, c.base);
}

/** [before, after] of a 1-D window: Keras' 'same' puts the odd extra step at the end. */
function pads1d(layer: ExportLayer, kernel: number, stride: number, dilation = 1): [number, number] {
  if (layer.params.padding !== 'same') return [0, 0];
  const pad = samePadding(layer.inputShapes[0]![1] as number, kernel, stride, dilation);
  return [pad.before, pad.after];
}

/**
 * The 1-D kinds run as 2-D ops on a height-1 image, so the training step's 2-D gradient rules cover
 * them: (batch, steps, channels) → (batch, channels, 1, steps), and back after.
 */
function asImage(c: OnnxLayerContext, x: string, steps: number, channels: number): string {
  const ncl = c.b.op('Transpose', [x], { perm: attr.ints([0, 2, 1]) }, `${c.base}_ncl`);
  return c.b.op('Reshape', [ncl, c.b.addInt64(`${c.base}_image`, [0, channels, 1, steps])], {}, `${c.base}_nc1l`);
}

function asSequence(c: OnnxLayerContext, x: string, steps: number, channels: number, base: string): string {
  const ncl = c.b.op('Reshape', [x, c.b.addInt64(`${c.base}_sequence`, [0, channels, steps])], {}, `${c.base}_out_ncl`);
  return c.b.op('Transpose', [ncl], { perm: attr.ints([0, 2, 1]) }, base);
}

/** Conv1D → Conv with a 1 × k kernel (the weight reshaped to (filters, Cin, 1, k)) on the height-1 image. */
export function conv1dOnnx(layer: ExportLayer, c: OnnxLayerContext): OnnxValue {
  const [k, s, d] = [c.p.kernelSize as number, c.p.strides as number, c.p.dilationRate as number];
  const [, steps, cin] = layer.inputShapes[0]! as number[];
  const [, outSteps, filters] = layer.outputShape as number[];
  const x = asImage(c, c.inputs[0]!.name, steps!, cin!);
  const kernel = c.b.op('Reshape', [c.weight('kernel', 'conv1d-kernel'), c.b.addInt64(`${c.base}_kernel_shape`, [filters!, cin!, 1, k])], {}, `${c.base}_kernel2d`);
  const [before, after] = pads1d(layer, k, s, d);
  const conv = c.b.op(
    'Conv',
    [x, kernel, ...(c.p.useBias ? [c.weight('bias', 'as-is')] : [])],
    { kernel_shape: attr.ints([1, k]), strides: attr.ints([1, s]), dilations: attr.ints([1, d]), pads: attr.ints([0, before, 0, after]) },
    `${c.base}_conv`,
  );
  const out = asSequence(c, conv, outSteps!, filters!, c.p.activation !== 'linear' ? `${c.base}_nlc` : c.base);
  return onnxActivate(c.b, { name: out, layout: 'native' }, c.p.activation as string, c.base);
}

/** MaxPooling1D / AveragePooling1D → MaxPool / AveragePool with a 1 × k window (pads stay below the window, as Keras' 'same' keeps them). */
export function pooling1dOnnx(op: 'MaxPool' | 'AveragePool'): (layer: ExportLayer, c: OnnxLayerContext) => OnnxValue {
  return (layer, c) => {
    const [k, s] = [c.p.poolSize as number, c.p.strides as number];
    const [, steps, channels] = layer.inputShapes[0]! as number[];
    const x = asImage(c, c.inputs[0]!.name, steps!, channels!);
    const [before, after] = pads1d(layer, k, s);
    // Keras averages over the steps inside the sequence only: count_include_pad = 0 (ONNX's default, stated).
    const extra: Record<string, OnnxAttribute> = op === 'AveragePool' ? { count_include_pad: attr.int(0) } : {};
    const pooled = c.b.op(op, [x], { kernel_shape: attr.ints([1, k]), strides: attr.ints([1, s]), pads: attr.ints([0, before, 0, after]), ...extra }, `${c.base}_pool`);
    return { name: asSequence(c, pooled, layer.outputShape[1] as number, channels!, c.base), layout: 'native' };
  };
}

/** GlobalAveragePooling1D / GlobalMaxPooling1D → GlobalAveragePool / GlobalMaxPool over the steps of the channels-first view, flattened. */
export function globalPooling1dOnnx(op: 'GlobalAveragePool' | 'GlobalMaxPool'): (layer: ExportLayer, c: OnnxLayerContext) => OnnxValue {
  return (_layer, c) => {
    const ncl = c.b.op('Transpose', [c.inputs[0]!.name], { perm: attr.ints([0, 2, 1]) }, `${c.base}_ncl`);
    const pooled = c.b.op(op, [ncl], {}, `${c.base}_pool`);
    return { name: c.b.op('Flatten', [pooled], { axis: attr.int(1) }, c.base), layout: 'native' };
  };
}

/**
 * UpSampling2D. Nearest repeats each cell: a Reshape and a broadcast Mul by ones (ops the training step has gradient rules for),
 * cell floor(i / s) as Keras' repeat. Bilinear → Resize with half-pixel centres, as Keras' tf.image.resize.
 */
export function upSampling2dOnnx(layer: ExportLayer, c: OnnxLayerContext): OnnxValue {
  const [sh, sw] = c.p.size as Pair;
  const [, h, w, channels] = layer.inputShapes[0]! as number[];
  const x = c.inputs[0]!.name;
  if (c.p.interpolation === 'bilinear') {
    const scales = c.b.addInitializer(`${c.base}_scales`, [4], Float32Array.of(1, 1, sh, sw));
    const attributes = { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('half_pixel') };
    // Opset 13: no region of interest (empty optional input), then the scales.
    return { name: c.b.op('Resize', [x, '', scales], attributes, c.base), layout: 'nchw' };
  }
  // (N, C, H, 1, W, 1) · ones(1, 1, 1, sh, 1, sw) broadcasts each cell over its block, then (N, C, H·sh, W·sw).
  const cells = c.b.op('Reshape', [x, c.b.addInt64(`${c.base}_cells`, [0, channels!, h!, 1, w!, 1])], {}, `${c.base}_cells`);
  const ones = c.b.addInitializer(`${c.base}_block`, [1, 1, 1, sh, 1, sw], new Float32Array(sh * sw).fill(1));
  const blocks = c.b.op('Mul', [cells, ones], {}, `${c.base}_blocks`);
  return { name: c.b.op('Reshape', [blocks, c.b.addInt64(`${c.base}_shape`, [0, channels!, h! * sh, w! * sw])], {}, c.base), layout: 'nchw' };
}

/** Cropping2D → Slice of the height and width axes (opset 13: starts, ends and axes as int64 inputs). */
export function cropping2dOnnx(layer: ExportLayer, c: OnnxLayerContext): OnnxValue {
  const [, h, w] = layer.inputShapes[0]! as number[];
  const [top, bottom] = c.p.heightCropping as Pair;
  const [left, right] = c.p.widthCropping as Pair;
  const starts = c.b.addInt64(`${c.base}_starts`, [top, left]);
  const ends = c.b.addInt64(`${c.base}_ends`, [h! - bottom, w! - right]);
  const axes = c.b.addInt64(`${c.base}_axes`, [2, 3]);
  return { name: c.b.op('Slice', [c.inputs[0]!.name, starts, ends, axes], {}, c.base), layout: 'nchw' };
}
