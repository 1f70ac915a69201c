import type { TemplateDef } from './template-def';
import { chainGraph } from './template-def';

export const autoencoderMnistTemplate: TemplateDef = {
  id: 'autoencoder-mnist',
  name: 'Autoencoder for MNIST (784-128-32-128-784)',
  description:
    'A dense autoencoder on flattened 28×28 digits: an encoder of 128 and 32 relu units squeezes each image into a 32-number code, a mirrored decoder rebuilds the 784 pixels with sigmoid outputs, scored by the mean squared error against the input (209,968 parameters). Netweave trains against class labels only, so it cannot train this reconstruction yet: export it to PyTorch or Keras and fit it with the images as their own targets.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [784] } },
      { id: 'encoder', kind: 'Dense', params: { units: 128, activation: 'relu' } },
      { id: 'code', kind: 'Dense', params: { units: 32, activation: 'relu' } },
      { id: 'decoder', kind: 'Dense', params: { units: 128, activation: 'relu' } },
      { id: 'reconstruction', kind: 'Dense', params: { units: 784, activation: 'sigmoid' } },
    ]),
    training: {
      dataset: 'mnist',
      loss: 'meanSquaredError',
      optimizer: 'adam',
      learningRate: 0.001,
      batchSize: 256,
      epochs: 10,
      validationSplit: 0.1,
    },
  }),
};
