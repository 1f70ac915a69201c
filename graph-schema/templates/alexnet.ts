import type { TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining, pool } from './template-def';

export const alexnetTemplate: TemplateDef = {
  id: 'alexnet',
  name: 'AlexNet (single tower)',
  description:
    'AlexNet on 227×227×3 as one tower instead of the original two GPUs, without local response normalization: five convolutions, three dense layers, 62,378,344 parameters.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [227, 227, 3] } },
      { id: 'conv1', kind: 'Conv2D', params: conv(96, 11, { strides: [4, 4], padding: 'valid', activation: 'relu' }) },
      { id: 'pool1', kind: 'MaxPooling2D', params: pool(3, 2) },
      { id: 'conv2', kind: 'Conv2D', params: conv(256, 5, { padding: 'same', activation: 'relu' }) },
      { id: 'pool2', kind: 'MaxPooling2D', params: pool(3, 2) },
      { id: 'conv3', kind: 'Conv2D', params: conv(384, 3, { padding: 'same', activation: 'relu' }) },
      { id: 'conv4', kind: 'Conv2D', params: conv(384, 3, { padding: 'same', activation: 'relu' }) },
      { id: 'conv5', kind: 'Conv2D', params: conv(256, 3, { padding: 'same', activation: 'relu' }) },
      { id: 'pool5', kind: 'MaxPooling2D', params: pool(3, 2) },
      { id: 'flatten', kind: 'Flatten' },
      { id: 'fc6', kind: 'Dense', params: { units: 4096, activation: 'relu' } },
      { id: 'drop6', kind: 'Dropout', params: { rate: 0.5 } },
      { id: 'fc7', kind: 'Dense', params: { units: 4096, activation: 'relu' } },
      { id: 'drop7', kind: 'Dropout', params: { rate: 0.5 } },
      { id: 'fc8', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
    ]),
    training: { ...imageNetTraining },
  }),
};
