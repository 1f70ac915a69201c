import { seededRandom, shuffleInPlace } from '../datasets/seeded-random';

/** The data sets' mulberry32 generator: a seed fixes batch order and dropout masks on every machine. */
export const createSeededRandom = seededRandom;

/**
 * The example order of every epoch of a run: epoch e uses the generator's
 * e-th shuffle of 0..count-1 (or the identity without shuffling). The
 * benchmark's reference loops replay exactly this order.
 */
export function epochOrders(count: number, seed: number, shuffle: boolean): () => Int32Array {
  const random = seededRandom(seed ^ 0x5bd1e995);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return () => (shuffle ? shuffleInPlace(order, random) : order).slice();
}
