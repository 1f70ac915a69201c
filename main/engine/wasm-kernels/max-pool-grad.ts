import * as tf from '@tensorflow/tfjs';
import { requireInput } from './conv2d-backprop-filter';

type PadAttr = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type RoundingAttr = 'floor' | 'round' | 'ceil' | undefined;

/** The part of tfjs' wasm backend this kernel works with: tensors live in its heap. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(tensor: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function isHeapBackend(backend: unknown): backend is HeapBackend {
  const candidate = backend as Partial<HeapBackend> | null;
  return typeof candidate?.makeOutput === 'function' && typeof candidate.typedArrayFromHeap === 'function';
}

/**
 * MaxPoolGrad as one pass over the wasm heap: per window, find the first
 * maximum in row-major window order (what the cpu backend and TensorFlow
 * pick; wasm's own kernel picks the last one on ties) and add dy there.
 * wasm's kernel re-scans every window for every input pixel and took about a
 * fifth of a LeNet-5 training step; composing ArgMax/OneHot/Transpose was no
 * faster, so this is a direct loop, vectorised over channels.
 */
export function maxPoolGradKernel(original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'MaxPoolGrad',
    backendName: original.backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const attrs = args.attrs ?? {};
      const input = requireInput(args.inputs, 'input');
      const dy = requireInput(args.inputs, 'dy');
      const backend = args.backend;
      if (input.dtype !== 'float32' || dy.dtype !== 'float32' || !isHeapBackend(backend)) {
        return original.kernelFunc(args);
      }
      const info = tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        attrs['filterSize'] as number | [number, number],
        attrs['strides'] as number | [number, number],
        1,
        attrs['pad'] as PadAttr,
        attrs['dimRoundingMode'] as RoundingAttr,
      );
      const dx = backend.makeOutput(input.shape, 'float32');
      // Views are taken after the allocation above: growing the heap detaches older views.
      // float32 tensors give Float32Array views; typing them so keeps the loop monomorphic.
      const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
      const xValues = backend.typedArrayFromHeap(input) as Float32Array;
      const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
      accumulateMaxPoolGradient(info, xValues, dyValues, dxValues);
      return dx;
    },
  };
}

export function accumulateMaxPoolGradient(
  info: tf.backend_util.Conv2DInfo,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const { filterHeight, filterWidth } = info;
  const rowStride = inWidth * channels;
  dx.fill(0);
  let dyOffset = 0;
  for (let b = 0; b < batchSize; b++) {
    const batchOffset = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const colStart = ow * strideWidth - left;
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let kh = 0; kh < filterHeight; kh++) {
            const h = rowStart + kh * dilationHeight;
            if (h < 0 || h >= inHeight) continue;
            const rowOffset = batchOffset + h * rowStride + c;
            for (let kw = 0; kw < filterWidth; kw++) {
              const w = colStart + kw * dilationWidth;
              if (w < 0 || w >= inWidth) continue;
              const index = rowOffset + w * channels;
              const value = x[index] as number;
              // Strictly greater: the first maximum in scan order wins (padding never does).
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0) dx[bestIndex] = (dx[bestIndex] as number) + (dy[dyOffset + c] as number);
        }
        dyOffset += channels;
      }
    }
  }
}
