/** A tensor shape with the batch dimension first, as Keras and TensorFlow.js report it: [null, 28, 28, 1]. */
export type Dim = number | null;
export type Shape = readonly Dim[];

export type Padding = 'valid' | 'same';

/** Output size of one spatial axis of a convolution or pooling window (Keras semantics). */
export function windowOutputSize(n: number, kernel: number, stride: number, padding: Padding, dilation = 1): number {
  if (padding === 'same') return Math.ceil(n / stride);
  return Math.floor((n - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Total padding Keras/TF applies on one axis for `same`; the extra one goes bottom/right. */
export function samePadding(n: number, kernel: number, stride: number, dilation = 1): { before: number; after: number } {
  const effective = dilation * (kernel - 1) + 1;
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + effective - n, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}

export function formatShape(shape: Shape | null | undefined): string {
  if (!shape) return '?';
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** Shape without the batch axis, e.g. "28×28×1", for compact labels on edges. */
export function formatShapeCompact(shape: Shape | null | undefined): string {
  if (!shape) return '?';
  return shape
    .slice(1)
    .map((d) => (d === null ? '?' : String(d)))
    .join('×');
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of the non-batch dimensions; null when any is unknown. */
export function elementCount(shape: Shape): number | null {
  let n = 1;
  for (let i = 1; i < shape.length; i++) {
    const d = shape[i];
    if (d === null || d === undefined) return null;
    n *= d;
  }
  return n;
}
