import type { ExpandedNode } from '../layer-def';
import { blockInput, defineLayer } from '../layer-def';
import { defineParams } from '../params';
import { activationNames } from './common';

/** Keras Applications' DenseNet uses this epsilon in every batch norm. */
export const densenetEpsilon = 1.001e-5;

export const denseBlockLayer = defineLayer({
  kind: 'DenseBlock',
  label: 'Dense Block',
  category: 'block',
  summary:
    'The DenseNet block: each layer sees every earlier feature map (they are concatenated) and adds growth-rate new channels of its own.',
  formulas: {
    output: 'H × W × (Cin + layers · growthRate)',
    params:
      'per layer i (input C = Cin + (i−1)·k): bottleneck 4·C (batch norm) + C · 4k + 4 · 4k + 9 · 4k · k; without bottleneck 4·C + 9 · C · k; no biases',
  },
  params: defineParams({
    layers: { type: 'int', default: 6, min: 1, max: 256, label: 'Layers', help: 'How many layers the block stacks; DenseNet-121 uses 6, 12, 24 and 16.' },
    growthRate: { type: 'int', default: 32, min: 1, max: 4096, label: 'Growth rate', help: 'New channels each layer adds to the concatenation (k).' },
    bottleneck: {
      type: 'bool',
      default: true,
      label: 'Bottleneck',
      help: 'BN → ReLU → 1×1 conv to 4k channels before the 3×3 convolution (DenseNet-B, as in DenseNet-121); off: BN → ReLU → 3×3 conv only.',
    },
    activation: { type: 'enum', options: activationNames, default: 'relu', label: 'Activation', help: 'After every batch norm of the block.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.layers} × k${p.growthRate}${p.bottleneck ? '' : ', no bottleneck'}${p.activation !== 'relu' ? `, ${p.activation}` : ''}`,
  expand: (p) => {
    const nodes: ExpandedNode[] = [];
    let features: string = blockInput;
    for (let i = 1; i <= p.layers; i++) {
      const id = `block${i}`;
      const preActivate = (step: number, from: string): string => {
        nodes.push({ localId: `${id}_${step}_bn`, kind: 'BatchNormalization', label: `layer ${i} batch norm ${step + 1}`, params: { axis: -1, epsilon: densenetEpsilon }, inputs: [from] });
        nodes.push({ localId: `${id}_${step}_relu`, kind: 'Activation', label: `layer ${i} ${p.activation} ${step + 1}`, params: { activation: p.activation }, inputs: [`${id}_${step}_bn`] });
        return `${id}_${step}_relu`;
      };
      let last = preActivate(0, features);
      if (p.bottleneck) {
        nodes.push({
          localId: `${id}_1_conv`,
          kind: 'Conv2D',
          label: `layer ${i} bottleneck 1×1`,
          params: { filters: 4 * p.growthRate, kernelSize: [1, 1], strides: [1, 1], padding: 'valid', activation: 'linear', useBias: false },
          inputs: [last],
        });
        last = preActivate(1, `${id}_1_conv`);
      }
      nodes.push({
        localId: `${id}_2_conv`,
        kind: 'Conv2D',
        label: `layer ${i} conv 3×3`,
        params: { filters: p.growthRate, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'linear', useBias: false },
        inputs: [last],
      });
      nodes.push({ localId: `${id}_concat`, kind: 'Concatenate', label: `layer ${i} concatenate`, params: { axis: -1 }, inputs: [features, `${id}_2_conv`] });
      features = `${id}_concat`;
    }
    return { nodes, output: features };
  },
});
