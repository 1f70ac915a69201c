import type { TemplateDef } from './template-def';
import { chainGraph } from './template-def';

export const perceptronTemplate: TemplateDef = {
  id: 'perceptron',
  name: 'Perceptron (single neuron)',
  description:
    'One sigmoid neuron on two inputs: it can only draw a straight line. Trained on XOR it stays stuck near 50–75% accuracy, the limit that motivates hidden layers.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [2] } },
      { id: 'output', kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
    ]),
    training: {
      dataset: 'xor',
      loss: 'binaryCrossentropy',
      optimizer: 'sgd',
      learningRate: 0.5,
      batchSize: 4,
      epochs: 300,
      validationSplit: 0,
    },
  }),
};
