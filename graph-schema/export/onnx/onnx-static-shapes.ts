import type { OnnxAttribute, OnnxNode } from './onnx-proto';

/**
 * Static shapes of every value of a forward graph for one fixed batch size: the gradient rules
 * need them (the axes a broadcast is reduced over, the output padding of a transposed
 * convolution, the sizes a Concat is split back into).
 */
export type StaticShapes = Map<string, number[]>;

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export function intsAttr(node: OnnxNode, name: string, fallback: number[]): number[] {
  const a = node.attributes[name] as OnnxAttribute | undefined;
  return a && a.type === 'ints' ? [...a.value] : fallback;
}

export function intAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes[name] as OnnxAttribute | undefined;
  return a && a.type === 'int' ? a.value : fallback;
}

export function floatAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes[name] as OnnxAttribute | undefined;
  return a && a.type === 'float' ? a.value : fallback;
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ShapeError(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
    out.push(Math.max(x, y));
  }
  return out;
}

function windowOut(size: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number): number {
  return Math.floor((size + padBegin + padEnd - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

/** Output sizes of a Conv / pool window over the spatial axes of an NCHW shape. */
export function windowShape(node: OnnxNode, input: readonly number[], kernel: readonly number[]): number[] {
  const spatial = input.length - 2;
  const strides = intsAttr(node, 'strides', new Array<number>(spatial).fill(1));
  const dilations = intsAttr(node, 'dilations', new Array<number>(spatial).fill(1));
  const pads = intsAttr(node, 'pads', new Array<number>(2 * spatial).fill(0));
  return input.slice(2).map((size, i) => windowOut(size, kernel[i]!, strides[i]!, pads[i]!, pads[i + spatial]!, dilations[i]!));
}

/**
 * Infers the shape of every node output from the graph inputs and initializers. `constants`
 * holds the values of int64 initializers (Reshape targets, Slice bounds, split sizes).
 */
export function inferStaticShapes(nodes: readonly OnnxNode[], known: StaticShapes, constants: ReadonlyMap<string, readonly number[]>): StaticShapes {
  const shapes = new Map(known);
  const get = (name: string, node: OnnxNode): number[] => {
    const s = shapes.get(name);
    if (!s) throw new ShapeError(`${node.name}: the shape of ${name} is unknown`);
    return s;
  };
  for (const node of nodes) {
    const x = node.inputs[0] ? get(node.inputs[0], node) : [];
    let out: number[];
    switch (node.opType) {
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
      case 'LeakyRelu':
      case 'Elu':
      case 'Selu':
      case 'Softmax':
      case 'Clip':
      case 'Identity':
      case 'Dropout':
      case 'Neg':
      case 'Exp':
      case 'Log':
      case 'Sqrt':
      case 'Softplus':
      case 'Softsign':
      case 'HardSigmoid':
      case 'Erf':
      case 'Abs':
      case 'PRelu':
      case 'Cast':
      case 'Floor':
      case 'RandomNormalLike':
      case 'RandomUniformLike':
        out = x;
        break;
      case 'Gather': {
        // data[:axis] + indices + data[axis + 1:]
        const axis = (intAttr(node, 'axis', 0) + x.length) % x.length;
        out = [...x.slice(0, axis), ...get(node.inputs[1]!, node), ...x.slice(axis + 1)];
        break;
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
      case 'Max':
      case 'Min':
      case 'Pow':
        out = node.inputs.slice(1).reduce((acc, name) => broadcastShapes(acc, get(name, node)), x);
        break;
      case 'Sum':
      case 'Mean':
        out = node.inputs.slice(1).reduce((acc, name) => broadcastShapes(acc, get(name, node)), x);
        break;
      case 'Transpose': {
        const perm = intsAttr(node, 'perm', x.map((_, i) => x.length - 1 - i));
        out = perm.map((p) => x[p]!);
        break;
      }
      case 'Reshape': {
        const target = constants.get(node.inputs[1]!);
        if (!target) throw new ShapeError(`${node.name}: Reshape needs a constant shape`);
        const total = x.reduce((a, b) => a * b, 1);
        const dims = target.map((d, i) => (d === 0 ? x[i]! : d));
        const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        out = dims.map((d) => (d === -1 ? total / known : d));
        break;
      }
      case 'Flatten': {
        const axis = intAttr(node, 'axis', 1);
        out = [x.slice(0, axis).reduce((a, b) => a * b, 1), x.slice(axis).reduce((a, b) => a * b, 1)];
        break;
      }
      case 'Gemm': {
        const b = get(node.inputs[1]!, node);
        const m = intAttr(node, 'transA', 0) ? x[1]! : x[0]!;
        const n = intAttr(node, 'transB', 0) ? b[0]! : b[1]!;
        out = [m, n];
        break;
      }
      case 'MatMul': {
        const b = get(node.inputs[1]!, node);
        out = [...x.slice(0, -1), b[b.length - 1]!];
        break;
      }
      case 'Conv': {
        const w = get(node.inputs[1]!, node);
        out = [x[0]!, w[0]!, ...windowShape(node, x, w.slice(2))];
        break;
      }
      case 'Slice': {
        // Constant, non-negative bounds (Cropping2D), step 1.
        const [starts, ends, axes] = node.inputs.slice(1, 4).map((name) => constants.get(name));
        if (!starts || !ends || !axes || node.inputs.length > 4 || [...starts, ...ends, ...axes].some((v) => v < 0)) throw new ShapeError(`${node.name}: Slice needs constant non-negative starts, ends and axes`);
        out = [...x];
        axes.forEach((axis, j) => (out[axis] = Math.max(Math.min(ends[j]!, x[axis]!) - starts[j]!, 0)));
        break;
      }
      case 'ConvTranspose': {
        // s·(n − 1) + output_padding + d·(k − 1) + 1 − pads (Conv2DTranspose; group 1).
        const w = get(node.inputs[1]!, node);
        const spatial = x.length - 2;
        const strides = intsAttr(node, 'strides', new Array<number>(spatial).fill(1));
        const dilations = intsAttr(node, 'dilations', new Array<number>(spatial).fill(1));
        const pads = intsAttr(node, 'pads', new Array<number>(2 * spatial).fill(0));
        const extra = intsAttr(node, 'output_padding', new Array<number>(spatial).fill(0));
        out = [x[0]!, w[1]!, ...x.slice(2).map((n, i) => strides[i]! * (n - 1) + extra[i]! + dilations[i]! * (w[i + 2]! - 1) + 1 - pads[i]! - pads[i + spatial]!)];
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const kernel = intsAttr(node, 'kernel_shape', []);
        out = [x[0]!, x[1]!, ...windowShape(node, x, kernel)];
        break;
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool':
        out = [x[0]!, x[1]!, ...x.slice(2).map(() => 1)];
        break;
      case 'Concat': {
        const rank = x.length;
        const axis = (intAttr(node, 'axis', 0) + rank) % rank;
        out = [...x];
        out[axis] = node.inputs.reduce((sum, name) => sum + get(name, node)[axis]!, 0);
        break;
      }
      case 'Pad': {
        const pads = constants.get(node.inputs[1]!);
        if (!pads) throw new ShapeError(`${node.name}: Pad needs constant pads`);
        out = x.map((d, i) => d + pads[i]! + pads[i + x.length]!);
        break;
      }
      case 'ReduceMean':
      case 'ReduceSum': {
        const axesInput = node.opType === 'ReduceSum' && node.inputs[1] ? constants.get(node.inputs[1]) : undefined;
        const axes = (axesInput ? [...axesInput] : intsAttr(node, 'axes', x.map((_, i) => i))).map((a) => (a + x.length) % x.length);
        const keep = intAttr(node, 'keepdims', 1) === 1;
        out = keep ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i));
        break;
      }
      default:
        throw new ShapeError(`${node.name}: no shape rule for ${node.opType}`);
    }
    shapes.set(node.outputs[0]!, out);
    // MaxPool's indices and Dropout's mask have the shape of the main output.
    for (const extra of node.outputs.slice(1)) if (extra) shapes.set(extra, out);
  }
  return shapes;
}
