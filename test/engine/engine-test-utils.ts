import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../../main/engine/init-engine';

/** Starts the wasm engine (with our kernels) once per test file; later calls are cheap. */
export async function useWasm(): Promise<void> {
  const info = await initEngine('wasm');
  if (info.backend !== 'wasm') throw new Error(`expected the wasm backend, got ${info.backend}`);
}

/** Deterministic values in [-0.5, 0.5) (a linear congruential generator; no dependency on tf's RNG). */
export function seededValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 4294967296 - 0.5;
  }
  return values;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Runs `compute` on `backendName` and returns its values, leaving no tensor behind. */
export async function valuesOn(backendName: string, compute: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backendName);
  const outputs = tf.tidy(compute);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const values = await Promise.all(list.map(async (tensor) => Float32Array.from(await tensor.data())));
  tf.dispose(list);
  return values;
}

/** max |a - b| divided by max |b| (b is the reference): the error relative to the result's scale. */
export function relativeMaxDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Number.POSITIVE_INFINITY;
    maxDiff = Math.max(maxDiff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return maxDiff / Math.max(scale, 1e-12);
}

export const FLOAT_TOLERANCE = 1e-4;
