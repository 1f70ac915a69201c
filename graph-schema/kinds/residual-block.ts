import type { ExpandedNode } from '../layer-def';
import { blockInput, defineLayer } from '../layer-def';
import { defineParams } from '../params';
import type { Shape } from '../shape';
import { activationNames } from './common';

// Keras Applications' ResNet uses this epsilon in every batch norm.
const resnetEpsilon = 1.001e-5;

export const residualBlockLayer = defineLayer({
  kind: 'ResidualBlock',
  label: 'Residual Block',
  category: 'block',
  summary: 'A few convolutions whose output is added to the block input (the skip connection), so the block only learns a correction.',
  formulas: {
    output: 'ceil(H / s) × ceil(W / s) × filters (basic) or 4 · filters (bottleneck)',
    params:
      'basic: 9 · Cin · f + 9 · f · f; bottleneck: Cin · f + 9 · f · f + 4 · f · f; + a 1×1 projection when the shapes differ (shortcut auto only); + 4 · C per batch norm',
  },
  params: defineParams({
    variant: {
      type: 'enum',
      options: ['basic', 'bottleneck'],
      default: 'basic',
      label: 'Variant',
      help: 'basic: two 3×3 convolutions (ResNet-18/34); bottleneck: 1×1 → 3×3 → 1×1 with 4× wider output (ResNet-50 and up).',
    },
    filters: { type: 'int', default: 64, min: 1, max: 65536, label: 'Filters', help: 'Width of the inner convolutions; a bottleneck block outputs 4 × this many channels.' },
    strides: { type: 'int', default: 1, min: 1, max: 8, label: 'Stride', unit: 'px', help: '2 halves the height and width (first block of a stage).' },
    batchNorm: { type: 'bool', default: true, label: 'Batch norm', help: 'Batch normalization after every convolution.' },
    useBias: {
      type: 'bool',
      default: false,
      label: 'Conv bias',
      help: 'Bias in every convolution; redundant before batch norm (torchvision omits it, Keras ResNet50 keeps it).',
    },
    activation: { type: 'enum', options: activationNames, default: 'relu', label: 'Activation', help: 'Applied inside the block and after the addition.' },
    shortcut: {
      type: 'enum',
      options: ['auto', 'none'],
      default: 'auto',
      label: 'Shortcut',
      help: 'auto: identity skip, or a 1×1 projection when the shapes differ; none: the same block without its skip connection (the plain twin of He et al. 2016).',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => {
    const width = p.variant === 'bottleneck' ? `${p.filters}→${4 * p.filters}` : `${p.filters}`;
    return `${p.variant} ${width}${p.strides > 1 ? `, s${p.strides}` : ''}${p.batchNorm ? '' : ', no BN'}${p.shortcut === 'none' ? ', no skip' : ''}`;
  },
  expand: (p, input) => {
    const nodes: ExpandedNode[] = [];
    const outChannels = p.variant === 'bottleneck' ? 4 * p.filters : p.filters;
    /** Conv (+ batch norm) (+ activation); returns the local id of the last node. */
    const unit = (id: string, label: string, from: string, filters: number, size: number, strides: number, activate: boolean): string => {
      nodes.push({
        localId: `${id}_conv`,
        kind: 'Conv2D',
        label,
        params: {
          filters,
          kernelSize: [size, size],
          strides: [strides, strides],
          padding: size === 1 ? 'valid' : 'same',
          activation: 'linear',
          useBias: p.useBias,
        },
        inputs: [from],
      });
      let last = `${id}_conv`;
      if (p.batchNorm) {
        nodes.push({ localId: `${id}_bn`, kind: 'BatchNormalization', label: `${label} batch norm`, params: { axis: -1, epsilon: resnetEpsilon }, inputs: [last] });
        last = `${id}_bn`;
      }
      if (activate) {
        nodes.push({ localId: `${id}_act`, kind: 'Activation', label: `${label} ${p.activation}`, params: { activation: p.activation }, inputs: [last] });
        last = `${id}_act`;
      }
      return last;
    };
    let residual: string;
    if (p.variant === 'basic') {
      const first = unit('1', `conv 3×3${p.strides > 1 ? ` /${p.strides}` : ''}`, blockInput, p.filters, 3, p.strides, true);
      residual = unit('2', 'conv 3×3', first, p.filters, 3, 1, false);
    } else {
      // Keras ResNet50 (v1) puts the stride on the first 1×1 convolution.
      const reduce = unit('1', `conv 1×1 reduce${p.strides > 1 ? ` /${p.strides}` : ''}`, blockInput, p.filters, 1, p.strides, true);
      const middle = unit('2', 'conv 3×3', reduce, p.filters, 3, 1, true);
      residual = unit('3', 'conv 1×1 expand', middle, outChannels, 1, 1, false);
    }
    if (p.shortcut === 'none') {
      // The plain twin: the inner layers keep their local ids, so they get the same seeded initial weights.
      nodes.push({ localId: 'out', kind: 'Activation', label: `output ${p.activation}`, params: { activation: p.activation }, inputs: [residual] });
      return { nodes, output: 'out' };
    }
    const shortcut = needsProjection(input, outChannels, p.strides)
      ? unit('shortcut', `shortcut projection 1×1${p.strides > 1 ? ` /${p.strides}` : ''}`, blockInput, outChannels, 1, p.strides, false)
      : blockInput;
    nodes.push({ localId: 'add', kind: 'Add', label: 'add shortcut', params: {}, inputs: [residual, shortcut] });
    nodes.push({ localId: 'out', kind: 'Activation', label: `output ${p.activation}`, params: { activation: p.activation }, inputs: ['add'] });
    return { nodes, output: 'out' };
  },
});

/** An identity shortcut only works when the residual branch keeps the input's shape. */
function needsProjection(input: Shape, outChannels: number, strides: number): boolean {
  return strides !== 1 || input.length !== 4 || input[3] !== outChannels;
}
