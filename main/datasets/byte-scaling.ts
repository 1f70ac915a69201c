/** byteToUnit[v] = v / 255: pixel bytes to [0, 1] through a table, which is faster than dividing each value. */
export const byteToUnit: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = v / 255;
  return table;
})();

export function bytesToUnitFloats(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = byteToUnit[bytes[i]!]!;
  return out;
}

/** Thousands separators for sizes and counts in messages. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
