import type { Padding } from '../shape';
import { transposeAxis } from '../kinds/transpose-geometry';

/** One axis of an ONNX ConvTranspose: input length, kernel, stride, dilation, pads at both ends, output_padding. */
export interface OnnxTransposeAxis {
  n: number;
  kernel: number;
  stride: number;
  dilation: number;
  padBegin: number;
  padEnd: number;
  outputPadding: number;
}

/** ONNX's output length: s·(n − 1) + output_padding + d·(k − 1) + 1 − pads. */
export function onnxTransposeLength(a: OnnxTransposeAxis): number {
  return a.stride * (a.n - 1) + a.outputPadding + a.dilation * (a.kernel - 1) + 1 - a.padBegin - a.padEnd;
}

/**
 * The Keras Conv2DTranspose settings (padding, output padding; [-1, -1] = inferred) that compute the
 * same as an ONNX ConvTranspose's pads and output_padding on both axes, or null when none does
 * (e.g. pads Keras never makes). Tries the inferred size first, so our own exports come back as drawn.
 */
export function kerasTransposeSettings(axes: readonly [OnnxTransposeAxis, OnnxTransposeAxis]): { padding: Padding; outputPadding: [number, number] } | null {
  const wanted = axes.map((a) => ({ out: onnxTransposeLength(a), before: a.padBegin }));
  const matches = (padding: Padding, a: OnnxTransposeAxis, op: number | null, i: number): boolean => {
    const t = transposeAxis(a.n, a.kernel, a.stride, padding, op, a.dilation);
    return t.out === wanted[i]!.out && t.before === wanted[i]!.before;
  };
  for (const padding of ['valid', 'same'] as const) {
    if (axes.every((a, i) => matches(padding, a, null, i))) return { padding, outputPadding: [-1, -1] };
  }
  for (const padding of ['valid', 'same'] as const) {
    const found = axes.map((a, i) => {
      for (let op = 0; op < a.stride; op++) if (matches(padding, a, op, i)) return op;
      return -1;
    });
    if (found.every((op) => op >= 0)) return { padding, outputPadding: [found[0]!, found[1]!] };
  }
  return null;
}
