import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeMaxDiff, seededValues, sizeOf, useWasm } from './engine-test-utils';

// Small conv nets train on wasm exactly as on cpu: same initial weights, same
// data, same optimizer → the same loss curve (to float32 rounding) and the
// same final weights. Before our kernels, wasm could not train these at all.

type ModelFactory = () => tf.Sequential;

const conv2dNet: ModelFactory = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });

const separableNet: ModelFactory = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 1, padding: 'valid', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });

interface TrainingRun {
  losses: number[];
  weights: Float32Array[];
}

async function train(
  backendName: string,
  makeModel: ModelFactory,
  initialWeights: Float32Array[] | undefined,
  inputShape: number[],
  steps: number,
): Promise<TrainingRun & { initial: Float32Array[] }> {
  await tf.setBackend(backendName);
  const model = makeModel();
  // Fixed initial weights: unseeded ones made a rare run drift past the tolerance through a ReLU or pooling tie.
  const start = initialWeights ?? model.getWeights().map((w, index) => seededValues(w.size, 100 + index).map((v) => v * 0.6));
  model.setWeights(model.getWeights().map((w, index) => tf.tensor(start[index]!, w.shape)));
  const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
  const batch = 16;
  const x = tf.tensor(seededValues(batch * sizeOf(inputShape), 41).map((v) => v + 0.5), [batch, ...inputShape]);
  const labels = Array.from({ length: batch }, (_, i) => (i * 7) % 10);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = await model.trainOnBatch(x, y);
    losses.push(Array.isArray(loss) ? (loss[0] as number) : loss);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([x, y]);
  model.dispose();
  return { losses, weights, initial };
}

beforeAll(useWasm);

describe('training on wasm follows cpu', () => {
  it.each([
    ['conv → pool → conv (stride 2) → dense', conv2dNet, [12, 12, 1]],
    ['conv → depthwise (×2, stride 2) → separable → pool → dense', separableNet, [12, 12, 2]],
  ] as const)('%s', async (_name, makeModel, inputShape) => {
    const steps = 20;
    const cpu = await train('cpu', makeModel, undefined, [...inputShape], steps);
    const wasm = await train('wasm', makeModel, cpu.initial, [...inputShape], steps);

    expect(wasm.losses).toHaveLength(steps);
    for (const [step, loss] of wasm.losses.entries()) {
      expect(Math.abs(loss - cpu.losses[step]!) / Math.abs(cpu.losses[step]!), `step ${step}`).toBeLessThan(1e-3);
    }
    // It learns: a fixed batch is memorised, so the loss must fall clearly.
    expect(wasm.losses[steps - 1]!).toBeLessThan(wasm.losses[0]! * 0.9);
    for (const [index, weight] of wasm.weights.entries()) {
      expect(relativeMaxDiff(weight, cpu.weights[index]!), `weight ${index}`).toBeLessThan(1e-3);
    }
    // And the weights moved: the comparison above is not between two untouched copies.
    expect(relativeMaxDiff(wasm.weights[0]!, cpu.initial[0]!)).toBeGreaterThan(1e-3);
  });
});
