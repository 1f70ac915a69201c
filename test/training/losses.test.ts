import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { computeLoss, encodeTargets, planTargets, predictedClasses } from '../../main/training/losses';
import { epochOrders } from '../../main/training/seeded-random';
import { TrainingError } from '../../main/training/training-error';
import { resolveTrainingSettings } from '../../main/training/training-settings';
import { useWasm } from '../engine/engine-test-utils';

beforeAll(useWasm);

const scalar = (t: tf.Tensor): number => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('target plans', () => {
  it('uses one-hot targets when the output has one unit per class', () => {
    expect(planTargets('categoricalCrossentropy', [null, 10], 10)).toEqual({ encoding: 'one-hot', units: 10 });
    expect(planTargets('sparseCategoricalCrossentropy', [null, 3], 3)).toEqual({ encoding: 'one-hot', units: 3 });
  });

  it('uses 0/1 targets for a single unit on two classes with binary cross-entropy or MSE only', () => {
    expect(planTargets('binaryCrossentropy', [null, 1], 2).encoding).toBe('binary');
    expect(planTargets('meanSquaredError', [null, 1], 2).encoding).toBe('binary');
    expect(() => planTargets('categoricalCrossentropy', [null, 1], 2)).toThrow(/binaryCrossentropy/);
  });

  it('refuses an output whose units differ from the class count, naming the dimension', () => {
    try {
      planTargets('categoricalCrossentropy', [null, 7], 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainingError);
      expect((error as TrainingError).code).toBe('dataset-shape-mismatch');
      expect((error as TrainingError).message).toMatch(/7 units.*10 classes/);
    }
    expect(() => planTargets('categoricalCrossentropy', [null, 4, 4, 10], 10)).toThrow(/one vector per example/);
  });

  it('says plainly that a reconstruction (the autoencoder template) cannot be trained against class labels', () => {
    expect(() => planTargets('meanSquaredError', [null, 784], 10)).toThrow(/784 units.*10 classes.*autoencoder.*Export it to PyTorch or Keras/);
    // Fewer units than classes keeps the usual hint.
    expect(() => planTargets('meanSquaredError', [null, 7], 10)).toThrow(/Set the last Dense layer to 10 units/);
  });
});

describe('losses (Keras semantics on probabilities)', () => {
  it('categorical cross-entropy is the mean of −log p(true class)', () => {
    const p = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const y = encodeTargets(tf.tensor1d([0, 2], 'int32'), { encoding: 'one-hot', units: 3 });
    expect(scalar(computeLoss('categoricalCrossentropy', y, p))).toBeCloseTo((-Math.log(0.7) - Math.log(0.8)) / 2, 5);
    expect(scalar(computeLoss('sparseCategoricalCrossentropy', y, p))).toBeCloseTo((-Math.log(0.7) - Math.log(0.8)) / 2, 5);
    tf.dispose([p, y]);
  });

  it('binary cross-entropy and MSE on a single unit', () => {
    const p = tf.tensor2d([[0.9], [0.4]]);
    const y = encodeTargets(tf.tensor1d([1, 0], 'int32'), { encoding: 'binary', units: 1 });
    expect(scalar(computeLoss('binaryCrossentropy', y, p))).toBeCloseTo((-Math.log(0.9) - Math.log(0.6)) / 2, 5);
    expect(scalar(computeLoss('meanSquaredError', y, p))).toBeCloseTo((0.01 + 0.16) / 2, 6);
    tf.dispose([p, y]);
  });

  it('clips probabilities so that a confident mistake gives a large finite loss', () => {
    const p = tf.tensor2d([[1, 0]]);
    const y = encodeTargets(tf.tensor1d([1], 'int32'), { encoding: 'one-hot', units: 2 });
    const loss = scalar(computeLoss('categoricalCrossentropy', y, p));
    expect(loss).toBeGreaterThan(15);
    expect(Number.isFinite(loss)).toBe(true);
    tf.dispose([p, y]);
  });

  it('predicts classes by arg-max, or by p ≥ 0.5 for one unit', () => {
    const many = predictedClasses(tf.tensor2d([[0.1, 0.7, 0.2]]), { encoding: 'one-hot', units: 3 });
    const one = predictedClasses(tf.tensor2d([[0.2], [0.5], [0.8]]), { encoding: 'binary', units: 1 });
    expect(Array.from(many.dataSync())).toEqual([1]);
    expect(Array.from(one.dataSync())).toEqual([0, 1, 1]);
    tf.dispose([many, one]);
  });
});

describe('settings and batch order', () => {
  it('request fields override the document', () => {
    const document = createDocument({ nodes: [], edges: [] }, 'x', { optimizer: 'sgd', epochs: 3, batchSize: 16, seed: 5 });
    const settings = resolveTrainingSettings(document, { epochs: 7, learningRate: 0.5 });
    expect(settings).toMatchObject({ optimizer: 'sgd', epochs: 7, batchSize: 16, seed: 5, learningRate: 0.5 });
    expect(() => resolveTrainingSettings(document, { batchSize: 0 })).toThrow(/batch size/);
  });

  it('the same seed gives the same epoch orders, each a permutation; another seed another order', () => {
    const a = epochOrders(100, 7, true);
    const b = epochOrders(100, 7, true);
    const c = epochOrders(100, 8, true);
    const first = a();
    expect(Array.from(first)).toEqual(Array.from(b()));
    expect(Array.from(first)).not.toEqual(Array.from(c()));
    expect([...first].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a())).not.toEqual(Array.from(first));
    expect(Array.from(epochOrders(5, 7, false)())).toEqual([0, 1, 2, 3, 4]);
  });
});
