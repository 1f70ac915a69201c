import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLOAT_TOLERANCE, relativeMaxDiff, seededValues, sizeOf, useWasm, valuesOn } from './engine-test-utils';

// Full gradients through tf.grads of the public ops: the wasm results (our
// kernels, reached through tfjs-core's own gradient code) against the cpu backend.

type Shape4 = [number, number, number, number];

interface OpCase {
  name: string;
  xShape: Shape4;
  filterShape: Shape4;
  strides: [number, number];
  pad: 'valid' | 'same';
  /** Separable only: pointwise output channels. */
  pointwise?: number;
}

/** Σ(op(x, w) · probe) makes dy a non-trivial tensor, so every gradient path is exercised. */
function gradientsOf(op: (x: tf.Tensor4D, w: tf.Tensor4D, p?: tf.Tensor4D) => tf.Tensor4D, c: OpCase): (backendName: string) => Promise<Float32Array[]> {
  const x = seededValues(sizeOf(c.xShape), 1);
  const w = seededValues(sizeOf(c.filterShape), 2);
  const pointShape: Shape4 | undefined =
    c.pointwise === undefined ? undefined : [1, 1, (c.filterShape[2]) * c.filterShape[3], c.pointwise];
  const p = pointShape === undefined ? undefined : seededValues(sizeOf(pointShape), 3);
  return (backendName) =>
    valuesOn(backendName, () => {
      const xs = tf.tensor4d(x, c.xShape);
      const ws = tf.tensor4d(w, c.filterShape);
      const ps = p === undefined || pointShape === undefined ? undefined : tf.tensor4d(p, pointShape);
      const probeShape = op(xs, ws, ps).shape;
      const probe = tf.tensor(seededValues(sizeOf(probeShape), 4), probeShape);
      const loss = (...args: tf.Tensor[]) =>
        tf.sum(tf.mul(op(args[0] as tf.Tensor4D, args[1] as tf.Tensor4D, args[2] as tf.Tensor4D | undefined), probe));
      return tf.grads(loss)(ps === undefined ? [xs, ws] : [xs, ws, ps]);
    });
}

async function expectSameGradients(compute: (backendName: string) => Promise<Float32Array[]>): Promise<void> {
  const expected = await compute('cpu');
  const actual = await compute('wasm');
  expect(actual).toHaveLength(expected.length);
  for (const [index, values] of actual.entries()) {
    expect(relativeMaxDiff(values, expected[index]!)).toBeLessThan(FLOAT_TOLERANCE);
  }
}

const CONV_CASES: OpCase[] = [
  { name: 'LeNet conv1: 5x5 same on 28x28x1', xShape: [4, 28, 28, 1], filterShape: [5, 5, 1, 6], strides: [1, 1], pad: 'same' },
  { name: 'LeNet conv2: 5x5 valid on 14x14x6', xShape: [4, 14, 14, 6], filterShape: [5, 5, 6, 16], strides: [1, 1], pad: 'valid' },
  { name: '3x3 stride 2 same, odd input', xShape: [3, 11, 9, 4], filterShape: [3, 3, 4, 5], strides: [2, 2], pad: 'same' },
  { name: '2x3 stride (2,1) valid, even input', xShape: [2, 10, 8, 3], filterShape: [2, 3, 3, 4], strides: [2, 1], pad: 'valid' },
  { name: '1x1 stride 2 (projection shortcut)', xShape: [2, 8, 8, 6], filterShape: [1, 1, 6, 8], strides: [2, 2], pad: 'valid' },
  { name: '7x7 stride 2 same (ResNet stem)', xShape: [1, 20, 20, 3], filterShape: [7, 7, 3, 8], strides: [2, 2], pad: 'same' },
  // Stride area above 9: the input gradient is handed back to wasm's own kernel.
  { name: '8x8 stride 4 valid', xShape: [2, 24, 24, 3], filterShape: [8, 8, 3, 4], strides: [4, 4], pad: 'valid' },
];

const DEPTHWISE_CASES: OpCase[] = [
  { name: '3x3 same multiplier 1', xShape: [2, 10, 10, 4], filterShape: [3, 3, 4, 1], strides: [1, 1], pad: 'same' },
  { name: '3x3 stride 2 same multiplier 2', xShape: [3, 11, 12, 3], filterShape: [3, 3, 3, 2], strides: [2, 2], pad: 'same' },
  { name: '5x5 valid multiplier 2', xShape: [2, 9, 9, 2], filterShape: [5, 5, 2, 2], strides: [1, 1], pad: 'valid' },
  { name: '2x4 stride (1,3) valid multiplier 1', xShape: [1, 8, 13, 5], filterShape: [2, 4, 5, 1], strides: [1, 3], pad: 'valid' },
];

const SEPARABLE_CASES: OpCase[] = [
  { name: '3x3 same, multiplier 1 → 6', xShape: [2, 10, 10, 4], filterShape: [3, 3, 4, 1], strides: [1, 1], pad: 'same', pointwise: 6 },
  { name: '3x3 stride 2 same, multiplier 2 → 5', xShape: [2, 9, 11, 3], filterShape: [3, 3, 3, 2], strides: [2, 2], pad: 'same', pointwise: 5 },
  { name: '5x5 valid, multiplier 1 → 3', xShape: [1, 12, 12, 2], filterShape: [5, 5, 2, 1], strides: [1, 1], pad: 'valid', pointwise: 3 },
];

beforeAll(useWasm);

describe('tf.grads on wasm equals cpu', () => {
  it.each(CONV_CASES.map((c) => [c.name, c] as const))('conv2d: %s', async (_name, c) => {
    await expectSameGradients(gradientsOf((x, w) => tf.conv2d(x, w, c.strides, c.pad), c));
  });

  it.each(DEPTHWISE_CASES.map((c) => [c.name, c] as const))('depthwiseConv2d: %s', async (_name, c) => {
    await expectSameGradients(gradientsOf((x, w) => tf.depthwiseConv2d(x, w, c.strides, c.pad), c));
  });

  it.each(SEPARABLE_CASES.map((c) => [c.name, c] as const))('separableConv2d: %s', async (_name, c) => {
    await expectSameGradients(
      gradientsOf((x, w, p) => {
        if (p === undefined) throw new Error('separable case without pointwise filter');
        return tf.separableConv2d(x, w, p, c.strides, c.pad);
      }, c),
    );
  });

  it('conv2dTranspose (runs Conv2DBackpropInput forward and Conv2DBackpropFilter backward)', async () => {
    const x = seededValues(2 * 5 * 6 * 4, 5);
    const w = seededValues(3 * 3 * 3 * 4, 6);
    await expectSameGradients((backendName) =>
      valuesOn(backendName, () => {
        const loss = (input: tf.Tensor, filter: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2dTranspose(input as tf.Tensor4D, filter as tf.Tensor4D, [2, 10, 12, 3], 2, 'same')));
        return tf.grads(loss)([tf.tensor4d(x, [2, 5, 6, 4]), tf.tensor4d(w, [3, 3, 3, 4])]);
      }),
    );
  });
});
