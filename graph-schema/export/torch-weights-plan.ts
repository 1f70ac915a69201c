/**
 * How the weights of a TensorFlow.js model map onto the generated PyTorch
 * module: which tensor of which layer becomes which state-dict entry, and
 * how its axes move. Pure data and array work, shared by the code emitter
 * (which names the modules) and the weights writer in main/.
 */

/** TensorFlow.js weight names, without the layer prefix. */
export type TfjsWeightName = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance' | 'depthwise_kernel' | 'pointwise_kernel' | 'alpha' | 'embeddings';

/**
 * conv-kernel: [kh, kw, in, out] → [out, in, kh, kw];
 * depthwise-kernel: [kh, kw, in, multiplier] → [in · multiplier, 1, kh, kw] (output channel c · multiplier + m, as both frameworks order them);
 * conv1d-kernel: [k, in, out] → [out, in, k]; dense-kernel: [in, units] → [units, in]; as-is: vectors.
 */
export type TorchLayout = 'conv-kernel' | 'conv1d-kernel' | 'depthwise-kernel' | 'dense-kernel' | 'as-is';

export interface TorchWeightEntry {
  /** Layer name in the TensorFlow.js model (flattenGraph's name). */
  layer: string;
  weight: TfjsWeightName;
  /** Key in the PyTorch module's state dict, e.g. "conv1.weight". */
  key: string;
  layout: TorchLayout;
}

export interface TorchTensor {
  shape: number[];
  values: Float32Array;
}

/** Moves a TensorFlow.js weight's axes into PyTorch's order. */
export function toTorchLayout(values: Float32Array, shape: readonly number[], layout: TorchLayout): TorchTensor {
  switch (layout) {
    case 'as-is':
      return { shape: [...shape], values: Float32Array.from(values) };
    case 'dense-kernel': {
      const [inputs, units] = shape as [number, number];
      const out = new Float32Array(values.length);
      for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) out[u * inputs + i] = values[i * units + u]!;
      return { shape: [units, inputs], values: out };
    }
    case 'conv-kernel': {
      const [kh, kw, cin, cout] = shape as [number, number, number, number];
      const out = new Float32Array(values.length);
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          for (let c = 0; c < cin; c++)
            for (let o = 0; o < cout; o++) out[((o * cin + c) * kh + i) * kw + j] = values[((i * kw + j) * cin + c) * cout + o]!;
      return { shape: [cout, cin, kh, kw], values: out };
    }
    case 'conv1d-kernel': {
      const [k, cin, cout] = shape as [number, number, number];
      const out = new Float32Array(values.length);
      for (let i = 0; i < k; i++) for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) out[(o * cin + c) * k + i] = values[(i * cin + c) * cout + o]!;
      return { shape: [cout, cin, k], values: out };
    }
    case 'depthwise-kernel': {
      const [kh, kw, cin, mult] = shape as [number, number, number, number];
      const out = new Float32Array(values.length);
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          for (let c = 0; c < cin; c++)
            for (let m = 0; m < mult; m++) out[((c * mult + m) * kh + i) * kw + j] = values[((i * kw + j) * cin + c) * mult + m]!;
      return { shape: [cin * mult, 1, kh, kw], values: out };
    }
  }
}
