import * as tf from '@tensorflow/tfjs';
import { convGeometry, explicitPadding, filterGradientAxis } from './conv-geometry';
import { dimAt, runComposite } from './kernel-runner';

/**
 * Filter gradient of Conv2D, built on the backend's own Conv2D:
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} x_pad[n, oh·s + kh·d, ow·s + kw·d, ci] · dy[n,oh,ow,co]
 * is a convolution whose batch is ci, whose input channels are n, whose input
 * is x laid out as [ci, h, w, n] and whose filter is dy laid out as
 * [oh, ow, n, co]; the forward stride becomes its dilation and the forward
 * dilation its stride. Output [ci, kh, kw, co] is transposed back.
 */
export function conv2dBackpropFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const x = requireInput(inputs, 'x');
      const dy = requireInput(inputs, 'dy');
      const filterShape = attrs['filterShape'] as number[];
      const geometry = convGeometry('Conv2DBackpropFilter', x.shape, filterShape, attrs, false);
      const outChannels = dimAt(filterShape, 3);
      checkOutputGradientShape('Conv2DBackpropFilter', dy.shape, [geometry.batch, geometry.outHeight, geometry.outWidth, outChannels]);

      return runComposite(backend as tf.KernelBackend, backendName, (runner) => {
        const rows = filterGradientAxis(
          geometry.inHeight, geometry.padTop, geometry.filterHeight,
          geometry.dilationHeight, geometry.outHeight, geometry.strideHeight,
        );
        const cols = filterGradientAxis(
          geometry.inWidth, geometry.padLeft, geometry.filterWidth,
          geometry.dilationWidth, geometry.outWidth, geometry.strideWidth,
        );
        const channelsFirst = runner.transpose(x, [3, 1, 2, 0]);
        const gradientAsFilter = runner.transpose(dy, [1, 2, 0, 3]);
        const correlated = runner.run('Conv2D', { x: channelsFirst, filter: gradientAsFilter }, {
          strides: [geometry.dilationHeight, geometry.dilationWidth],
          dilations: [geometry.strideHeight, geometry.strideWidth],
          pad: explicitPadding(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter),
          dataFormat: 'NHWC',
        });
        const taps = runner.slice(correlated, [0, 0, 0, 0], [
          geometry.inChannels, geometry.filterHeight, geometry.filterWidth, outChannels,
        ]);
        return runner.transpose(taps, [1, 2, 0, 3]);
      });
    },
  };
}

export function requireInput(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const tensor = inputs[name];
  if (tensor === undefined) throw new Error(`Missing kernel input '${name}'.`);
  return tensor;
}

export function checkOutputGradientShape(kernelName: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((dim, axis) => dim !== expected[axis])) {
    throw new Error(`${kernelName}: dy has shape [${actual}] but the forward convolution gives [${expected}].`);
  }
}
