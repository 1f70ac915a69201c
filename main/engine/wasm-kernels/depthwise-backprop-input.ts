import * as tf from '@tensorflow/tfjs';
import { convGeometry, explicitPadding, inputGradientAxis } from './conv-geometry';
import { checkOutputGradientShape, requireInput } from './conv2d-backprop-filter';
import { spreadByStride } from './conv2d-backprop-input';
import { dimAt, runComposite } from './kernel-runner';

/**
 * Input gradient of DepthwiseConv2dNative (a transposed depthwise
 * convolution), built on the backend's own kernels:
 *   dx[n,h,w,c] = Σ_{kh,kw,m} dy[n,oh,ow,c·M+m] · W[kh,kw,c,m]  where h + top = oh·s + kh·d.
 * A forward stride is undone by spreading dy with s-1 zeros between values
 * (one PadV2 on a rank-6 view); then a stride-1 depthwise correlation with the
 * spatially flipped filter, dilated like the forward pass, gives one value
 * per (c, m); summing over m gives dx.
 */
export function depthwiseBackpropInputKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backendName,
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const dy = requireInput(inputs, 'dy');
      const filter = requireInput(inputs, 'filter');
      const inputShape = attrs['inputShape'] as number[];
      const geometry = convGeometry('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape, attrs, true);
      const channels = geometry.inChannels;
      const multiplier = dimAt(filter.shape, 3);
      const { batch, outHeight, outWidth, strideHeight, strideWidth } = geometry;
      const gradientChannels = channels * multiplier;
      checkOutputGradientShape('DepthwiseConv2dNativeBackpropInput', dy.shape, [batch, outHeight, outWidth, gradientChannels]);

      return runComposite(backend as tf.KernelBackend, backendName, (runner) => {
        const spread = spreadByStride(runner, dy, strideHeight, strideWidth);
        const rows = inputGradientAxis(
          geometry.inHeight, geometry.padTop, geometry.filterHeight, geometry.dilationHeight, dimAt(spread.shape, 1),
        );
        const cols = inputGradientAxis(
          geometry.inWidth, geometry.padLeft, geometry.filterWidth, geometry.dilationWidth, dimAt(spread.shape, 2),
        );
        if (rows.keep <= 0 || cols.keep <= 0) {
          // No input position reaches any output: the gradient is zero.
          return runner.run('Fill', {}, { shape: inputShape, value: 0, dtype: 'float32' });
        }
        const cropped = runner.slice(spread, [0, rows.cropBefore, cols.cropBefore, 0], [
          batch, rows.keep, cols.keep, gradientChannels,
        ]);
        const flipped = runner.run('Reverse', { x: filter }, { dims: [0, 1] });
        const perTap = runner.view(flipped, [geometry.filterHeight, geometry.filterWidth, gradientChannels, 1]);
        const correlated = runner.run('DepthwiseConv2dNative', { x: cropped, filter: perTap }, {
          strides: [1, 1],
          dilations: [geometry.dilationHeight, geometry.dilationWidth],
          pad: explicitPadding(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter),
        });
        if (multiplier === 1) return correlated;
        const perMultiplier = runner.view(correlated, [batch, geometry.inHeight, geometry.inWidth, channels, multiplier]);
        return runner.run('Sum', { x: perMultiplier }, { axis: [4], keepDims: false });
      });
    },
  };
}
