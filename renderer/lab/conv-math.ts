/** The numbers of the convolution lesson, computed the way Keras / TensorFlow.js do (pure, tested). */

export const lessonInput: number[][] = [
  [1, 2, 0, 1, 3],
  [0, 1, 3, 2, 1],
  [2, 0, 1, 0, 2],
  [1, 3, 2, 1, 0],
  [0, 2, 1, 3, 1],
];

/** A vertical-edge detector: responds where the left and right columns differ. */
export const lessonKernel: number[][] = [
  [1, 0, -1],
  [2, 0, -2],
  [1, 0, -1],
];

export type Padding = 'valid' | 'same';

export interface ConvGeometry {
  out: number;
  /** Zeros added before the first row/column (after: total − before). */
  padBefore: number;
  padTotal: number;
  /** The formula with the numbers filled in. */
  formula: string;
}

export function convGeometry(n: number, k: number, stride: number, padding: Padding): ConvGeometry {
  if (padding === 'valid') {
    const out = Math.floor((n - k) / stride) + 1;
    return { out, padBefore: 0, padTotal: 0, formula: `out = ⌊(n − k) / s⌋ + 1 = ⌊(${n} − ${k}) / ${stride}⌋ + 1 = ${out}` };
  }
  const out = Math.ceil(n / stride);
  const padTotal = Math.max((out - 1) * stride + k - n, 0);
  const padBefore = Math.floor(padTotal / 2);
  return {
    out,
    padBefore,
    padTotal,
    formula: `out = ⌈n / s⌉ = ⌈${n} / ${stride}⌉ = ${out}; padding p = max((out − 1)·s + k − n, 0) = ${padTotal} (${padBefore} before, ${padTotal - padBefore} after)`,
  };
}

export interface ConvCell {
  row: number;
  col: number;
  /** Top-left of the window in padded coordinates. */
  top: number;
  left: number;
  terms: { input: number; weight: number }[];
  value: number;
}

/** The input with the padding zeros around it. */
export function padded(input: number[][], geometry: ConvGeometry): number[][] {
  const n = input.length;
  const size = n + geometry.padTotal;
  return Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => input[r - geometry.padBefore]?.[c - geometry.padBefore] ?? 0));
}

export function convolve(input: number[][], kernel: number[][], stride: number, padding: Padding): { geometry: ConvGeometry; cells: ConvCell[]; output: number[][] } {
  const k = kernel.length;
  const geometry = convGeometry(input.length, k, stride, padding);
  const grid = padded(input, geometry);
  const cells: ConvCell[] = [];
  const output: number[][] = [];
  for (let row = 0; row < geometry.out; row++) {
    output.push([]);
    for (let col = 0; col < geometry.out; col++) {
      const top = row * stride;
      const left = col * stride;
      const terms: ConvCell['terms'] = [];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) terms.push({ input: grid[top + i]?.[left + j] ?? 0, weight: kernel[i]![j]! });
      const value = terms.reduce((s, t) => s + t.input * t.weight, 0);
      cells.push({ row, col, top, left, terms, value });
      output[row]!.push(value);
    }
  }
  return { geometry, cells, output };
}

export type PoolMode = 'max' | 'average';

export interface PoolCell {
  row: number;
  col: number;
  values: number[];
  value: number;
}

/** 2×2 pooling, stride 2, valid: what MaxPooling2D / AveragePooling2D do by default. */
export function pool(input: number[][], mode: PoolMode): { out: number; formula: string; cells: PoolCell[]; output: number[][] } {
  const n = input.length;
  const out = Math.floor((n - 2) / 2) + 1;
  const cells: PoolCell[] = [];
  const output: number[][] = [];
  for (let row = 0; row < out; row++) {
    output.push([]);
    for (let col = 0; col < out; col++) {
      const values = [input[2 * row]![2 * col]!, input[2 * row]![2 * col + 1]!, input[2 * row + 1]![2 * col]!, input[2 * row + 1]![2 * col + 1]!];
      const value = mode === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / 4;
      cells.push({ row, col, values, value });
      output[row]!.push(value);
    }
  }
  return { out, formula: `out = ⌊(n − 2) / 2⌋ + 1 = ⌊(${n} − 2) / 2⌋ + 1 = ${out}`, cells, output };
}
