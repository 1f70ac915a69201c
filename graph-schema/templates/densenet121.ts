import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining, pool } from './template-def';

const epsilon = 1.001e-5;

/** A dense block and, except after the last, its transition, named as in Keras (conv2 … conv5, pool2 … pool4). */
function stage(n: number, layers: number, last: boolean): ChainLayer[] {
  const block: ChainLayer = { id: `conv${n}`, kind: 'DenseBlock', label: `conv${n}: ${layers} layers`, params: { layers, growthRate: 32, bottleneck: true, activation: 'relu' } };
  if (last) return [block];
  return [block, { id: `pool${n}`, kind: 'TransitionBlock', label: `pool${n} transition`, params: { compression: 0.5, activation: 'relu' } }];
}

export const densenet121Template: TemplateDef = {
  id: 'densenet121',
  name: 'DenseNet-121 (Keras, with classifier)',
  description:
    'DenseNet-121 as in Keras Applications with include_top on 224×224×3: a padded 7×7 stem, dense blocks of 6, 12, 24 and 16 bottleneck layers (growth rate 32) joined by transitions that halve the channels and the size, global average pooling and a 1000-way softmax; 8,062,504 parameters.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
      { id: 'zero_padding', kind: 'ZeroPadding2D', params: { heightPadding: [3, 3], widthPadding: [3, 3] } },
      { id: 'conv1_conv', kind: 'Conv2D', params: conv(64, 7, { strides: [2, 2], padding: 'valid', useBias: false }) },
      { id: 'conv1_bn', kind: 'BatchNormalization', params: { epsilon } },
      { id: 'conv1_relu', kind: 'Activation', params: { activation: 'relu' } },
      { id: 'zero_padding_1', kind: 'ZeroPadding2D', params: { heightPadding: [1, 1], widthPadding: [1, 1] } },
      { id: 'pool1', kind: 'MaxPooling2D', params: pool(3, 2, 'valid') },
      ...stage(2, 6, false),
      ...stage(3, 12, false),
      ...stage(4, 24, false),
      ...stage(5, 16, true),
      { id: 'bn', kind: 'BatchNormalization', params: { epsilon } },
      { id: 'relu', kind: 'Activation', params: { activation: 'relu' } },
      { id: 'avg_pool', kind: 'GlobalAveragePooling2D' },
      { id: 'predictions', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
    ]),
    training: { ...imageNetTraining },
  }),
};
