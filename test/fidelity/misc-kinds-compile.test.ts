import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompileError, compileGraph } from '../../main/compile/compile-graph';
import { analyzeGraph } from '../../graph-schema/infer';
import { kerasModelToGraph } from '../../graph-schema/import/keras-model-graph';
import { GraphBuilder } from '../support/graph-builder';

// PReLU, LayerNormalization, Embedding, GaussianNoise and SpatialDropout2D compiled for TensorFlow.js:
// what tfjs 4.22 cannot train is refused with the reason, SpatialDropout2D's stand-in drops whole channels,
// the seeded embeddings follow the layer's name, and a saved model loads back.

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

describe('compiling the misc kinds for TensorFlow.js', () => {
  it.each(['center', 'scale'] as const)('refuses for training a LayerNormalization without %s, but builds it for inspection with Keras\' count', (off) => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [3, 4] }).node('ln', 'LayerNormalization', { [off]: false }).chain('in', 'ln').build();
    expect(compileError(() => compileGraph(g, { forTraining: true })).message).toMatch(/Node ln: .*without center or scale/);
    const { model } = compileGraph(g);
    expect(model.countParams()).toBe(4);
    model.dispose();
  });

  it('SpatialDropout2D compiles to a Dropout that, while training, zeroes whole channels and scales the rest by 1 / (1 − rate)', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4, 5, 16] }).node('drop', 'SpatialDropout2D', { rate: 0.5 }).chain('in', 'drop').build();
    const { model } = compileGraph(g, { forTraining: true });
    const layer = model.getLayer('drop');
    expect(layer.getClassName()).toBe('Dropout');
    const x = tf.ones([3, 4, 5, 16]);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const values = y.arraySync() as number[][][][];
    let dropped = 0;
    for (const example of values) {
      for (let c = 0; c < 16; c++) {
        const cells = new Set(example.flatMap((row) => row.map((cell) => cell[c]!)));
        expect(cells.size, `channel ${c} is dropped or kept as a whole`).toBe(1);
        const [value] = [...cells];
        expect([0, 2]).toContain(value);
        if (value === 0) dropped++;
      }
    }
    // 48 channels, each dropped with probability 0.5.
    expect(dropped).toBeGreaterThan(5);
    expect(dropped).toBeLessThan(43);
    const inference = layer.apply(x) as tf.Tensor;
    expect(Array.from(inference.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y, inference]);
    model.dispose();
  });

  it('GaussianNoise adds noise of its standard deviation while training, none at inference', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [1000] }).node('noise', 'GaussianNoise', { stddev: 0.5 }).chain('in', 'noise').build();
    const { model } = compileGraph(g, { forTraining: true });
    const layer = model.getLayer('noise');
    const x = tf.zeros([4, 1000]);
    const noisy = layer.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(noisy);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.05);
    expect(Math.sqrt(variance.dataSync()[0]!)).toBeGreaterThan(0.45);
    expect(Math.sqrt(variance.dataSync()[0]!)).toBeLessThan(0.55);
    const clean = layer.apply(x) as tf.Tensor;
    expect(clean.max().dataSync()[0]).toBe(0);
    tf.dispose([x, noisy, mean, variance, clean]);
    model.dispose();
  });

  it("seeds an Embedding's table from the layer's name (Keras' uniform ±0.05), so another layer does not move it", () => {
    const table = (g: ReturnType<GraphBuilder['build']>, seed: number): number[] => {
      const { model } = compileGraph(g, { seed });
      const values = Array.from(model.getLayer('embed').getWeights()[0]!.dataSync());
      model.dispose();
      return values;
    };
    const plain = new GraphBuilder().node('in', 'Input', { shape: [5] }).node('embed', 'Embedding', { inputDim: 20, outputDim: 3 }).node('fl', 'Flatten').chain('in', 'embed', 'fl').build();
    const longer = new GraphBuilder()
      .node('in', 'Input', { shape: [5] })
      .node('embed', 'Embedding', { inputDim: 20, outputDim: 3 })
      .node('fl', 'Flatten')
      .node('head', 'Dense', { units: 4 })
      .chain('in', 'embed', 'fl', 'head')
      .build();
    expect(table(plain, 7)).toEqual(table(longer, 7));
    expect(table(plain, 7)).not.toEqual(table(plain, 8));
    for (const v of table(plain, 7)) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
  });

  it('a model with all five kinds saves and loads back with the same predictions', async () => {
    const g = new GraphBuilder()
      .node('in', 'Input', { shape: [6] })
      .node('embed', 'Embedding', { inputDim: 10, outputDim: 4 })
      .node('ln', 'LayerNormalization', { axis: 1 })
      .node('grid', 'Reshape', { targetShape: [2, 3, 4] })
      .node('prelu', 'PReLU', { sharedAxes: [1, 2] })
      .node('noise', 'GaussianNoise', { stddev: 0.2 })
      .node('drop', 'SpatialDropout2D', { rate: 0.3 })
      .node('fl', 'Flatten')
      .node('out', 'Dense', { units: 2, activation: 'softmax' })
      .chain('in', 'embed', 'ln', 'grid', 'prelu', 'noise', 'drop', 'fl', 'out')
      .build();
    const { model } = compileGraph(g, { seed: 4, forTraining: true });
    const prelu = model.getLayer('prelu');
    prelu.setWeights([tf.randomUniform(prelu.getWeights()[0]!.shape, -0.5, 0.5, 'float32', 3)]);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const ids = tf.tensor2d([0, 3, 9, 1, 1, 5, 2, 8, 7, 6, 4, 0], [2, 6]);
    const a = model.predict(ids) as tf.Tensor;
    const b = loaded.predict(ids) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.getLayer('drop').getConfig()).toMatchObject({ rate: 0.3, noiseShape: [null, 1, 1, null] });
    // Imported back (the saved topology, as `netweave import model.json` reads it): the same kinds and figures.
    const topology = saved!.modelTopology as Record<string, unknown>;
    const imported = kerasModelToGraph(('model_config' in topology ? topology.model_config : topology) as Record<string, unknown>);
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const kinds = new Map(imported.document.graph.nodes.map((n) => [n.label ?? n.id, n]));
    expect(kinds.get('drop')).toMatchObject({ kind: 'SpatialDropout2D', params: { rate: 0.3 } });
    expect(kinds.get('prelu')).toMatchObject({ kind: 'PReLU', params: { sharedAxes: [1, 2] } });
    expect(kinds.get('embed')).toMatchObject({ kind: 'Embedding', params: { inputDim: 10, outputDim: 4 } });
    expect(['LayerNormalization', 'GaussianNoise'].every((k) => [...kinds.values()].some((n) => n.kind === k))).toBe(true);
    expect(analyzeGraph(imported.document.graph).totals).toEqual(analyzeGraph(g).totals);
    tf.dispose([ids, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
