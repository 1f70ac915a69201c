/**
 * The seed of one initializer of one layer: a hash of the run seed, the layer's stable name (node id,
 * or block node id / local id) and the config key. Never the layer's position, so two graphs that
 * share a layer give it the same initial weights.
 */
export function layerSeed(runSeed: number, stableName: string, configKey: string): number {
  // FNV-1a, 32 bits: small, fast and stable across platforms.
  let hash = 0x811c9dc5;
  const text = `${runSeed}\u0000${stableName}\u0000${configKey}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
