import { blockInput, defineLayer } from '../layer-def';
import { defineParams } from '../params';
import { activationNames } from './common';
import { densenetEpsilon } from './dense-block';

export const transitionBlockLayer = defineLayer({
  kind: 'TransitionBlock',
  label: 'Transition Block',
  category: 'block',
  summary: 'Between two DenseNet dense blocks: batch norm, activation, a 1×1 convolution that compresses the channels, and 2×2 average pooling that halves the size.',
  formulas: {
    output: 'floor(H / 2) × floor(W / 2) × floor(Cin · compression)',
    params: '4 · Cin (batch norm) + Cin · floor(Cin · compression) (1×1 conv, no bias)',
  },
  params: defineParams({
    compression: {
      type: 'float',
      default: 0.5,
      min: 0,
      minExclusive: true,
      max: 1,
      label: 'Compression',
      help: 'The 1×1 convolution keeps floor(Cin × this) channels; DenseNet-121 uses 0.5.',
    },
    activation: { type: 'enum', options: activationNames, default: 'relu', label: 'Activation', help: 'After the batch norm.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `×${p.compression}, pool 2${p.activation !== 'relu' ? `, ${p.activation}` : ''}`,
  expand: (p, input) => {
    const channels = input.length === 4 && typeof input[3] === 'number' ? input[3] : 1;
    return {
      nodes: [
        { localId: 'bn', kind: 'BatchNormalization', label: 'batch norm', params: { axis: -1, epsilon: densenetEpsilon }, inputs: [blockInput] },
        { localId: 'relu', kind: 'Activation', label: p.activation, params: { activation: p.activation }, inputs: ['bn'] },
        {
          localId: 'conv',
          kind: 'Conv2D',
          label: `compress 1×1 (×${p.compression})`,
          // Keras: int(C · reduction), at least one channel.
          params: { filters: Math.max(1, Math.floor(channels * p.compression)), kernelSize: [1, 1], strides: [1, 1], padding: 'valid', activation: 'linear', useBias: false },
          inputs: ['relu'],
        },
        { localId: 'pool', kind: 'AveragePooling2D', label: 'average pool 2×2', params: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }, inputs: ['conv'] },
      ],
      output: 'pool',
    };
  },
});
