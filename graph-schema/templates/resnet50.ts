import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining, pool, residualStage } from './template-def';

export const resnet50Template: TemplateDef = {
  id: 'resnet50',
  name: 'ResNet50 (Keras, with classifier)',
  description:
    'ResNet50 as in Keras Applications with include_top on 224×224×3: a padded 7×7 stem, bottleneck stages of 3, 4, 6 and 3 blocks, global average pooling and a 1000-way softmax; 25,636,712 parameters.',
  build: () => {
    const stage = (n: number, blocks: number, filters: number, firstStride: number): ChainLayer[] =>
      residualStage(n, blocks, { variant: 'bottleneck', filters, firstStride, useBias: true });
    return {
      graph: chainGraph([
        { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
        { id: 'conv1_pad', kind: 'ZeroPadding2D', params: { heightPadding: [3, 3], widthPadding: [3, 3] } },
        { id: 'conv1_conv', kind: 'Conv2D', params: conv(64, 7, { strides: [2, 2], padding: 'valid', useBias: true }) },
        { id: 'conv1_bn', kind: 'BatchNormalization', params: { epsilon: 1.001e-5 } },
        { id: 'conv1_relu', kind: 'Activation', params: { activation: 'relu' } },
        { id: 'pool1_pad', kind: 'ZeroPadding2D', params: { heightPadding: [1, 1], widthPadding: [1, 1] } },
        { id: 'pool1_pool', kind: 'MaxPooling2D', params: pool(3, 2, 'valid') },
        ...stage(2, 3, 64, 1),
        ...stage(3, 4, 128, 2),
        ...stage(4, 6, 256, 2),
        ...stage(5, 3, 512, 2),
        { id: 'avg_pool', kind: 'GlobalAveragePooling2D' },
        { id: 'predictions', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
      ]),
      training: { ...imageNetTraining },
    };
  },
};
