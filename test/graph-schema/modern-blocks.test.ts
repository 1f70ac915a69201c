import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expandBlock } from '../../graph-schema/expansion-walk';
import { analyzeLayer } from '../../graph-schema/infer';
import type { Expansion } from '../../graph-schema/layer-def';
import { blockInput, isComposite } from '../../graph-schema/layer-def';
import { resolveParams } from '../../graph-schema/params';
import type { LayerKindName } from '../../graph-schema/registry';
import { getLayerDef, layerRegistry } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { tfjsConfigFix } from '../../graph-schema/tfjs-workarounds';
import { symbolicInput, tfCounts, tfLayer } from './tfjs-helpers';

type BlockKind = 'InvertedResidualBlock' | 'DenseBlock' | 'TransitionBlock' | 'ResidualBlock';

function expand(kind: BlockKind, params: Record<string, unknown>, input: Shape): Expansion {
  const def = layerRegistry[kind];
  return expandBlock(def, resolveParams(def.params, params).params, [input]);
}

/** The expansion built as a TensorFlow.js functional model from each node's Keras config, as the compiler would. */
function tfModel(expansion: Expansion, input: Shape): tf.LayersModel {
  const x = symbolicInput(input);
  const tensors = new Map<string, tf.SymbolicTensor>([[blockInput, x]]);
  for (const node of expansion.nodes) {
    const def = getLayerDef(node.kind)!;
    const ours = def.keras!(resolveParams(def.params, node.params).params);
    const config = tfjsConfigFix({ kind: node.kind as LayerKindName, config: ours.config, outputShape: [null] }).config;
    const layer = tfLayer({ className: ours.className, config });
    const ins = node.inputs.map((id) => tensors.get(id)!);
    tensors.set(node.localId, layer.apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor);
  }
  return tf.model({ inputs: x, outputs: tensors.get(expansion.output)! });
}

interface Case {
  name: string;
  kind: BlockKind;
  params: Record<string, unknown>;
  input: Shape;
  shape: Shape;
  trainable: number;
  nonTrainable: number;
  /** Whether the expansion adds the block input back. */
  residual?: boolean;
}

/** Batch norm over C channels: γ, β trainable; moving mean and variance not. */
const bn = (c: number) => ({ trainable: 2 * c, nonTrainable: 2 * c });
/** Keras DenseNet conv_block on C input channels with growth rate k (bottleneck 4k). */
const denseLayer = (c: number, k: number) => ({ trainable: bn(c).trainable + c * 4 * k + bn(4 * k).trainable + 9 * 4 * k * k, nonTrainable: bn(c).nonTrainable + bn(4 * k).nonTrainable });
const sum = (parts: { trainable: number; nonTrainable: number }[]) => parts.reduce((a, b) => ({ trainable: a.trainable + b.trainable, nonTrainable: a.nonTrainable + b.nonTrainable }), { trainable: 0, nonTrainable: 0 });

const conv2Block = sum([0, 1, 2, 3, 4, 5].map((i) => denseLayer(64 + 32 * i, 32)));

// Figures of Keras Applications' model.summary() where they name a layer, by hand otherwise.
const cases: Case[] = [
  // MobileNetV2 block_1: 5,568 parameters (expand 1,536, BN 384, depthwise 864, BN 384, project 2,304, BN 96).
  { name: 'MobileNetV2 block_1', kind: 'InvertedResidualBlock', params: { filters: 24, expansion: 6, strides: 2 }, input: [null, 112, 112, 16], shape: [null, 56, 56, 24], trainable: 5_568 - 432, nonTrainable: 432, residual: false },
  // MobileNetV2 block_2: 8,832 + 624 = 9,456 (with the Add).
  { name: 'MobileNetV2 block_2 (residual)', kind: 'InvertedResidualBlock', params: { filters: 24, expansion: 6, strides: 1 }, input: [null, 56, 56, 24], shape: [null, 56, 56, 24], trainable: 8_832, nonTrainable: 624, residual: true },
  // MobileNetV2 expanded_conv: 992 (no expand convolution).
  { name: 'MobileNetV2 expanded_conv (t1)', kind: 'InvertedResidualBlock', params: { filters: 16, expansion: 1, strides: 1 }, input: [null, 112, 112, 32], shape: [null, 112, 112, 16], trainable: 896, nonTrainable: 96, residual: false },
  // Odd size with stride 2: Keras pads one on each side, 7 → 9 → 4.
  { name: 'odd size, stride 2', kind: 'InvertedResidualBlock', params: { filters: 8, expansion: 2, strides: 2 }, input: [null, 7, 7, 8], shape: [null, 4, 4, 8], trainable: 8 * 16 + 9 * 16 + 16 * 8 + 2 * (16 + 16 + 8), nonTrainable: 2 * (16 + 16 + 8), residual: false },
  { name: 'stride 1, channels differ', kind: 'InvertedResidualBlock', params: { filters: 12, expansion: 3, strides: 1 }, input: [null, 6, 6, 8], shape: [null, 6, 6, 12], trainable: 8 * 24 + 9 * 24 + 24 * 12 + 2 * (24 + 24 + 12), nonTrainable: 2 * (24 + 24 + 12), residual: false },
  // DenseNet121 conv2: 6 layers on 56×56×64 → 64 + 6 · 32 = 256 channels.
  { name: 'DenseNet121 conv2', kind: 'DenseBlock', params: { layers: 6, growthRate: 32 }, input: [null, 56, 56, 64], shape: [null, 56, 56, 256], ...conv2Block },
  { name: 'no bottleneck', kind: 'DenseBlock', params: { layers: 2, growthRate: 4, bottleneck: false }, input: [null, 8, 8, 3], shape: [null, 8, 8, 11], trainable: 2 * 3 + 9 * 3 * 4 + 2 * 7 + 9 * 7 * 4, nonTrainable: 2 * 3 + 2 * 7 },
  // DenseNet121 pool2: 33,792.
  { name: 'DenseNet121 pool2', kind: 'TransitionBlock', params: {}, input: [null, 56, 56, 256], shape: [null, 28, 28, 128], trainable: 33_792 - 512, nonTrainable: 512 },
  { name: 'odd channels and size', kind: 'TransitionBlock', params: { compression: 0.5 }, input: [null, 7, 7, 5], shape: [null, 3, 3, 2], trainable: 2 * 5 + 5 * 2, nonTrainable: 2 * 5 },
];

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const expansion = expand(c.kind, c.params, c.input);

  it('expands into primitive layers in topological order', () => {
    const seen = new Set<string>([blockInput]);
    for (const node of expansion.nodes) {
      expect(seen.has(node.localId), `duplicate ${node.localId}`).toBe(false);
      for (const id of node.inputs) expect(seen.has(id), `${node.localId} reads ${id} before it exists`).toBe(true);
      expect(node.localId).toMatch(/^[A-Za-z0-9_]+$/);
      const def = getLayerDef(node.kind);
      expect(def && !isComposite(def), node.kind).toBe(true);
      seen.add(node.localId);
    }
    expect(seen.has(expansion.output)).toBe(true);
  });

  it('infers the shape and count', () => {
    const outcome = analyzeLayer(layerRegistry[c.kind], c.params, [c.input]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.shape).toEqual(c.shape);
    expect(outcome.count).toEqual({ trainable: c.trainable, nonTrainable: c.nonTrainable });
    expect(outcome.macs).toBeGreaterThan(0);
  });

  it('is what TensorFlow.js builds from the Keras configs', () => {
    const model = tfModel(expansion, c.input);
    expect(model.outputs[0]!.shape).toEqual(c.shape);
    expect(tfCounts(model)).toEqual({ trainable: c.trainable, nonTrainable: c.nonTrainable });
    model.dispose();
  });

  if (c.residual !== undefined) {
    it(c.residual ? 'adds the input back' : 'has no residual addition', () => {
      const add = expansion.nodes.find((n) => n.kind === 'Add');
      if (!c.residual) return expect(add).toBeUndefined();
      expect(add!.inputs).toEqual([blockInput, 'project_BN']);
      expect(expansion.output).toBe(add!.localId);
    });
  }
});

describe('inverted residual block', () => {
  it('follows Keras MobileNetV2: expand, pad, depthwise, linear projection, batch norms with epsilon 1e-3 and momentum 0.999', () => {
    const expansion = expand('InvertedResidualBlock', { filters: 24, expansion: 6, strides: 2 }, [null, 112, 112, 16]);
    expect(expansion.nodes.map((n) => n.localId)).toEqual(['expand', 'expand_BN', 'expand_relu', 'pad', 'depthwise', 'depthwise_BN', 'depthwise_relu', 'project', 'project_BN']);
    const byId = new Map(expansion.nodes.map((n) => [n.localId, n]));
    expect(byId.get('pad')!.params).toEqual({ heightPadding: [0, 1], widthPadding: [0, 1] });
    expect(byId.get('depthwise')!.params).toMatchObject({ strides: [2, 2], padding: 'valid', useBias: false });
    expect(byId.get('expand')!.params).toMatchObject({ filters: 96, useBias: false });
    for (const n of expansion.nodes.filter((n) => n.kind === 'BatchNormalization')) expect(n.params).toMatchObject({ epsilon: 1e-3, momentum: 0.999 });
    for (const n of expansion.nodes.filter((n) => n.kind === 'Activation')) expect(n.params.activation).toBe('relu6');
    // The projection is linear: nothing follows its batch norm.
    expect(expansion.output).toBe('project_BN');
  });

  it('describes expansion, filters and stride', () => {
    const def = layerRegistry.InvertedResidualBlock;
    expect(def.describe(resolveParams(def.params, { filters: 24, expansion: 6, strides: 2 }).params)).toBe('t6 → 24, s2');
  });
});

describe('dense block', () => {
  it('concatenates every layer onto the features so far, with Keras DenseNet names', () => {
    const expansion = expand('DenseBlock', { layers: 2, growthRate: 8 }, [null, 8, 8, 4]);
    expect(expansion.nodes.map((n) => n.localId)).toEqual([
      ...['block1_0_bn', 'block1_0_relu', 'block1_1_conv', 'block1_1_bn', 'block1_1_relu', 'block1_2_conv', 'block1_concat'],
      ...['block2_0_bn', 'block2_0_relu', 'block2_1_conv', 'block2_1_bn', 'block2_1_relu', 'block2_2_conv', 'block2_concat'],
    ]);
    const byId = new Map(expansion.nodes.map((n) => [n.localId, n]));
    expect(byId.get('block1_concat')!.inputs).toEqual([blockInput, 'block1_2_conv']);
    expect(byId.get('block2_concat')!.inputs).toEqual(['block1_concat', 'block2_2_conv']);
    expect(byId.get('block2_0_bn')!.inputs).toEqual(['block1_concat']);
    expect(byId.get('block1_1_conv')!.params).toMatchObject({ filters: 32, kernelSize: [1, 1], useBias: false });
    expect(byId.get('block1_2_conv')!.params).toMatchObject({ filters: 8, kernelSize: [3, 3], padding: 'same', useBias: false });
    for (const n of expansion.nodes.filter((n) => n.kind === 'BatchNormalization')) expect(n.params.epsilon).toBe(1.001e-5);
  });
});

describe('residual block shortcut', () => {
  it('none drops the Add and the projection but keeps the inner layers and their local ids', () => {
    const input: Shape = [null, 16, 16, 16];
    const auto = expand('ResidualBlock', { filters: 32, strides: 2 }, input);
    const none = expand('ResidualBlock', { filters: 32, strides: 2, shortcut: 'none' }, input);
    expect(none.nodes.some((n) => n.kind === 'Add')).toBe(false);
    expect(none.nodes.some((n) => n.localId.startsWith('shortcut'))).toBe(false);
    const inner = auto.nodes.filter((n) => n.kind !== 'Add' && !n.localId.startsWith('shortcut')).map((n) => n.localId);
    expect(none.nodes.map((n) => n.localId)).toEqual(inner);
    const auto1 = analyzeLayer(layerRegistry.ResidualBlock, { filters: 32, strides: 2 }, [input]);
    const none1 = analyzeLayer(layerRegistry.ResidualBlock, { filters: 32, strides: 2, shortcut: 'none' }, [input]);
    expect(none1.shape).toEqual(auto1.shape);
    // The projection: a 1×1 conv of 16 · 32 weights and its batch norm.
    expect(auto1.count.trainable - none1.count.trainable).toBe(16 * 32 + 2 * 32);
    const model = tfModel(none, input);
    expect(tfCounts(model)).toEqual(none1.count);
    model.dispose();
  });
});
