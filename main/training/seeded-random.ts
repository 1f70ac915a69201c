/** mulberry32: small, fast and the same on every machine, so a seed fixes batch order and dropout masks. */
export function createSeededRandom(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates over `order` in place, drawing from `random`. */
export function shuffleIndices(order: Int32Array, random: () => number): Int32Array {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = order[i]!;
    order[i] = order[j]!;
    order[j] = held;
  }
  return order;
}

/**
 * The example order of every epoch of a run: epoch e uses the generator's
 * e-th shuffle of 0..count-1 (or the identity without shuffling). The
 * benchmark's reference loops replay exactly this order.
 */
export function epochOrders(count: number, seed: number, shuffle: boolean): () => Int32Array {
  const random = createSeededRandom(seed ^ 0x5bd1e995);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return () => (shuffle ? shuffleIndices(order, random) : order).slice();
}
