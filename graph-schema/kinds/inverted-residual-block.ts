import type { ExpandedNode } from '../layer-def';
import { blockInput, defineLayer } from '../layer-def';
import { defineParams } from '../params';
import type { Shape } from '../shape';
import { activationNames } from './common';

// Keras Applications' MobileNetV2 uses these in every batch norm.
const mobilenetV2Epsilon = 1e-3;
const mobilenetV2Momentum = 0.999;

export const invertedResidualBlockLayer = defineLayer({
  kind: 'InvertedResidualBlock',
  label: 'Inverted Residual Block',
  category: 'block',
  summary:
    'The MobileNetV2 block: a 1×1 convolution widens the channels, a 3×3 depthwise convolution filters each one, a linear 1×1 projection narrows them again; the input is added back when the shapes allow.',
  formulas: {
    output: 'ceil(H / s) × ceil(W / s) × filters',
    params: 'Cin · t·Cin (expand, left out when t = 1) + 9 · t·Cin (depthwise) + t·Cin · filters (project), no biases; + 4 · C per batch norm',
  },
  params: defineParams({
    filters: { type: 'int', default: 24, min: 1, max: 65536, label: 'Filters', help: 'Channels of the linear 1×1 projection, the block output.' },
    expansion: {
      type: 'int',
      default: 6,
      min: 1,
      max: 64,
      label: 'Expansion',
      help: 'The 1×1 expand convolution widens the input to expansion × Cin channels; 1 leaves it out (the first MobileNetV2 block).',
    },
    strides: {
      type: 'int',
      default: 1,
      min: 1,
      max: 2,
      label: 'Stride',
      unit: 'px',
      help: '2 halves the height and width (the depthwise convolution, after Keras\' zero padding); the input is added back only with stride 1 and equal channels.',
    },
    activation: { type: 'enum', options: activationNames, default: 'relu6', label: 'Activation', help: 'After the expand and depthwise convolutions; the projection stays linear (the linear bottleneck).' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `t${p.expansion} → ${p.filters}${p.strides > 1 ? `, s${p.strides}` : ''}${p.activation !== 'relu6' ? `, ${p.activation}` : ''}`,
  expand: (p, input) => {
    const nodes: ExpandedNode[] = [];
    const inChannels = input.length === 4 && typeof input[3] === 'number' ? input[3] : null;
    const batchNorm = (localId: string, label: string, from: string): string => {
      nodes.push({ localId, kind: 'BatchNormalization', label, params: { axis: -1, epsilon: mobilenetV2Epsilon, momentum: mobilenetV2Momentum }, inputs: [from] });
      return localId;
    };
    const activate = (localId: string, label: string, from: string): string => {
      nodes.push({ localId, kind: 'Activation', label, params: { activation: p.activation }, inputs: [from] });
      return localId;
    };
    let last: string = blockInput;
    if (p.expansion > 1) {
      nodes.push({
        localId: 'expand',
        kind: 'Conv2D',
        label: `expand 1×1 (×${p.expansion})`,
        params: { filters: p.expansion * (inChannels ?? 1), kernelSize: [1, 1], strides: [1, 1], padding: 'same', activation: 'linear', useBias: false },
        inputs: [last],
      });
      last = activate('expand_relu', `expand ${p.activation}`, batchNorm('expand_BN', 'expand batch norm', 'expand'));
    }
    if (p.strides > 1) {
      // Keras' correct_pad: one row/column more at the bottom/right of an even size, one on each side of an odd one.
      const pad = (n: Shape[number] | undefined): [number, number] => (typeof n === 'number' && n % 2 === 1 ? [1, 1] : [0, 1]);
      nodes.push({ localId: 'pad', kind: 'ZeroPadding2D', label: 'pad for the strided depthwise', params: { heightPadding: pad(input[1]), widthPadding: pad(input[2]) }, inputs: [last] });
      last = 'pad';
    }
    nodes.push({
      localId: 'depthwise',
      kind: 'DepthwiseConv2D',
      label: `depthwise 3×3${p.strides > 1 ? ` /${p.strides}` : ''}`,
      params: { kernelSize: [3, 3], strides: [p.strides, p.strides], padding: p.strides > 1 ? 'valid' : 'same', depthMultiplier: 1, activation: 'linear', useBias: false },
      inputs: [last],
    });
    last = activate('depthwise_relu', `depthwise ${p.activation}`, batchNorm('depthwise_BN', 'depthwise batch norm', 'depthwise'));
    nodes.push({
      localId: 'project',
      kind: 'Conv2D',
      label: 'project 1×1 (linear)',
      params: { filters: p.filters, kernelSize: [1, 1], strides: [1, 1], padding: 'same', activation: 'linear', useBias: false },
      inputs: [last],
    });
    last = batchNorm('project_BN', 'project batch norm', 'project');
    // The residual exists only where the block keeps the input's shape (Keras: stride 1 and equal channels).
    if (p.strides === 1 && inChannels === p.filters) {
      nodes.push({ localId: 'add', kind: 'Add', label: 'add input', params: {}, inputs: [blockInput, last] });
      last = 'add';
    }
    return { nodes, output: last };
  },
});
