import type { TemplateDef } from './template-def';
import { chainGraph } from './template-def';

export const mlpXorTemplate: TemplateDef = {
  id: 'mlp-xor',
  name: 'MLP for XOR (2-4-1)',
  description: 'Two inputs, a hidden layer of four tanh units and one sigmoid output: the smallest network that learns XOR.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [2] } },
      { id: 'hidden', kind: 'Dense', params: { units: 4, activation: 'tanh' } },
      { id: 'output', kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
    ]),
    training: {
      dataset: 'xor',
      loss: 'binaryCrossentropy',
      optimizer: 'adam',
      learningRate: 0.05,
      batchSize: 4,
      epochs: 400,
      // Four examples: all of them are needed for training.
      validationSplit: 0,
    },
  }),
};
