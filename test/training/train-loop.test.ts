import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadDataset } from '../../main/datasets/index';
import { planTargets } from '../../main/training/losses';
import { prepareData } from '../../main/training/prepare-data';
import { TrainingLoop } from '../../main/training/train-loop';
import { resolveTrainingSettings } from '../../main/training/training-settings';
import { useWasm } from '../engine/engine-test-utils';
import { GraphBuilder } from '../support/graph-builder';
import { floats, runInProcess, smallMnistMlp, templateDocument } from './training-test-utils';

beforeAll(useWasm);

describe('training loop (on the test thread, wasm engine)', () => {
  it('learns XOR to 100% with the mlp-xor template', async () => {
    const run = await runInProcess({ document: templateDocument('mlp-xor'), epochs: 25, batchSize: 8, engine: 'wasm' });
    expect(run.error).toBeUndefined();
    expect(run.finished?.evaluation?.count).toBe(4);
    expect(run.finished?.evaluation?.accuracy).toBe(1);
    expect(run.epochs.at(-1)!.loss).toBeLessThan(run.epochs[0]!.loss);
  });

  it('gives identical losses for the same seed (dropout included) and different ones for another seed', async () => {
    const request = (seed: number) => ({ document: templateDocument('mlp-mnist'), limit: 400, epochs: 2, seed, engine: 'wasm' });
    const a = await runInProcess(request(3));
    const b = await runInProcess(request(3));
    const c = await runInProcess(request(4));
    const losses = (r: typeof a) => r.epochs.map((e) => e.loss);
    expect(losses(a)).toHaveLength(2);
    expect(losses(b)).toEqual(losses(a));
    expect(floats(b.models.at(-1)!.serialized.weightData)).toEqual(floats(a.models.at(-1)!.serialized.weightData));
    expect(losses(c)).not.toEqual(losses(a));
    expect(floats(c.models[0]!.serialized.weightData)).not.toEqual(floats(a.models[0]!.serialized.weightData));
  });

  it('leaks no tensors: the count is the same after every epoch and back to the start after dispose', async () => {
    const document = smallMnistMlp({ epochs: 4, validationSplit: 0.2 });
    const settings = resolveTrainingSettings(document, { epochs: 4 });
    const dataset = await loadDataset('mnist', { limit: 300, seed: 1 });
    const { model } = compileGraph(document.graph, { seed: 1 });
    const before = tf.memory().numTensors;
    const plan = planTargets(settings.loss, model.outputs[0]!.shape, dataset.numClasses);
    const counts: number[] = [];
    const loop = new TrainingLoop(model, prepareData(dataset, model.inputs[0]!.shape, settings.validationSplit), {
      settings,
      plan,
      onEpoch: (e) => void counts.push(e.numTensors!),
    });
    await loop.run();
    loop.dispose();
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stopping in the middle of an epoch puts back the weights of the last finished epoch', async () => {
    let batchesInSecondEpoch = 0;
    const run = await runInProcess({ document: smallMnistMlp(), limit: 3000, batchSize: 8, epochs: 3, engine: 'wasm' }, (event) => {
      if (event.type !== 'batch' || event.epoch !== 2 || event.batch >= event.batchesPerEpoch) return false;
      batchesInSecondEpoch = event.batch;
      return true;
    });
    expect(batchesInSecondEpoch).toBeGreaterThan(0);
    expect(run.finished).toMatchObject({ stopped: true, epochsCompleted: 1 });
    // Shipped: initial weights, epoch 1, then the model as the stop left it.
    const [initial, epoch1, final] = run.models.map((m) => floats(m.serialized.weightData));
    expect(run.models).toHaveLength(3);
    expect(final).toEqual(epoch1);
    expect(epoch1).not.toEqual(initial);
  });

  it('reports a NaN or infinite loss as loss-not-finite and keeps finite weights', async () => {
    const graph = new GraphBuilder().node('input', 'Input', { shape: [784] }).node('output', 'Dense', { units: 10 }).chain('input', 'output').build();
    const document = createDocument(graph, 'linear', { dataset: 'mnist', loss: 'meanSquaredError', optimizer: 'sgd', learningRate: 10 });
    const run = await runInProcess({ document, limit: 500, epochs: 2, engine: 'wasm' });
    expect(run.error?.code).toBe('loss-not-finite');
    expect(run.error?.message).toMatch(/learning rate/);
    expect(run.finished).toBeUndefined();
    expect(floats(run.models.at(-1)!.serialized.weightData).every(Number.isFinite)).toBe(true);
  });

  it('refuses a data set whose examples do not fit the Input layer, before training, naming the dimension', async () => {
    const run = await runInProcess({ document: templateDocument('lenet5'), dataset: 'xor', epochs: 1, engine: 'wasm' });
    expect(run.error?.code).toBe('dataset-shape-mismatch');
    expect(run.error?.message).toMatch(/784/);
    expect(run.events.some((e) => e.type === 'started' || e.type === 'batch')).toBe(false);
  });

  it('feeds 28×28×1 examples to a 784-vector input (same element count) and reaches a sane accuracy', async () => {
    const run = await runInProcess({ document: smallMnistMlp(), limit: 2000, epochs: 2, engine: 'wasm' });
    expect(run.error).toBeUndefined();
    expect(run.finished!.evaluation!.accuracy).toBeGreaterThan(0.8);
    const evaluation = run.finished!.evaluation!;
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(evaluation.count);
    expect(evaluation.samples).toHaveLength(12);
    expect(evaluation.samples[0]!.image).toHaveLength(784);
    expect(evaluation.samples[0]!.shape).toEqual([28, 28, 1]);
  });
});

describe('every optimizer and every loss trains', () => {
  const rates = { sgd: 0.1, momentum: 0.05, rmsprop: 0.003, adagrad: 0.05, adam: 0.003 } as const;
  for (const [optimizer, learningRate] of Object.entries(rates)) {
    it(`optimizer ${optimizer} lowers the loss`, async () => {
      const run = await runInProcess({ document: smallMnistMlp(), optimizer: optimizer as keyof typeof rates, learningRate, limit: 400, epochs: 3, validationSplit: 0, engine: 'wasm' });
      expect(run.error).toBeUndefined();
      expect(run.epochs.at(-1)!.loss).toBeLessThan(run.epochs[0]!.loss);
    });
  }

  for (const loss of ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'meanSquaredError', 'binaryCrossentropy'] as const) {
    it(`loss ${loss} lowers the loss on MNIST (one-hot targets)`, async () => {
      const run = await runInProcess({ document: smallMnistMlp(), loss, limit: 400, epochs: 3, validationSplit: 0, engine: 'wasm' });
      expect(run.error).toBeUndefined();
      expect(run.epochs.at(-1)!.loss).toBeLessThan(run.epochs[0]!.loss);
      expect(run.finished!.evaluation!.accuracy).toBeGreaterThan(0.3);
    });
  }

  for (const loss of ['binaryCrossentropy', 'meanSquaredError'] as const) {
    it(`loss ${loss} trains a single sigmoid unit on XOR (0/1 targets)`, async () => {
      const run = await runInProcess({ document: templateDocument('mlp-xor'), loss, epochs: 25, batchSize: 8, learningRate: 0.05, engine: 'wasm' });
      expect(run.error).toBeUndefined();
      expect(run.finished!.evaluation!.accuracy).toBe(1);
    });
  }
});
