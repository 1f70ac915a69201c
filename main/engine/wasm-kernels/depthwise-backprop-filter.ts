import * as tf from '@tensorflow/tfjs';
import { convGeometry, explicitPadding, filterGradientAxis } from './conv-geometry';
import { checkOutputGradientShape, requireInput } from './conv2d-backprop-filter';
import { dimAt, runComposite } from './kernel-runner';

/**
 * Filter gradient of DepthwiseConv2dNative, built on the backend's own
 * depthwise convolution:
 *   dW[kh,kw,c,m] = Σ_{n,oh,ow} x_pad[n, oh·s + kh·d, ow·s + kw·d, c] · dy[n,oh,ow,c·M+m]
 * Treating every (n, c) pair as its own channel turns this into one depthwise
 * convolution of x laid out as [1, h, w, n·c] with dy laid out as
 * [oh, ow, n·c, M] (stride and dilation swap roles), followed by a sum over n.
 */
export function depthwiseBackpropFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const x = requireInput(inputs, 'x');
      const dy = requireInput(inputs, 'dy');
      const filterShape = attrs['filterShape'] as number[];
      const geometry = convGeometry('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, attrs, true);
      const channels = geometry.inChannels;
      const multiplier = dimAt(filterShape, 3);
      const { batch, outHeight, outWidth } = geometry;
      checkOutputGradientShape('DepthwiseConv2dNativeBackpropFilter', dy.shape, [batch, outHeight, outWidth, channels * multiplier]);

      return runComposite(backend as tf.KernelBackend, backendName, (runner) => {
        const rows = filterGradientAxis(
          geometry.inHeight, geometry.padTop, geometry.filterHeight,
          geometry.dilationHeight, outHeight, geometry.strideHeight,
        );
        const cols = filterGradientAxis(
          geometry.inWidth, geometry.padLeft, geometry.filterWidth,
          geometry.dilationWidth, outWidth, geometry.strideWidth,
        );
        // Batch next to channels keeps each copy a contiguous run of channels.
        const xBatchInChannels = runner.view(
          runner.transpose(x, [1, 2, 0, 3]),
          [1, geometry.inHeight, geometry.inWidth, batch * channels],
        );
        const dyAsFilter = runner.view(
          runner.transpose(dy, [1, 2, 0, 3]),
          [outHeight, outWidth, batch * channels, multiplier],
        );
        const correlated = runner.run('DepthwiseConv2dNative', { x: xBatchInChannels, filter: dyAsFilter }, {
          strides: [geometry.dilationHeight, geometry.dilationWidth],
          dilations: [geometry.strideHeight, geometry.strideWidth],
          pad: explicitPadding(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter),
        });
        const taps = runner.slice(correlated, [0, 0, 0, 0], [
          1, geometry.filterHeight, geometry.filterWidth, batch * channels * multiplier,
        ]);
        const perBatch = runner.view(taps, [geometry.filterHeight, geometry.filterWidth, batch, channels * multiplier]);
        const summed = batch === 1 ? perBatch : runner.run('Sum', { x: perBatch }, { axis: [2], keepDims: false });
        return runner.view(summed, [geometry.filterHeight, geometry.filterWidth, channels, multiplier]);
      });
    },
  };
}
