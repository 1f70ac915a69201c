import { attr } from './onnx-graph-builder';
import type { OnnxGraphBuilder } from './onnx-graph-builder';
import type { OnnxNode } from './onnx-proto';
import { GradientError } from './onnx-gradients';
import { floatAttr } from './onnx-static-shapes';
import type { StaticShapes } from './onnx-static-shapes';

/** The values of one batch-norm's training form that its backward pass reads. */
export interface BatchNormParts {
  x: string;
  scale: string;
  bias: string;
  normalised: string;
  std: string;
  channels: number;
}

/**
 * dX, dγ, dβ of y = γ·(x − μ)/σ + β on the batch's statistics (biased variance), in closed form:
 * dβ = Σ dY, dγ = Σ dY·x̂, dX = γ/σ · (dY − mean(dY) − x̂·mean(dY·x̂)), means per channel. The same
 * gradient the per-op rules give over the forward nodes, in 5 full-size passes instead of ~15.
 */
export function batchNormGradients(b: OnnxGraphBuilder, bn: BatchNormParts, dy: string, needs: ReadonlySet<string>, shapes: StaticShapes): (string | null)[] {
  const x = shapes.get(bn.x);
  if (!x) throw new GradientError(`the shape of ${bn.x} is unknown`);
  const cells = x[0]! * x.slice(2).reduce((a, d) => a * d, 1);
  const axes = b.addInt64('axes', [0, 2, 3]);
  const perChannel = b.addInt64('bn_shape', [1, bn.channels, 1, 1]);
  const sumDy = b.op('ReduceSum', [dy, axes], { keepdims: attr.int(1) });
  const dyNormalised = b.op('Mul', [dy, bn.normalised]);
  const sumDyNormalised = b.op('ReduceSum', [dyNormalised, axes], { keepdims: attr.int(1) });
  const flat = b.addInt64('bn_flat', [bn.channels]);
  const dBias = needs.has(bn.bias) ? b.op('Reshape', [sumDy, flat]) : null;
  const dScale = needs.has(bn.scale) ? b.op('Reshape', [sumDyNormalised, flat]) : null;
  let dx: string | null = null;
  if (needs.has(bn.x)) {
    const inverseCells = b.addScalar('bn_inverse_cells', 1 / cells);
    const centred = b.op('Sub', [dy, b.op('Mul', [sumDy, inverseCells])]);
    const projected = b.op('Mul', [bn.normalised, b.op('Mul', [sumDyNormalised, inverseCells])]);
    const factor = b.op('Div', [b.op('Reshape', [bn.scale, perChannel]), bn.std]);
    dx = b.op('Mul', [b.op('Sub', [centred, projected]), factor]);
  }
  return [dx, dScale, dBias];
}

export function emitBatchNormTraining(b: OnnxGraphBuilder, node: OnnxNode, known: StaticShapes, statistics: Map<string, string>, emit: (n: OnnxNode) => void, parts: Map<string, BatchNormParts>): void {
  const [x, scale, bias, mean, variance] = node.inputs as [string, string, string, string, string];
  const eps = floatAttr(node, 'epsilon', 1e-5);
  const momentum = floatAttr(node, 'momentum', 0.9);
  const channels = known.get(scale)![0]!;
  const before = b.nodes.length;
  const axes = attr.ints([0, 2, 3]);
  const keep = attr.int(1);
  const perChannel = b.addInt64('bn_shape', [1, channels, 1, 1]);
  const batchMean = b.op('ReduceMean', [x], { axes, keepdims: keep });
  const centred = b.op('Sub', [x, batchMean]);
  const batchVar = b.op('ReduceMean', [b.op('Mul', [centred, centred])], { axes, keepdims: keep });
  const std = b.op('Sqrt', [b.op('Add', [batchVar, b.addScalar('bn_epsilon', eps)])]);
  const normalised = b.op('Div', [centred, std]);
  const scaled = b.op('Mul', [normalised, b.op('Reshape', [scale, perChannel])]);
  b.addNode('Add', [scaled, b.op('Reshape', [bias, perChannel])], { outputs: [node.outputs[0]!] });
  parts.set(node.outputs[0]!, { x, scale, bias, normalised, std, channels });
  // Running statistics: not differentiated (they feed nothing of the loss).
  const flat = b.addInt64('bn_flat', [channels]);
  const m = b.addScalar('bn_momentum', momentum);
  const oneMinus = b.addScalar('bn_one_minus_momentum', 1 - momentum);
  statistics.set(mean, b.op('Add', [b.op('Mul', [mean, m]), b.op('Mul', [b.op('Reshape', [batchMean, flat]), oneMinus])]));
  statistics.set(variance, b.op('Add', [b.op('Mul', [variance, m]), b.op('Mul', [b.op('Reshape', [batchVar, flat]), oneMinus])]));
  known.set(mean, [channels]);
  known.set(variance, [channels]);
  // The nodes were appended by the builder; hand them to the training list in order.
  const added = b.nodes.splice(before);
  for (const n of added) emit(n);
}
