import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining, pool } from './template-def';

/** Filter counts of one row of table 1 in the GoogLeNet paper. */
function inception(name: string, conv1x1: number, reduce3x3: number, conv3x3: number, reduce5x5: number, conv5x5: number, poolProj: number): ChainLayer {
  return {
    id: `inception_${name}`,
    kind: 'InceptionBlock',
    label: `Inception ${name}`,
    params: { conv1x1, reduce3x3, conv3x3, reduce5x5, conv5x5, poolProj, activation: 'relu' },
  };
}

export const googlenetTemplate: TemplateDef = {
  id: 'googlenet',
  name: 'GoogLeNet (Inception v1)',
  description:
    'GoogLeNet on 224×224×3 following table 1 of the paper: nine inception modules, global average pooling, dropout 0.4 and a 1000-way softmax. Without local response normalization and without the two auxiliary classifiers.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
      { id: 'conv1', kind: 'Conv2D', params: conv(64, 7, { strides: [2, 2], padding: 'same', activation: 'relu' }) },
      { id: 'pool1', kind: 'MaxPooling2D', params: pool(3, 2, 'same') },
      { id: 'conv2_reduce', kind: 'Conv2D', params: conv(64, 1, { padding: 'same', activation: 'relu' }) },
      { id: 'conv2', kind: 'Conv2D', params: conv(192, 3, { padding: 'same', activation: 'relu' }) },
      { id: 'pool2', kind: 'MaxPooling2D', params: pool(3, 2, 'same') },
      inception('3a', 64, 96, 128, 16, 32, 32),
      inception('3b', 128, 128, 192, 32, 96, 64),
      { id: 'pool3', kind: 'MaxPooling2D', params: pool(3, 2, 'same') },
      inception('4a', 192, 96, 208, 16, 48, 64),
      inception('4b', 160, 112, 224, 24, 64, 64),
      inception('4c', 128, 128, 256, 24, 64, 64),
      inception('4d', 112, 144, 288, 32, 64, 64),
      inception('4e', 256, 160, 320, 32, 128, 128),
      { id: 'pool4', kind: 'MaxPooling2D', params: pool(3, 2, 'same') },
      inception('5a', 256, 160, 320, 32, 128, 128),
      inception('5b', 384, 192, 384, 48, 128, 128),
      { id: 'avgpool', kind: 'GlobalAveragePooling2D' },
      { id: 'dropout', kind: 'Dropout', params: { rate: 0.4 } },
      { id: 'predictions', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
    ]),
    training: { ...imageNetTraining },
  }),
};
