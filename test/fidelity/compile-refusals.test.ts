import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompileError, compileGraph } from '../../main/compile/compile-graph';
import { GraphBuilder } from '../support/graph-builder';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function compileError(build: () => unknown): CompileError {
  try {
    build();
  } catch (err) {
    if (err instanceof CompileError) return err;
    throw err;
  }
  throw new Error('expected a CompileError');
}

describe('compiler', () => {
  it('refuses a graph with error diagnostics, naming the node', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4, 4, 1] }).node('c', 'Conv2D', { kernelSize: [9, 9] }).chain('in', 'c').build();
    const err = compileError(() => compileGraph(g));
    expect(err.code).toBe('graph-invalid');
    expect(err.message).toContain('node c');
  });

  it('refuses DepthwiseConv2D with dilation, which TensorFlow.js would silently ignore', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [12, 12, 2] }).node('dw', 'DepthwiseConv2D', { dilationRate: [2, 2] }).chain('in', 'dw').build();
    expect(compileError(() => compileGraph(g)).message).toMatch(/Node dw: .*dilation/);
  });

  it('refuses for training what TensorFlow.js cannot train, but builds it for inspection', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4] }).node('bn', 'BatchNormalization', { center: false }).chain('in', 'bn').build();
    expect(compileError(() => compileGraph(g, { forTraining: true })).message).toMatch(/Node bn: .*center or scale/);
    const { model } = compileGraph(g);
    expect(model.countParams()).toBe(12);
    model.dispose();
  });

  it('resolves a -1 in Reshape so the next layers see a known size', () => {
    const g = new GraphBuilder()
      .node('in', 'Input', { shape: [6, 4] })
      .node('r', 'Reshape', { targetShape: [-1, 2] })
      .node('f', 'Flatten')
      .node('d', 'Dense', { units: 3 })
      .chain('in', 'r', 'f', 'd')
      .build();
    const { model } = compileGraph(g);
    expect(model.getLayer('r').outputShape).toEqual([null, 12, 2]);
    expect(model.countParams()).toBe(24 * 3 + 3);
    model.dispose();
  });

  it('concatenates on the axis asked for when it is negative but not the last', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [3, 5, 2] }).node('m', 'Concatenate', { axis: -3 }).edge('in', 'm').edge('in', 'm').build();
    const { model } = compileGraph(g);
    expect(model.getLayer('m').outputShape).toEqual([null, 6, 5, 2]);
    const x = tf.tensor4d(Array.from({ length: 30 }, (_, i) => i), [1, 3, 5, 2]);
    const y = model.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync()).slice(30)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('gives the same initial weights for the same seed, and others for another', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [5] }).node('d', 'Dense', { units: 4 }).chain('in', 'd').build();
    const weights = (seed: number): number[] => {
      const { model } = compileGraph(g, { seed });
      const values = Array.from(model.getLayer('d').getWeights()[0]!.dataSync());
      model.dispose();
      return values;
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
  });
});
