import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'netweave-train-cli-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('netweave train / evaluate / predict', () => {
  it('trains XOR with --json (one line per epoch, a final line), then evaluates and predicts with the saved model', async () => {
    const out = path.join(scratch, 'xor');
    const train = await runCli(['train', 'mlp-xor', '--epochs', '25', '--batch', '8', '--engine', 'wasm', '--out', out, '--json']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const lines = jsonLines(train.stdout);
    expect(lines.filter((l) => l.type === 'epoch')).toHaveLength(25);
    expect(lines.at(-1)).toMatchObject({ type: 'result', engine: 'wasm', testAccuracy: 1, modelDir: out });
    expect(existsSync(path.join(out, 'weights.bin'))).toBe(true);

    const evaluate = await runCli(['evaluate', out, '--json']);
    expect(evaluate.code).toBe(0);
    expect(JSON.parse(evaluate.stdout)).toMatchObject({ accuracy: 1, count: 4, dataset: { id: 'xor' } });

    const input = path.join(scratch, 'xor-input.json');
    await writeFile(input, JSON.stringify([[0, 0], [0, 1], [1, 0], [1, 1]]));
    const predict = await runCli(['predict', out, '--input', input, '--json']);
    expect(predict.code).toBe(0);
    const predicted = (JSON.parse(predict.stdout) as { predictions: { predicted: number }[] }).predictions.map((p) => p.predicted);
    expect(predicted).toEqual([0, 1, 1, 0]);
  });

  it('prints plain progress lines and a summary when not on a terminal', async () => {
    const train = await runCli(['train', 'mlp-xor', '--epochs', '3', '--batch', '8', '--engine', 'wasm', '--out', path.join(scratch, 'plain')]);
    expect(train.code).toBe(0);
    expect(train.stderr).toMatch(/^epoch 3\/3 {2}loss \d/m);
    expect(train.stdout).toMatch(/^Engine: wasm/m);
    expect(train.stdout).toMatch(/^Test accuracy: /m);
    expect(train.stdout).toContain(`Model saved to ${path.join(scratch, 'plain')}`);
  });

  it('fails on one line with exit 2 for a data set that does not fit, a bad number and a missing model', async () => {
    for (const args of [
      ['train', 'lenet5', '--data', 'xor', '--engine', 'wasm'],
      ['train', 'lenet5', '--epochs', 'many'],
      ['train', '--epochs', '1'],
      ['evaluate', path.join(scratch, 'no-such-model')],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      const errorLines = result.stderr.split('\n').filter((l) => l.startsWith('netweave:'));
      expect(errorLines, result.stderr).toHaveLength(1);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
    const mismatch = await runCli(['train', 'lenet5', '--data', 'xor', '--engine', 'wasm']);
    expect(mismatch.stderr).toMatch(/dataset-shape-mismatch/);
  });

  it.each(['wasm', 'onnxruntime'])('%s: LeNet-5 reaches ≥ 85 percent on MNIST in one epoch of 6,000 digits, and plain tfjs loads the model with the same predictions', async (engine) => {
    const out = path.join(scratch, `lenet5-${engine}`);
    const train = await runCli(['train', 'lenet5', '--data', 'mnist', '--epochs', '1', '--limit', '6000', '--engine', engine, '--out', out, '--json']);
    expect(train.code, train.stderr).toBe(0);
    const result = jsonLines(train.stdout).at(-1)!;
    expect(result.engine).toBe(engine);
    expect(result.testAccuracy as number).toBeGreaterThanOrEqual(0.85);

    const predict = await runCli(['predict', out, '--count', '8', '--json']);
    expect(predict.code, predict.stderr).toBe(0);
    const predictions = (JSON.parse(predict.stdout) as { predictions: { predicted: number; output: number[] }[] }).predictions;

    // Plain TensorFlow.js, none of netweave's code: the files as a browser would get them.
    const modelJson = JSON.parse(await readFile(path.join(out, 'model.json'), 'utf8'));
    const weights = await readFile(path.join(out, 'weights.bin'));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
    const { loadDataset } = await import('../../main/datasets/index');
    // `predict` takes the first test examples of the split the model was trained with (the template's seed, 42).
    const dataset = await loadDataset('mnist', { seed: 42 });
    const outputs = tf.tidy(() => (model.predict(tf.tensor(dataset.test.x.subarray(0, 8 * 784), [8, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
    predictions.forEach((p, i) => {
      const row = outputs[i]!;
      expect(row.indexOf(Math.max(...row))).toBe(p.predicted);
      row.forEach((v, j) => expect(v).toBeCloseTo(p.output[j]!, 5));
    });
    model.dispose();
  });
});
