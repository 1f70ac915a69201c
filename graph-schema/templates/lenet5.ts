import type { TemplateDef } from './template-def';
import { chainGraph, conv, pool } from './template-def';

export const lenet5Template: TemplateDef = {
  id: 'lenet5',
  name: 'LeNet-5 (modern variant)',
  description:
    'The modern LeNet-5 for 28×28 digits: relu, max pooling and a softmax output (61,706 parameters). Not the 1998 network, which had 60,000 parameters, a partial C3 connection table and RBF outputs.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [28, 28, 1] } },
      { id: 'conv1', kind: 'Conv2D', params: conv(6, 5, { padding: 'same', activation: 'relu' }) },
      { id: 'pool1', kind: 'MaxPooling2D', params: pool(2, 2) },
      { id: 'conv2', kind: 'Conv2D', params: conv(16, 5, { padding: 'valid', activation: 'relu' }) },
      { id: 'pool2', kind: 'MaxPooling2D', params: pool(2, 2) },
      { id: 'flatten', kind: 'Flatten' },
      { id: 'fc1', kind: 'Dense', params: { units: 120, activation: 'relu' } },
      { id: 'fc2', kind: 'Dense', params: { units: 84, activation: 'relu' } },
      { id: 'output', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
    ]),
    training: {
      dataset: 'mnist',
      loss: 'categoricalCrossentropy',
      optimizer: 'adam',
      learningRate: 0.001,
      batchSize: 32,
      epochs: 5,
      validationSplit: 0.1,
    },
  }),
};
