import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ConvCase,
  dilatedCases,
  dyShapeOf,
  filterShapeOf,
  referenceConfigOf,
  undilatedCases,
  xShapeOf,
} from './conv-cases';
import { FLOAT_TOLERANCE, relativeMaxDiff, seededValues, sizeOf, useWasm, valuesOn } from './engine-test-utils';
import { referenceFilterGradient, referenceInputGradient } from './reference-conv-gradients';

// Each kernel is called exactly as tfjs-core's gradient code calls it (same input names and attrs).

function filterGradientOn(backendName: string, c: ConvCase, x: Float32Array, dy: Float32Array): Promise<Float32Array[]> {
  const kernelName = c.depthwise ? 'DepthwiseConv2dNativeBackpropFilter' : 'Conv2DBackpropFilter';
  const attrs: tf.NamedAttrMap = c.depthwise
    ? { strides: c.strides, pad: c.pad, dilations: c.dilations, filterShape: filterShapeOf(c) }
    : { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: filterShapeOf(c) };
  // tfjs never passes dilations to Conv2DBackpropFilter; our kernel honours them when given (TensorFlow's op has them).
  if (!c.depthwise && (c.dilations[0] > 1 || c.dilations[1] > 1)) attrs['dilations'] = c.dilations;
  return valuesOn(backendName, () =>
    tf.engine().runKernel(kernelName, { x: tf.tensor4d(x, xShapeOf(c)), dy: tf.tensor4d(dy, dyShapeOf(c)) }, attrs) as tf.Tensor,
  );
}

function inputGradientOn(backendName: string, c: ConvCase, filter: Float32Array, dy: Float32Array): Promise<Float32Array[]> {
  const kernelName = c.depthwise ? 'DepthwiseConv2dNativeBackpropInput' : 'Conv2DBackpropInput';
  const attrs: tf.NamedAttrMap = c.depthwise
    ? { strides: c.strides, pad: c.pad, dilations: c.dilations, inputShape: xShapeOf(c) }
    : { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: xShapeOf(c) };
  if (!c.depthwise && (c.dilations[0] > 1 || c.dilations[1] > 1)) attrs['dilations'] = c.dilations;
  return valuesOn(backendName, () =>
    tf.engine().runKernel(kernelName, { dy: tf.tensor4d(dy, dyShapeOf(c)), filter: tf.tensor4d(filter, filterShapeOf(c)) }, attrs) as tf.Tensor,
  );
}

function dataFor(c: ConvCase, seed: number): { x: Float32Array; dy: Float32Array; filter: Float32Array } {
  return {
    x: seededValues(sizeOf(xShapeOf(c)), seed),
    dy: seededValues(sizeOf(dyShapeOf(c)), seed + 1),
    filter: seededValues(sizeOf(filterShapeOf(c)), seed + 2),
  };
}

beforeAll(useWasm);

describe.each([false, true])('filter gradient (depthwise: %s) on wasm', (depthwise) => {
  it.each(undilatedCases(depthwise).map((c, index) => [c.name, c, index] as const))('%s matches the cpu backend', async (_name, c, index) => {
    const { x, dy } = dataFor(c, index * 7 + 1);
    const [expected] = await filterGradientOn('cpu', c, x, dy);
    const [actual] = await filterGradientOn('wasm', c, x, dy);
    expect(actual).toHaveLength(sizeOf(filterShapeOf(c)));
    expect(relativeMaxDiff(actual!, expected!)).toBeLessThan(FLOAT_TOLERANCE);
  });

  // The cpu backend's gradient kernels ignore dilation, so dilated cases are checked against the definition.
  it.each(dilatedCases(depthwise).map((c, index) => [c.name, c, index] as const))('%s matches the definition', async (_name, c, index) => {
    const { x, dy } = dataFor(c, index * 11 + 3);
    const [actual] = await filterGradientOn('wasm', c, x, dy);
    const expected = referenceFilterGradient(referenceConfigOf(c), x, dy);
    expect(relativeMaxDiff(actual!, expected)).toBeLessThan(FLOAT_TOLERANCE);
  });
});

describe.each([false, true])('input gradient (depthwise: %s) on wasm', (depthwise) => {
  it.each(undilatedCases(depthwise).map((c, index) => [c.name, c, index] as const))('%s matches the cpu backend', async (_name, c, index) => {
    const { filter, dy } = dataFor(c, index * 5 + 2);
    const [expected] = await inputGradientOn('cpu', c, filter, dy);
    const [actual] = await inputGradientOn('wasm', c, filter, dy);
    expect(actual).toHaveLength(sizeOf(xShapeOf(c)));
    expect(relativeMaxDiff(actual!, expected!)).toBeLessThan(FLOAT_TOLERANCE);
  });

  it.each(dilatedCases(depthwise).map((c, index) => [c.name, c, index] as const))('%s matches the definition', async (_name, c, index) => {
    const { filter, dy } = dataFor(c, index * 13 + 5);
    const [actual] = await inputGradientOn('wasm', c, filter, dy);
    const expected = referenceInputGradient(referenceConfigOf(c), filter, dy);
    expect(relativeMaxDiff(actual!, expected)).toBeLessThan(FLOAT_TOLERANCE);
  });
});

describe('the plain-loop reference used for dilated cases', () => {
  // If the reference agrees with tfjs' cpu kernels wherever those are right, it is a fair judge where they are not.
  it('agrees with the cpu backend on every undilated case', async () => {
    const cases = [...undilatedCases(false), ...undilatedCases(true)];
    let worst = 0;
    for (const [index, c] of cases.entries()) {
      const { x, dy, filter } = dataFor(c, index * 3 + 9);
      const [cpuFilter] = await filterGradientOn('cpu', c, x, dy);
      const [cpuInput] = await inputGradientOn('cpu', c, filter, dy);
      worst = Math.max(
        worst,
        relativeMaxDiff(referenceFilterGradient(referenceConfigOf(c), x, dy), cpuFilter!),
        relativeMaxDiff(referenceInputGradient(referenceConfigOf(c), filter, dy), cpuInput!),
      );
    }
    expect(worst).toBeLessThan(FLOAT_TOLERANCE);
    await tf.setBackend('wasm');
  });
});
