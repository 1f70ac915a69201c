import type { LayerProblem } from '../diagnostics';
import { defineParams } from '../params';
import type { Padding, Shape } from '../shape';
import { formatShape, windowOutputSize } from '../shape';

/** The named activations, with Keras 3 semantics (e.g. hard_sigmoid is relu6(x + 3) / 6, gelu the exact erf form). */
export const activationNames = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'elu',
  'selu',
  'softmax',
  'swish',
  'relu6',
  'gelu',
  'hard_sigmoid',
  'hard_swish',
  'softplus',
  'softsign',
  'mish',
] as const;
export type ActivationName = (typeof activationNames)[number];

export const paddingParam = defineParams({
  padding: {
    type: 'enum',
    options: ['valid', 'same'],
    default: 'valid',
    label: 'Padding',
    help: '"valid" adds no border; "same" pads so the output is ceil(input / stride).',
  },
}).padding;

export function rankProblem(kind: string, expected: string, got: Shape): LayerProblem {
  return {
    code: 'rank-mismatch',
    message: `${kind} expects ${expected}, got a tensor of shape (${got
      .map((d) => (d === null ? 'None' : d))
      .join(', ')}). Add a Reshape or Flatten before it, or change the Input shape.`,
  };
}

/** Requires a rank-4 (batch, height, width, channels) input with known sizes. */
export function requireImage(kind: string, input: Shape): { h: number; w: number; c: number } | LayerProblem {
  if (input.length !== 4) return rankProblem(kind, 'an image tensor (height, width, channels)', input);
  const [, h, w, c] = input;
  if (h === null || w === null || c === null || h === undefined || w === undefined || c === undefined) {
    return { code: 'unknown-dimension', message: `${kind} needs known height, width and channels.` };
  }
  return { h, w, c };
}

export function isProblem(x: object): x is LayerProblem {
  return 'code' in x && 'message' in x;
}

/** Spatial output of a sliding window; a problem when it shrinks to zero or below. */
export function windowOutput(
  kind: string,
  size: { h: number; w: number },
  kernel: readonly [number, number],
  strides: readonly [number, number],
  padding: Padding,
  dilation: readonly [number, number] = [1, 1],
): { oh: number; ow: number } | LayerProblem {
  const oh = windowOutputSize(size.h, kernel[0], strides[0], padding, dilation[0]);
  const ow = windowOutputSize(size.w, kernel[1], strides[1], padding, dilation[1]);
  if (oh <= 0 || ow <= 0) {
    const eff = [dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1];
    return {
      code: 'spatial-underflow',
      param: 'kernelSize',
      message: `${kind}: a ${eff[0]}×${eff[1]} window does not fit a ${size.h}×${size.w} input with "valid" padding (output would be ${oh}×${ow}). Use a smaller kernel, "same" padding, or a larger input.`,
    };
  }
  return { oh, ow };
}

export function pair(v: readonly [number, number]): string {
  return v[0] === v[1] ? `${v[0]}` : `${v[0]}×${v[1]}`;
}

/** Keras refuses a convolution that is both strided and dilated; the same check for every conv kind. */
export function strideDilationProblem(kind: string, strides: readonly [number, number], dilation: readonly [number, number]): LayerProblem | null {
  const strided = strides[0] > 1 || strides[1] > 1;
  const dilated = dilation[0] > 1 || dilation[1] > 1;
  return strided && dilated
    ? { code: 'param-out-of-range', param: 'dilationRate', message: `${kind} cannot combine strides > 1 with dilation > 1 (Keras refuses it). Set one of them to 1.` }
    : null;
}

/** Resolves a possibly negative axis of a tensor of the given rank; null when it is the batch axis or out of range. */
export function featureAxis(axis: number, rank: number): number | null {
  const resolved = axis < 0 ? rank + axis : axis;
  return resolved > 0 && resolved < rank ? resolved : null;
}

/**
 * Shape of a layer that normalizes along one axis (Batch Norm, Layer Norm): the input's, provided the
 * axis is a feature axis of known size. `axisWord` names the -1 axis in the advice ("channel", "last").
 */
export function normalizedAxisShape(label: string, axis: number, input: Shape, axisWord: string): { shape: Shape } | { problem: LayerProblem } {
  if (input.length < 2) return { problem: rankProblem(label, 'a tensor with at least one feature axis', input) };
  const resolved = featureAxis(axis, input.length);
  if (resolved === null) {
    return { problem: { code: 'param-out-of-range', param: 'axis', message: `${label} axis ${axis} is not a feature axis of the input ${formatShape(input)}. Use −1 for the ${axisWord} axis.` } };
  }
  if (input[resolved] === null) return { problem: { code: 'unknown-dimension', message: `${label} needs a known size on axis ${axis}, got ${formatShape(input)}.` } };
  return { shape: input };
}
