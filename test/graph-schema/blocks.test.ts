import { expandBlock } from '../../graph-schema/expansion-walk';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { analyzeGraph, analyzeLayer } from '../../graph-schema/infer';
import type { Expansion } from '../../graph-schema/layer-def';
import { blockInput, isComposite } from '../../graph-schema/layer-def';
import { resolveParams } from '../../graph-schema/params';
import { getLayerDef, layerRegistry } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { symbolicInput, tfCounts, tfLayer } from './tfjs-helpers';

const inception = layerRegistry.InceptionBlock;
const residual = layerRegistry.ResidualBlock;

function expand(kind: 'InceptionBlock' | 'ResidualBlock', params: Record<string, unknown>, input: Shape): Expansion {
  const def = layerRegistry[kind];
  return expandBlock(def, resolveParams(def.params, params).params, [input]);
}

/** Shapes of every expansion node, walked the way the app walks it. */
function innerShapes(expansion: Expansion, input: Shape): Map<string, Shape> {
  const shapes = new Map<string, Shape>([[blockInput, input]]);
  for (const node of expansion.nodes) {
    const outcome = analyzeLayer(getLayerDef(node.kind)!, node.params, node.inputs.map((id) => shapes.get(id)!));
    expect(outcome.problems, node.label).toEqual([]);
    shapes.set(node.localId, outcome.shape!);
  }
  return shapes;
}

/** The expansion built as a TensorFlow.js functional model from each node's Keras config. */
function tfModel(expansion: Expansion, input: Shape): tf.LayersModel {
  const x = symbolicInput(input);
  const tensors = new Map<string, tf.SymbolicTensor>([[blockInput, x]]);
  for (const node of expansion.nodes) {
    const def = getLayerDef(node.kind)!;
    const layer = tfLayer(def.keras!(resolveParams(def.params, node.params).params));
    const ins = node.inputs.map((id) => tensors.get(id)!);
    tensors.set(node.localId, layer.apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor);
  }
  return tf.model({ inputs: x, outputs: tensors.get(expansion.output)! });
}

function checkStructure(expansion: Expansion): void {
  const seen = new Set<string>([blockInput]);
  for (const node of expansion.nodes) {
    expect(seen.has(node.localId), `duplicate ${node.localId}`).toBe(false);
    for (const id of node.inputs) expect(seen.has(id), `${node.localId} reads ${id} before it exists`).toBe(true);
    expect(node.localId).toMatch(/^[A-Za-z0-9_]+$/);
    expect(node.label.length).toBeGreaterThan(2);
    const def = getLayerDef(node.kind);
    expect(def && !isComposite(def), node.kind).toBe(true);
    seen.add(node.localId);
  }
  expect(seen.has(expansion.output)).toBe(true);
}

interface BlockCase {
  name: string;
  kind: 'InceptionBlock' | 'ResidualBlock';
  params: Record<string, unknown>;
  input: Shape;
  shape: Shape;
  trainable: number;
  nonTrainable: number;
  projection?: boolean;
}

// Hand counts: conv = k·k·Cin·f (+ f bias), batch norm = 2·C trainable + 2·C moving statistics.
const cases: BlockCase[] = [
  {
    name: 'inception 3a on 28×28×192',
    kind: 'InceptionBlock',
    params: {},
    input: [null, 28, 28, 192],
    shape: [null, 28, 28, 256],
    trainable: 192 * 64 + 64 + (192 * 96 + 96) + (9 * 96 * 128 + 128) + (192 * 16 + 16) + (25 * 16 * 32 + 32) + (192 * 32 + 32),
    nonTrainable: 0,
  },
  {
    name: 'inception 5b on 7×7×832',
    kind: 'InceptionBlock',
    params: { conv1x1: 384, reduce3x3: 192, conv3x3: 384, reduce5x5: 48, conv5x5: 128, poolProj: 128 },
    input: [null, 7, 7, 832],
    shape: [null, 7, 7, 1024],
    trainable: 832 * (384 + 192 + 48 + 128) + 9 * 192 * 384 + 25 * 48 * 128 + (384 + 192 + 384 + 48 + 128 + 128),
    nonTrainable: 0,
  },
  {
    name: 'basic, identity shortcut',
    kind: 'ResidualBlock',
    params: { variant: 'basic', filters: 64, strides: 1 },
    input: [null, 56, 56, 64],
    shape: [null, 56, 56, 64],
    trainable: 2 * 9 * 64 * 64 + 2 * 128,
    nonTrainable: 2 * 128,
    projection: false,
  },
  {
    // torchvision resnet18 layer2[0]: 230,144 parameters.
    name: 'basic, projection for stride and channels',
    kind: 'ResidualBlock',
    params: { variant: 'basic', filters: 128, strides: 2 },
    input: [null, 56, 56, 64],
    shape: [null, 28, 28, 128],
    trainable: 9 * 64 * 128 + 9 * 128 * 128 + 64 * 128 + 3 * 256,
    nonTrainable: 3 * 256,
    projection: true,
  },
  {
    name: 'basic, projection for channels only',
    kind: 'ResidualBlock',
    params: { variant: 'basic', filters: 64, strides: 1 },
    input: [null, 56, 56, 32],
    shape: [null, 56, 56, 64],
    trainable: 9 * 32 * 64 + 9 * 64 * 64 + 32 * 64 + 3 * 128,
    nonTrainable: 3 * 128,
    projection: true,
  },
  {
    name: 'basic without batch norm, with bias',
    kind: 'ResidualBlock',
    params: { variant: 'basic', filters: 16, strides: 1, batchNorm: false, useBias: true },
    input: [null, 8, 8, 16],
    shape: [null, 8, 8, 16],
    trainable: 2 * (9 * 16 * 16 + 16),
    nonTrainable: 0,
    projection: false,
  },
  {
    // Keras ResNet50 conv2_block1: 76,928 parameters.
    name: 'bottleneck, Keras conv2_block1',
    kind: 'ResidualBlock',
    params: { variant: 'bottleneck', filters: 64, strides: 1, useBias: true },
    input: [null, 56, 56, 64],
    shape: [null, 56, 56, 256],
    trainable: 64 * 64 + 64 + (9 * 64 * 64 + 64) + (64 * 256 + 256) + (64 * 256 + 256) + 2 * (64 + 64 + 256 + 256),
    nonTrainable: 2 * (64 + 64 + 256 + 256),
    projection: true,
  },
  {
    // Keras ResNet50 conv2_block2: 71,552 parameters.
    name: 'bottleneck, Keras conv2_block2 (identity)',
    kind: 'ResidualBlock',
    params: { variant: 'bottleneck', filters: 64, strides: 1, useBias: true },
    input: [null, 56, 56, 256],
    shape: [null, 56, 56, 256],
    trainable: 256 * 64 + 64 + (9 * 64 * 64 + 64) + (64 * 256 + 256) + 2 * (64 + 64 + 256),
    nonTrainable: 2 * (64 + 64 + 256),
    projection: false,
  },
  {
    // Keras ResNet50 conv3_block1: 383,232 parameters.
    name: 'bottleneck, Keras conv3_block1 (stride 2)',
    kind: 'ResidualBlock',
    params: { variant: 'bottleneck', filters: 128, strides: 2, useBias: true },
    input: [null, 56, 56, 256],
    shape: [null, 28, 28, 512],
    trainable: 256 * 128 + 128 + (9 * 128 * 128 + 128) + (128 * 512 + 512) + (256 * 512 + 512) + 2 * (128 + 128 + 512 + 512),
    nonTrainable: 2 * (128 + 128 + 512 + 512),
    projection: true,
  },
  {
    name: 'bottleneck without batch norm, odd size, stride 2',
    kind: 'ResidualBlock',
    params: { variant: 'bottleneck', filters: 32, strides: 2, batchNorm: false },
    input: [null, 15, 15, 256],
    shape: [null, 8, 8, 128],
    trainable: 256 * 32 + 9 * 32 * 32 + 32 * 128 + 256 * 128,
    nonTrainable: 0,
    projection: true,
  },
];

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const expansion = expand(c.kind, c.params, c.input);

  it('expands into primitive layers in topological order', () => {
    checkStructure(expansion);
  });

  it('infers the hand-computed shape and parameter count', () => {
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

  if (c.projection !== undefined) {
    it(c.projection ? 'adds a projection shortcut' : 'keeps an identity shortcut', () => {
      const add = expansion.nodes.find((n) => n.kind === 'Add')!;
      expect(add.inputs).toHaveLength(2);
      const shortcut = add.inputs[1]!;
      if (!c.projection) {
        expect(shortcut).toBe(blockInput);
        expect(expansion.nodes.filter((n) => n.kind === 'Conv2D')).toHaveLength(c.params.variant === 'bottleneck' ? 3 : 2);
        return;
      }
      const conv = expansion.nodes.find((n) => n.kind === 'Conv2D' && n.inputs[0] === blockInput && n.label.startsWith('shortcut'))!;
      expect(conv.params).toMatchObject({ kernelSize: [1, 1], strides: [c.params.strides, c.params.strides], filters: c.shape[3] });
      const hasBn = c.params.batchNorm !== false;
      expect(expansion.nodes.some((n) => n.kind === 'BatchNormalization' && n.inputs[0] === conv.localId)).toBe(hasBn);
    });
  }
});

describe('inception block', () => {
  it('concatenates 1×1, 3×3, 5×5 and pool branches in that order', () => {
    const input: Shape = [null, 28, 28, 192];
    const expansion = expand('InceptionBlock', {}, input);
    const shapes = innerShapes(expansion, input);
    const concat = expansion.nodes.find((n) => n.localId === expansion.output)!;
    expect(concat.kind).toBe('Concatenate');
    expect(concat.inputs.map((id) => shapes.get(id)![3])).toEqual([64, 128, 32, 32]);
    const pool = expansion.nodes.find((n) => n.kind === 'MaxPooling2D')!;
    expect(pool.params).toMatchObject({ poolSize: [3, 3], strides: [1, 1], padding: 'same' });
    expect(expansion.nodes.map((n) => n.label)).toContain('branch 3×3 reduce');
  });

  it('uses the activation on every convolution', () => {
    const expansion = expand('InceptionBlock', { activation: 'elu' }, [null, 8, 8, 4]);
    const convs = expansion.nodes.filter((n) => n.kind === 'Conv2D');
    expect(convs).toHaveLength(6);
    for (const c of convs) expect(c.params.activation).toBe('elu');
  });

  it('describes its branch widths and output channels', () => {
    const text = inception.describe(resolveParams(inception.params, {}).params);
    expect(text).toContain('96→128');
    expect(text).toContain('256');
  });
});

describe('residual block', () => {
  it('puts the stride of a bottleneck on its first 1×1 convolution (Keras ResNet50 v1)', () => {
    const expansion = expand('ResidualBlock', { variant: 'bottleneck', filters: 64, strides: 2 }, [null, 56, 56, 256]);
    const convs = expansion.nodes.filter((n) => n.kind === 'Conv2D' && !n.label.startsWith('shortcut'));
    expect(convs.map((n) => [n.params.kernelSize, n.params.strides, n.params.filters])).toEqual([
      [[1, 1], [2, 2], 64],
      [[3, 3], [1, 1], 64],
      [[1, 1], [1, 1], 256],
    ]);
  });

  it('ends with the activation after the addition', () => {
    const expansion = expand('ResidualBlock', {}, [null, 8, 8, 64]);
    const out = expansion.nodes.find((n) => n.localId === expansion.output)!;
    expect(out.kind).toBe('Activation');
    expect(expansion.nodes.find((n) => n.localId === out.inputs[0])!.kind).toBe('Add');
  });

  it('describes variant, width and stride', () => {
    expect(residual.describe(resolveParams(residual.params, { variant: 'bottleneck', filters: 64, strides: 2 }).params)).toBe('bottleneck 64→256, s2');
    expect(residual.describe(resolveParams(residual.params, { batchNorm: false }).params)).toBe('basic 64, no BN');
  });

  it('counts inside a graph like its expansion', () => {
    const graph = {
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [56, 56, 64] }, position: { x: 0, y: 0 } },
        { id: 'block', kind: 'ResidualBlock', params: { variant: 'basic', filters: 128, strides: 2 }, position: { x: 0, y: 100 } },
        { id: 'gap', kind: 'GlobalAveragePooling2D', params: {}, position: { x: 0, y: 200 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'block', sourcePort: 'out', targetPort: 'in' },
        { id: 'e2', source: 'block', target: 'gap', sourcePort: 'out', targetPort: 'in' },
      ],
    };
    const analysis = analyzeGraph(graph);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.nodes.get('block')!.outputShape).toEqual([null, 28, 28, 128]);
    expect(analysis.totals).toMatchObject({ trainable: 230_144, nonTrainable: 768 });
  });
});
