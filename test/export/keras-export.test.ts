import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { exportCode } from '../../graph-schema/export/export-code';
import { flattenGraph } from '../../graph-schema/flatten-graph';
import { analyzeGraph } from '../../graph-schema/infer';
import { allTemplateIds, projectTempDir, python, runPythonJson, templateDocument } from './export-test-utils';
import { randomDocument } from './random-graph';
import { documentOf } from './torch-cases';

// TensorFlow cannot be installed here: the Keras export is checked by a syntax check, the
// golden files, and by running build_model() against a stand-in for TensorFlow that records
// every layer, its arguments and its inputs (test/export/keras-stub).

const pythonHarness = path.join(import.meta.dirname, 'python-harness.py');
const havePython = existsSync(python);
if (!havePython) console.warn(`Python checks of the Keras and PyTorch exports skipped: ${python} is missing (install python3).`);

interface RecordedModel {
  file: string;
  name: string;
  inputs: string[];
  outputs: string[];
  layers: { className: string; name: string; inputs: string[]; arguments: Record<string, unknown> }[];
}

/** Keras' own defaults (the Keras documentation), for the arguments an export may leave out. */
const kerasDefaults: Record<string, Record<string, unknown>> = {
  Conv2D: { strides: [1, 1], padding: 'valid', dilation_rate: [1, 1], activation: 'linear', use_bias: true },
  UpSampling2D: { interpolation: 'nearest' },
  MaxPooling1D: { padding: 'valid' },
  AveragePooling1D: { padding: 'valid' },
  Conv1D: { strides: [1], padding: 'valid', dilation_rate: [1], activation: 'linear', use_bias: true },
  Conv2DTranspose: { strides: [1, 1], padding: 'valid', output_padding: null, dilation_rate: [1, 1], activation: 'linear', use_bias: true },
  DepthwiseConv2D: { strides: [1, 1], padding: 'valid', dilation_rate: [1, 1], activation: 'linear', use_bias: true, depth_multiplier: 1 },
  SeparableConv2D: { strides: [1, 1], padding: 'valid', dilation_rate: [1, 1], activation: 'linear', use_bias: true, depth_multiplier: 1 },
  Dense: { activation: 'linear', use_bias: true },
  BatchNormalization: { axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true },
  Concatenate: { axis: -1 },
  ReLU: { max_value: null, negative_slope: 0, threshold: 0 },
  LeakyReLU: { negative_slope: 0.3 },
  ELU: { alpha: 1 },
  Softmax: { axis: -1 },
  Rescaling: { offset: 0 },
  MaxPooling2D: { padding: 'valid' },
  AveragePooling2D: { padding: 'valid' },
  PReLU: { shared_axes: null },
  LayerNormalization: { axis: -1, epsilon: 0.001, center: true, scale: true },
};

const camelToSnake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function expectSameNetwork(document: NetweaveDocument, recorded: RecordedModel): void {
  const analysis = analyzeGraph(document.graph);
  const labels = new Map(document.graph.nodes.filter((n) => n.label).map((n) => [n.id, n.label!]));
  const primitives = flattenGraph(analysis, labels);
  expect(recorded.layers.map((l) => l.name)).toEqual(primitives.layers.map((l) => l.name));
  expect(recorded.inputs).toEqual(primitives.inputs);
  expect(recorded.outputs).toEqual(primitives.outputs);
  primitives.layers.forEach((layer, i) => {
    const got = recorded.layers[i]!;
    expect(got.className, layer.name).toBe(layer.keras.className);
    expect(got.inputs, layer.name).toEqual(layer.inputs);
    if (layer.keras.className === 'InputLayer') {
      expect(got.arguments.shape).toEqual((layer.keras.config.batchInputShape as unknown[]).slice(1));
      return;
    }
    const expected: Record<string, unknown> = { name: layer.name };
    for (const [key, value] of Object.entries(layer.keras.config)) expected[camelToSnake(key)] = value;
    const actual = { ...kerasDefaults[layer.keras.className], ...got.arguments };
    expect(actual, layer.name).toEqual(expected);
  });
}

describe.skipIf(!havePython)('Keras export', () => {
  const scratch = projectTempDir('keras-export');
  const seeds = Array.from({ length: 30 }, (_, i) => 501 + i);
  const documents = new Map<string, NetweaveDocument>();
  const files = new Map<string, string>();
  let recorded: Map<string, RecordedModel>;

  beforeAll(() => {
    for (const id of allTemplateIds) documents.set(id, templateDocument(id));
    for (const seed of seeds) documents.set(`random_${seed}`, randomDocument(seed));
    documents.set(
      'misc_kinds',
      documentOf('misc kinds', [
        { id: 'ids', kind: 'Input', params: { shape: [12] } },
        { id: 'embed', kind: 'Embedding', params: { inputDim: 50, outputDim: 6 } },
        { id: 'ln', kind: 'LayerNormalization', params: { epsilon: 1e-5 } },
        { id: 'ln_steps', kind: 'LayerNormalization', params: { axis: 1, center: false } },
        { id: 'grid', kind: 'Reshape', params: { targetShape: [3, 4, 6] } },
        { id: 'prelu', kind: 'PReLU', params: { sharedAxes: [1, 2] } },
        { id: 'prelu_all', kind: 'PReLU' },
        { id: 'noise', kind: 'GaussianNoise', params: { stddev: 0.2 } },
        { id: 'drop', kind: 'SpatialDropout2D', params: { rate: 0.25 } },
        { id: 'flat', kind: 'Flatten' },
        { id: 'out', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
      ]),
    );
    for (const [name, document] of documents) {
      const result = exportCode(document, 'keras');
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      const file = path.join(scratch.dir, `${name.replace(/-/g, '_')}_keras.py`);
      writeFileSync(file, result.code);
      files.set(name, file);
    }
    const results = runPythonJson<RecordedModel[]>(pythonHarness, ['keras', ...files.values()]);
    recorded = new Map(results.map((r) => [r.file, r]));
  });

  afterAll(() => scratch.remove());

  it.each(allTemplateIds)('template %s: build_model() makes the layers of the graph, with the same arguments and wiring', (id) => {
    expectSameNetwork(documents.get(id)!, recorded.get(files.get(id)!)!);
  });

  it('PReLU, LayerNormalization, Embedding, GaussianNoise, SpatialDropout2D: Keras 3 arguments, same wiring', () => {
    expectSameNetwork(documents.get('misc_kinds')!, recorded.get(files.get('misc_kinds')!)!);
  });

  it.each(seeds)('random graph %i: build_model() makes the layers of the graph', (seed) => {
    expectSameNetwork(documents.get(`random_${seed}`)!, recorded.get(files.get(`random_${seed}`)!)!);
  });

  it('every Python export parses: Keras and PyTorch, templates with and without training code, random graphs', () => {
    const all: string[] = [];
    for (const [name, document] of documents) {
      for (const target of ['keras', 'pytorch'] as const) {
        for (const includeTraining of [false, true]) {
          const result = exportCode(document, target, { includeTraining });
          if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
          const file = path.join(scratch.dir, `parse_${name.replace(/-/g, '_')}_${target}_${includeTraining ? 'training' : 'plain'}.py`);
          writeFileSync(file, result.code);
          all.push(file);
        }
      }
    }
    const results = runPythonJson<{ file: string; ok: boolean; error?: string }[]>(pythonHarness, ['parse', ...all]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(all.length);
  });

  it('a broken file fails the syntax check (the check can fail)', () => {
    const file = path.join(scratch.dir, 'broken.py');
    writeFileSync(file, 'def build_model(:\n    pass\n');
    const [result] = runPythonJson<{ ok: boolean; error?: string }[]>(pythonHarness, ['parse', file]);
    expect(result!.ok).toBe(false);
  });
});
