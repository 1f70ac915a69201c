import type { LayerProblem } from '../diagnostics';
import type { Padding, Shape } from '../shape';
import { windowOutputSize } from '../shape';
import { rankProblem } from './common';
import type { KerasConfigReader } from './keras-config-read';

/** What the 1-D kinds (Conv1D, the 1-D poolings) share: a (steps, channels) input and a window sliding along the steps. */

/** Requires a rank-3 (batch, steps, channels) input with known sizes. */
export function requireSequence(kind: string, input: Shape): { steps: number; c: number } | LayerProblem {
  if (input.length !== 3) return rankProblem(kind, 'a sequence tensor (steps, channels)', input);
  const [, steps, c] = input;
  if (steps === null || c === null || steps === undefined || c === undefined) {
    return { code: 'unknown-dimension', message: `${kind} needs known steps and channels. Fix the Input shape or the Reshape before it.` };
  }
  return { steps, c };
}

/** Output steps of a 1-D window; a problem when the window does not fit. */
export function windowOutput1d(kind: string, steps: number, kernel: number, stride: number, padding: Padding, dilation: number, param: string): number | LayerProblem {
  const out = windowOutputSize(steps, kernel, stride, padding, dilation);
  if (out <= 0) {
    return {
      code: 'spatial-underflow',
      param,
      message: `${kind}: a window of ${dilation * (kernel - 1) + 1} steps does not fit ${steps} steps with "valid" padding. Use a smaller window, "same" padding, or a longer input.`,
    };
  }
  return out;
}

/** The output length of a 1-D window, worked with this node's numbers. */
export function windowText1d(steps: unknown, kernel: number, stride: number, padding: Padding, dilation = 1): string | undefined {
  if (typeof steps !== 'number') return undefined;
  if (padding === 'same') return `steps = ceil(${steps} / ${stride}) = ${Math.ceil(steps / stride)}`;
  const out = Math.floor((steps - dilation * (kernel - 1) - 1) / stride) + 1;
  return `steps = floor((${steps} − ${dilation === 1 ? '' : `${dilation}·`}(${kernel} − 1) − 1) / ${stride}) + 1 = ${out}`;
}

/** A 1-D size Keras writes as an int or a one-element tuple. */
export function readSingle(r: KerasConfigReader, key: string, fallback: number): number {
  const v = r.get(key);
  if (Array.isArray(v) && v.length === 1) return r.ints(key, [fallback])[0]!;
  return r.int(key, fallback);
}

/** Pooling windows along the steps: Keras' strides default to the pool size. */
export function readPooling1d(r: KerasConfigReader): Record<string, unknown> {
  r.channelsLast();
  const poolSize = readSingle(r, 'poolSize', 2);
  return { poolSize, strides: r.has('strides') ? readSingle(r, 'strides', poolSize) : poolSize, padding: r.choice('padding', ['valid', 'same'], 'valid') };
}
