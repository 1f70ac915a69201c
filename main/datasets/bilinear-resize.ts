/**
 * Bilinear resize of a height×width×channels image (row-major, channels last) with half-pixel
 * centres: output pixel i samples the input at (i + 0.5) · in/out − 0.5, clamped to the edges.
 * This matches TensorFlow's resize_bilinear with half_pixel_centers and PIL without antialiasing.
 */
export function resizeBilinear(
  source: Float32Array,
  inHeight: number,
  inWidth: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): Float32Array {
  if (inHeight === outHeight && inWidth === outWidth) return source.slice();
  const rows = samplePositions(inHeight, outHeight);
  const cols = samplePositions(inWidth, outWidth);
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    const { low: y0, high: y1, weight: wy } = rows[oy]!;
    for (let ox = 0; ox < outWidth; ox++) {
      const { low: x0, high: x1, weight: wx } = cols[ox]!;
      const topLeft = (y0 * inWidth + x0) * channels;
      const topRight = (y0 * inWidth + x1) * channels;
      const bottomLeft = (y1 * inWidth + x0) * channels;
      const bottomRight = (y1 * inWidth + x1) * channels;
      const target = (oy * outWidth + ox) * channels;
      for (let c = 0; c < channels; c++) {
        const top = source[topLeft + c]! + (source[topRight + c]! - source[topLeft + c]!) * wx;
        const bottom = source[bottomLeft + c]! + (source[bottomRight + c]! - source[bottomLeft + c]!) * wx;
        out[target + c] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

/** For each output index: the two input neighbours and the weight of the upper one. */
function samplePositions(inSize: number, outSize: number): { low: number; high: number; weight: number }[] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const position = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, inSize - 1);
    return { low, high, weight: position - low };
  });
}
