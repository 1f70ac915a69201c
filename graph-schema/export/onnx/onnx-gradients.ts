import { attr } from './onnx-graph-builder';
import type { OnnxGraphBuilder } from './onnx-graph-builder';
import type { OnnxNode } from './onnx-proto';
import type { StaticShapes } from './onnx-static-shapes';
import { floatAttr, intAttr, intsAttr, windowShape } from './onnx-static-shapes';

/**
 * Reverse-mode rules over the ONNX ops the forward translations emit. A rule gets the node, the
 * gradient of its first output and the graph being built, and returns the gradient of each input
 * (null where none is needed: int64 shapes, frozen weights). Every rule is written in standard
 * ONNX ops, so the whole training step is one ordinary model.
 */
export interface GradientContext {
  b: OnnxGraphBuilder;
  shapes: StaticShapes;
  /** Whether a gradient is wanted for a value (it leads to a trained weight). */
  wants(value: string): boolean;
  /** Extra forward outputs a rule asked for (MaxPool indices, Dropout masks), by node name. */
  extras: ReadonlyMap<string, string>;
  /** Begin pads of each Pad node's pads constant, by the constant's name. */
  padBegins: ReadonlyMap<string, readonly number[]>;
  /** Values of the int64 constants (Slice bounds), by name; absent where the caller has none. */
  constants?: ReadonlyMap<string, readonly number[]>;
  /** Dropout ratio by node name. */
  dropoutRatio: ReadonlyMap<string, number>;
  /** 'auto': patch GEMMs for large layers, the Conv for small ones; 'patches' / 'conv': always that one. */
  filterGradient?: FilterGradientStrategy;
}

export type FilterGradientStrategy = 'auto' | 'patches' | 'conv';

export type GradientRule = (node: OnnxNode, dy: string, ctx: GradientContext) => (string | null)[];

export class GradientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GradientError';
  }
}

function shapeOf(ctx: GradientContext, value: string): number[] {
  const s = ctx.shapes.get(value);
  if (!s) throw new GradientError(`the shape of ${value} is unknown`);
  return s;
}

/** Sums a broadcast gradient back to the shape of the input it came from. */
export function unbroadcast(ctx: GradientContext, grad: string, gradShape: readonly number[], target: readonly number[]): string {
  const offset = gradShape.length - target.length;
  const axes: number[] = [];
  gradShape.forEach((d, i) => {
    const t = i < offset ? 1 : target[i - offset]!;
    if (t === 1 && d !== 1) axes.push(i);
    else if (i < offset) axes.push(i);
  });
  let out = grad;
  if (axes.length > 0) out = ctx.b.op('ReduceSum', [grad, ctx.b.addInt64('axes', axes)], { keepdims: attr.int(1) });
  const reducedShape = gradShape.map((d, i) => (axes.includes(i) ? 1 : d));
  if (reducedShape.join() !== [...target].join()) out = ctx.b.op('Reshape', [out, ctx.b.addInt64('shape', target)]);
  return out;
}

const elementwise = (fn: (node: OnnxNode, dy: string, ctx: GradientContext) => string): GradientRule => (node, dy, ctx) => [fn(node, dy, ctx)];

function binary(kind: 'Add' | 'Sub' | 'Mul' | 'Div'): GradientRule {
  return (node, dy, ctx) => {
    const [a, c] = node.inputs as [string, string];
    const outShape = shapeOf(ctx, node.outputs[0]!);
    const b = ctx.b;
    let da: string | null = null;
    let dc: string | null = null;
    if (ctx.wants(a)) {
      const g = kind === 'Add' || kind === 'Sub' ? dy : kind === 'Mul' ? b.op('Mul', [dy, c]) : b.op('Div', [dy, c]);
      da = unbroadcast(ctx, g, outShape, shapeOf(ctx, a));
    }
    if (ctx.wants(c)) {
      let g: string;
      if (kind === 'Add') g = dy;
      else if (kind === 'Sub') g = b.op('Neg', [dy]);
      else if (kind === 'Mul') g = b.op('Mul', [dy, a]);
      // d(a/c)/dc = -a / c² = -y / c
      else g = b.op('Neg', [b.op('Div', [b.op('Mul', [dy, node.outputs[0]!]), c])]);
      dc = unbroadcast(ctx, g, outShape, shapeOf(ctx, c));
    }
    return [da, dc];
  };
}

function where(ctx: GradientContext, condition: string, dy: string): string {
  return ctx.b.op('Where', [condition, dy, ctx.b.addScalar('zero', 0)]);
}

/** Slices the leading `sizes` of each spatial axis (a gradient conv may cover a few extra cells). */
function cropSpatial(ctx: GradientContext, value: string, shape: readonly number[], sizes: readonly number[]): string {
  const spatial = shape.slice(2);
  if (spatial.every((d, i) => d === sizes[i])) return value;
  const axes = sizes.map((_, i) => i + 2);
  return ctx.b.op('Slice', [value, ctx.b.addInt64('starts', axes.map(() => 0)), ctx.b.addInt64('ends', sizes), ctx.b.addInt64('axes', axes)]);
}

function convGeometry(node: OnnxNode, x: readonly number[], kernel: readonly number[]) {
  const spatial = x.length - 2;
  return {
    strides: intsAttr(node, 'strides', new Array<number>(spatial).fill(1)),
    dilations: intsAttr(node, 'dilations', new Array<number>(spatial).fill(1)),
    pads: intsAttr(node, 'pads', new Array<number>(2 * spatial).fill(0)),
    out: windowShape(node, x, kernel),
  };
}

/** The input-gradient of a strided window: ConvTranspose with the output padding that restores the input size. */
function transposeBack(ctx: GradientContext, node: OnnxNode, dy: string, weight: string, x: readonly number[], kernel: readonly number[], group: number): string {
  const g = convGeometry(node, x, kernel);
  const spatial = x.length - 2;
  const b = ctx.b;
  // ConvTranspose without pads gives the full extent; the input's cells are then cut out of it
  // (ORT's ConvTranspose with Keras' asymmetric 'same' pads did not give the input gradient).
  const full = ctx.b.op('ConvTranspose', [dy, weight], {
    strides: attr.ints(g.strides),
    dilations: attr.ints(g.dilations),
    group: attr.int(group),
    kernel_shape: attr.ints(kernel),
  });
  const sizes = x.slice(2);
  const extent = sizes.map((_, i) => g.strides[i]! * (g.out[i]! - 1) + (kernel[i]! - 1) * g.dilations[i]! + 1);
  const starts = sizes.map((_, i) => g.pads[i]!);
  // Cells the window never reached at the end (floor of the output size) get zero gradient.
  const short = sizes.map((size, i) => Math.max(0, starts[i]! + size - extent[i]!));
  const padded = short.some((v) => v > 0)
    ? b.op('Pad', [full, b.addInt64('grad_pads', [...new Array<number>(x.length).fill(0), 0, 0, ...short])], { mode: attr.string('constant') })
    : full;
  const axes = sizes.map((_, i) => i + 2);
  void spatial;
  return b.op('Slice', [padded, b.addInt64('grad_starts', starts), b.addInt64('grad_ends', sizes.map((size, i) => starts[i]! + size)), b.addInt64('grad_axes', axes)]);
}

const conv: GradientRule = (node, dy, ctx) => {
  const [xName, wName, bName] = node.inputs as [string, string, string | undefined];
  const b = ctx.b;
  const x = shapeOf(ctx, xName);
  const w = shapeOf(ctx, wName);
  const kernel = w.slice(2);
  const group = intAttr(node, 'group', 1);
  const g = convGeometry(node, x, kernel);
  const [n, c, h, width] = x as [number, number, number, number];
  const m = w[0]!;
  const dx = ctx.wants(xName) ? ((group === 1 ? flippedKernelBack(ctx, node, dy, wName, x, kernel) : null) ?? transposeBack(ctx, node, dy, wName, x, kernel, group)) : null;
  let dw: string | null = null;
  const strategy = ctx.filterGradient ?? 'auto';
  const byPatches = strategy === 'patches' || (strategy === 'auto' && m * c * n * g.out[0]! * g.out[1]! >= patchGemmMinWork);
  if (ctx.wants(wName) && group === 1 && x.length === 4 && byPatches) dw = convFilterGradientByPatches(ctx, xName, dy, x, w, g);
  else if (ctx.wants(wName)) {
    // dW[m, cg, i, j] = Σ_n,y,x dY[n, m, y, x] · X[n, group(m)·Cg + cg, y·s + i·d, x·s + j·d]: a convolution
    // of the input (channels of a group as its batch) with the output gradient as the kernel, strides
    // and dilations swapped (small layers, groups, 1-D).
    const cg = c / group;
    const xg = b.op('Reshape', [xName, b.addInt64('shape', [n, group, cg, h, width])]);
    const xt = b.op('Reshape', [b.op('Transpose', [xg], { perm: attr.ints([2, 1, 0, 3, 4]) }), b.addInt64('shape', [cg, group * n, h, width])]);
    const dyt = b.op('Transpose', [dy], { perm: attr.ints([1, 0, 2, 3]) });
    const full = b.op('Conv', [xt, dyt], {
      strides: attr.ints(g.dilations),
      dilations: attr.ints(g.strides),
      pads: attr.ints(g.pads),
      group: attr.int(group),
      kernel_shape: attr.ints(g.out),
    });
    const fullShape = [cg, m, ...x.slice(2).map((size, i) => Math.floor((size + g.pads[i]! + g.pads[i + 2]! - ((g.out[i]! - 1) * g.strides[i]! + 1)) / g.dilations[i]!) + 1)];
    const cropped = cropSpatial(ctx, full, fullShape, kernel);
    dw = b.op('Transpose', [cropped], { perm: attr.ints([1, 0, 2, 3]) });
  }
  const db = bName && ctx.wants(bName) ? b.op('ReduceSum', [dy, b.addInt64('axes', [0, 2, 3])], { keepdims: attr.int(0) }) : null;
  return [dx, dw, ...(bName ? [db] : [])];
};

/**
 * ConvTranspose (group 1, 2-D): dX is the Conv of dY with the same weight, strides, dilations and pads (the cells
 * output_padding adds are reached by no tap); dW[cx, cy, i, j] = Σ x[n, cx, a, b] · dYpadded[n, cy, a·s + i·d, b·s + j·d],
 * a Conv of dY (its channels as the batch) with x as the kernel, strides and dilations swapped.
 */
const convTranspose: GradientRule = (node, dy, ctx) => {
  const [xName, wName, bName] = node.inputs as [string, string, string | undefined];
  const b = ctx.b;
  const x = shapeOf(ctx, xName);
  const w = shapeOf(ctx, wName);
  if (x.length !== 4 || intAttr(node, 'group', 1) !== 1) throw new GradientError(`${node.name}: only 2-D ConvTranspose with one group has a gradient rule`);
  const kernel = w.slice(2);
  const strides = intsAttr(node, 'strides', [1, 1]);
  const dilations = intsAttr(node, 'dilations', [1, 1]);
  const pads = intsAttr(node, 'pads', [0, 0, 0, 0]);
  const dx = ctx.wants(xName)
    ? b.op('Conv', [dy, wName], { kernel_shape: attr.ints(kernel), strides: attr.ints(strides), dilations: attr.ints(dilations), pads: attr.ints(pads) })
    : null;
  let dw: string | null = null;
  if (ctx.wants(wName)) {
    const y = shapeOf(ctx, node.outputs[0]!);
    const padded = pads.some((p) => p > 0) ? b.op('Pad', [dy, b.addInt64('grad_pads', [0, 0, pads[0]!, pads[1]!, 0, 0, pads[2]!, pads[3]!])], { mode: attr.string('constant') }) : dy;
    const dyt = b.op('Transpose', [padded], { perm: attr.ints([1, 0, 2, 3]) });
    const xt = b.op('Transpose', [xName], { perm: attr.ints([1, 0, 2, 3]) });
    const full = b.op('Conv', [dyt, xt], { kernel_shape: attr.ints(x.slice(2)), strides: attr.ints(dilations), dilations: attr.ints(strides) });
    const fullShape = [y[1]!, x[1]!, ...[0, 1].map((i) => Math.floor((y[i + 2]! + pads[i]! + pads[i + 2]! - ((x[i + 2]! - 1) * strides[i]! + 1)) / dilations[i]!) + 1)];
    dw = b.op('Transpose', [cropSpatial(ctx, full, fullShape, kernel)], { perm: attr.ints([1, 0, 2, 3]) });
  }
  const db = bName && ctx.wants(bName) ? b.op('ReduceSum', [dy, b.addInt64('axes', [0, 2, 3])], { keepdims: attr.int(0) }) : null;
  return [dx, dw, ...(bName ? [db] : [])];
};

/**
 * Multiply-adds of a filter gradient (filters × channels × n·oh·ow) from which the patch GEMMs beat the Conv
 * with the output gradient as its kernel (measured on ResNet-20's layers, all above, and LeNet-5's, below).
 */
const patchGemmMinWork = 4_000_000;

/**
 * dW[m, c, i, j] = Σ_n,y,x dY[n, m, y, x] · Xpad[n, c, y·s + i·d, x·s + j·d]. The kernel-sized patches of every
 * input channel come out of one Conv with a constant one-hot kernel per tap (each channel as its own
 * example; onnxruntime runs a constant kernel in its blocked layout), then one batched GEMM per example
 * (M = filters, K = oh·ow, N = channels·taps) and a sum over the batch. The Conv with the output gradient as
 * its kernel computes the same, but onnxruntime runs that as a skinny im2col GEMM (K = n·h·w, N = kh·kw),
 * several times slower on ResNet-sized layers.
 */
function convFilterGradientByPatches(ctx: GradientContext, xName: string, dy: string, x: readonly number[], w: readonly number[], g: ReturnType<typeof convGeometry>): string {
  const b = ctx.b;
  const [n, c, h, width] = x as [number, number, number, number];
  const [m, , kh, kw] = w as [number, number, number, number];
  const taps = kh * kw;
  const onehot = new Float32Array(taps * taps);
  for (let t = 0; t < taps; t++) onehot[t * taps + t] = 1;
  const eye = b.addInitializer('patch_eye', [taps, 1, kh, kw], onehot);
  const single = b.op('Reshape', [xName, b.addInt64('shape', [n * c, 1, h, width])]);
  const patches = b.op('Conv', [single, eye], { kernel_shape: attr.ints([kh, kw]), strides: attr.ints(g.strides), dilations: attr.ints(g.dilations), pads: attr.ints(g.pads) });
  const [oh, ow] = g.out as [number, number];
  const cols = b.op('Reshape', [patches, b.addInt64('shape', [n, c * taps, oh * ow])]);
  const rows = b.op('Reshape', [dy, b.addInt64('shape', [n, m, oh * ow])]);
  const perExample = b.op('MatMul', [rows, b.op('Transpose', [cols], { perm: attr.ints([0, 2, 1]) })]);
  const summed = b.op('ReduceSum', [perExample, b.addInt64('axes', [0])], { keepdims: attr.int(0) });
  return b.op('Reshape', [summed, b.addInt64('shape', [m, c, kh, kw])]);
}

/**
 * The input-gradient of a stride-1 convolution with one group: the Conv of dY with the kernel flipped in
 * space and its in/out channels swapped, padded by d·(k − 1) − p on each side. Same result as the
 * ConvTranspose, but onnxruntime's Conv is faster than its ConvTranspose and no crop follows. Null where
 * that padding would be negative (pads beyond the kernel's reach) or the input is much larger than the output.
 */
function flippedKernelBack(ctx: GradientContext, node: OnnxNode, dy: string, weight: string, x: readonly number[], kernel: readonly number[]): string | null {
  const g = convGeometry(node, x, kernel);
  if (x.length !== 4 || g.strides.some((s) => s !== 1)) return null;
  const spatial = kernel.length;
  const reach = kernel.map((k, i) => g.dilations[i]! * (k - 1));
  const pads = g.pads.map((p, i) => reach[i % spatial]! - p);
  if (pads.some((p) => p < 0)) return null;
  // The Conv computes every input cell over the whole kernel, the ConvTranspose every output cell: with
  // little padding (a 'valid' 5×5 on 12×12 has 64 outputs for 144 inputs) the ConvTranspose does less.
  const inputCells = x.slice(2).reduce((a, d) => a * d, 1);
  const outputCells = g.out.reduce((a, d) => a * d, 1);
  if (inputCells > 1.25 * outputCells) return null;
  const b = ctx.b;
  const axes = kernel.map((_, i) => i + 2);
  const flipped = b.op('Slice', [weight, b.addInt64('starts', axes.map(() => -1)), b.addInt64('ends', kernel.map((k) => -(k + 1))), b.addInt64('axes', axes), b.addInt64('steps', axes.map(() => -1))]);
  const swapped = b.op('Transpose', [flipped], { perm: attr.ints([1, 0, 2, 3]) });
  return b.op('Conv', [dy, swapped], { kernel_shape: attr.ints(kernel), dilations: attr.ints(g.dilations), pads: attr.ints(pads) });
}

/** Slice with constant, non-negative bounds and step 1 (Cropping2D): dX is dY padded back with zeros where the cut was. */
const slice: GradientRule = (node, dy, ctx) => {
  const x = shapeOf(ctx, node.inputs[0]!);
  const [starts, ends, axes] = node.inputs.slice(1, 4).map((name) => ctx.constants?.get(name));
  if (!starts || !ends || !axes || node.inputs.length > 4 || [...starts, ...ends, ...axes].some((v) => v < 0)) {
    throw new GradientError(`${node.name}: only Slice with constant non-negative starts, ends and axes has a gradient rule`);
  }
  const begin = x.map(() => 0);
  const end = x.map(() => 0);
  axes.forEach((axis, j) => {
    begin[axis] = starts[j]!;
    end[axis] = x[axis]! - Math.min(ends[j]!, x[axis]!);
  });
  return [ctx.b.op('Pad', [dy, ctx.b.addInt64('grad_pads', [...begin, ...end])], { mode: attr.string('constant') }), null, null, null];
};

const gemm: GradientRule = (node, dy, ctx) => {
  const [a, w, c] = node.inputs as [string, string, string | undefined];
  if (intAttr(node, 'transA', 0) !== 0 || floatAttr(node, 'alpha', 1) !== 1 || floatAttr(node, 'beta', 1) !== 1) {
    throw new GradientError(`${node.name}: only Gemm with transA = 0, alpha = beta = 1 has a gradient rule`);
  }
  const transB = intAttr(node, 'transB', 0);
  const b = ctx.b;
  const da = ctx.wants(a) ? b.op('Gemm', [dy, w], { transB: attr.int(transB ? 0 : 1) }) : null;
  const dw = ctx.wants(w) ? (transB ? b.op('Gemm', [dy, a], { transA: attr.int(1) }) : b.op('Gemm', [a, dy], { transA: attr.int(1) })) : null;
  const dc = c && ctx.wants(c) ? unbroadcast(ctx, dy, shapeOf(ctx, node.outputs[0]!), shapeOf(ctx, c)) : null;
  return [da, dw, ...(c ? [dc] : [])];
};

const matMul: GradientRule = (node, dy, ctx) => {
  const [a, w] = node.inputs as [string, string];
  const b = ctx.b;
  const aShape = shapeOf(ctx, a);
  const wShape = shapeOf(ctx, w);
  if (wShape.length !== 2) throw new GradientError(`${node.name}: only MatMul by a matrix has a gradient rule`);
  const da = ctx.wants(a) ? b.op('MatMul', [dy, b.op('Transpose', [w], { perm: attr.ints([1, 0]) })]) : null;
  let dw: string | null = null;
  if (ctx.wants(w)) {
    const rows = b.addInt64('shape', [-1, aShape[aShape.length - 1]!]);
    const cols = b.addInt64('shape', [-1, wShape[1]!]);
    dw = b.op('Gemm', [b.op('Reshape', [a, rows]), b.op('Reshape', [dy, cols])], { transA: attr.int(1) });
  }
  return [da, dw];
};

const softmax: GradientRule = elementwise((node, dy, ctx) => {
  const y = node.outputs[0]!;
  const b = ctx.b;
  const axis = intAttr(node, 'axis', -1);
  const dot = b.op('ReduceSum', [b.op('Mul', [dy, y]), b.addInt64('axes', [axis])], { keepdims: attr.int(1) });
  return b.op('Mul', [y, b.op('Sub', [dy, dot])]);
});

/** Whether a MaxPool tiles its input: windows side by side (stride = kernel), no padding, no dilation, 2-D. */
export function isTilingMaxPool(node: OnnxNode): boolean {
  const kernel = intsAttr(node, 'kernel_shape', []);
  if (kernel.length !== 2) return false;
  const strides = intsAttr(node, 'strides', [1, 1]);
  const pads = intsAttr(node, 'pads', [0, 0, 0, 0]);
  const dilations = intsAttr(node, 'dilations', [1, 1]);
  return intAttr(node, 'ceil_mode', 0) === 0 && kernel.every((k, i) => strides[i] === k) && pads.every((p) => p === 0) && dilations.every((d) => d === 1);
}

/**
 * MaxPool over side-by-side windows: each cell is in one window, and dX is dY at the window's first maximum
 * (row-major, the cell TensorFlow picks) and 0 elsewhere. Found without the indices output (onnxruntime's
 * MaxPool with indices is several times slower than without, and the scatter after it too): the cells equal
 * to their window's maximum, weighted by a constant rank that falls along the window, and a second MaxPool
 * of that picks the first. Everything stays full-size and elementwise (nearest-neighbour Resize spreads a
 * window's value over its cells).
 */
function tilingMaxPool(node: OnnxNode, dy: string, ctx: GradientContext): string {
  const b = ctx.b;
  const [, , h, w] = shapeOf(ctx, node.inputs[0]!) as [number, number, number, number];
  const [kh, kw] = intsAttr(node, 'kernel_shape', []) as [number, number];
  const [oh, ow] = [Math.floor(h / kh), Math.floor(w / kw)];
  const whole = oh * kh === h && ow * kw === w;
  // Rows and columns past the last whole window get no gradient.
  const covered = whole ? node.inputs[0]! : b.op('Slice', [node.inputs[0]!, b.addInt64('starts', [0, 0]), b.addInt64('ends', [oh * kh, ow * kw]), b.addInt64('axes', [2, 3])]);
  const scales = b.addInitializer('pool_scales', [4], Float32Array.of(1, 1, kh, kw));
  const noRoi = b.addInitializer('pool_roi', [0], new Float32Array(0));
  const spread = (value: string) => b.op('Resize', [value, noRoi, scales], { mode: attr.string('nearest'), coordinate_transformation_mode: attr.string('asymmetric'), nearest_mode: attr.string('floor') });
  const rank = new Float32Array(oh * kh * ow * kw);
  for (let i = 0; i < oh * kh; i++) for (let j = 0; j < ow * kw; j++) rank[i * ow * kw + j] = kh * kw - ((i % kh) * kw + (j % kw));
  const ranks = b.addInitializer('pool_first_rank', [1, 1, oh * kh, ow * kw], rank);
  const hits = b.op('Mul', [b.op('Cast', [b.op('Equal', [covered, spread(node.outputs[0]!)])], { to: attr.int(1) }), ranks]);
  const best = b.op('MaxPool', [hits], { kernel_shape: attr.ints([kh, kw]), strides: attr.ints([kh, kw]) });
  const first = b.op('Equal', [hits, spread(best)]);
  const dx = b.op('Where', [first, spread(dy), b.addScalar('zero', 0)]);
  if (whole) return dx;
  return b.op('Pad', [dx, b.addInt64('grad_pads', [0, 0, 0, 0, 0, 0, h - oh * kh, w - ow * kw])], { mode: attr.string('constant') });
}

const maxPool: GradientRule = (node, dy, ctx) => {
  if (isTilingMaxPool(node)) return [tilingMaxPool(node, dy, ctx)];
  const indices = ctx.extras.get(node.name);
  if (!indices) throw new GradientError(`${node.name}: MaxPool was built without its indices output`);
  const b = ctx.b;
  const x = shapeOf(ctx, node.inputs[0]!);
  const total = x.reduce((p, d) => p * d, 1);
  const flat = b.addInt64('shape', [-1]);
  const zeros = b.addInitializer('zeros', [total], new Float32Array(total));
  // Indices count over the whole NCHW tensor; overlapping windows add up.
  const scattered = b.op('ScatterElements', [zeros, b.op('Reshape', [indices, flat]), b.op('Reshape', [dy, flat])], { axis: attr.int(0), reduction: attr.string('add') });
  return [b.op('Reshape', [scattered, b.addInt64('shape', x)])];
};

const averagePool: GradientRule = (node, dy, ctx) => {
  const b = ctx.b;
  const x = shapeOf(ctx, node.inputs[0]!);
  const kernel = intsAttr(node, 'kernel_shape', []);
  const g = convGeometry(node, x, kernel);
  const includePad = intAttr(node, 'count_include_pad', 0) === 1;
  // The divisor of each output cell: the window size, or (as Keras counts) only the cells inside the input.
  const [oh, ow] = g.out as [number, number];
  const counts = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const top = i * g.strides[0]! - g.pads[0]!;
      const left = j * g.strides[1]! - g.pads[1]!;
      const rows = includePad ? kernel[0]! : Math.min(top + kernel[0]!, x[2]!) - Math.max(top, 0);
      const cols = includePad ? kernel[1]! : Math.min(left + kernel[1]!, x[3]!) - Math.max(left, 0);
      counts[i * ow + j] = rows * cols;
    }
  }
  const divisor = b.addInitializer('pool_counts', [1, 1, oh, ow], counts);
  const channels = x[1]!;
  const ones = b.addInitializer('pool_ones', [channels, 1, ...kernel], new Float32Array(channels * kernel[0]! * kernel[1]!).fill(1));
  return [transposeBack(ctx, node, b.op('Div', [dy, divisor]), ones, x, kernel, channels)];
};

const globalAveragePool: GradientRule = (node, dy, ctx) => {
  const x = shapeOf(ctx, node.inputs[0]!);
  const cells = x.slice(2).reduce((p, d) => p * d, 1);
  const b = ctx.b;
  return [b.op('Expand', [b.op('Div', [dy, b.addScalar('cells', cells)]), b.addInt64('shape', x)])];
};

const globalMaxPool: GradientRule = (node, dy, ctx) => {
  // The gradient goes to the cells equal to the maximum (ties share it, as TensorFlow's does not).
  const x = node.inputs[0]!;
  return [where(ctx, ctx.b.op('Equal', [x, node.outputs[0]!]), dy)];
};

const transpose: GradientRule = (node, dy, ctx) => {
  const x = shapeOf(ctx, node.inputs[0]!);
  const perm = intsAttr(node, 'perm', x.map((_, i) => x.length - 1 - i));
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return [ctx.b.op('Transpose', [dy], { perm: attr.ints(inverse) })];
};

const reshapeBack: GradientRule = (node, dy, ctx) => [ctx.b.op('Reshape', [dy, ctx.b.addInt64('shape', shapeOf(ctx, node.inputs[0]!))]), ...node.inputs.slice(1).map(() => null)];

const concat: GradientRule = (node, dy, ctx) => {
  const rank = shapeOf(ctx, node.outputs[0]!).length;
  const axis = (intAttr(node, 'axis', 0) + rank) % rank;
  const sizes = node.inputs.map((i) => shapeOf(ctx, i)[axis]!);
  return ctx.b.addNode('Split', [dy, ctx.b.addInt64('split', sizes)], { attributes: { axis: attr.int(axis) }, outputs: node.inputs.length });
};

const pad: GradientRule = (node, dy, ctx) => {
  const x = shapeOf(ctx, node.inputs[0]!);
  const padsName = node.inputs[1]!;
  const b = ctx.b;
  const begins = ctx.padBegins.get(padsName);
  if (!begins) throw new GradientError(`${node.name}: Pad needs constant pads`);
  const axes = x.map((_, i) => i);
  const slice = b.op('Slice', [dy, b.addInt64('starts', begins), b.addInt64('ends', begins.map((s, i) => s + x[i]!)), b.addInt64('axes', axes)]);
  return [slice, ...node.inputs.slice(1).map(() => null)];
};

const reduceMean: GradientRule = (node, dy, ctx) => {
  const x = shapeOf(ctx, node.inputs[0]!);
  const y = shapeOf(ctx, node.outputs[0]!);
  const count = x.reduce((p, d) => p * d, 1) / y.reduce((p, d) => p * d, 1);
  const b = ctx.b;
  const keep = intAttr(node, 'keepdims', 1) === 1;
  const axes = intsAttr(node, 'axes', x.map((_, i) => i)).map((a) => (a + x.length) % x.length);
  const kept = keep ? dy : b.op('Reshape', [dy, b.addInt64('shape', x.map((d, i) => (axes.includes(i) ? 1 : d)))]);
  return [b.op('Expand', [b.op('Div', [kept, b.addScalar('count', count)]), b.addInt64('shape', x)])];
};

/** PRelu: dX = dY where x > 0, dY · slope elsewhere; dSlope = dY · min(x, 0), summed back to the slope's shape. */
const prelu: GradientRule = (node, dy, ctx) => {
  const [x, slope] = node.inputs as [string, string];
  const b = ctx.b;
  const positive = b.op('Greater', [x, b.addScalar('zero', 0)]);
  const dx = ctx.wants(x) ? b.op('Where', [positive, dy, b.op('Mul', [dy, slope])]) : null;
  let dSlope: string | null = null;
  if (ctx.wants(slope)) {
    const negativePart = b.op('Min', [x, b.addScalar('zero', 0)]);
    dSlope = unbroadcast(ctx, b.op('Mul', [dy, negativePart]), shapeOf(ctx, node.outputs[0]!), shapeOf(ctx, slope));
  }
  return [dx, dSlope];
};

/** Gather of table rows (Embedding): each row's gradient is the sum of dY over the places its id was looked up. */
const gather: GradientRule = (node, dy, ctx) => {
  const [data, indices] = node.inputs as [string, string];
  if (intAttr(node, 'axis', 0) !== 0) throw new GradientError(`${node.name}: only Gather on axis 0 has a gradient rule`);
  if (!ctx.wants(data)) return [null, null];
  const b = ctx.b;
  const table = shapeOf(ctx, data);
  const rows = table.slice(1);
  const count = table.reduce((p, d) => p * d, 1);
  const zeros = b.addInitializer('zeros', table, new Float32Array(count));
  const flatIds = b.op('Reshape', [indices, b.addInt64('shape', [-1, 1])]);
  const flatDy = b.op('Reshape', [dy, b.addInt64('shape', [-1, ...rows])]);
  // ScatterND adds repeated ids up (reduction "add", opset 16; the training step is opset 17).
  return [b.op('ScatterND', [zeros, flatIds, flatDy], { reduction: attr.string('add') }), null];
};

/** Forward op → its gradient rule; an op without one cannot be trained on this engine. */
export const gradientRules: Readonly<Record<string, GradientRule>> = {
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
  Neg: elementwise((_, dy, ctx) => ctx.b.op('Neg', [dy])),
  Identity: elementwise((_, dy) => dy),
  Relu: elementwise((node, dy, ctx) => where(ctx, ctx.b.op('Greater', [node.inputs[0]!, ctx.b.addScalar('zero', 0)]), dy)),
  LeakyRelu: elementwise((node, dy, ctx) => {
    const b = ctx.b;
    const alpha = floatAttr(node, 'alpha', 0.01);
    const positive = b.op('Cast', [b.op('Greater', [node.inputs[0]!, b.addScalar('zero', 0)])], { to: attr.int(1) });
    // slope = alpha + (1 - alpha)·[x > 0]
    const slope = b.op('Add', [b.op('Mul', [positive, b.addScalar('one_minus_alpha', 1 - alpha)]), b.addScalar('alpha', alpha)]);
    return b.op('Mul', [dy, slope]);
  }),
  Elu: elementwise((node, dy, ctx) => {
    const b = ctx.b;
    const alpha = floatAttr(node, 'alpha', 1);
    const positive = b.op('Cast', [b.op('Greater', [node.inputs[0]!, b.addScalar('zero', 0)])], { to: attr.int(1) });
    // x ≤ 0: y + alpha; x > 0: 1
    const negative = b.op('Add', [node.outputs[0]!, b.addScalar('alpha', alpha)]);
    const slope = b.op('Add', [positive, b.op('Mul', [b.op('Sub', [b.addScalar('one', 1), positive]), negative])]);
    return b.op('Mul', [dy, slope]);
  }),
  Sigmoid: elementwise((node, dy, ctx) => {
    const y = node.outputs[0]!;
    return ctx.b.op('Mul', [dy, ctx.b.op('Mul', [y, ctx.b.op('Sub', [ctx.b.addScalar('one', 1), y])])]);
  }),
  Tanh: elementwise((node, dy, ctx) => {
    const y = node.outputs[0]!;
    return ctx.b.op('Mul', [dy, ctx.b.op('Sub', [ctx.b.addScalar('one', 1), ctx.b.op('Mul', [y, y])])]);
  }),
  Softmax: softmax,
  Clip: (node, dy, ctx) => {
    const b = ctx.b;
    const x = node.inputs[0]!;
    const inside = b.op('And', [b.op('Greater', [x, node.inputs[1] || b.addScalar('low', -3.4e38)]), b.op('Less', [x, node.inputs[2] || b.addScalar('high', 3.4e38)])]);
    return [where(ctx, inside, dy), ...node.inputs.slice(1).map(() => null)];
  },
  Sqrt: elementwise((node, dy, ctx) => ctx.b.op('Div', [dy, ctx.b.op('Mul', [node.outputs[0]!, ctx.b.addScalar('two', 2)])])),
  Dropout: (node, dy, ctx) => {
    const mask = ctx.extras.get(node.name);
    if (!mask) return [dy, null, null];
    const ratio = ctx.dropoutRatio.get(node.name) ?? 0;
    const b = ctx.b;
    return [b.op('Mul', [where(ctx, mask, dy), b.addScalar('dropout_scale', 1 / (1 - ratio))]), null, null];
  },
  Conv: conv,
  ConvTranspose: convTranspose,
  Slice: slice,
  Gemm: gemm,
  MatMul: matMul,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  Transpose: transpose,
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Concat: concat,
  Pad: pad,
  ReduceMean: reduceMean,
  PRelu: prelu,
  Gather: gather,
};
