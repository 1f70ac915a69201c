import { describe, expect, it } from 'vitest';
import { resizeBilinear } from '../../main/datasets';

describe('resizeBilinear (half-pixel centres)', () => {
  it('upsamples a 1×2 row to 1×4 as a, ¾a+¼b, ¼a+¾b, b', () => {
    const [a, b] = [0.2, 1];
    const out = resizeBilinear(Float32Array.from([a, b]), 1, 2, 1, 1, 4);
    const expected = [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b];
    expected.forEach((value, i) => expect(out[i]).toBeCloseTo(value, 6));
  });

  it('halves a 4×4 image into the means of its 2×2 blocks, each channel on its own', () => {
    const height = 4;
    const width = 4;
    const channels = 2;
    const value = (y: number, x: number, c: number) => (y * 4 + x) / 16 + c * 0.5 + (x % 2) * 0.01;
    const source = new Float32Array(height * width * channels);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) source[(y * width + x) * channels + c] = value(y, x, c);
    const out = resizeBilinear(source, height, width, channels, 2, 2);
    for (let oy = 0; oy < 2; oy++) {
      for (let ox = 0; ox < 2; ox++) {
        for (let c = 0; c < channels; c++) {
          const mean = (value(2 * oy, 2 * ox, c) + value(2 * oy, 2 * ox + 1, c) + value(2 * oy + 1, 2 * ox, c) + value(2 * oy + 1, 2 * ox + 1, c)) / 4;
          expect(out[(oy * 2 + ox) * channels + c]).toBeCloseTo(mean, 6);
        }
      }
    }
  });

  it('interpolates both axes at once: 2×2 to 3×3 puts the mean of all four in the centre', () => {
    const source = Float32Array.from([0, 1, 2, 5]);
    const out = resizeBilinear(source, 2, 2, 1, 3, 3);
    // Output index 1 of 3 samples input position (1.5 · 2/3) − 0.5 = 0.5: halfway on both axes.
    expect(out[4]).toBeCloseTo((0 + 1 + 2 + 5) / 4, 6);
    // Output index 0 samples (0.5 · 2/3) − 0.5 < 0: clamped to the corner.
    expect(out[0]).toBeCloseTo(0, 6);
    expect(out[8]).toBeCloseTo(5, 6);
    // Top edge, middle: halfway between 0 and 1.
    expect(out[1]).toBeCloseTo(0.5, 6);
  });

  it('returns a copy when the size does not change, and stretches a single pixel everywhere', () => {
    const source = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    const same = resizeBilinear(source, 2, 2, 1, 2, 2);
    expect(Array.from(same)).toEqual(Array.from(source));
    expect(same).not.toBe(source);
    const stretched = resizeBilinear(Float32Array.from([0.7, 0.3, 0.1]), 1, 1, 3, 2, 3);
    for (let p = 0; p < 6; p++) expect(Array.from(stretched.subarray(p * 3, p * 3 + 3))).toEqual(Array.from(Float32Array.from([0.7, 0.3, 0.1])));
  });
});
