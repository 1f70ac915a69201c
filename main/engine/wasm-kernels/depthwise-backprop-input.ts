import * as tf from '@tensorflow/tfjs';
import { convGeometry } from './conv-geometry';
import { checkOutputGradientShape, requireInput } from './conv2d-backprop-filter';
import { alignedOutputGradient } from './conv2d-backprop-input';
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
      const { batch, outHeight, outWidth } = geometry;
      const gradientChannels = channels * multiplier;
      checkOutputGradientShape('DepthwiseConv2dNativeBackpropInput', dy.shape, [batch, outHeight, outWidth, gradientChannels]);

      return runComposite(backend as tf.KernelBackend, backendName, (runner) => {
        const aligned = alignedOutputGradient(runner, dy, geometry, gradientChannels);
        if (aligned === null) return runner.run('Fill', {}, { shape: inputShape, value: 0, dtype: 'float32' });
        const flipped = runner.run('Reverse', { x: filter }, { dims: [0, 1] });
        const perTap = runner.view(flipped, [geometry.filterHeight, geometry.filterWidth, gradientChannels, 1]);
        const correlated = runner.run('DepthwiseConv2dNative', { x: aligned.cropped, filter: perTap }, {
          strides: [1, 1],
          dilations: [geometry.dilationHeight, geometry.dilationWidth],
          pad: aligned.pad,
        });
        if (multiplier === 1) return correlated;
        const perMultiplier = runner.view(correlated, [batch, geometry.inHeight, geometry.inWidth, channels, multiplier]);
        return runner.run('Sum', { x: perMultiplier }, { axis: [4], keepDims: false });
      });
    },
  };
}
