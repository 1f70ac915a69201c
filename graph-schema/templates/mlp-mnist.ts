import type { TemplateDef } from './template-def';
import { chainGraph } from './template-def';

export const mlpMnistTemplate: TemplateDef = {
  id: 'mlp-mnist',
  name: 'MLP for MNIST (784-128-10)',
  description: 'The classic first Keras example: flattened 28×28 digits, one hidden layer of 128 relu units, dropout 0.2 and a softmax over 10 classes (101,770 parameters).',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [784] } },
      { id: 'hidden', kind: 'Dense', params: { units: 128, activation: 'relu' } },
      { id: 'dropout', kind: 'Dropout', params: { rate: 0.2 } },
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
