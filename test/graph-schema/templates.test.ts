import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Graph, TrainingSettings } from '../../graph-schema/document';
import { graphSchema, trainingSettingsSchema } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { resolveParams } from '../../graph-schema/params';
import { getLayerDef } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { getTemplate, templateIds, templates } from '../../graph-schema/templates/index';
import { symbolicInput, tfCounts, tfLayer } from './tfjs-helpers';

const conv = (k: number, cin: number, f: number, bias = true): number => k * k * cin * f + (bias ? f : 0);
const dense = (inputs: number, units: number): number => inputs * units + units;
/** An inception module's count from the filter numbers of the paper's table 1 (all convolutions with bias). */
const inceptionCount = (cin: number, a: number, b: number, c: number, d: number, e: number, f: number): number =>
  conv(1, cin, a) + conv(1, cin, b) + conv(3, b, c) + conv(1, cin, d) + conv(5, d, e) + conv(1, cin, f);

interface Expected {
  trainable: number;
  nonTrainable: number;
  /** Output shapes of named nodes (batch axis first). */
  shapes: Record<string, Shape>;
  /** Parameter counts of named nodes (trainable + non-trainable). */
  counts?: Record<string, number>;
}

const expected: Record<string, Expected> = {
  perceptron: { trainable: dense(2, 1), nonTrainable: 0, shapes: { output: [null, 1] } },
  'mlp-xor': { trainable: dense(2, 4) + dense(4, 1), nonTrainable: 0, shapes: { hidden: [null, 4], output: [null, 1] } },
  'mlp-mnist': {
    trainable: 101_770,
    nonTrainable: 0,
    shapes: { input: [null, 784], hidden: [null, 128], dropout: [null, 128], output: [null, 10] },
    counts: { hidden: dense(784, 128), output: dense(128, 10) },
  },
  lenet5: {
    trainable: 61_706,
    nonTrainable: 0,
    shapes: {
      input: [null, 28, 28, 1],
      conv1: [null, 28, 28, 6],
      pool1: [null, 14, 14, 6],
      conv2: [null, 10, 10, 16],
      pool2: [null, 5, 5, 16],
      flatten: [null, 400],
      fc1: [null, 120],
      fc2: [null, 84],
      output: [null, 10],
    },
    counts: { conv1: 156, conv2: 2_416, fc1: 48_120, fc2: 10_164, output: 850 },
  },
  alexnet: {
    // By hand: five convolutions and three dense layers.
    trainable:
      conv(11, 3, 96) + conv(5, 96, 256) + conv(3, 256, 384) + conv(3, 384, 384) + conv(3, 384, 256) + dense(6 * 6 * 256, 4096) + dense(4096, 4096) + dense(4096, 1000),
    nonTrainable: 0,
    shapes: {
      conv1: [null, 55, 55, 96],
      pool1: [null, 27, 27, 96],
      conv2: [null, 27, 27, 256],
      pool2: [null, 13, 13, 256],
      conv5: [null, 13, 13, 256],
      pool5: [null, 6, 6, 256],
      flatten: [null, 9216],
      fc8: [null, 1000],
    },
    counts: { conv1: 34_944, fc6: 37_752_832 },
  },
  vgg16: {
    trainable: 138_357_544,
    nonTrainable: 0,
    shapes: { block1_conv2: [null, 224, 224, 64], block3_pool: [null, 28, 28, 256], block5_pool: [null, 7, 7, 512], flatten: [null, 25_088], predictions: [null, 1000] },
    counts: { fc1: 102_764_544, fc2: 16_781_312, predictions: 4_097_000 },
  },
  googlenet: {
    trainable:
      conv(7, 3, 64) +
      conv(1, 64, 64) +
      conv(3, 64, 192) +
      inceptionCount(192, 64, 96, 128, 16, 32, 32) +
      inceptionCount(256, 128, 128, 192, 32, 96, 64) +
      inceptionCount(480, 192, 96, 208, 16, 48, 64) +
      inceptionCount(512, 160, 112, 224, 24, 64, 64) +
      inceptionCount(512, 128, 128, 256, 24, 64, 64) +
      inceptionCount(512, 112, 144, 288, 32, 64, 64) +
      inceptionCount(528, 256, 160, 320, 32, 128, 128) +
      inceptionCount(832, 256, 160, 320, 32, 128, 128) +
      inceptionCount(832, 384, 192, 384, 48, 128, 128) +
      dense(1024, 1000),
    nonTrainable: 0,
    // Table 1 of the paper.
    shapes: {
      conv1: [null, 112, 112, 64],
      pool1: [null, 56, 56, 64],
      conv2: [null, 56, 56, 192],
      pool2: [null, 28, 28, 192],
      inception_3a: [null, 28, 28, 256],
      inception_3b: [null, 28, 28, 480],
      pool3: [null, 14, 14, 480],
      inception_4a: [null, 14, 14, 512],
      inception_4b: [null, 14, 14, 512],
      inception_4c: [null, 14, 14, 512],
      inception_4d: [null, 14, 14, 528],
      inception_4e: [null, 14, 14, 832],
      pool4: [null, 7, 7, 832],
      inception_5a: [null, 7, 7, 832],
      inception_5b: [null, 7, 7, 1024],
      avgpool: [null, 1024],
      predictions: [null, 1000],
    },
    counts: { inception_3a: inceptionCount(192, 64, 96, 128, 16, 32, 32), predictions: 1_025_000 },
  },
  'deep-mlp-plain': {
    trainable: dense(784, 32) + 29 * dense(32, 32) + dense(32, 10),
    nonTrainable: 0,
    shapes: { dense1: [null, 32], dense30: [null, 32], output: [null, 10] },
    counts: { dense1: dense(784, 32), dense2: dense(32, 32) },
  },
  'deep-mlp-residual': {
    trainable: dense(784, 32) + 29 * dense(32, 32) + dense(32, 10),
    nonTrainable: 0,
    shapes: { dense1: [null, 32], add3: [null, 32], add29: [null, 32], output: [null, 10] },
    counts: { add3: 0, dense30: dense(32, 32) },
  },
  // He et al. 2016 §4.2: 0.27M. Two basic blocks' 3×3 convs without bias, BN 2 + 2 per channel.
  'resnet-20': {
    trainable: 269_722 + (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64),
    nonTrainable: 2 * (16 + 6 * 16 + 7 * 32 + 7 * 64),
    shapes: { conv1: [null, 32, 32, 16], stage1_block3: [null, 32, 32, 16], stage2_block1: [null, 16, 16, 32], stage3_block3: [null, 8, 8, 64], avg_pool: [null, 64], predictions: [null, 10] },
    counts: { conv1: conv(3, 3, 16, false), stage1_block1: 2 * conv(3, 16, 16, false) + 2 * 4 * 16, predictions: dense(64, 10) },
  },
  'plain-20': {
    trainable: 269_722,
    nonTrainable: 2 * (16 + 6 * 16 + 6 * 32 + 6 * 64),
    shapes: { conv1: [null, 32, 32, 16], stage2_block1: [null, 16, 16, 32], stage3_block3: [null, 8, 8, 64], predictions: [null, 10] },
    counts: { stage2_block1: conv(3, 16, 32, false) + conv(3, 32, 32, false) + 2 * 4 * 32, predictions: dense(64, 10) },
  },
  resnet18: {
    trainable: 11_689_512,
    // Moving mean and variance of every batch norm: the stem, two per block, one more per projection.
    nonTrainable: 2 * (64 + 4 * 64 + 5 * 128 + 5 * 256 + 5 * 512),
    shapes: {
      conv1: [null, 112, 112, 64],
      pool1: [null, 56, 56, 64],
      conv2_block2: [null, 56, 56, 64],
      conv3_block1: [null, 28, 28, 128],
      conv4_block1: [null, 14, 14, 256],
      conv5_block2: [null, 7, 7, 512],
      avg_pool: [null, 512],
      predictions: [null, 1000],
    },
    counts: { conv1: 7 * 7 * 3 * 64, predictions: dense(512, 1000) },
  },
  resnet50: {
    trainable: 25_583_592,
    nonTrainable: 53_120,
    shapes: {
      conv1_pad: [null, 230, 230, 3],
      conv1_conv: [null, 112, 112, 64],
      pool1_pad: [null, 114, 114, 64],
      pool1_pool: [null, 56, 56, 64],
      conv2_block3: [null, 56, 56, 256],
      conv3_block1: [null, 28, 28, 512],
      conv3_block4: [null, 28, 28, 512],
      conv4_block6: [null, 14, 14, 1024],
      conv5_block3: [null, 7, 7, 2048],
      avg_pool: [null, 2048],
      predictions: [null, 1000],
    },
    // Keras model.summary(): conv1_conv 9,472; conv2_block1 76,928; predictions 2,049,000.
    counts: { conv1_conv: 9_472, conv2_block1: 76_928, predictions: 2_049_000 },
  },
  // Keras Applications with include_top; per-layer counts from its model.summary().
  mobilenet: {
    trainable: 4_231_976,
    nonTrainable: 21_888,
    shapes: {
      conv1: [null, 112, 112, 32],
      conv_pw_1_relu: [null, 112, 112, 64],
      conv_pad_2: [null, 113, 113, 64],
      conv_dw_2: [null, 56, 56, 64],
      conv_pw_11_relu: [null, 14, 14, 512],
      conv_pw_13_relu: [null, 7, 7, 1024],
      reshape_1: [null, 1, 1, 1024],
      conv_preds: [null, 1, 1, 1000],
      predictions: [null, 1000],
    },
    counts: { conv1: 864, conv1_bn: 128, conv_dw_1: 288, conv_pw_1: 2_048, conv_pw_13: 1_048_576, conv_preds: 1_025_000 },
  },
  'mobilenet-v2': {
    trainable: 3_504_872,
    nonTrainable: 34_112,
    shapes: {
      conv1: [null, 112, 112, 32],
      expanded_conv: [null, 112, 112, 16],
      block_1: [null, 56, 56, 24],
      block_2: [null, 56, 56, 24],
      block_3: [null, 28, 28, 32],
      block_6: [null, 14, 14, 64],
      block_10: [null, 14, 14, 96],
      block_13: [null, 7, 7, 160],
      block_16: [null, 7, 7, 320],
      conv_1: [null, 7, 7, 1280],
      predictions: [null, 1000],
    },
    // Keras: Conv1 864, expanded_conv 288 + 128 + 512 + 64, block_1 5,568, block_2 9,456, Conv_1 409,600, predictions 1,281,000.
    counts: { conv1: 864, bn_conv1: 128, expanded_conv: 992, block_1: 5_568, block_2: 9_456, conv_1: 409_600, predictions: 1_281_000 },
  },
  densenet121: {
    trainable: 7_978_856,
    nonTrainable: 83_648,
    shapes: {
      zero_padding: [null, 230, 230, 3],
      conv1_conv: [null, 112, 112, 64],
      pool1: [null, 56, 56, 64],
      conv2: [null, 56, 56, 256],
      pool2: [null, 28, 28, 128],
      conv3: [null, 28, 28, 512],
      pool3: [null, 14, 14, 256],
      conv4: [null, 14, 14, 1024],
      pool4: [null, 7, 7, 512],
      conv5: [null, 7, 7, 1024],
      avg_pool: [null, 1024],
      predictions: [null, 1000],
    },
    // Keras: conv1_conv 9,408; pool2 (bn 1,024 + conv 32,768) 33,792; predictions 1,025,000.
    counts: { conv1_conv: 9_408, pool2: 33_792, predictions: 1_025_000 },
  },
  'unet-small': {
    // Two 3×3 convs per level (16, 32, 64, bottom 128), 2×2 transposed convs (kernel 2·2·f·Cin), decoders on the concatenations.
    trainable:
      conv(3, 3, 16) + conv(3, 16, 16) + conv(3, 16, 32) + conv(3, 32, 32) + conv(3, 32, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128) +
      conv(2, 128, 64) + conv(3, 128, 64) + conv(3, 64, 64) +
      conv(2, 64, 32) + conv(3, 64, 32) + conv(3, 32, 32) +
      conv(2, 32, 16) + conv(3, 32, 16) + conv(3, 16, 16) +
      conv(1, 16, 2),
    nonTrainable: 0,
    shapes: {
      enc1_conv2: [null, 64, 64, 16],
      pool1: [null, 32, 32, 16],
      pool3: [null, 8, 8, 64],
      bottom_conv2: [null, 8, 8, 128],
      up3: [null, 16, 16, 64],
      concat3: [null, 16, 16, 128],
      concat2: [null, 32, 32, 64],
      up1: [null, 64, 64, 16],
      concat1: [null, 64, 64, 32],
      segmentation: [null, 64, 64, 2],
    },
    counts: { up3: 2 * 2 * 64 * 128 + 64, dec3_conv1: conv(3, 128, 64), segmentation: 34 },
  },
  'autoencoder-mnist': {
    trainable: dense(784, 128) + dense(128, 32) + dense(32, 128) + dense(128, 784),
    nonTrainable: 0,
    shapes: { encoder: [null, 128], code: [null, 32], decoder: [null, 128], reconstruction: [null, 784] },
    counts: { code: dense(128, 32), reconstruction: dense(128, 784) },
  },
};

describe('template index', () => {
  it('lists the templates in order and finds them by id', () => {
    expect([...templateIds]).toEqual(['perceptron', 'mlp-xor', 'mlp-mnist', 'lenet5', 'alexnet', 'vgg16', 'googlenet', 'deep-mlp-plain', 'deep-mlp-residual', 'resnet-20', 'plain-20', 'resnet18', 'resnet50', 'mobilenet', 'mobilenet-v2', 'densenet121', 'unet-small', 'autoencoder-mnist']);
    expect(Object.keys(expected).sort()).toEqual([...templateIds].sort());
    for (const t of templates) expect(getTemplate(t.id)).toBe(t);
    expect(getTemplate('lenet')).toBeUndefined();
  });

  it('names LeNet-5 as the modern variant, not the 1998 network', () => {
    const lenet = getTemplate('lenet5')!;
    expect(lenet.name).toMatch(/modern/i);
    expect(lenet.description).toMatch(/1998/);
    expect(lenet.description).toMatch(/60,000/);
    expect(lenet.description).toMatch(/61,706/);
  });
});

describe.each(templates.map((t) => [t.id, t] as const))('template %s', (id, template) => {
  const built = template.build();
  const graph = built.graph;
  const analysis = analyzeGraph(graph);
  const want = expected[id]!;

  it('is a valid document graph with sound training settings', () => {
    expect(template.name.length).toBeGreaterThan(3);
    expect(template.description.length).toBeGreaterThan(30);
    expect(graphSchema.parse(graph)).toEqual(graph);
    const training = trainingSettingsSchema.parse(built.training);
    expect(training.epochs).toBeGreaterThan(0);
    expect(built.training.dataset).toBeTruthy();
    expect(built.training.loss).toBeTruthy();
    expect(built.training.optimizer).toBeTruthy();
  });

  it('analyses without any diagnostic', () => {
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.order).toHaveLength(graph.nodes.length);
  });

  it('has the published parameter totals', () => {
    expect(analysis.totals.trainable).toBe(want.trainable);
    expect(analysis.totals.nonTrainable).toBe(want.nonTrainable);
    for (const [node, count] of Object.entries(want.counts ?? {})) {
      const c = analysis.nodes.get(node)!.paramCount;
      expect(c.trainable + c.nonTrainable, node).toBe(count);
    }
  });

  it('has the expected shapes along the way', () => {
    for (const [node, shape] of Object.entries(want.shapes)) expect(analysis.nodes.get(node)?.outputShape, node).toEqual(shape);
  });

  it('has one input and one output, and the last layer feeds nothing', () => {
    expect(analysis.inputs).toEqual(['input']);
    const last = graph.nodes[graph.nodes.length - 1]!;
    expect(analysis.outputs).toEqual([last.id]);
    expect(graph.edges.some((e) => e.source === last.id)).toBe(false);
  });

  it('has stable readable ids and a top-to-bottom layout', () => {
    expect(template.build()).toEqual(built);
    const ids = graph.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const nodeId of ids) expect(nodeId).toMatch(/^[a-z][a-z0-9_]*$/);
    const edgeIds = graph.edges.map((e) => e.id);
    expect(new Set(edgeIds).size).toBe(edgeIds.length);
    const position = new Map(graph.nodes.map((n) => [n.id, n.position]));
    for (const e of graph.edges) expect(position.get(e.target)!.y, e.id).toBeGreaterThan(position.get(e.source)!.y);
    const spots = graph.nodes.map((n) => `${n.position.x},${n.position.y}`);
    expect(new Set(spots).size).toBe(spots.length);
  });

  it('has training settings that fit its output', () => {
    const outputNode = graph.nodes[graph.nodes.length - 1]!;
    const output = analysis.nodes.get(outputNode.id)!;
    if (built.training.loss === 'meanSquaredError') {
      // A reconstruction: the output has the input's shape, in the input's [0, 1] range.
      expect(output.outputShape).toEqual(analysis.nodes.get('input')!.outputShape);
      expect(output.params.activation).toBe('sigmoid');
      expect(template.description).toMatch(/cannot train/);
      return;
    }
    if (built.training.loss === 'binaryCrossentropy') {
      expect(output.outputShape).toEqual([null, 1]);
      expect(output.params.activation).toBe('sigmoid');
    } else {
      expect(built.training.loss).toBe('categoricalCrossentropy');
      expect(output.params.activation).toBe('softmax');
    }
    if (built.training.dataset === 'xor') expect(analysis.nodes.get('input')!.outputShape).toEqual([null, 2]);
    if (built.training.dataset === 'mnist') {
      expect(elementsOf(analysis.nodes.get('input')!.outputShape!)).toBe(784);
      expect(output.outputShape).toEqual([null, 10]);
    }
  });
});

function elementsOf(shape: Shape): number {
  return shape.slice(1).reduce<number>((a, b) => a * (b as number), 1);
}

/** A chain template built in TensorFlow.js from the Keras configs, with seeded dense initializers. */
function tfChain(graph: Graph, seed: number): tf.LayersModel {
  const analysis = analyzeGraph(graph);
  const input = symbolicInput(analysis.nodes.get(analysis.inputs[0]!)!.outputShape!);
  let x = input;
  for (const id of analysis.order.slice(1)) {
    const node = analysis.nodes.get(id)!;
    const def = getLayerDef(node.kind)!;
    const keras = def.keras!(resolveParams(def.params, node.params).params);
    const extra = keras.className === 'Dense' ? { kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) } : {};
    x = tfLayer(keras, extra).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x });
}

async function trainOnXor(templateId: string, seed: number): Promise<number[]> {
  const built = getTemplate(templateId)!.build();
  const settings = built.training as TrainingSettings;
  const model = tfChain(built.graph, seed);
  const optimizer = settings.optimizer === 'adam' ? tf.train.adam(settings.learningRate) : tf.train.sgd(settings.learningRate);
  model.compile({ optimizer, loss: settings.loss });
  const xs = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = tf.tensor2d([[0], [1], [1], [0]]);
  await model.fit(xs, ys, { epochs: settings.epochs, batchSize: settings.batchSize, verbose: 0 });
  const predictions = Array.from((model.predict(xs) as tf.Tensor).dataSync());
  tf.dispose([xs, ys]);
  model.dispose();
  return predictions.map((p) => (p > 0.5 ? 1 : 0));
}

describe('templates in TensorFlow.js', () => {
  it.each(['mlp-mnist', 'lenet5'])('%s has the same shapes and counts when built from its Keras configs', (id) => {
    const graph = getTemplate(id)!.build().graph;
    const model = tfChain(graph, 1);
    const analysis = analyzeGraph(graph);
    expect(model.outputs[0]!.shape).toEqual(analysis.nodes.get(analysis.outputs[0]!)!.outputShape);
    expect(tfCounts(model)).toEqual({ trainable: expected[id]!.trainable, nonTrainable: 0 });
    model.dispose();
  });

  it('mlp-xor learns XOR with its own training settings', async () => {
    for (const seed of [1, 7, 42]) expect(await trainOnXor('mlp-xor', seed), `seed ${seed}`).toEqual([0, 1, 1, 0]);
  });

  it('perceptron cannot learn XOR (no straight line separates it)', async () => {
    expect(await trainOnXor('perceptron', 1)).not.toEqual([0, 1, 1, 0]);
  });
});
