import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadDataset } from '../../main/datasets/index';
import { initEngine } from '../../main/engine/index';
import { exportToFiles } from '../../main/export/export-files';
import { loadModelFiles, saveModelFiles } from '../../main/export/tfjs-model-files';
import { projectTempDir, runPythonJson, templateDocument, torchStatus, writeFloat32 } from './export-test-utils';
import { documentOf, randomizeWeights } from './torch-cases';

// Models trained in the app's engine (WebAssembly with its training kernels), saved as
// model.json + weights.bin, exported with `--to pytorch --weights DIR`, and run in PyTorch.

const torch = torchStatus();
if (!torch.available) console.warn(`Trained-model PyTorch tests skipped: ${torch.reason}`);
const harness = path.join(import.meta.dirname, 'torch-harness.py');

/** Trains, saves, exports through the file service and compares 100 predictions; returns the largest softmax difference. */
async function exportAndCompare(dir: string, name: string, document: NetweaveDocument, model: tf.LayersModel, x: tf.Tensor): Promise<number> {
  const saved = path.join(dir, `${name}-model`);
  await saveModelFiles(model, saved);
  const reloaded = await loadModelFiles(saved);
  const expected = model.predict(x) as tf.Tensor;
  // The saved files hold exactly the trained weights.
  expect(Array.from((reloaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(expected.dataSync()));
  reloaded.dispose();
  const code = path.join(dir, `${name}.py`);
  const written = await exportToFiles({ document, target: 'pytorch', output: code, weightsDir: saved });
  expect(written).toEqual([code, path.join(dir, `${name}.weights.json`), path.join(dir, `${name}.weights.bin`)]);
  const input = path.join(dir, `${name}.input.bin`);
  writeFloat32(input, x.dataSync() as Float32Array);
  const want = path.join(dir, `${name}.expected.bin`);
  writeFloat32(want, expected.dataSync() as Float32Array);
  const job = { name, module: code, weights: written[1], inputs: [{ path: input, shape: x.shape }], expected: [{ path: want, shape: expected.shape }] };
  const jobsFile = path.join(dir, `${name}.jobs.json`);
  writeFileSync(jobsFile, JSON.stringify([job]));
  const [result] = runPythonJson<{ maxDiff: (number | null)[]; shapes: number[][] }[]>(harness, ['compare', jobsFile]);
  expect(result!.shapes).toEqual([expected.shape]);
  expected.dispose();
  return result!.maxDiff[0]!;
}

describe.skipIf(!torch.available)('PyTorch export of trained models', () => {
  const scratch = projectTempDir('torch-trained');

  beforeAll(async () => {
    await initEngine('wasm');
  });

  afterAll(() => scratch.remove());

  it('LeNet-5 trained one epoch on 2,000 MNIST digits predicts the same 100 test digits in PyTorch (within 1e-4)', async () => {
    const document = templateDocument('lenet5');
    const data = await loadDataset('mnist', { limit: 2000, seed: 1 });
    const { model } = compileGraph(document.graph, { seed: 1 });
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tensor4d(data.train.x, [data.train.count, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10).toFloat();
    const history = await model.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true });
    xs.dispose();
    ys.dispose();
    // It has learnt something: the test digits are not classified at chance.
    const test = tf.tensor4d(data.test.x.subarray(0, 100 * 784), [100, 28, 28, 1]);
    const predicted = (model.predict(test) as tf.Tensor).argMax(-1).dataSync();
    const correct = Array.from(predicted).filter((p, i) => p === data.test.y[i]).length;
    expect(correct).toBeGreaterThan(50);
    expect((history.history.loss as number[])[0]!).toBeLessThan(2.3);
    const diff = await exportAndCompare(scratch.dir, 'lenet5_trained', document, model, test);
    expect(diff).toBeLessThan(1e-4);
    test.dispose();
    model.dispose();
  });

  it('a residual net with batch norm, a projection shortcut and a "same" stride-2 conv, trained a few steps, predicts the same in PyTorch', async () => {
    const document = documentOf('small residual net', [
      { id: 'in', kind: 'Input', params: { shape: [12, 12, 3] } },
      { id: 'stem', kind: 'Conv2D', params: { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same', useBias: false } },
      { id: 'stem_bn', kind: 'BatchNormalization', params: { momentum: 0.9 } },
      { id: 'stem_relu', kind: 'Activation', params: { activation: 'relu' } },
      { id: 'block1', kind: 'ResidualBlock', params: { variant: 'basic', filters: 16, strides: 2 } },
      { id: 'block2', kind: 'ResidualBlock', params: { variant: 'bottleneck', filters: 4, strides: 1, useBias: true } },
      { id: 'gap', kind: 'GlobalAveragePooling2D' },
      { id: 'out', kind: 'Dense', params: { units: 5, activation: 'softmax' } },
    ]);
    const { model } = compileGraph(document.graph, { seed: 2 });
    // Random statistics first, then a few training steps on shifted data move them further.
    randomizeWeights(model, 40);
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([64, 12, 12, 3], 0.5, 2, 'float32', 3);
    const ys = tf.oneHot(tf.randomUniform([64], 0, 5, 'int32', 4), 5).toFloat();
    await model.fit(xs, ys, { batchSize: 16, epochs: 2, shuffle: false });
    xs.dispose();
    ys.dispose();
    const movingMean = model.getLayer('stem_bn').getWeights()[2]!.dataSync();
    expect(Math.max(...Array.from(movingMean).map(Math.abs))).toBeGreaterThan(0.05);
    const x = tf.randomNormal([100, 12, 12, 3], 0, 1.5, 'float32', 5);
    const diff = await exportAndCompare(scratch.dir, 'residual_trained', document, model, x);
    expect(diff).toBeLessThan(1e-4);
    x.dispose();
    model.dispose();
  });
});
