import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../main/compile/compile-graph';
import type { NetweaveModelMetadata } from '../../main/training/model-io';
import { loadModelFromDir, readModelDir, saveModelToDir } from '../../main/training/model-io';
import { TrainingError } from '../../main/training/training-error';
import { useWasm } from '../engine/engine-test-utils';
import { GraphBuilder } from '../support/graph-builder';
import { runCli } from '../support/run-cli';
import { floats, runInProcess, smallMnistMlp, templateDocument } from './training-test-utils';

let scratch: string;
beforeAll(async () => {
  await useWasm();
  scratch = await mkdtemp(path.join(tmpdir(), 'netweave-model-io-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const metadata: NetweaveModelMetadata = {
  format: 'netweave.model',
  version: 1,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  inputShape: [28, 28, 1],
  targetEncoding: 'one-hot',
  loss: 'categoricalCrossentropy',
  dataset: 'mnist',
  savedAt: '2024-01-01T00:00:00.000Z',
};

/** Deterministic inputs in [0, 1). */
function inputs(count: number, size: number): Float32Array {
  const values = new Float32Array(count * size);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
  return values;
}

function predict(model: tf.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array).slice();
}

describe('saved models (TensorFlow.js layers format, without tfjs-node)', () => {
  it('round-trips LeNet-5 with bit-identical predictions and keeps the metadata and the document', async () => {
    const document = templateDocument('lenet5');
    const { model } = compileGraph(document.graph, { seed: 11 });
    const dir = path.join(scratch, 'lenet');
    const saved = await saveModelToDir(model, dir, metadata, document);
    expect(saved.files.map((f) => path.basename(f))).toEqual(['model.json', 'weights.bin', 'netweave.json']);
    const loaded = await loadModelFromDir(dir);
    const x = inputs(5, 784);
    expect(predict(loaded.model, x, [5, 28, 28, 1])).toEqual(predict(model, x, [5, 28, 28, 1]));
    expect(loaded.metadata?.classNames).toEqual(metadata.classNames);
    expect(loaded.metadata?.inputShape).toEqual([28, 28, 1]);
    expect(loaded.document?.graph.nodes.map((n) => n.id)).toEqual(document.graph.nodes.map((n) => n.id));
    model.dispose();
    loaded.model.dispose();
  });

  it('keeps depth_multiplier of a SeparableConv2D in model.json, so the model loads back and `netweave predict` runs it', async () => {
    const graph = new GraphBuilder()
      .node('in', 'Input', { shape: [6, 6, 2] })
      .node('sep', 'SeparableConv2D', { filters: 3, kernelSize: [3, 3], depthMultiplier: 2 })
      .node('flat', 'Flatten')
      .node('out', 'Dense', { units: 2, activation: 'softmax' })
      .chain('in', 'sep', 'flat', 'out')
      .build();
    const { model } = compileGraph(graph, { seed: 4 });
    const dir = path.join(scratch, 'separable');
    await saveModelToDir(model, dir, { ...metadata, classNames: ['a', 'b'], inputShape: [6, 6, 2] });
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
    const layer = json.modelTopology.config.layers.find((l) => l.class_name === 'SeparableConv2D')!;
    expect(layer.config.depth_multiplier).toBe(2);
    const loaded = await loadModelFromDir(dir);
    const x = inputs(3, 72);
    expect(predict(loaded.model, x, [3, 6, 6, 2])).toEqual(predict(model, x, [3, 6, 6, 2]));
    const input = path.join(scratch, 'separable-input.json');
    await writeFile(input, JSON.stringify([Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => [0.5, 0.25]))]));
    const result = await runCli(['predict', dir, '--input', input, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = predict(model, new Float32Array(72).map((_, i) => (i % 2 === 0 ? 0.5 : 0.25)), [1, 6, 6, 2]);
    const predicted = (JSON.parse(result.stdout) as { predictions: { predicted: number }[] }).predictions[0]!.predicted;
    expect(predicted).toBe(expected[0]! >= expected[1]! ? 0 : 1);
    model.dispose();
    loaded.model.dispose();
  });

  it('writes a model.json that tf.loadLayersModel reads over HTTP, as a browser would', async () => {
    const document = smallMnistMlp();
    const { model } = compileGraph(document.graph, { seed: 5 });
    const dir = path.join(scratch, 'http');
    await saveModelToDir(model, dir, metadata);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.userDefinedMetadata.netweave.classNames).toHaveLength(10);
    const requested: string[] = [];
    // The browser loader fetches model.json, then the paths of its manifest relative to it.
    const fetchFunc = async (input: URL | RequestInfo): Promise<Response> => {
      const url = String(input);
      requested.push(url);
      const file = path.join(dir, new URL(url).pathname.split('/').pop()!);
      return new Response(await readFile(file), { status: 200, headers: { 'content-type': url.endsWith('.json') ? 'application/json' : 'application/octet-stream' } });
    };
    const browserModel = await tf.loadLayersModel('http://example.test/models/mlp/model.json', { fetchFunc });
    expect(requested).toEqual(['http://example.test/models/mlp/model.json', 'http://example.test/models/mlp/weights.bin']);
    const x = inputs(3, 784);
    expect(predict(browserModel, x, [3, 784])).toEqual(predict(model, x, [3, 784]));
    expect((browserModel.getUserDefinedMetadata() as { netweave: NetweaveModelMetadata }).netweave.dataset).toBe('mnist');
    model.dispose();
    browserModel.dispose();
  });

  it('refuses a missing folder and a truncated weights file with coded errors', async () => {
    await expect(readModelDir(path.join(scratch, 'absent'))).rejects.toMatchObject({ code: 'model-not-found' });
    const { model } = compileGraph(smallMnistMlp().graph, { seed: 5 });
    const dir = path.join(scratch, 'truncated');
    await saveModelToDir(model, dir, metadata);
    const bytes = await readFile(path.join(dir, 'weights.bin'));
    await (await import('node:fs/promises')).writeFile(path.join(dir, 'weights.bin'), bytes.subarray(0, bytes.length - 8));
    const failure = await readModelDir(dir).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TrainingError);
    expect((failure as TrainingError).code).toBe('model-invalid');
    expect((failure as TrainingError).message).toMatch(/truncated/);
    model.dispose();
  });

  it('continues training from a saved model: same starting weights, lower loss than a fresh start', async () => {
    const document = smallMnistMlp();
    const first = await runInProcess({ document, limit: 1000, epochs: 2, engine: 'wasm' });
    const last = first.models.at(-1)!;
    const dir = path.join(scratch, 'continue');
    const { writeModelDir } = await import('../../main/training/model-io');
    await writeModelDir(dir, last.serialized, last.metadata, document);
    const continued = await runInProcess({ document, limit: 1000, epochs: 1, engine: 'wasm', fromModelDir: dir });
    expect(continued.error).toBeUndefined();
    expect(continued.events.find((e) => e.type === 'started')).toMatchObject({ fromModelDir: dir });
    expect(floats(continued.models[0]!.serialized.weightData)).toEqual(floats(last.serialized.weightData));
    expect(continued.epochs[0]!.loss).toBeLessThan(first.epochs[0]!.loss);
    expect(continued.epochs[0]!.loss).toBeLessThan(first.epochs[1]!.loss * 1.05);
  });
});
