import { repeatedInputAliases } from '../../graph-schema/tfjs-workarounds';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { exportCode } from '../../graph-schema/export/export-code';
import { flattenGraph } from '../../graph-schema/flatten-graph';
import { analyzeGraph } from '../../graph-schema/infer';
import { compileGraph } from '../../main/compile/compile-graph';
import { activationEntry, isUnsupported, unsupportedReason } from '../../graph-schema/target-table';
import { typescriptTable } from '../../graph-schema/export/typescript-table';
import { tfjsActivations } from '../../graph-schema/tfjs-workarounds';
import { allTemplateIds, importTypescript, projectTempDir, templateDocument, typecheckStrict } from './export-test-utils';
import { randomDocument } from './random-graph';
import { twoInputsTwoOutputs } from './torch-cases';

// Each generated module is written to a scratch folder inside the project, type-checked
// as a standalone file with the strict compiler settings, then transpiled and run.

type GeneratedModule = { buildModel(): tf.LayersModel };
type GeneratedTrainingModule = GeneratedModule & {
  train(model?: tf.LayersModel, epochs?: number): Promise<tf.History>;
  loadData(count?: number): Promise<{ xs: tf.Tensor; ys: tf.Tensor }>;
  trainingSettings: Record<string, unknown>;
};

const scratch = projectTempDir('ts-export');
const randomSeeds = Array.from({ length: 24 }, (_, i) => 101 + i);
// Above this many parameters the reference model is not built a second time (VGG16, AlexNet): too slow for a unit test.
const referenceLimit = 30_000_000;

function writeExport(document: NetweaveDocument, name: string, includeTraining = false): string {
  const result = exportCode(document, 'ts', { includeTraining });
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  const file = path.join(scratch.dir, `${name}.ts`);
  writeFileSync(file, result.code);
  return file;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The exported model against the analysis: counts and every node's output shape. */
function expectAnalysisFigures(document: NetweaveDocument, model: tf.LayersModel): void {
  const analysis = analyzeGraph(document.graph);
  const labels = new Map(document.graph.nodes.filter((n) => n.label).map((n) => [n.id, n.label!]));
  const primitives = flattenGraph(analysis, labels);
  expect(model.countParams()).toBe(analysis.totals.total);
  expect(model.trainableWeights.reduce((n, w) => n + product(w.shape as number[]), 0)).toBe(analysis.totals.trainable);
  // Plus the pass-throughs for a tensor fed twice to one layer (see repeatedInputAliases).
  const passThroughs = primitives.layers.flatMap((l) => repeatedInputAliases(l.name, l.inputs).flatMap((a) => (a ? [a.alias] : [])));
  expect(model.layers.map((l) => l.name).sort()).toEqual([...primitives.layers.map((l) => l.name), ...passThroughs].sort());
  for (const [nodeId, node] of analysis.nodes) {
    expect(model.getLayer(primitives.nodeOutput.get(nodeId)!).outputShape, `node ${nodeId}`).toEqual(node.outputShape);
  }
}

/** Layer by layer against compileGraph: same config, same output shape, same inputs in the same order. */
function expectSameAsCompiled(exported: tf.LayersModel, reference: tf.LayersModel): void {
  expect(exported.layers.length).toBe(reference.layers.length);
  for (const ref of reference.layers) {
    const layer = exported.getLayer(ref.name);
    expect(layer.getClassName(), ref.name).toBe(ref.getClassName());
    expect(layer.getConfig(), ref.name).toEqual(ref.getConfig());
    expect(layer.outputShape, ref.name).toEqual(ref.outputShape);
    const inbound = (l: tf.layers.Layer): string[] => l.inboundNodes.flatMap((n) => n.inboundLayers.map((i) => i.name));
    expect(inbound(layer), ref.name).toEqual(inbound(ref));
  }
  expect(exported.inputs.map((t) => t.sourceLayer.name)).toEqual(reference.inputs.map((t) => t.sourceLayer.name));
  expect(exported.outputs.map((t) => t.sourceLayer.name)).toEqual(reference.outputs.map((t) => t.sourceLayer.name));
}

let templateFiles: Map<string, string>;
let trainingFiles: Map<string, string>;
let randomFiles: Map<number, string>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  templateFiles = new Map(allTemplateIds.map((id) => [id, writeExport(templateDocument(id), id.replace(/-/g, '_'))]));
  trainingFiles = new Map(allTemplateIds.map((id) => [id, writeExport(templateDocument(id), `${id.replace(/-/g, '_')}_training`, true)]));
  randomFiles = new Map(randomSeeds.map((seed) => [seed, writeExport(randomDocument(seed, { tfjsSafe: true }), `random_${seed}`, seed % 3 === 0)]));
});

afterAll(() => scratch.remove());

describe('TypeScript export', () => {
  it('type-checks with strict settings for every template (with and without training code) and random graphs', () => {
    const files = [...templateFiles.values(), ...trainingFiles.values(), ...randomFiles.values()];
    expect(typecheckStrict(files)).toEqual([]);
  });

  it('imports nothing but @tensorflow/tfjs (and the mnist package in the MNIST loader)', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of [...templateFiles.values(), ...randomFiles.values()]) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(imports, file).toEqual(['@tensorflow/tfjs']);
    }
  });

  it.each(allTemplateIds)('template %s builds a model with the app figures and compileGraph layers', async (id) => {
    const document = templateDocument(id);
    const { buildModel } = await importTypescript<GeneratedModule>(templateFiles.get(id)!);
    const model = buildModel();
    try {
      expectAnalysisFigures(document, model);
      if (model.countParams() <= referenceLimit) {
        const { model: reference } = compileGraph(document.graph);
        try {
          expectSameAsCompiled(model, reference);
        } finally {
          reference.dispose();
        }
      }
    } finally {
      model.dispose();
    }
  });

  it.each(randomSeeds)('random graph %i: same layers as compileGraph and, with its weights, the same predictions', async (seed) => {
    const document = randomDocument(seed, { tfjsSafe: true });
    const { buildModel } = await importTypescript<GeneratedModule>(randomFiles.get(seed)!);
    const model = buildModel();
    const { model: reference } = compileGraph(document.graph);
    try {
      expectAnalysisFigures(document, model);
      expectSameAsCompiled(model, reference);
      for (const layer of reference.layers) model.getLayer(layer.name).setWeights(layer.getWeights());
      const inputShape = reference.inputs[0]!.shape.slice(1) as number[];
      const x = tf.randomNormal([3, ...inputShape], 0, 1, 'float32', seed);
      const expected = (reference.predict(x) as tf.Tensor).dataSync();
      const actual = (model.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(actual)).toEqual(Array.from(expected));
      x.dispose();
    } finally {
      model.dispose();
      reference.dispose();
    }
  });

  it('builds models with two inputs and two outputs in the order compileGraph gives them', async () => {
    const document = twoInputsTwoOutputs();
    const file = writeExport(document, 'two_in_two_out');
    expect(typecheckStrict([file])).toEqual([]);
    const model = (await importTypescript<GeneratedModule>(file)).buildModel();
    const { model: reference } = compileGraph(document.graph);
    expectAnalysisFigures(document, model);
    expectSameAsCompiled(model, reference);
    expect(model.inputs.map((t) => t.sourceLayer.name)).toEqual(['image', 'features']);
    expect(model.outputs.map((t) => t.sourceLayer.name).sort()).toEqual(['classes', 'values']);
    expect(model.outputs.map((t) => t.sourceLayer.name)).toEqual(analyzeGraph(document.graph).outputs);
    model.dispose();
    reference.dispose();
  });

  it('resolves a −1 in a Reshape target, which tf.layers.reshape would leave unknown', async () => {
    const document = createDocument(
      {
        nodes: [
          { id: 'in', kind: 'Input', params: { shape: [6, 4, 3] }, position: { x: 0, y: 0 } },
          { id: 'rows', kind: 'Reshape', params: { targetShape: [-1, 3] }, position: { x: 0, y: 0 } },
          { id: 'per_row', kind: 'Dense', params: { units: 2 }, position: { x: 0, y: 0 } },
          { id: 'flat', kind: 'Flatten', params: {}, position: { x: 0, y: 0 } },
          { id: 'out', kind: 'Dense', params: { units: 5, activation: 'softmax' }, position: { x: 0, y: 0 } },
        ],
        edges: ['in', 'rows', 'per_row', 'flat', 'out'].slice(1).map((id, i, all) => ({ id: `e${i}`, source: i === 0 ? 'in' : all[i - 1]!, target: id, sourcePort: 'out', targetPort: 'in' })),
      },
      'Reshape wildcard',
    );
    const file = writeExport(document, 'reshape_wildcard');
    expect(typecheckStrict([file])).toEqual([]);
    const model = (await importTypescript<GeneratedModule>(file)).buildModel();
    expectAnalysisFigures(document, model);
    expect(model.getLayer('rows').outputShape).toEqual([null, 24, 3]);
    model.dispose();
  });

  it.each([
    [
      'PReLU, LayerNormalization, GaussianNoise, SpatialDropout2D',
      [
        { id: 'in', kind: 'Input', params: { shape: [5, 4, 3] } },
        { id: 'prelu', kind: 'PReLU', params: { sharedAxes: [1, 2] } },
        { id: 'noise', kind: 'GaussianNoise', params: { stddev: 0.3 } },
        { id: 'spatial_drop', kind: 'SpatialDropout2D', params: { rate: 0.3 } },
        { id: 'ln_rows', kind: 'LayerNormalization', params: { axis: 1, epsilon: 0.01 } },
        { id: 'ln', kind: 'LayerNormalization' },
        { id: 'flat', kind: 'Flatten' },
        { id: 'prelu_all', kind: 'PReLU' },
        { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
      ],
      () => tf.randomNormal([3, 5, 4, 3], 0, 1, 'float32', 4),
    ],
    [
      'Embedding on integer ids',
      [
        { id: 'ids', kind: 'Input', params: { shape: [6] } },
        { id: 'embed', kind: 'Embedding', params: { inputDim: 9, outputDim: 4 } },
        { id: 'flat', kind: 'Flatten' },
        { id: 'out', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
      ],
      () => tf.tensor2d(Array.from({ length: 18 }, (_, i) => (i * 5) % 9), [3, 6]),
    ],
  ] as const)('%s: strict type-check, the compiled layers and the same predictions', async (name, layers, input) => {
    const document = createDocument(
      {
        nodes: layers.map((l, i) => ({ id: l.id, kind: l.kind, params: 'params' in l ? { ...l.params } : {}, position: { x: 0, y: i * 100 } })),
        edges: layers.slice(1).map((l, i) => ({ id: `e${i}`, source: layers[i]!.id, sourcePort: 'out', target: l.id, targetPort: 'in' })),
      },
      name,
    );
    const file = writeExport(document, name.replace(/[^A-Za-z]+/g, '_').toLowerCase());
    expect(typecheckStrict([file])).toEqual([]);
    const model = (await importTypescript<GeneratedModule>(file)).buildModel();
    const { model: reference } = compileGraph(document.graph);
    try {
      expectAnalysisFigures(document, model);
      expectSameAsCompiled(model, reference);
      // Trained-looking weights: PReLU slopes of both signs, LayerNorm γ and β away from 1 and 0.
      for (const layer of reference.layers) {
        const weights = layer.getWeights().map((w, i) => (layer.name === 'embed' ? w : tf.randomUniform(w.shape, -1, 1, 'float32', 20 + i)));
        layer.setWeights(weights);
        model.getLayer(layer.name).setWeights(weights);
      }
      const x = input();
      expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((reference.predict(x) as tf.Tensor).dataSync()));
      x.dispose();
    } finally {
      model.dispose();
      reference.dispose();
    }
  });

  it('refuses exactly the layers TensorFlow.js computes wrongly, naming the node and the target', () => {
    const refusedFor = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const document = randomDocument(seed);
      const rankOf = new Map([...analyzeGraph(document.graph).nodes].map(([id, n]) => [id, n.outputShape?.length ?? 0]));
      const offending = document.graph.nodes.filter((n) => {
        // An activation TensorFlow.js cannot compute (hard_sigmoid, hard_swish), on a layer or a block.
        if (typeof n.params.activation === 'string' && isUnsupported(activationEntry(tfjsActivations, n.params.activation))) return true;
        // A kind the TypeScript target says it cannot express (e.g. Subtract: tf.layers has none).
        if (unsupportedReason(typescriptTable, n.kind) !== null) return true;
        if (n.kind === 'DepthwiseConv2D') return (n.params.dilationRate as number[]).some((d) => d > 1);
        // tf.layers.upSampling2d's bilinear lacks half-pixel centres; tf.layers.conv2dTranspose has no dilation or output padding.
        if (n.kind === 'UpSampling2D') return n.params.interpolation === 'bilinear';
        if (n.kind === 'Conv2DTranspose') return [...((n.params.dilationRate as number[] | undefined) ?? [1, 1])].some((d) => d > 1) || ((n.params.outputPadding as number[] | undefined) ?? [-1, -1]).some((p) => p >= 0);
        // tf.layers.elu throws for alpha ≠ 1; tf.layers.reLU has no slope or threshold; tf.softmax only on the last axis.
        if (n.kind === 'ELU') return n.params.alpha !== undefined && n.params.alpha !== 1;
        if (n.kind === 'ReLU') return [n.params.negativeSlope, n.params.threshold].some((v) => v !== undefined && v !== 0);
        // tf.layers.layerNormalization cannot train without γ or β.
        if (n.kind === 'LayerNormalization') return n.params.center === false || n.params.scale === false;
        if (n.kind === 'Softmax') {
          const axis = (n.params.axis as number | undefined) ?? -1;
          const rank = rankOf.get(n.id)!;
          return (axis < 0 ? rank + axis : axis) !== rank - 1;
        }
        if (n.kind !== 'BatchNormalization') return false;
        const axis = (n.params.axis as number | undefined) ?? -1;
        const rank = rankOf.get(n.id)!;
        return (axis < 0 ? rank + axis : axis) !== rank - 1;
      });
      const result = exportCode(document, 'ts');
      expect(exportCode(document, 'pytorch').ok, `seed ${seed}`).toBe(true);
      expect(exportCode(document, 'keras').ok, `seed ${seed}`).toBe(true);
      if (offending.length === 0) {
        expect(result.ok, `seed ${seed}`).toBe(true);
        continue;
      }
      expect(result.ok, `seed ${seed}`).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('export-unsupported');
      expect(offending.map((n) => n.id)).toContain(result.error.nodeId);
      expect(result.error.message).toContain('TypeScript (TensorFlow.js)');
      expect(result.error.message).toContain(result.error.nodeId!);
      const refused = document.graph.nodes.find((n) => n.id === result.error.nodeId)!;
      refusedFor.add(/has no activation/.test(result.error.message) ? 'activation' : refused.kind);
    }
    expect([...refusedFor]).toEqual(expect.arrayContaining(['BatchNormalization', 'DepthwiseConv2D', 'activation']));
  });

  it('training code for XOR compiles with the project settings and trains', async () => {
    const mod = await importTypescript<GeneratedTrainingModule>(trainingFiles.get('mlp-xor')!);
    const document = templateDocument('mlp-xor');
    expect(mod.trainingSettings).toMatchObject({
      optimizer: document.training.optimizer,
      learningRate: document.training.learningRate,
      loss: document.training.loss,
      batchSize: document.training.batchSize,
      validationSplit: document.training.validationSplit,
    });
    const { xs, ys } = await mod.loadData();
    expect(xs.shape).toEqual([4, 2]);
    expect(Array.from(ys.dataSync())).toEqual([0, 1, 1, 0]);
    const model = mod.buildModel();
    const history = await mod.train(model, 40);
    const losses = history.history.loss as number[];
    expect(losses).toHaveLength(40);
    expect(losses[39]!).toBeLessThan(losses[0]!);
    model.dispose();
  });

  it('the MNIST loader reads real digits from the mnist package, shaped for the model', async () => {
    const mod = await importTypescript<GeneratedTrainingModule>(trainingFiles.get('lenet5')!);
    const { xs, ys } = await mod.loadData(50);
    expect(xs.shape).toEqual([50, 28, 28, 1]);
    expect(ys.shape).toEqual([50, 10]);
    expect(Array.from(ys.sum(1).dataSync())).toEqual(new Array(50).fill(1));
    const pixels = xs.dataSync();
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(pixels.some((v) => v > 0.5)).toBe(true);
    const flat = await importTypescript<GeneratedTrainingModule>(trainingFiles.get('mlp-mnist')!);
    expect((await flat.loadData(5)).xs.shape).toEqual([5, 784]);
  });

  it('a file-based data set gets a documented stub that says how to load it', async () => {
    const document = templateDocument('lenet5');
    document.training.dataset = 'idx:/data/fashion';
    const result = exportCode(document, 'ts', { includeTraining: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.code).toContain('idx:/data/fashion');
    expect(result.code).toContain('train-images-idx3-ubyte');
    const file = path.join(scratch.dir, 'idx_stub.ts');
    writeFileSync(file, result.code);
    expect(typecheckStrict([file])).toEqual([]);
    const mod = await importTypescript<GeneratedTrainingModule>(file);
    await expect(mod.loadData()).rejects.toThrow(/stub/);
  });
});
