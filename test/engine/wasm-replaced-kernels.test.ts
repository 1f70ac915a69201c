import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { originalWasmKernel, WASM_REPLACED_KERNEL_NAMES } from '../../main/engine/wasm-kernels/register-wasm-training-kernels';
import { FLOAT_TOLERANCE, relativeMaxDiff, seededValues, sizeOf, useWasm, valuesOn } from './engine-test-utils';

// Kernels wasm has but runs slowly, which we route through faster ones:
// the results must still be the cpu backend's.

beforeAll(useWasm);

describe('replacement bookkeeping', () => {
  it('keeps the original of every replaced kernel and registers a different function', () => {
    for (const kernelName of WASM_REPLACED_KERNEL_NAMES) {
      const original = originalWasmKernel(kernelName);
      expect(original, kernelName).toBeDefined();
      expect(tf.getKernel(kernelName, 'wasm')?.kernelFunc).not.toBe(original?.kernelFunc);
    }
  });
});

describe('BatchMatMul and _FusedMatMul with transposed operands', () => {
  const cases = [
    { a: [7, 5], b: [5, 3], transposeA: false, transposeB: false },
    { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
    { a: [7, 5], b: [3, 5], transposeA: false, transposeB: true },
    { a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
    { a: [2, 4, 6], b: [2, 3, 4], transposeA: true, transposeB: true },
    { a: [3, 6, 4], b: [1, 6, 5], transposeA: true, transposeB: false },
    { a: [64, 400], b: [64, 120], transposeA: true, transposeB: false },
    { a: [64, 120], b: [400, 120], transposeA: false, transposeB: true },
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('matMul %s matches cpu', async (_name, c) => {
    const a = seededValues(sizeOf(c.a), 1);
    const b = seededValues(sizeOf(c.b), 2);
    const compute = (backendName: string) =>
      valuesOn(backendName, () => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.transposeA, c.transposeB));
    const [expected] = await compute('cpu');
    const [actual] = await compute('wasm');
    expect(relativeMaxDiff(actual!, expected!)).toBeLessThan(FLOAT_TOLERANCE);
  });

  it.each(cases.filter((c) => c.a.length === 2).map((c) => [JSON.stringify(c), c] as const))(
    'fused matMul + bias + relu %s matches cpu',
    async (_name, c) => {
      const a = seededValues(sizeOf(c.a), 3);
      const b = seededValues(sizeOf(c.b), 4);
      const outColumns = (c.transposeB ? c.b[0] : c.b[1]) as number;
      const bias = seededValues(outColumns, 5);
      const compute = (backendName: string) =>
        valuesOn(backendName, () =>
          tf.fused.matMul({
            a: tf.tensor2d(a, c.a as [number, number]),
            b: tf.tensor2d(b, c.b as [number, number]),
            transposeA: c.transposeA,
            transposeB: c.transposeB,
            bias: tf.tensor1d(bias),
            activation: 'relu',
          }),
        );
      const [expected] = await compute('cpu');
      const [actual] = await compute('wasm');
      expect(relativeMaxDiff(actual!, expected!)).toBeLessThan(FLOAT_TOLERANCE);
    },
  );
});

describe('MaxPoolGrad', () => {
  const cases = [
    { shape: [64, 28, 28, 6], size: 2, stride: 2, pad: 'valid' },
    { shape: [3, 7, 9, 4], size: 2, stride: 2, pad: 'valid' },
    { shape: [3, 7, 9, 4], size: 2, stride: 2, pad: 'same' },
    { shape: [2, 8, 7, 3], size: 3, stride: 3, pad: 'same' },
    { shape: [2, 9, 9, 3], size: 3, stride: 2, pad: 'valid' },
    { shape: [2, 8, 8, 3], size: 3, stride: 2, pad: 'same' },
    { shape: [2, 8, 8, 3], size: 3, stride: 1, pad: 'same' },
    { shape: [1, 6, 10, 2], size: [2, 3], stride: [1, 2], pad: 'valid' },
  ] as const;

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s matches cpu, ties included', async (_name, c) => {
    // Rounded ReLU outputs: most windows hold equal values, so the tie rule matters.
    const raw = seededValues(sizeOf(c.shape), 7).map((v) => Math.max(0, Math.round(v * 4)));
    const compute = (backendName: string) =>
      valuesOn(backendName, () =>
        tf.grad((x: tf.Tensor) => {
          const pooled = tf.maxPool(x as tf.Tensor4D, c.size as [number, number], c.stride as [number, number], c.pad);
          return tf.sum(tf.mul(pooled, tf.tensor(seededValues(sizeOf(pooled.shape), 8), pooled.shape)));
        })(tf.tensor4d(raw, c.shape as unknown as [number, number, number, number])),
      );
    const [expected] = await compute('cpu');
    const [actual] = await compute('wasm');
    expect(relativeMaxDiff(actual!, expected!)).toBeLessThan(FLOAT_TOLERANCE);
  });

  it('sends a tied window\'s gradient to its first maximum, like TensorFlow and the cpu backend', async () => {
    const [actual] = await valuesOn('wasm', () =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(
        tf.tensor4d([1, 3, 5, 5, 3, 0, 5, 5, 0, 0, 2, 7, 0, 0, 1, 7], [1, 4, 4, 1]),
      ),
    );
    // Windows (row-major): [1 3; 3 0] → 3 first at (0,1); [5 5; 5 5] → (0,2); [0 0; 0 0] → (2,0); [2 7; 1 7] → (2,3).
    expect(Array.from(actual!)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
  });
});
