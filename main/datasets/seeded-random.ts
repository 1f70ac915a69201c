/** A small, fast, seedable generator (mulberry32): the same seed gives the same shuffles on every machine. */
export function seededRandom(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place, of an array or a typed array. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(items: A, random: () => number): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = items[i];
    items[i] = items[j];
    items[j] = held;
  }
  return items;
}

/** `count` distinct indices drawn from [0, total), in random order. */
export function sampleIndices(total: number, count: number, random: () => number): number[] {
  const pool = Array.from({ length: total }, (_, i) => i);
  const take = Math.min(count, total);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (total - i));
    const held = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = held;
  }
  return pool.slice(0, take);
}
