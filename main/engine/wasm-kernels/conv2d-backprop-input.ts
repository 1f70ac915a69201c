import * as tf from '@tensorflow/tfjs';
import { convGeometry, explicitPadding, inputGradientAxis, type ConvGeometry } from './conv-geometry';
import { checkOutputGradientShape, requireInput } from './conv2d-backprop-filter';
import { dimAt, runComposite, type KernelRunner } from './kernel-runner';

/** Largest stride area (strideHeight × strideWidth) at which spreading dy still beats wasm's own loop. */
export const MAX_SPREAD_STRIDE_AREA = 9;

/**
 * Input gradient of Conv2D (a transposed convolution) on the backend's own
 * Conv2D (XNNPACK on wasm), replacing wasm's plain-loop kernel, which takes
 * about half of a LeNet-5 training step:
 *   dx[n,h,w,ci] = Σ_{kh,kw,co} dy[n,oh,ow,co] · W[kh,kw,ci,co]  where h + top = oh·s + kh·d.
 * A forward stride is undone by spreading dy with s-1 zeros between values;
 * then a stride-1 convolution with the spatially flipped filter whose channel
 * axes are swapped ([kh, kw, co, ci]) gives dx.
 *
 * Spreading costs stride² more multiply-adds; past stride 3×3 that can lose
 * to the plain loop (measured: 8×8 filter, stride 4, 3 input channels: 24 ms
 * against 7 ms), so those calls go to `original` when one is given.
 */
export function conv2dBackpropInputKernel(backendName: string, original?: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs = {} } = args;
      const dy = requireInput(inputs, 'dy');
      const filter = requireInput(inputs, 'filter');
      const inputShape = attrs['inputShape'] as number[];
      const geometry = convGeometry('Conv2DBackpropInput', inputShape, filter.shape, attrs, false);
      const undilated = geometry.dilationHeight === 1 && geometry.dilationWidth === 1;
      if (original !== undefined && undilated && geometry.strideHeight * geometry.strideWidth > MAX_SPREAD_STRIDE_AREA) {
        return original.kernelFunc(args);
      }
      const outChannels = dimAt(filter.shape, 3);
      const { batch, outHeight, outWidth } = geometry;
      checkOutputGradientShape('Conv2DBackpropInput', dy.shape, [batch, outHeight, outWidth, outChannels]);

      return runComposite(backend as tf.KernelBackend, backendName, (runner) => {
        const aligned = alignedOutputGradient(runner, dy, geometry, outChannels);
        if (aligned === null) return runner.run('Fill', {}, { shape: inputShape, value: 0, dtype: 'float32' });
        const flipped = runner.run('Reverse', { x: filter }, { dims: [0, 1] });
        const transposedFilter = runner.transpose(flipped, [0, 1, 3, 2]);
        return runner.run('Conv2D', { x: aligned.cropped, filter: transposedFilter }, {
          strides: [1, 1],
          dilations: [geometry.dilationHeight, geometry.dilationWidth],
          pad: aligned.pad,
          dataFormat: 'NHWC',
        });
      });
    },
  };
}

/**
 * The output gradient spread by the strides and cropped to the positions that
 * reach the input, with the padding that correlating it with the flipped
 * filter needs; null when
 * no input position reaches any output (the gradient is then zero).
 */
export function alignedOutputGradient(
  runner: KernelRunner,
  dy: tf.TensorInfo,
  geometry: ConvGeometry,
  channels: number,
): { cropped: tf.TensorInfo; pad: ReturnType<typeof explicitPadding> } | null {
  const spread = spreadByStride(runner, dy, geometry.strideHeight, geometry.strideWidth);
  const rows = inputGradientAxis(geometry.inHeight, geometry.padTop, geometry.filterHeight, geometry.dilationHeight, dimAt(spread.shape, 1));
  const cols = inputGradientAxis(geometry.inWidth, geometry.padLeft, geometry.filterWidth, geometry.dilationWidth, dimAt(spread.shape, 2));
  if (rows.keep <= 0 || cols.keep <= 0) return null;
  return {
    cropped: runner.slice(spread, [0, rows.cropBefore, cols.cropBefore, 0], [geometry.batch, rows.keep, cols.keep, channels]),
    pad: explicitPadding(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter),
  };
}

/**
 * Puts stride-1 zeros after every row and column of an NHWC tensor (the
 * trailing ones are harmless extra zero padding), with one PadV2 on a rank-6
 * view; returns the tensor itself when both strides are 1.
 */
export function spreadByStride(
  runner: KernelRunner,
  tensor: tf.TensorInfo,
  strideHeight: number,
  strideWidth: number,
): tf.TensorInfo {
  if (strideHeight === 1 && strideWidth === 1) return tensor;
  const batch = dimAt(tensor.shape, 0);
  const height = dimAt(tensor.shape, 1);
  const width = dimAt(tensor.shape, 2);
  const channels = dimAt(tensor.shape, 3);
  const padded = runner.run('PadV2', { x: runner.view(tensor, [batch, height, 1, width, 1, channels]) }, {
    paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
    constantValue: 0,
  });
  return runner.view(padded, [batch, height * strideHeight, width * strideWidth, channels]);
}
