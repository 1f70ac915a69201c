import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { makePlainTwin } from '../../graph-schema/plain-twin';
import { deepMlpGraph } from '../../graph-schema/templates/deep-mlp';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadDataset } from '../../main/datasets/index';
import { gradientStep, layerSteps, weightedLayers } from '../../main/training/gradient-norms';
import { computeLoss, encodeTargets, planTargets } from '../../main/training/losses';
import { prepareData } from '../../main/training/prepare-data';
import { TrainingRunner } from '../../main/training/run-training';
import { TrainingLoop } from '../../main/training/train-loop';
import { resolveTrainingSettings } from '../../main/training/training-settings';
import type { LayerGradientNorm } from '../../shared/training-types';
import { useWasm } from '../engine/engine-test-utils';

beforeAll(useWasm);

const l2 = (tensors: tf.Tensor[]): number => Math.sqrt(tensors.reduce((sum, t) => sum + tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]!), 0));
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

describe('gradient norms per layer', () => {
  it('match tf.variableGrads (weights) and tf.grads on the layer output (activations) to 1e-4 relative', () => {
    // A plain chain, so that dLoss/d(output of layer k) can be taken independently by running the layers after k.
    const graph = deepMlpGraph(false, 4, 6);
    graph.nodes[0]!.params = { shape: [12] };
    const { model } = compileGraph(graph, { seed: 5 });
    const x = tf.randomUniform([16, 12], -1, 1, 'float32', 3);
    const targets = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10).toFloat();
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layers = weightedLayers(model);
    const step = tf.tidy(() => {
      const s = gradientStep(model, layerSteps(model), layers, variables, x, (out) => computeLoss('categoricalCrossentropy', targets, out), { instrument: true, probe: true });
      return [s.weightSquares!, s.activationSquares!];
    });
    const weight = Array.from(step[0]!.dataSync(), Math.sqrt);
    const activation = Array.from(step[1]!.dataSync(), Math.sqrt);
    tf.dispose(step);
    expect(weight).toHaveLength(5);

    const { grads } = tf.variableGrads(() => computeLoss('categoricalCrossentropy', targets, model.apply(x, { training: true }) as tf.Tensor), variables);
    layers.forEach((layer, i) => {
      const expected = l2(layer.variables.map((v) => grads[variables[v]!.name]!));
      expect(expected).toBeGreaterThan(0);
      expect(relative(weight[i]!, expected)).toBeLessThan(1e-4);
    });
    tf.dispose(Object.values(grads));

    const dense = model.layers.slice(1);
    dense.forEach((layer, k) => {
      const hidden = tf.tidy(() => dense.slice(0, k + 1).reduce<tf.Tensor>((h, l) => l.apply(h) as tf.Tensor, x));
      const rest = (h: tf.Tensor): tf.Scalar => computeLoss('categoricalCrossentropy', targets, dense.slice(k + 1).reduce<tf.Tensor>((t, l) => l.apply(t) as tf.Tensor, h));
      const g = tf.grad(rest)(hidden);
      expect(relative(activation[k]!, l2([g]))).toBeLessThan(1e-4);
      tf.dispose([hidden, g]);
    });
    tf.dispose([x, targets]);
    model.dispose();
  });

  it("the loop's epoch norms are those of its one batch, computed independently on the same initial weights", async () => {
    const document = createDocument(deepMlpGraph(true, 6, 8), 'residual', { dataset: 'mnist', batchSize: 64, epochs: 1, shuffle: false, validationSplit: 0, seed: 9, optimizer: 'sgd', learningRate: 0.1 });
    const settings = resolveTrainingSettings(document, {});
    const dataset = await loadDataset('mnist', { limit: 64, seed: 1 });
    const a = compileGraph(document.graph, { seed: 9 }).model;
    const b = compileGraph(document.graph, { seed: 9 }).model;
    const plan = planTargets(settings.loss, a.outputs[0]!.shape, dataset.numClasses);
    const data = prepareData(dataset, a.inputs[0]!.shape, 0);
    const n = data.train.count;
    // Independent: the whole (single) batch in order, through tf.variableGrads on the twin model b.
    const x = tf.tensor(data.train.x.subarray(0, n * 784), [n, 784]);
    const y = encodeTargets(tf.tensor1d(data.train.y.subarray(0, n), 'int32'), plan);
    const bVars = b.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => computeLoss(settings.loss, y, b.apply(x, { training: true }) as tf.Tensor), bVars);
    const expected = weightedLayers(b).map((l) => l2(l.variables.map((v) => grads[bVars[v]!.name]!)));
    tf.dispose([x, y, ...Object.values(grads)]);

    let norms: LayerGradientNorm[] = [];
    const loop = new TrainingLoop(a, data, { settings, plan, onEpoch: (e) => void (norms = e.gradientNorms ?? []) });
    await loop.run();
    loop.dispose();
    expect(norms.map((g) => g.depth)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(norms[0]!.nodeId).toBe('dense1');
    norms.forEach((g, i) => {
      expect(relative(g.weightNorm, expected[i]!)).toBeLessThan(1e-4);
      expect(g.activationNorm).toBeGreaterThan(0);
    });
    a.dispose();
    b.dispose();
  });
});

describe('a graph and its plain twin', () => {
  it('start from the same weights for the layers they share (seeds from stable names)', () => {
    const residual = createDocument(deepMlpGraph(true, 6, 8), 'r');
    const plain = makePlainTwin(residual);
    const a = compileGraph(residual.graph, { seed: 1 }).model;
    const b = compileGraph(plain.graph, { seed: 1 }).model;
    const names = b.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.name);
    expect(names).toHaveLength(7);
    for (const name of names) {
      const wa = a.getLayer(name).getWeights();
      const wb = b.getLayer(name).getWeights();
      expect(wb.length).toBe(wa.length);
      wa.forEach((t, i) => expect(Array.from(wb[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
    }
    const other = compileGraph(plain.graph, { seed: 2 }).model;
    expect(Array.from(other.getLayer('dense3').getWeights()[0]!.dataSync())).not.toEqual(Array.from(b.getLayer('dense3').getWeights()[0]!.dataSync()));
    [a, b, other].forEach((m) => m.dispose());
  });
});

describe('tensor leaks', () => {
  it('20 instrumented runs (runner disposed after each) leave the tensor count flat', async () => {
    const document = createDocument(deepMlpGraph(true, 4, 4), 'tiny', { dataset: 'xor', epochs: 2, batchSize: 2, validationSplit: 0 });
    document.graph.nodes[0]!.params = { shape: [2] };
    document.graph.nodes.find((n) => n.id === 'output')!.params = { units: 2, activation: 'softmax' };
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      let failed = '';
      const runner = new TrainingRunner({ document, engine: 'wasm', seed: i }, { emit: (e) => void (e.type === 'error' && (failed = e.message)), shouldStop: () => false });
      await runner.run();
      expect(failed).toBe('');
      runner.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1)).size).toBe(1);
  });
});
