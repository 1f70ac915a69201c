import { activationNames } from '../../graph-schema/kinds/common';
import { isUnsupported } from '../../graph-schema/target-table';
import { tfjsActivations } from '../../graph-schema/tfjs-workarounds';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { exportPytorch } from '../../graph-schema/export/export-code';
import { analyzeGraph } from '../../graph-schema/infer';
import { compileGraph } from '../../main/compile/compile-graph';
import { writeTorchWeights } from '../../main/export/torch-weights-file';
import { allTemplateIds, projectTempDir, runPythonJson, templateDocument, torchStatus } from './export-test-utils';
import { randomDocument } from './random-graph';
import type { CompareJob } from './torch-cases';
import { documentOf, kerasBatchNorm, randomizeWeights, twoInputsTwoOutputs, writeCompareCase } from './torch-cases';

// Checked with Debian's python3-torch: each case is exported with the weights of a
// TensorFlow.js model built by compileGraph, and the module must predict what
// TensorFlow.js predicts. One Python process runs all cases of a kind.

const torch = torchStatus();
if (!torch.available) console.warn(`PyTorch export tests skipped: ${torch.reason}`);
const harness = path.join(import.meta.dirname, 'torch-harness.py');

// Compared with TensorFlow.js, so only the activations it computes (the others: export-code.test.ts).
const activations = activationNames.filter((a) => !isUnsupported(tfjsActivations[a]));

/** One graph per semantic point where PyTorch and Keras differ unless translated with care. */
const semanticCases: { name: string; document: NetweaveDocument; inputShift?: number }[] = [
  {
    name: 'conv_same_stride2_even_input',
    document: documentOf('same stride 2', [
      { id: 'in', kind: 'Input', params: { shape: [8, 10, 2] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 3, kernelSize: [3, 3], strides: [2, 2], padding: 'same' } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 4 } },
    ]),
  },
  {
    name: 'conv_same_even_kernel',
    document: documentOf('same even kernel', [
      { id: 'in', kind: 'Input', params: { shape: [7, 6, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 2, kernelSize: [4, 2], padding: 'same', activation: 'relu' } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
    ]),
  },
  {
    name: 'conv_dilated_same',
    document: documentOf('dilation', [
      { id: 'in', kind: 'Input', params: { shape: [11, 9, 2] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 3, kernelSize: [3, 3], dilationRate: [2, 3], padding: 'same' } },
      { id: 'conv2', kind: 'Conv2D', params: { filters: 2, kernelSize: [2, 2], dilationRate: [2, 2] } },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'max_pool_same_pads_minus_infinity',
    // All inputs negative: zero padding would win the max at the bottom/right edge.
    inputShift: -4,
    document: documentOf('max pool same', [
      { id: 'in', kind: 'Input', params: { shape: [7, 7, 2] } },
      { id: 'pool', kind: 'MaxPooling2D', params: { poolSize: [2, 2], strides: [2, 2], padding: 'same' } },
      { id: 'pool3', kind: 'MaxPooling2D', params: { poolSize: [3, 3], strides: [1, 1], padding: 'same' } },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'avg_pool_same_excludes_padding',
    inputShift: 2,
    document: documentOf('avg pool same', [
      { id: 'in', kind: 'Input', params: { shape: [8, 7, 2] } },
      { id: 'pool3', kind: 'AveragePooling2D', params: { poolSize: [3, 3], strides: [1, 1], padding: 'same' } },
      { id: 'pool2', kind: 'AveragePooling2D', params: { poolSize: [2, 3], strides: [2, 2], padding: 'same' } },
      { id: 'pool_valid', kind: 'AveragePooling2D', params: { poolSize: [2, 2], strides: [1, 1] } },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'batch_norm_statistics',
    document: documentOf('batch norm', [
      { id: 'in', kind: 'Input', params: { shape: [6, 6, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernelSize: [3, 3], padding: 'same' } },
      { id: 'bn', kind: 'BatchNormalization', params: { momentum: 0.9 } },
      { id: 'bn_eps', kind: 'BatchNormalization', params: { epsilon: 0.5 } },
      { id: 'act', kind: 'Activation', params: { activation: 'relu' } },
      { id: 'gap', kind: 'GlobalAveragePooling2D' },
      { id: 'out', kind: 'Dense', params: { units: 3 } },
    ]),
  },
  {
    name: 'batch_norm_partial_affine',
    document: documentOf('batch norm variants', [
      { id: 'in', kind: 'Input', params: { shape: [5, 4, 3] } },
      { id: 'no_center', kind: 'BatchNormalization', params: { center: false } },
      { id: 'no_scale', kind: 'BatchNormalization', params: { scale: false } },
      { id: 'neither', kind: 'BatchNormalization', params: { center: false, scale: false } },
      { id: 'seq', kind: 'Reshape', params: { targetShape: [20, 3] } },
      { id: 'seq_bn', kind: 'BatchNormalization', params: { axis: -1 } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'flat_bn', kind: 'BatchNormalization' },
    ]),
  },
  ...activations.map((activation) => ({
    name: `activation_${activation}`,
    document: documentOf(activation, [
      { id: 'in', kind: 'Input', params: { shape: [5, 5, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernelSize: [2, 2], activation } },
      { id: 'act', kind: 'Activation', params: { activation } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 5, activation } },
    ]),
  })),
  {
    name: 'flatten_reshape_channels_last',
    document: documentOf('flatten and reshape', [
      { id: 'in', kind: 'Input', params: { shape: [24] } },
      { id: 'image', kind: 'Reshape', params: { targetShape: [2, 4, 3] } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 5, kernelSize: [1, 2] } },
      { id: 'rows', kind: 'Reshape', params: { targetShape: [6, 5] } },
      { id: 'per_row', kind: 'Dense', params: { units: 2, activation: 'tanh' } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 4 } },
    ]),
  },
  {
    name: 'concatenate_axes_and_add',
    document: documentOf('merges', [
      { id: 'in', kind: 'Input', params: { shape: [4, 5, 2] } },
      { id: 'a', kind: 'Conv2D', params: { filters: 3, kernelSize: [1, 1] }, from: ['in'] },
      { id: 'b', kind: 'Conv2D', params: { filters: 3, kernelSize: [1, 1], activation: 'relu' }, from: ['in'] },
      { id: 'channels', kind: 'Concatenate', params: { axis: -1 }, from: ['b', 'a'] },
      { id: 'rows', kind: 'Concatenate', params: { axis: 1 }, from: ['a', 'b'] },
      // A positive axis: TensorFlow.js, the reference here, joins on the last axis for any negative one.
      { id: 'cols', kind: 'Concatenate', params: { axis: 2 }, from: ['b', 'a'] },
      { id: 'rows_conv', kind: 'Conv2D', params: { filters: 6, kernelSize: [5, 1] }, from: ['rows'] },
      { id: 'cols_conv', kind: 'Conv2D', params: { filters: 6, kernelSize: [1, 6] }, from: ['cols'] },
      { id: 'sum', kind: 'Add', from: ['channels', 'rows_conv', 'cols_conv'] },
      { id: 'vec', kind: 'GlobalMaxPooling2D' },
      { id: 'v2', kind: 'Dense', params: { units: 2 }, from: ['vec'] },
      { id: 'joined', kind: 'Concatenate', from: ['v2', 'vec'] },
    ]),
  },
  {
    name: 'depthwise_and_separable',
    document: documentOf('depthwise', [
      { id: 'in', kind: 'Input', params: { shape: [9, 8, 3] } },
      { id: 'dw', kind: 'DepthwiseConv2D', params: { kernelSize: [3, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2 } },
      { id: 'sep', kind: 'SeparableConv2D', params: { filters: 4, kernelSize: [2, 3], strides: [2, 1], padding: 'same', depthMultiplier: 3, activation: 'elu' } },
      { id: 'sep_dilated', kind: 'SeparableConv2D', params: { filters: 2, kernelSize: [2, 2], dilationRate: [2, 1], padding: 'same', useBias: false } },
      { id: 'dw_plain', kind: 'DepthwiseConv2D', params: { kernelSize: [1, 2], useBias: false } },
      { id: 'flat', kind: 'Flatten' },
    ]),
  },
  {
    name: 'two_inputs_two_outputs',
    document: twoInputsTwoOutputs(),
  },
  {
    name: 'prelu_layer_norm_noise_spatial_dropout',
    document: documentOf('prelu and layer norm', [
      { id: 'in', kind: 'Input', params: { shape: [5, 4, 3] } },
      { id: 'prelu', kind: 'PReLU' },
      { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernelSize: [2, 2] } },
      { id: 'prelu_channels', kind: 'PReLU', params: { sharedAxes: [1, 2] } },
      { id: 'noise', kind: 'GaussianNoise', params: { stddev: 0.5 } },
      { id: 'spatial_drop', kind: 'SpatialDropout2D', params: { rate: 0.4 } },
      { id: 'ln', kind: 'LayerNormalization' },
      { id: 'ln_rows', kind: 'LayerNormalization', params: { axis: 1, epsilon: 0.01 } },
      { id: 'ln_scale_only', kind: 'LayerNormalization', params: { axis: 2, center: false } },
      { id: 'seq', kind: 'Reshape', params: { targetShape: [12, 4] } },
      { id: 'prelu_steps', kind: 'PReLU', params: { sharedAxes: [1] } },
      { id: 'ln_seq', kind: 'LayerNormalization', params: { scale: false } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 3 } },
    ]),
  },
  {
    name: 'padding_pools_dense_on_image_dropout',
    document: documentOf('misc', [
      { id: 'in', kind: 'Input', params: { shape: [5, 6, 2] } },
      { id: 'pad', kind: 'ZeroPadding2D', params: { heightPadding: [1, 2], widthPadding: [0, 3] } },
      { id: 'mix', kind: 'Dense', params: { units: 3, activation: 'relu' } },
      { id: 'drop', kind: 'Dropout', params: { rate: 0.5 } },
      { id: 'conv', kind: 'Conv2D', params: { filters: 2, kernelSize: [3, 3], strides: [2, 2], padding: 'same' } },
      { id: 'gap', kind: 'GlobalAveragePooling2D' },
    ]),
  },
  {
    // MobileNetV2 and DenseNet blocks: Keras' pads for even (10 → 5) and odd (5 → 3) sizes, the residual, the concatenations.
    name: 'inverted_residual_dense_transition_blocks',
    document: documentOf('modern blocks', [
      { id: 'in', kind: 'Input', params: { shape: [10, 10, 8] } },
      { id: 'irb_even', kind: 'InvertedResidualBlock', params: { filters: 8, expansion: 3, strides: 2 } },
      { id: 'irb_residual', kind: 'InvertedResidualBlock', params: { filters: 8, expansion: 2, strides: 1 } },
      { id: 'irb_odd', kind: 'InvertedResidualBlock', params: { filters: 6, expansion: 1, strides: 2 } },
      { id: 'dense', kind: 'DenseBlock', params: { layers: 2, growthRate: 4 } },
      { id: 'transition', kind: 'TransitionBlock', params: { compression: 0.5 } },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
    ]),
  },
];

/**
 * Batch norm on other axes than the last: TensorFlow.js infers these wrongly, so the
 * reference is Keras' formula written out with tensor ops, layer by layer.
 */
const otherAxesDocument = documentOf('batch norm axes', [
  { id: 'in', kind: 'Input', params: { shape: [5, 4, 3] } },
  { id: 'rows', kind: 'BatchNormalization', params: { axis: 1 } },
  { id: 'cols', kind: 'BatchNormalization', params: { axis: 2, center: false } },
  { id: 'seq', kind: 'Reshape', params: { targetShape: [20, 3] } },
  { id: 'steps', kind: 'BatchNormalization', params: { axis: 1, scale: false } },
  { id: 'channels_first_count', kind: 'BatchNormalization', params: { axis: -2, epsilon: 0.01 } },
]);

function otherAxesReference(model: tf.LayersModel): (x: tf.Tensor) => tf.Tensor {
  return (x) =>
    tf.tidy(() => {
      let y = kerasBatchNorm(x, model.getLayer('rows'));
      y = kerasBatchNorm(y, model.getLayer('cols'));
      y = y.reshape([y.shape[0]!, 20, 3]);
      y = kerasBatchNorm(y, model.getLayer('steps'));
      return kerasBatchNorm(y, model.getLayer('channels_first_count'));
    });
}

/** Embedding reads integer ids: its case is fed ids in [0, input_dim) as float values, as the app feeds them. */
const embeddingDocument = documentOf('embedding', [
  { id: 'ids', kind: 'Input', params: { shape: [7] } },
  { id: 'embed', kind: 'Embedding', params: { inputDim: 11, outputDim: 5 } },
  { id: 'ln', kind: 'LayerNormalization' },
  { id: 'flat', kind: 'Flatten' },
  { id: 'out', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
]);

const randomSeeds = Array.from({ length: 14 }, (_, i) => 301 + i);

describe.skipIf(!torch.available)('PyTorch export', () => {
  const scratch = projectTempDir('torch-export');
  let compared: Map<string, { maxDiff: (number | null)[]; shapes: number[][] }>;
  const jobs: CompareJob[] = [];
  const scales = new Map<string, number>();

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const cases = [
      ...semanticCases.map((c, i) => ({ ...c, seed: 11 + i })),
      ...randomSeeds.map((seed) => ({ name: `random_${seed}`, document: randomDocument(seed, { tfjsSafe: true }), seed, inputShift: 0 })),
    ];
    for (const c of cases) {
      const { model } = compileGraph(c.document.graph, { seed: c.seed });
      randomizeWeights(model, c.seed * 100);
      const job = await writeCompareCase(scratch.dir, c.name, c.document, model, { seed: c.seed, inputShift: c.inputShift ?? 0 });
      // Tolerance grows with the size of the outputs (unbounded activations).
      scales.set(c.name, Math.max(1, ...job.expected.map((e) => largestMagnitude(e.path))));
      jobs.push(job);
      model.dispose();
    }
    {
      const { model } = compileGraph(otherAxesDocument.graph, { seed: 3 });
      randomizeWeights(model, 300);
      const job = await writeCompareCase(scratch.dir, 'batch_norm_other_axes', otherAxesDocument, model, { seed: 3, reference: otherAxesReference(model) });
      scales.set(job.name, Math.max(1, ...job.expected.map((e) => largestMagnitude(e.path))));
      jobs.push(job);
      model.dispose();
    }
    {
      const { model } = compileGraph(embeddingDocument.graph, { seed: 5 });
      randomizeWeights(model, 500);
      // Every id of the vocabulary, 0 and 10 included, over a batch of 4.
      const ids = tf.tensor2d(Array.from({ length: 28 }, (_, i) => (i * 3) % 11), [4, 7], 'float32');
      const job = await writeCompareCase(scratch.dir, 'embedding_integer_ids', embeddingDocument, model, { input: ids });
      ids.dispose();
      scales.set(job.name, Math.max(1, ...job.expected.map((e) => largestMagnitude(e.path))));
      jobs.push(job);
      model.dispose();
    }
    const jobsFile = path.join(scratch.dir, 'compare.json');
    writeFileSync(jobsFile, JSON.stringify(jobs));
    const results = runPythonJson<{ name: string; maxDiff: (number | null)[]; shapes: number[][] }[]>(harness, ['compare', jobsFile]);
    compared = new Map(results.map((r) => [r.name, r]));
  });

  afterAll(() => scratch.remove());

  const expectSamePredictions = (name: string): void => {
    const result = compared.get(name)!;
    const job = jobs.find((j) => j.name === name)!;
    expect(result.shapes).toEqual(job.expected.map((e) => e.shape));
    for (const diff of result.maxDiff) {
      expect(diff).not.toBeNull();
      expect(diff!).toBeLessThan(1e-4 * scales.get(name)!);
    }
  };

  it.each(semanticCases.map((c) => c.name))('%s: PyTorch predicts what TensorFlow.js predicts', (name) => expectSamePredictions(name));

  it('batch_norm_other_axes: PyTorch normalizes the axis Keras normalizes', () => expectSamePredictions('batch_norm_other_axes'));

  it('embedding_integer_ids: PyTorch looks up the rows TensorFlow.js looks up', () => expectSamePredictions('embedding_integer_ids'));

  it.each(randomSeeds.map((s) => `random_${s}`))('%s: PyTorch predicts what TensorFlow.js predicts', (name) => expectSamePredictions(name));

  it('every template builds in PyTorch with the app parameter counts and output shape', () => {
    const jobsFile = path.join(scratch.dir, 'templates.json');
    const templateJobs = allTemplateIds.map((id) => {
      const document = templateDocument(id);
      const result = exportPytorch(document);
      if (!result.ok) throw new Error(result.error.message);
      const module = path.join(scratch.dir, `template_${id.replace(/-/g, '_')}.py`);
      writeFileSync(module, result.code);
      const analysis = analyzeGraph(document.graph);
      const input = analysis.nodes.get(analysis.inputs[0]!)!.outputShape!.slice(1) as number[];
      return { name: id, module, inputShape: input, forward: true };
    });
    writeFileSync(jobsFile, JSON.stringify(templateJobs));
    const results = runPythonJson<{ name: string; parameters: number; buffers: number; outputShape: number[] }[]>(harness, ['build', jobsFile]);
    for (const result of results) {
      const analysis = analyzeGraph(templateDocument(result.name).graph);
      const output = analysis.nodes.get(analysis.outputs[0]!)!.outputShape!;
      // PyTorch parameters = Keras trainable; batch-norm running mean/variance buffers = Keras non-trainable.
      expect({ id: result.name, parameters: result.parameters, buffers: result.buffers, output: result.outputShape }).toEqual({
        id: result.name,
        parameters: analysis.totals.trainable,
        buffers: analysis.totals.nonTrainable,
        output: [1, ...output.slice(1)],
      });
    }
    expect(results.map((r) => r.name)).toEqual([...allTemplateIds]);
  });

  it('batch-norm momentum: one training-mode pass moves the running mean as Keras moves its moving mean', async () => {
    const cases = [0.99, 0.9, 0.5].map((momentum, i) => {
      const document = documentOf(`momentum ${momentum}`, [
        { id: 'in', kind: 'Input', params: { shape: [3, 3, 4] } },
        { id: 'bn', kind: 'BatchNormalization', params: { momentum } },
        { id: 'flat', kind: 'Flatten' },
        { id: 'vec_bn', kind: 'BatchNormalization', params: { momentum } },
      ]);
      return { name: `momentum_${i}`, document, momentum };
    });
    const momentumJobs = [];
    const expectedMeans = new Map<string, Record<string, number[]>>();
    for (const c of cases) {
      const { model } = compileGraph(c.document.graph, { seed: 5 });
      randomizeWeights(model, 77);
      const x = tf.randomNormal([6, 3, 3, 4], 1, 2, 'float32', 9);
      const job = await writeCompareCase(scratch.dir, c.name, c.document, model, { input: x });
      tf.tidy(() => {
        model.apply(x, { training: true });
      });
      expectedMeans.set(c.name, {
        'bn.running_mean': Array.from(model.getLayer('bn').getWeights()[2]!.dataSync()),
        'vec_bn.running_mean': Array.from(model.getLayer('vec_bn').getWeights()[2]!.dataSync()),
      });
      x.dispose();
      model.dispose();
      momentumJobs.push(job);
    }
    const jobsFile = path.join(scratch.dir, 'momentum.json');
    writeFileSync(jobsFile, JSON.stringify(momentumJobs));
    const results = runPythonJson<{ name: string; runningMeans: Record<string, number[]> }[]>(harness, ['momentum', jobsFile]);
    for (const result of results) {
      const expected = expectedMeans.get(result.name)!;
      for (const [key, values] of Object.entries(expected)) {
        const actual = result.runningMeans[key]!;
        expect(actual).toHaveLength(values.length);
        actual.forEach((v, i) => expect(Math.abs(v - values[i]!), `${result.name} ${key}[${i}]`).toBeLessThan(1e-5));
      }
    }
  });

  it('the training code trains: the XOR network\'s loss falls, with the project optimizer and settings', () => {
    const result = exportPytorch(templateDocument('mlp-xor'), { includeTraining: true });
    if (!result.ok) throw new Error(result.error.message);
    const module = path.join(scratch.dir, 'xor_training.py');
    writeFileSync(module, result.code);
    const script = [
      'import importlib.util, io, contextlib, json, sys, torch',
      'torch.manual_seed(3)',
      `spec = importlib.util.spec_from_file_location("xor_training", ${JSON.stringify(module)})`,
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'lines = []',
      'net = m.train(epochs=150, report=lines.append)',
      'losses = [float(line.split("loss ")[1].split(",")[0]) for line in lines]',
      'x, y = m.load_data()',
      'with torch.no_grad():',
      '    predicted = net(torch.from_numpy(x)).flatten().tolist()',
      'print(json.dumps({"losses": losses, "settings": m.TRAINING_SETTINGS, "predicted": predicted, "labels": y.flatten().tolist()}))',
    ].join('\n');
    const file = path.join(scratch.dir, 'xor_train_run.py');
    writeFileSync(file, script);
    const run = runPythonJson<{ losses: number[]; settings: Record<string, unknown>; predicted: number[]; labels: number[] }>(file, []);
    expect(run.losses).toHaveLength(150);
    expect(run.losses[149]!).toBeLessThan(run.losses[0]! * 0.5);
    expect(run.labels).toEqual([0, 1, 1, 0]);
    expect(run.settings).toMatchObject({ optimizer: 'adam', learning_rate: 0.05, loss: 'binaryCrossentropy', batch_size: 4, validation_split: 0 });
  });

  it("compute_loss gives Keras' loss for every loss setting", () => {
    const probabilities = [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
    ];
    const oneHot = [
      [1, 0, 0],
      [0, 1, 0],
    ];
    const yPred = tf.tensor2d(probabilities);
    const yTrue = tf.tensor2d(oneHot);
    const keras: Record<string, number> = {
      categoricalCrossentropy: tf.metrics.categoricalCrossentropy(yTrue, yPred).mean().dataSync()[0]!,
      // The sparse loss on class indices 0 and 1 equals the categorical one on their one-hot rows.
      sparseCategoricalCrossentropy: tf.metrics.categoricalCrossentropy(yTrue, yPred).mean().dataSync()[0]!,
      binaryCrossentropy: tf.metrics.binaryCrossentropy(yTrue, yPred).mean().dataSync()[0]!,
      meanSquaredError: tf.losses.meanSquaredError(yTrue, yPred).dataSync()[0]!,
    };
    const lines = ['import importlib.util, json, torch', 'results = {}'];
    for (const loss of Object.keys(keras)) {
      const document = templateDocument('mlp-xor');
      document.training.loss = loss as NetweaveDocument['training']['loss'];
      const result = exportPytorch(document, { includeTraining: true });
      if (!result.ok) throw new Error(result.error.message);
      const module = path.join(scratch.dir, `loss_${loss}.py`);
      writeFileSync(module, result.code);
      const targets = loss === 'sparseCategoricalCrossentropy' ? 'torch.tensor([0, 1])' : `torch.tensor(${JSON.stringify(oneHot)}, dtype=torch.float32)`;
      lines.push(
        `spec = importlib.util.spec_from_file_location("loss_${loss}", ${JSON.stringify(module)})`,
        'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
        `results[${JSON.stringify(loss)}] = m.compute_loss(torch.tensor(${JSON.stringify(probabilities)}), ${targets}).item()`,
      );
    }
    lines.push('print(json.dumps(results))');
    const file = path.join(scratch.dir, 'losses.py');
    writeFileSync(file, lines.join('\n'));
    const torchLosses = runPythonJson<Record<string, number>>(file, []);
    for (const [loss, value] of Object.entries(keras)) expect(torchLosses[loss], loss).toBeCloseTo(value, 5);
  });

  it('load_weights refuses a weights file made for another graph', () => {
    const document = semanticCases[0]!.document;
    const other = semanticCases[1]!.document;
    const { model } = compileGraph(other.graph, { seed: 1 });
    const exported = exportPytorch(other);
    if (!exported.ok) throw new Error(exported.error.message);
    const weights = path.join(scratch.dir, 'other.weights.json');
    return writeTorchWeights(model, exported.weights, weights).then(() => {
      model.dispose();
      const job = jobs.find((j) => j.name === semanticCases[0]!.name)!;
      const jobsFile = path.join(scratch.dir, 'mismatch.json');
      writeFileSync(jobsFile, JSON.stringify([{ ...job, weights }]));
      expect(document.name).not.toBe(other.name);
      expect(() => runPythonJson(harness, ['compare', jobsFile])).toThrow(/does not fit this model|size mismatch/);
    });
  });
});

function largestMagnitude(file: string): number {
  const bytes = readFileSync(file);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
