import type { Shape } from '../shape';

type Pair = readonly [number, number];

function axisText(n: number, k: number, s: number, d: number, padding: string): string {
  if (padding === 'same') return `ceil(${n} / ${s}) = ${Math.ceil(n / s)}`;
  const out = Math.floor((n - d * (k - 1) - 1) / s) + 1;
  const dil = d === 1 ? `(${k} − 1)` : `${d}·(${k} − 1)`;
  return `floor((${n} − ${dil} − 1) / ${s}) + 1 = ${out}`;
}

/** The output height and width of a sliding window, worked with this node's numbers. */
export function windowText(input: Shape, kernel: Pair, strides: Pair, padding: string, dilation: Pair = [1, 1]): string | undefined {
  const h = input[1];
  const w = input[2];
  if (typeof h !== 'number' || typeof w !== 'number') return undefined;
  const rows = axisText(h, kernel[0], strides[0], dilation[0], padding);
  const cols = axisText(w, kernel[1], strides[1], dilation[1], padding);
  return rows === cols ? `height = width = ${rows}` : `height = ${rows}; width = ${cols}`;
}

/** The last (channel) size of a shape. */
export function channelsOf(shape: Shape): number | null {
  return shape[shape.length - 1] ?? null;
}
