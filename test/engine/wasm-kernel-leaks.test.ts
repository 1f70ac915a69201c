import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues, sizeOf, useWasm } from './engine-test-utils';

// Every composite kernel frees its intermediates: after its output is
// disposed, the tensor count and the backend's own buffer count are back
// where they were. (tf.memory() counts only what the engine sees; buffers a
// kernel makes internally show up only in the backend's numDataIds.) Cases cover the paths that make extra buffers (stride spreading,
// cropping, channel multipliers, transposed operands, padded pooling).

interface KernelCall {
  name: string;
  run: () => tf.Tensor;
}

function tensorOf(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(sizeOf(shape), seed), shape);
}

const CALLS: KernelCall[] = [
  {
    name: 'Conv2DBackpropFilter, stride 2 valid (output cropped)',
    run: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tensorOf([2, 10, 10, 3], 1), dy: tensorOf([2, 4, 4, 5], 2) },
      { strides: [2, 2], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 5] }) as tf.Tensor,
  },
  {
    name: 'Conv2DBackpropFilter, one input channel (views only around the conv)',
    run: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tensorOf([4, 8, 8, 1], 3), dy: tensorOf([4, 8, 8, 6], 4) },
      { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [5, 5, 1, 6] }) as tf.Tensor,
  },
  {
    name: 'Conv2DBackpropInput, stride 2 same (spread + crop)',
    run: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tensorOf([2, 5, 5, 4], 5), filter: tensorOf([3, 3, 3, 4], 6) },
      { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [2, 10, 10, 3] }) as tf.Tensor,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter, multiplier 2, batch 3',
    run: () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tensorOf([3, 9, 9, 2], 7), dy: tensorOf([3, 5, 5, 4], 8) },
      { strides: [2, 2], pad: 'same', dilations: [1, 1], filterShape: [3, 3, 2, 2] }) as tf.Tensor,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropInput, multiplier 2, stride 2',
    run: () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tensorOf([3, 5, 5, 4], 9), filter: tensorOf([3, 3, 2, 2], 10) },
      { strides: [2, 2], pad: 'same', dilations: [1, 1], inputShape: [3, 9, 9, 2] }) as tf.Tensor,
  },
  {
    name: 'BatchMatMul with both operands transposed',
    run: () => tf.matMul(tensorOf([6, 4], 11) as tf.Tensor2D, tensorOf([5, 6], 12) as tf.Tensor2D, true, true),
  },
  {
    name: 'MaxPoolGrad with same padding',
    run: () => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'same')))(tensorOf([2, 7, 7, 3], 13)),
  },
];

beforeAll(useWasm);

function backendBuffers(): number {
  return tf.backend().numDataIds();
}

describe('no leaks in the wasm kernels', () => {
  it.each(CALLS.map((call) => [call.name, call] as const))('%s', (_name, call) => {
    // Inputs are made inside the measured region too, and disposed with the output.
    const before = tf.memory();
    const buffersBefore = backendBuffers();
    for (let repeat = 0; repeat < 5; repeat++) {
      tf.tidy(() => {
        call.run();
      });
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.numBytes).toBe(before.numBytes);
    expect(backendBuffers()).toBe(buffersBefore);
  });

  it('a kernel call that fails on a bad shape leaves nothing behind', () => {
    const x = tensorOf([2, 8, 8, 3], 14);
    const wrongDy = tensorOf([2, 5, 5, 4], 15);
    const before = tf.memory();
    const buffersBefore = backendBuffers();
    expect(() =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: wrongDy },
        { strides: [1, 1], pad: 'same', dilations: [1, 1], filterShape: [3, 3, 3, 1] }),
    ).toThrow(/dy has shape/);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(backendBuffers()).toBe(buffersBefore);
    tf.dispose([x, wrongDy]);
  });

  it('training steps through tf.grads keep memory flat', () => {
    const x = tensorOf([8, 12, 12, 2], 16);
    const convFilter = tf.variable(tensorOf([3, 3, 2, 4], 17));
    const depthFilter = tf.variable(tensorOf([3, 3, 4, 2], 18));
    const step = (): void => {
      tf.tidy(() => {
        const grads = tf.grads((w1: tf.Tensor, w2: tf.Tensor) => {
          const h = tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'));
          return tf.sum(tf.square(tf.depthwiseConv2d(h, w2 as tf.Tensor4D, 1, 'valid')));
        })([convFilter, depthFilter]);
        convFilter.assign(tf.sub(convFilter, tf.mul(grads[0]!, 1e-3)));
        depthFilter.assign(tf.sub(depthFilter, tf.mul(grads[1]!, 1e-3)));
      });
    };
    step();
    const before = tf.memory();
    const buffersBefore = backendBuffers();
    for (let repeat = 0; repeat < 10; repeat++) step();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(backendBuffers()).toBe(buffersBefore);
    tf.dispose([x, convFilter, depthFilter]);
  });
});
