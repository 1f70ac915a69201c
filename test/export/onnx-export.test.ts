import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { compileGraph } from '../../main/compile/compile-graph';
import { initEngine } from '../../main/engine/index';
import { ExportFilesError, exportToFiles } from '../../main/export/export-files';
import { onnxBytesFromModel } from '../../main/export/onnx-file';
import { saveModelFiles } from '../../main/export/tfjs-model-files';
import { allTemplateIds, projectTempDir, runPythonJson, templateDocument } from './export-test-utils';
import { randomDocument } from './random-graph';
import { documentOf, randomizeWeights } from './torch-cases';

// ONNX export: every file passes onnx.checker (full_check, Debian's python3-onnx, one python run for
// many files) and onnxruntime-node predicts what TensorFlow.js predicts, to 1e-4.

const checker = path.join(import.meta.dirname, 'onnx-check.py');
/** Templates with tens of millions of weights: one sample through onnxruntime, not a batch. */
const huge = new Set(['alexnet', 'vgg16', 'resnet50']);

interface CheckResult {
  file: string;
  ok: boolean;
  error: string | null;
  ir: number;
  opsets: Record<string, number>;
  nodes: string[];
  inputs: [string, (number | string)[]][];
  outputs: string[];
  metadata: Record<string, string>;
  initializers: number;
}

function check(files: string[]): CheckResult[] {
  return runPythonJson<CheckResult[]>(checker, files, 600_000);
}

/** Runs the model in onnxruntime on x (NHWC, or transposed to NCHW) and returns the largest difference from tfjs. */
async function ortDiff(bytes: Uint8Array, model: tf.LayersModel, xs: tf.Tensor[], layout: 'nhwc' | 'nchw' = 'nhwc'): Promise<number> {
  const session = await ort.InferenceSession.create(bytes, sessionOptions).catch(async (err: unknown) => {
    // onnxruntime 1.30's graph optimiser folds a zero Pad into a following pooling and then refuses its
    // own result ("Pad should be smaller than kernel"); the model itself is valid (the checker passes).
    if (!String(err).includes('Pad should be smaller than kernel')) throw new Error(`${lastName}: ${String(err)}`);
    console.warn(`onnxruntime optimiser bug (Pad folded into pooling) on ${lastName.split(':')[0]}: compared with graph optimisations off.`);
    return ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  });
  const feeds: Record<string, ort.Tensor> = {};
  xs.forEach((x, i) => {
    const fed = layout === 'nchw' && x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x;
    feeds[session.inputNames[i]!] = new ort.Tensor('float32', Float32Array.from(fed.dataSync() as Float32Array), fed.shape);
    if (fed !== x) fed.dispose();
  });
  const results = await session.run(feeds);
  const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
  const expected = Array.isArray(predicted) ? predicted : [predicted];
  let worst = 0;
  expected.forEach((e, i) => {
    const out = results[session.outputNames[i]!]!;
    const want = layout === 'nchw' && e.rank === 4 ? tf.transpose(e, [0, 3, 1, 2]) : e;
    expect(out.dims.map(Number)).toEqual(want.shape);
    const a = out.data as Float32Array;
    const b = want.dataSync();
    for (let k = 0; k < b.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
    expect(Number.isFinite(worst)).toBe(true);
    if (want !== e) want.dispose();
  });
  expected.forEach((t) => t.dispose());
  await session.release();
  return worst;
}

function inputsOf(model: tf.LayersModel, batch: number, seed: number): tf.Tensor[] {
  return model.inputs.map((input, i) => tf.randomNormal([batch, ...(input.shape.slice(1) as number[])], 0, 1, 'float32', seed + i));
}

let lastName = '';
/** Default session options, as a user of the file gets them (graph optimisations on). */
const sessionOptions: ort.InferenceSession.SessionOptions = {};
function bytesOf(document: NetweaveDocument, model: tf.LayersModel, layout: 'nhwc' | 'nchw' = 'nhwc'): Uint8Array {
  lastName = `${document.name}: ${document.graph.nodes.map((n) => `${n.kind}${JSON.stringify(n.params ?? {})}`).join(' → ')}`;
  const result = onnxBytesFromModel(document, model, { layout });
  if (!result.ok) throw new Error(`${document.name}: ${result.error.message}`);
  return result.bytes;
}

describe('ONNX export', () => {
  const scratch = projectTempDir('onnx-export');
  beforeAll(async () => {
    await initEngine('wasm');
  });
  afterAll(() => scratch.remove());

  it('every template: the checker passes (IR 8, opset 13, metadata) and onnxruntime predicts what TensorFlow.js does with non-trivial weights', async () => {
    const files: string[] = [];
    const expectedCounts: number[] = [];
    for (const id of allTemplateIds) {
      const document = templateDocument(id);
      const { model } = compileGraph(document.graph, { seed: document.training.seed });
      randomizeWeights(model, 7);
      const bytes = bytesOf(document, model);
      const xs = inputsOf(model, huge.has(id) ? 1 : 4, 11);
      const diff = await ortDiff(bytes, model, xs);
      expect(diff, id).toBeLessThan(1e-4);
      xs.forEach((x) => x.dispose());
      expectedCounts.push(model.countParams());
      model.dispose();
      const file = path.join(scratch.dir, `${id}.onnx`);
      writeFileSync(file, bytes);
      files.push(file);
    }
    const results = check(files);
    results.forEach((r, i) => {
      expect(r.error, allTemplateIds[i]).toBeNull();
      expect(r.ir).toBe(8);
      expect(r.opsets['']).toBe(13);
      expect(JSON.parse(r.metadata['netweave.inputShape']!)).toEqual(r.inputs[0]![1].slice(1));
      expect(r.metadata['netweave.inputLayout']).toMatch(/NHWC|features/);
      // Every weight is in the file (constants such as pads add a few values more).
      expect(r.initializers).toBeGreaterThanOrEqual(expectedCounts[i]!);
      expect(r.initializers).toBeLessThan(expectedCounts[i]! + 10_000);
    });
  }, 600_000);

  it('random graphs: the checker passes and onnxruntime agrees with TensorFlow.js (cpu backend)', async () => {
    // The reference kernels: the app's wasm engine currently differs from them for a strided 'same'
    // DepthwiseConv2D with a 1×3 kernel (random graph 5), which onnxruntime matches to 1e-7 on cpu.
    console.warn('ONNX random graphs are compared against TensorFlow.js cpu kernels (see the comment for why not wasm).');
    await tf.setBackend('cpu');
    const files: string[] = [];
    let compared = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const document = randomDocument(seed, { tfjsSafe: true });
      const { model } = compileGraph(document.graph, { seed });
      randomizeWeights(model, seed);
      const bytes = bytesOf(document, model);
      const xs = inputsOf(model, 3, seed);
      expect(await ortDiff(bytes, model, xs), `random graph ${seed}`).toBeLessThan(1e-4);
      compared++;
      xs.forEach((x) => x.dispose());
      model.dispose();
      const file = path.join(scratch.dir, `random-${seed}.onnx`);
      writeFileSync(file, bytes);
      files.push(file);
    }
    expect(compared).toBe(25);
    await tf.setBackend('wasm');
    for (const r of check(files)) expect(r.error, r.file).toBeNull();
  }, 300_000);

  it('PReLU, LayerNormalization (written out at opset 13), Embedding, GaussianNoise, SpatialDropout2D: checker and onnxruntime agree', async () => {
    await tf.setBackend('cpu');
    const cases = [
      {
        document: documentOf('prelu and layer norm', [
          { id: 'in', kind: 'Input', params: { shape: [5, 4, 3] } },
          { id: 'prelu', kind: 'PReLU', params: { sharedAxes: [1, 2] } },
          { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernelSize: [2, 2] } },
          { id: 'noise', kind: 'GaussianNoise', params: { stddev: 0.5 } },
          { id: 'drop', kind: 'SpatialDropout2D', params: { rate: 0.4 } },
          { id: 'ln', kind: 'LayerNormalization' },
          { id: 'ln_rows', kind: 'LayerNormalization', params: { axis: 1, epsilon: 0.01, center: false } },
          { id: 'prelu_all', kind: 'PReLU' },
          { id: 'flat', kind: 'Flatten' },
          { id: 'ln_flat', kind: 'LayerNormalization', params: { scale: false } },
          { id: 'out', kind: 'Dense', params: { units: 3 } },
        ]),
        input: () => tf.randomNormal([4, 5, 4, 3], 0, 1, 'float32', 3),
        ops: ['PRelu', 'ReduceMean', 'Sqrt', 'Identity'],
      },
      {
        document: documentOf('embedding', [
          { id: 'ids', kind: 'Input', params: { shape: [6] } },
          { id: 'embed', kind: 'Embedding', params: { inputDim: 13, outputDim: 4 } },
          { id: 'flat', kind: 'Flatten' },
          { id: 'out', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
        ]),
        // Every id of the vocabulary, 0 and 12 included.
        input: () => tf.tensor2d(Array.from({ length: 24 }, (_, i) => (i * 5) % 13), [4, 6]),
        ops: ['Cast', 'Gather'],
      },
    ];
    const files: string[] = [];
    for (const [i, c] of cases.entries()) {
      const { model } = compileGraph(c.document.graph, { seed: 40 + i });
      randomizeWeights(model, 40 + i);
      const bytes = bytesOf(c.document, model);
      const x = c.input();
      expect(await ortDiff(bytes, model, [x]), c.document.name).toBeLessThan(1e-4);
      x.dispose();
      model.dispose();
      const file = path.join(scratch.dir, `misc-${i}.onnx`);
      writeFileSync(file, bytes);
      files.push(file);
    }
    await tf.setBackend('wasm');
    check(files).forEach((r, i) => {
      expect(r.error, r.file).toBeNull();
      expect(r.opsets['']).toBe(13);
      for (const op of cases[i]!.ops) expect(r.nodes, r.file).toContain(op);
    });
  }, 120_000);

  it('trained weights (batch norm statistics moved by training) through the file export, NHWC and NCHW', async () => {
    const document = documentOf('small bn net', [
      { id: 'in', kind: 'Input', params: { shape: [9, 9, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 6, kernelSize: [3, 3], strides: [2, 2], padding: 'same', useBias: false } },
      { id: 'bn', kind: 'BatchNormalization', params: { momentum: 0.8 } },
      { id: 'act', kind: 'Activation', params: { activation: 'relu' } },
      { id: 'sep', kind: 'SeparableConv2D', params: { filters: 5, kernelSize: [2, 2], padding: 'same', activation: 'swish' } },
      { id: 'pool', kind: 'AveragePooling2D', params: { poolSize: [2, 2], strides: [2, 2], padding: 'same' } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 4, activation: 'softmax' } },
    ]);
    const { model } = compileGraph(document.graph, { seed: 3 });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([48, 9, 9, 3], 0.5, 2, 'float32', 3);
    const ys = tf.oneHot(tf.randomUniform([48], 0, 4, 'int32', 4), 4).toFloat();
    await model.fit(xs, ys, { batchSize: 16, epochs: 2, shuffle: false });
    xs.dispose();
    ys.dispose();
    expect(Math.max(...Array.from(model.getLayer('bn').getWeights()[2]!.dataSync()).map(Math.abs))).toBeGreaterThan(0.05);
    const saved = path.join(scratch.dir, 'bn-model');
    await saveModelFiles(model, saved);
    const x = tf.randomNormal([20, 9, 9, 3], 0, 1.5, 'float32', 5);
    for (const layout of ['nhwc', 'nchw'] as const) {
      const file = path.join(scratch.dir, `bn-${layout}.onnx`);
      expect(await exportToFiles({ document, target: 'onnx', output: file, weightsDir: saved, layout })).toEqual([file]);
      expect(await ortDiff(readFileSync(file), model, [x], layout), layout).toBeLessThan(1e-4);
      const [r] = check([file]);
      expect(r!.error).toBeNull();
      expect(r!.inputs[0]).toEqual(['in', layout === 'nchw' ? ['batch', 3, 9, 9] : ['batch', 9, 9, 3]]);
      expect(r!.outputs).toEqual(['out']);
      expect(r!.metadata['netweave.inputLayout']).toBe(layout.toUpperCase());
      expect(JSON.parse(r!.metadata['netweave.classNames']!)).toEqual(['0', '1', '2', '3']);
      expect(JSON.parse(r!.metadata['netweave.inputShape']!)).toEqual([9, 9, 3]);
    }
    x.dispose();
    model.dispose();
  }, 120_000);

  it('refuses weights from another graph before writing anything, and names what does not fit', async () => {
    const other = templateDocument('mlp-xor');
    const { model } = compileGraph(other.graph, { seed: 1 });
    const saved = path.join(scratch.dir, 'xor-model');
    await saveModelFiles(model, saved);
    model.dispose();
    const file = path.join(scratch.dir, 'refused.onnx');
    const error = await exportToFiles({ document: templateDocument('lenet5'), target: 'onnx', output: file, weightsDir: saved }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFilesError);
    expect((error as ExportFilesError).code).toBe('weights-mismatch');
    expect((error as ExportFilesError).message).toMatch(/layer "/);
    expect(existsSync(file)).toBe(false);
  });
});
