import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompileError, compileGraph } from '../../main/compile/compile-graph';
import { relativeMaxDiff, seededValues, useWasm } from '../engine/engine-test-utils';
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

  it('refuses for training BatchNormalization off the last axis, but builds it for inspection', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [3, 4] }).node('bn', 'BatchNormalization', { axis: 1 }).chain('in', 'bn').build();
    expect(compileError(() => compileGraph(g, { forTraining: true })).message).toMatch(/Node bn: .*axis/);
    const { model } = compileGraph(g);
    expect(model.countParams()).toBe(12);
    model.dispose();
  });

  for (const off of ['center', 'scale'] as const) {
    it(`trains BatchNormalization with ${off} off (a constant ${off === 'center' ? 'β = 0' : 'γ = 1'}), with Keras' counts, the same on wasm as on cpu`, async () => {
      const g = new GraphBuilder()
        .node('in', 'Input', { shape: [4] })
        .node('d', 'Dense', { units: 3 })
        .node('bn', 'BatchNormalization', { [off]: false })
        .chain('in', 'd', 'bn')
        .build();
      const run = async (backend: string): Promise<{ loss: number; weights: Float32Array[]; trainable: number }> => {
        if (backend === 'wasm') await useWasm();
        else await tf.setBackend(backend);
        const { model, analysis } = compileGraph(g, { seed: 3, forTraining: true });
        const size = (ws: tf.LayerVariable[]): number => ws.reduce((n, w) => n + w.shape.reduce((a, b) => (a as number) * (b as number), 1)!, 0);
        const trainable = size(model.trainableWeights);
        expect(trainable).toBe(analysis.nodes.get('d')!.paramCount.trainable + analysis.nodes.get('bn')!.paramCount.trainable);
        expect(size(model.nonTrainableWeights)).toBe(analysis.nodes.get('bn')!.paramCount.nonTrainable);
        model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
        const x = tf.tensor2d(seededValues(32, 5), [8, 4]);
        const y = tf.tensor2d(seededValues(24, 6), [8, 3]);
        let loss = 0;
        for (let i = 0; i < 5; i++) loss = (await model.trainOnBatch(x, y)) as number;
        const bn = model.getLayer('bn');
        expect(bn.weights.some((w) => w.originalName.endsWith(off === 'scale' ? '/gamma' : '/beta'))).toBe(false);
        const weights = bn.getWeights().map((w) => Float32Array.from(w.dataSync()));
        tf.dispose([x, y]);
        model.dispose();
        return { loss, weights, trainable };
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      await tf.setBackend('cpu');
      // The remaining affine weight trained away from its initial value.
      expect(Array.from(cpu.weights[0]!)).not.toEqual(Array(3).fill(off === 'scale' ? 0 : 1));
      expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4);
      cpu.weights.forEach((w, i) => expect(relativeMaxDiff(wasm.weights[i]!, w)).toBeLessThan(1e-4));
    });
  }

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

  it('predicts a layer fed the same tensor twice while another layer still needs it (tfjs would free it early)', () => {
    // d feeds m twice and a once: TensorFlow.js 4.22's predict released d after m without the pass-through.
    const g = new GraphBuilder()
      .node('in', 'Input', { shape: [3] })
      .node('d', 'Dense', { units: 3 })
      .node('m', 'Multiply', {})
      .node('a', 'Add', {})
      .chain('in', 'd')
      .edge('d', 'm')
      .edge('d', 'm')
      .edge('d', 'a')
      .edge('m', 'a')
      .build();
    const { model } = compileGraph(g, { seed: 1 });
    const x = tf.tensor2d([[1, -2, 0.5]]);
    const y = model.predict(x) as tf.Tensor;
    const d = tf.model({ inputs: model.inputs, outputs: model.getLayer('d').output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
    const dv = Array.from(d.dataSync());
    const expected = dv.map((v) => v * v + v);
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    tf.dispose([x, y, d]);
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

  it('seeds each layer from its name, so removing another layer leaves its initial weights alone', () => {
    const kernel = (g: ReturnType<GraphBuilder['build']>): number[] => {
      const { model } = compileGraph(g, { seed: 11 });
      const values = Array.from(model.getLayer('y').getWeights()[0]!.dataSync());
      model.dispose();
      return values;
    };
    const withExtra = new GraphBuilder().node('in', 'Input', { shape: [5] }).node('extra', 'Dense', { units: 5 }).node('y', 'Dense', { units: 4 }).chain('in', 'extra', 'y').build();
    const without = new GraphBuilder().node('in', 'Input', { shape: [5] }).node('y', 'Dense', { units: 4 }).chain('in', 'y').build();
    expect(kernel(withExtra)).toEqual(kernel(without));
    const renamed = new GraphBuilder().node('in', 'Input', { shape: [5] }).node('z', 'Dense', { units: 4 }).chain('in', 'z').build();
    const { model } = compileGraph(renamed, { seed: 11 });
    expect(Array.from(model.getLayer('z').getWeights()[0]!.dataSync())).not.toEqual(kernel(without));
    model.dispose();
  });
});
