import type { Padding } from '../shape';

/**
 * One axis of a transposed convolution as Keras computes it (TensorFlow's conv_transpose with the
 * output length Keras infers): the output length, the length of the full (uncropped) result and how
 * many of its leading cells are cut. Shared by the kind's shape inference and every exporter.
 */
export interface TransposeAxis {
  /** Keras' output length. */
  out: number;
  /** (n − 1)·s + d·(k − 1) + 1: every cell a kernel tap reaches. */
  full: number;
  /** Leading cells of the full result that are cut ('same' pads the forward convolution this much at the start). */
  before: number;
}

/** Keras' output length; outputPadding null is Keras' None (inferred: n·s for 'same', n·s + max(k − s, 0) for 'valid'). */
export function transposeLength(n: number, kernel: number, stride: number, padding: Padding, outputPadding: number | null, dilation = 1): number {
  const k = dilation * (kernel - 1) + 1;
  if (outputPadding === null) return padding === 'valid' ? n * stride + Math.max(k - stride, 0) : n * stride;
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (n - 1) * stride + k - 2 * pad + outputPadding;
}

export function transposeAxis(n: number, kernel: number, stride: number, padding: Padding, outputPadding: number | null, dilation = 1): TransposeAxis {
  const out = transposeLength(n, kernel, stride, padding, outputPadding, dilation);
  const full = (n - 1) * stride + dilation * (kernel - 1) + 1;
  // TensorFlow pads the forward ('same') convolution of the output back to the input: half of it, rounded down, comes first.
  const before = padding === 'same' ? Math.floor(Math.max(full - out, 0) / 2) : 0;
  return { out, full, before };
}

/** Keras' output padding parameter: [-1, -1] stands for None. */
export function outputPaddingOf(p: readonly [number, number]): [number, number] | null {
  return p[0] < 0 && p[1] < 0 ? null : [p[0], p[1]];
}
