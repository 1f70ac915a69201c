import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { exportCode } from '../../graph-schema/export/export-code';
import { flattenGraph } from '../../graph-schema/flatten-graph';
import { analyzeGraph, analyzeLayer } from '../../graph-schema/infer';
import { resolveParams } from '../../graph-schema/params';
import { layerRegistry } from '../../graph-schema/registry';
import { compileGraph } from '../../main/compile/compile-graph';
import { OnnxStepper } from '../../main/engine/onnxruntime/onnx-stepper';
import { onnxBytesFromModel } from '../../main/export/onnx-file';
import { computeLoss, encodeTargets } from '../../main/training/losses';
import { importTypescript, projectTempDir, python, runPythonJson, torchStatus, typecheckStrict } from './export-test-utils';
import type { CompareJob } from './torch-cases';
import { documentOf, randomizeWeights, writeCompareCase } from './torch-cases';

// The spatial kinds (transposed and 1-D convolution, 1-D pooling, resampling, cropping) through every
// target: PyTorch and ONNX predict what TensorFlow.js predicts (≤ 1e-4) on random weights, the TypeScript
// export type-checks strictly and predicts the same, and the Keras export builds through the recording
// stand-in with Keras 3's argument names. Where TensorFlow.js computes something else than Keras
// (`reference`), the reference is Keras' formula written with tensor ops, and PyTorch and ONNX must match it.

interface SpatialCase {
  name: string;
  document: NetweaveDocument;
  /** A twin TensorFlow.js can build with the same weights, when it cannot build `document` itself. */
  twin?: NetweaveDocument;
  /** Keras' result for the case's input, when TensorFlow.js (or the twin) does not compute it. */
  reference?: (x: tf.Tensor, model: tf.LayersModel) => tf.Tensor;
}

const layers = (name: string, list: Parameters<typeof documentOf>[1]): NetweaveDocument => documentOf(name, list);

const cases: SpatialCase[] = [
  {
    name: 'conv2d_transpose_same_and_valid',
    document: layers('transposed convolutions', [
      { id: 'in', kind: 'Input', params: { shape: [5, 4, 3] } },
      { id: 'up_same', kind: 'Conv2DTranspose', params: { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' } },
      { id: 'up_valid', kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [3, 2], strides: [2, 1] } },
      { id: 'up_even_same', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same', useBias: false } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 3 } },
    ]),
  },
  {
    name: 'conv2d_transpose_kernel_below_stride',
    document: layers('kernel smaller than the stride', [
      { id: 'in', kind: 'Input', params: { shape: [3, 4, 2] } },
      { id: 'up1', kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [1, 2], strides: [3, 3] } },
      { id: 'up2', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [2, 1], strides: [3, 2], padding: 'same' } },
      { id: 'up3', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [5, 3], strides: [1, 1], padding: 'same' } },
      { id: 'gap', kind: 'GlobalAveragePooling2D' },
    ]),
  },
  {
    name: 'conv2d_transpose_output_padding_same',
    document: layers('output padding', [
      { id: 'in', kind: 'Input', params: { shape: [4, 5, 2] } },
      { id: 'up', kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [3, 3], strides: [2, 3], padding: 'same', outputPadding: [1, 2] } },
    ]),
    twin: layers('output padding (tfjs twin)', [
      { id: 'in', kind: 'Input', params: { shape: [4, 5, 2] } },
      { id: 'up', kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [3, 3], strides: [2, 3], padding: 'same' } },
    ]),
    reference: (x, model) => kerasConvTranspose(x, model.getLayer('up'), { strides: [2, 3], padding: 'same', dilation: [1, 1], out: [8, 15] }),
  },
  {
    name: 'conv2d_transpose_dilated_valid_output_padding',
    document: layers('dilation', [
      { id: 'in', kind: 'Input', params: { shape: [4, 3, 2] } },
      { id: 'up', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [2, 3], strides: [2, 1], dilationRate: [1, 2], outputPadding: [1, 0] } },
    ]),
    twin: layers('dilation (tfjs twin)', [
      { id: 'in', kind: 'Input', params: { shape: [4, 3, 2] } },
      { id: 'up', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [2, 3], strides: [2, 1] } },
    ]),
    // rows: (4 − 1)·2 + 2 + 1 = 9; cols: (3 − 1)·1 + 5 + 0 = 7.
    reference: (x, model) => kerasConvTranspose(x, model.getLayer('up'), { strides: [2, 1], padding: 'valid', dilation: [1, 2], out: [9, 7] }),
  },
  {
    name: 'conv2d_transpose_dilated_same',
    document: layers('dilation same', [
      { id: 'in', kind: 'Input', params: { shape: [5, 4, 1] } },
      { id: 'up', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [3, 2], dilationRate: [2, 3], padding: 'same' } },
    ]),
    twin: layers('dilation same (tfjs twin)', [
      { id: 'in', kind: 'Input', params: { shape: [5, 4, 1] } },
      { id: 'up', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [3, 2], padding: 'same' } },
    ]),
    reference: (x, model) => kerasConvTranspose(x, model.getLayer('up'), { strides: [1, 1], padding: 'same', dilation: [2, 3], out: [5, 4] }),
  },
  {
    name: 'conv1d_same_valid_dilated',
    document: layers('1-D convolutions', [
      { id: 'in', kind: 'Input', params: { shape: [12, 3] } },
      { id: 'c1', kind: 'Conv1D', params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
      { id: 'c2', kind: 'Conv1D', params: { filters: 3, kernelSize: 4, padding: 'same', activation: 'softmax' } },
      { id: 'c3', kind: 'Conv1D', params: { filters: 2, kernelSize: 2, dilationRate: 3, useBias: false } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 3 } },
    ]),
  },
  {
    name: 'conv1d_strided_valid_odd',
    document: layers('1-D strided', [
      { id: 'in', kind: 'Input', params: { shape: [11, 2] } },
      { id: 'c1', kind: 'Conv1D', params: { filters: 5, kernelSize: 4, strides: 3 } },
      { id: 'c2', kind: 'Conv1D', params: { filters: 2, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' } },
    ]),
  },
  {
    name: 'up_sampling_nearest',
    document: layers('nearest upsampling', [
      { id: 'in', kind: 'Input', params: { shape: [3, 4, 2] } },
      { id: 'up', kind: 'UpSampling2D', params: { size: [2, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 2, kernelSize: [3, 3], padding: 'same' } },
      { id: 'up2', kind: 'UpSampling2D' },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'pooling_1d',
    // All inputs negative: zero padding would win the max at the end.
    document: layers('1-D pooling', [
      { id: 'in', kind: 'Input', params: { shape: [13, 3] } },
      { id: 'shift', kind: 'Rescaling', params: { scale: 0.5, offset: -4 } },
      { id: 'max_same', kind: 'MaxPooling1D', params: { poolSize: 2, strides: 2, padding: 'same' } },
      { id: 'max_same3', kind: 'MaxPooling1D', params: { poolSize: 3, strides: 1, padding: 'same' } },
      { id: 'avg_same', kind: 'AveragePooling1D', params: { poolSize: 3, strides: 1, padding: 'same' } },
      { id: 'avg_even', kind: 'AveragePooling1D', params: { poolSize: 2, strides: 1, padding: 'same' } },
      { id: 'avg_strided', kind: 'AveragePooling1D', params: { poolSize: 3, strides: 2, padding: 'same' } },
      { id: 'max_valid', kind: 'MaxPooling1D', params: { poolSize: 2, strides: 1 } },
      { id: 'avg_valid', kind: 'AveragePooling1D', params: { poolSize: 2, strides: 1 } },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'global_pooling_1d',
    document: layers('1-D global pooling', [
      { id: 'in', kind: 'Input', params: { shape: [9, 4] } },
      { id: 'conv', kind: 'Conv1D', params: { filters: 3, kernelSize: 3, activation: 'relu' } },
      { id: 'avg', kind: 'GlobalAveragePooling1D', from: ['conv'] },
      { id: 'max', kind: 'GlobalMaxPooling1D', from: ['conv'] },
      { id: 'max_in', kind: 'GlobalMaxPooling1D', from: ['in'] },
      { id: 'joined', kind: 'Concatenate', from: ['avg', 'max', 'max_in'] },
      { id: 'out', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
    ]),
  },
  {
    name: 'cropping',
    document: layers('cropping', [
      { id: 'in', kind: 'Input', params: { shape: [7, 8, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 2, kernelSize: [3, 3], padding: 'same' }, from: ['in'] },
      { id: 'crop', kind: 'Cropping2D', params: { heightCropping: [1, 2], widthCropping: [0, 3] }, from: ['conv'] },
      { id: 'crop_in', kind: 'Cropping2D', params: { heightCropping: [2, 1], widthCropping: [3, 0] }, from: ['in'] },
      { id: 'joined', kind: 'Concatenate', from: ['crop', 'crop_in'] },
      { id: 'crop2', kind: 'Cropping2D', params: { heightCropping: [1, 1], widthCropping: [1, 1] } },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'up_sampling_bilinear',
    document: layers('bilinear upsampling', [
      { id: 'in', kind: 'Input', params: { shape: [3, 4, 2] } },
      { id: 'up', kind: 'UpSampling2D', params: { size: [2, 3], interpolation: 'bilinear' } },
    ]),
    twin: layers('bilinear upsampling (tfjs twin)', [
      { id: 'in', kind: 'Input', params: { shape: [3, 4, 2] } },
      { id: 'up', kind: 'UpSampling2D', params: { size: [2, 3] } },
    ]),
    // Keras resizes with tf.image.resize: half-pixel centres.
    reference: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [6, 12], false, true),
  },
];

/**
 * Keras' Conv2DTranspose (TensorFlow's conv_transpose to Keras' output size), for the settings
 * tf.layers.conv2dTranspose lacks: the dilated kernel spelled out with zeros, the output size given.
 */
function kerasConvTranspose(
  x: tf.Tensor,
  layer: tf.layers.Layer,
  g: { strides: [number, number]; padding: 'same' | 'valid'; dilation: [number, number]; out: [number, number] },
): tf.Tensor {
  const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
  const [kh, kw, filters, cin] = kernel.shape;
  const [dh, dw] = g.dilation;
  const dilated = tf.buffer<tf.Rank.R4>([(kh - 1) * dh + 1, (kw - 1) * dw + 1, filters, cin]);
  const values = kernel.arraySync();
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let f = 0; f < filters; f++) for (let c = 0; c < cin; c++) dilated.set(values[i]![j]![f]![c]!, i * dh, j * dw, f, c);
  return tf.tidy(() => tf.conv2dTranspose(x as tf.Tensor4D, dilated.toTensor(), [x.shape[0]!, g.out[0], g.out[1], filters], g.strides, g.padding).add(bias));
}

const torch = torchStatus();
if (!torch.available) console.warn(`PyTorch checks of the spatial kinds skipped: ${torch.reason}`);
const torchHarness = path.join(import.meta.dirname, 'torch-harness.py');
const pythonHarness = path.join(import.meta.dirname, 'python-harness.py');
const checker = path.join(import.meta.dirname, 'onnx-check.py');

const scratch = projectTempDir('spatial-kinds');
const compiled = new Map<string, tf.LayersModel>();

function modelFor(c: SpatialCase, seed: number): tf.LayersModel {
  const { model } = compileGraph((c.twin ?? c.document).graph, { seed });
  randomizeWeights(model, seed * 100);
  return model;
}

function inputFor(model: tf.LayersModel, seed: number): tf.Tensor {
  return tf.randomNormal([3, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', seed);
}

function expected(c: SpatialCase, model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return c.reference ? c.reference(x, model) : (model.predict(x) as tf.Tensor);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  cases.forEach((c, i) => compiled.set(c.name, modelFor(c, 21 + i)));
});

afterAll(() => {
  for (const model of compiled.values()) model.dispose();
  scratch.remove();
});

describe('spatial kinds: figures', () => {
  it.each(cases.filter((c) => !c.twin).map((c) => c.name))('%s: TensorFlow.js builds every node with the analysed shape and count', (name) => {
    const c = cases.find((k) => k.name === name)!;
    const model = compiled.get(name)!;
    const analysis = analyzeGraph(c.document.graph);
    expect(model.countParams()).toBe(analysis.totals.total);
    for (const [id, node] of analysis.nodes) expect(model.getLayer(id).outputShape, id).toEqual(node.outputShape);
  });
});

describe('spatial kinds: Keras import and worked formulas', () => {
  it("reads Keras' shorthands and refuses what has no equivalent, with a code", () => {
    expect(layerRegistry.Conv1D.fromKeras!('Conv1D', { filters: 8, kernel_size: 5, strides: 2 })).toEqual({
      params: { filters: 8, kernelSize: 5, strides: 2, padding: 'valid', dilationRate: 1, activation: 'linear', useBias: true },
    });
    expect(layerRegistry.Conv1D.fromKeras!('Conv1D', { filters: 8, kernel_size: 3, padding: 'causal' })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported' }) });
    expect(layerRegistry.MaxPooling1D.fromKeras!('MaxPooling1D', { pool_size: 3 })).toEqual({ params: { poolSize: 3, strides: 3, padding: 'valid' } });
    expect(layerRegistry.Cropping2D.fromKeras!('Cropping2D', { cropping: 2 })).toEqual({ params: { heightCropping: [2, 2], widthCropping: [2, 2] } });
    expect(layerRegistry.Cropping2D.fromKeras!('Cropping2D', { cropping: [1, 3] })).toEqual({ params: { heightCropping: [1, 1], widthCropping: [3, 3] } });
    expect(layerRegistry.Conv2DTranspose.fromKeras!('Conv2DTranspose', { filters: 4, kernel_size: 3, output_padding: 1, strides: 2 })).toMatchObject({ params: { outputPadding: [1, 1], strides: [2, 2] } });
    expect(layerRegistry.UpSampling2D.fromKeras!('UpSampling2D', { size: 2, interpolation: 'bicubic' })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported' }) });
    expect(layerRegistry.GlobalAveragePooling1D.fromKeras!('GlobalAveragePooling1D', { keepdims: true })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported' }) });
    expect(layerRegistry.Conv1D.fromKeras!('Conv1D', { filters: 8, kernel_size: 3, data_format: 'channels_first' })).toEqual({ problem: expect.objectContaining({ code: 'keras-channels-first' }) });
  });

  it.each([
    ['Conv2DTranspose', { filters: 4, strides: [2, 2], padding: 'same' }, [null, 5, 6, 3], /height = 5·2 = 10; width = 6·2 = 12/, /3 · 3 · 3 · 4 \+ 4 = 112/],
    ['Conv2DTranspose', { filters: 1, strides: [2, 2], outputPadding: [1, 1] }, [null, 4, 4, 1], /height = width = \(4 − 1\)·2 \+ 3 \+ 1 = 10/, /= 10$/],
    ['Conv1D', { filters: 2, kernelSize: 3, strides: 2 }, [null, 9, 4], /steps = floor\(\(9 − \(3 − 1\) − 1\) \/ 2\) \+ 1 = 4/, /3 · 4 · 2 \+ 2 = 26/],
    ['AveragePooling1D', { padding: 'same' }, [null, 7, 2], /steps = ceil\(7 \/ 2\) = 4/, /0/],
    ['UpSampling2D', { size: [3, 2] }, [null, 2, 5, 1], /height = 2 · 3 = 6; width = 5 · 2 = 10/, /0/],
    ['Cropping2D', { heightCropping: [1, 0], widthCropping: [2, 2] }, [null, 6, 9, 1], /6 − 1 − 0 = 5; 9 − 2 − 2 = 5/, /0/],
  ] as const)('%s worked formulas use the node\'s numbers', (kind, params, input, output, count) => {
    const def = layerRegistry[kind];
    const outcome = analyzeLayer(def, params, [[...input]]);
    expect(outcome.problems).toEqual([]);
    const worked = def.worked!({ params: resolveParams(def.params, params).params as never, inputs: [[...input]], input: [...input], output: outcome.shape!, count: outcome.count, fmt: String });
    expect(worked.output).toMatch(output);
    expect(worked.params).toMatch(count);
  });
});

describe.skipIf(!torch.available)('spatial kinds: PyTorch export', () => {
  let results: Map<string, { maxDiff: (number | null)[]; shapes: number[][] }>;
  const jobs: CompareJob[] = [];

  beforeAll(async () => {
    for (const [i, c] of cases.entries()) {
      const model = compiled.get(c.name)!;
      const job = await writeCompareCase(scratch.dir, c.name, c.document, model, { seed: 31 + i, reference: (x) => expected(c, model, x) });
      jobs.push(job);
    }
    const file = path.join(scratch.dir, 'compare.json');
    writeFileSync(file, JSON.stringify(jobs));
    results = new Map(runPythonJson<{ name: string; maxDiff: (number | null)[]; shapes: number[][] }[]>(torchHarness, ['compare', file]).map((r) => [r.name, r]));
  });

  it.each(cases.map((c) => c.name))('%s: PyTorch predicts what Keras computes (≤ 1e-4)', (name) => {
    const result = results.get(name)!;
    const job = jobs.find((j) => j.name === name)!;
    expect(result.shapes).toEqual(job.expected.map((e) => e.shape));
    const scale = Math.max(1, ...job.expected.map((e) => largestMagnitude(e.path)));
    for (const diff of result.maxDiff) {
      expect(diff).not.toBeNull();
      expect(diff!).toBeLessThan(1e-4 * scale);
    }
  });
});

describe('spatial kinds: ONNX export', () => {
  const files: string[] = [];

  it.each(cases.map((c) => c.name))('%s: onnxruntime predicts what Keras computes (≤ 1e-4)', async (name) => {
    const c = cases.find((k) => k.name === name)!;
    const model = compiled.get(name)!;
    const result = onnxBytesFromModel(c.document, model);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    const file = path.join(scratch.dir, `${name}.onnx`);
    writeFileSync(file, result.bytes);
    files.push(file);
    const session = await ort.InferenceSession.create(result.bytes);
    const x = inputFor(model, 41);
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) });
    const want = expected(c, model, x);
    const got = out[session.outputNames[0]!]!;
    expect(got.dims.map(Number)).toEqual(want.shape);
    expect(maxDiff(got.data as Float32Array, want.dataSync())).toBeLessThan(1e-4 * Math.max(1, tf.max(tf.abs(want)).dataSync()[0]!));
    x.dispose();
    want.dispose();
    await session.release();
  });

  it('every file passes onnx.checker (full check)', () => {
    expect(files.length).toBe(cases.length);
    const results = runPythonJson<{ file: string; error: string | null }[]>(checker, files, 300_000);
    for (const r of results) expect(r.error, r.file).toBeNull();
  });
});

describe('spatial kinds: TypeScript export', () => {
  const tsCases = cases.filter((c) => !c.twin);
  const files = new Map<string, string>();

  beforeAll(() => {
    for (const c of tsCases) {
      const result = exportCode(c.document, 'ts');
      if (!result.ok) throw new Error(`${c.name}: ${result.error.message}`);
      const file = path.join(scratch.dir, `${c.name}.ts`);
      writeFileSync(file, result.code);
      files.set(c.name, file);
    }
  });

  it('type-checks with strict settings', () => {
    expect(typecheckStrict([...files.values()])).toEqual([]);
  });

  it.each(tsCases.map((c) => c.name))('%s: the exported model, given the weights, predicts what the compiled one does', async (name) => {
    const reference = compiled.get(name)!;
    const { buildModel } = await importTypescript<{ buildModel(): tf.LayersModel }>(files.get(name)!);
    const model = buildModel();
    for (const layer of reference.layers) model.getLayer(layer.name).setWeights(layer.getWeights());
    const x = inputFor(reference, 51);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((reference.predict(x) as tf.Tensor).dataSync()));
    x.dispose();
    model.dispose();
  });

  it.each(cases.filter((c) => c.twin).map((c) => c.name))('%s: refused with the TensorFlow.js reason', (name) => {
    const result = exportCode(cases.find((c) => c.name === name)!.document, 'ts');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/TensorFlow\.js/);
  });
});

describe.skipIf(!existsSync(python))('spatial kinds: Keras export through the recording stand-in', () => {
  let recorded: Map<string, { layers: { className: string; name: string; arguments: Record<string, unknown> }[] }>;
  const files = new Map<string, string>();

  beforeAll(() => {
    for (const c of cases) {
      const result = exportCode(c.document, 'keras');
      if (!result.ok) throw new Error(`${c.name}: ${result.error.message}`);
      const file = path.join(scratch.dir, `${c.name}_keras.py`);
      writeFileSync(file, result.code);
      files.set(c.name, file);
    }
    const results = runPythonJson<{ file: string; layers: { className: string; name: string; arguments: Record<string, unknown> }[] }[]>(pythonHarness, ['keras', ...files.values()]);
    recorded = new Map(results.map((r) => [r.file, r]));
  });

  it.each(cases.map((c) => c.name))('%s: build_model() makes each layer with its Keras class and non-default arguments', (name) => {
    const c = cases.find((k) => k.name === name)!;
    const primitives = flattenGraph(analyzeGraph(c.document.graph), new Map());
    const got = recorded.get(files.get(name)!)!;
    expect(got.layers.map((l) => [l.name, l.className])).toEqual(primitives.layers.map((l) => [l.name, l.keras.className]));
    primitives.layers.forEach((layer, i) => {
      if (layer.keras.className === 'InputLayer') return;
      const args = got.layers[i]!.arguments;
      // Every argument written is a config entry with the same value (defaults may be left out).
      for (const [key, value] of Object.entries(args)) {
        if (key === 'name') continue;
        const camel = key.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
        expect(layer.keras.config, `${layer.name}.${key}`).toHaveProperty(camel);
        expect(value, `${layer.name}.${key}`).toEqual(layer.keras.config[camel]);
      }
    });
  });
});

describe('spatial kinds: the ONNX Runtime training step', () => {
  // The 1-D kinds run as height-1 2-D ops, so the training step's gradient rules cover them.
  const sequenceNet = layers('1-D net', [
    { id: 'in', kind: 'Input', params: { shape: [10, 3] } },
    { id: 'c1', kind: 'Conv1D', params: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { id: 'mp', kind: 'MaxPooling1D', params: { poolSize: 2, strides: 2 } },
    { id: 'c2', kind: 'Conv1D', params: { filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' } },
    // 'valid': TensorFlow.js 4.22's avgPool gradient divides border cells of a 'same' window by the whole window
    // (its forward pass, like Keras, by the real cells), so it is no reference there.
    { id: 'ap', kind: 'AveragePooling1D', params: { poolSize: 2, strides: 1 } },
    { id: 'gap', kind: 'GlobalAveragePooling1D', from: ['ap'] },
    { id: 'gmp', kind: 'GlobalMaxPooling1D', from: ['c1'] },
    { id: 'cat', kind: 'Concatenate', from: ['gap', 'gmp'] },
    { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
  ]);

  /** One SGD step on ONNX Runtime and on TensorFlow.js from the same weights: every weight moves alike. */
  async function expectSameSgdStep(document: NetweaveDocument, inputShape: number[], batch = 5): Promise<void> {
    const [classes, learningRate] = [3, 0.1];
    const a = compileGraph(document.graph, { seed: 4, forTraining: true }).model;
    const b = compileGraph(document.graph, { seed: 4, forTraining: true }).model;
    const before = b.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
    const stepper = await OnnxStepper.create(document, a, { batchSize: batch, optimizer: 'sgd', loss: 'categoricalCrossentropy', learningRate, seed: 1, encoding: 'one-hot', units: classes });
    const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 8);
    const labels = Int32Array.from({ length: batch }, (_, i) => i % classes);
    await stepper.step(Float32Array.from(x.dataSync()), labels, batch);
    stepper.writeBack();
    stepper.dispose();
    tf.tidy(() => {
      const targets = encodeTargets(tf.tensor1d(labels, 'int32'), { encoding: 'one-hot', units: classes });
      const { grads } = tf.variableGrads(() => computeLoss('categoricalCrossentropy', targets, b.apply(x, { training: true }) as tf.Tensor), b.trainableWeights.map((w) => w.read() as tf.Variable));
      tf.train.sgd(learningRate).applyGradients(grads);
    });
    b.weights.forEach((w, i) => {
      const start = before[i]!;
      const mine = (a.weights[i]!.read().dataSync() as Float32Array).map((v, k) => v - start[k]!);
      const ref = (w.read().dataSync() as Float32Array).map((v, k) => v - start[k]!);
      const scale = Math.max(1e-6, ...Array.from(ref, Math.abs));
      expect(Math.max(...Array.from(ref, Math.abs)), `${w.name} moved`).toBeGreaterThan(0);
      expect(maxDiff(mine, ref) / scale, w.originalName || w.name).toBeLessThan(1e-4);
    });
    x.dispose();
    a.dispose();
    b.dispose();
  }

  it('one SGD step on Conv1D and the 1-D poolings moves every weight as TensorFlow.js does', () => expectSameSgdStep(sequenceNet, [10, 3]));

  it('one SGD step on Conv2DTranspose (same, valid, kernel below the stride, even kernel) moves every weight as TensorFlow.js does', () =>
    expectSameSgdStep(
      layers('transposed net', [
        { id: 'in', kind: 'Input', params: { shape: [3, 4, 2] } },
        { id: 't1', kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' } },
        // Uneven 'same' cuts (one cell at the end) on a layer whose input gradient is needed.
        { id: 't2', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [2, 3], strides: [1, 2], padding: 'same' } },
        { id: 't2v', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [2, 3], strides: [1, 2] } },
        { id: 't3', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [1, 1], strides: [2, 3], padding: 'same' } },
        { id: 't4', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same', useBias: false } },
        { id: 'gap', kind: 'GlobalAveragePooling2D' },
        { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
      ]),
      [3, 4, 2],
    ));

  // One example: TensorFlow.js 4.22's cpu gradient of resizeNearestNeighbor is wrong for batches of more than one (its wasm one is right).
  it('one SGD step through UpSampling2D (nearest, a broadcast Mul by ones) moves every weight as TensorFlow.js does', () =>
    expectSameSgdStep(
      layers('upsampling net', [
        { id: 'in', kind: 'Input', params: { shape: [3, 4, 2] } },
        { id: 'c1', kind: 'Conv2D', params: { filters: 3, kernelSize: [2, 2], padding: 'same', activation: 'relu' } },
        { id: 'up', kind: 'UpSampling2D', params: { size: [2, 3] } },
        { id: 'c2', kind: 'Conv2D', params: { filters: 2, kernelSize: [3, 3] } },
        { id: 'up1', kind: 'UpSampling2D', params: { size: [1, 2] } },
        { id: 'flat', kind: 'Flatten' },
        { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
      ]),
      [3, 4, 2],
      1,
    ));

  it('one SGD step through Cropping2D (a Slice, padded back in the gradient) moves every weight as TensorFlow.js does', () =>
    expectSameSgdStep(
      layers('cropping net', [
        { id: 'in', kind: 'Input', params: { shape: [6, 7, 2] } },
        { id: 'c1', kind: 'Conv2D', params: { filters: 3, kernelSize: [3, 3], padding: 'same', activation: 'relu' } },
        { id: 'crop', kind: 'Cropping2D', params: { heightCropping: [1, 2], widthCropping: [0, 3] } },
        { id: 'c2', kind: 'Conv2D', params: { filters: 2, kernelSize: [2, 2] } },
        { id: 'crop2', kind: 'Cropping2D', params: { heightCropping: [1, 0], widthCropping: [1, 1] } },
        { id: 'flat', kind: 'Flatten' },
        { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
      ]),
      [6, 7, 2],
    ));
});

function largestMagnitude(file: string): number {
  const bytes = readFileSync(file);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
