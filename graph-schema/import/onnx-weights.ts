/**
 * ONNX weight layouts → TensorFlow.js's (the inverse of the exporter's onnxWeightLayout): conv kernels
 * OIHW → HWIO, depthwise (C·M)×1×H×W → H×W×C×M, Gemm matrices with transB → [in, units], and the rows
 * of a Dense kernel that read NCHW-flattened data re-ordered for our NHWC Flatten.
 */

export function convKernelToHwio(w: Float32Array, outC: number, inC: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < outC; o++)
    for (let i = 0; i < inC; i++)
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * inC + i) * outC + o] = w[((o * inC + i) * kh + y) * kw + x]!;
  return out;
}

export function depthwiseKernelToHwim(w: Float32Array, channels: number, mult: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let c = 0; c < channels; c++)
    for (let m = 0; m < mult; m++)
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * channels + c) * mult + m] = w[((c * mult + m) * kh + y) * kw + x]!;
  return out;
}

/** A Gemm/MatMul weight as a Dense kernel [in, units]. */
export function denseKernelFrom(w: Float32Array, dims: [number, number], transB: boolean): { kernel: Float32Array; units: number } {
  if (!transB) return { kernel: Float32Array.from(w), units: dims[1] };
  const [units, inputs] = dims;
  const out = new Float32Array(w.length);
  for (let u = 0; u < units; u++) for (let i = 0; i < inputs; i++) out[i * units + u] = w[u * inputs + i]!;
  return { kernel: out, units };
}

/** Rows in ONNX's C,H,W flatten order → our H,W,C order. */
export function flattenRowsToNhwc(k: Float32Array, [h, w, c]: [number, number, number], units: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) out.set(k.subarray(((ch * h + y) * w + x) * units, ((ch * h + y) * w + x + 1) * units), ((y * w + x) * c + ch) * units);
  return out;
}
