import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining, pool, residualStage } from './template-def';

export const resnet18Template: TemplateDef = {
  id: 'resnet18',
  name: 'ResNet-18',
  description:
    'ResNet-18 on 224×224×3: a 7×7 stem, four stages of two basic residual blocks (64 to 512 filters), global average pooling and a 1000-way softmax. Convolutions have no bias; 11,689,512 trainable parameters as torchvision counts them.',
  build: () => {
    const stage = (n: number, filters: number, firstStride: number): ChainLayer[] =>
      residualStage(n, 2, { variant: 'basic', filters, firstStride, useBias: false });
    return {
      graph: chainGraph([
        { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
        { id: 'conv1', kind: 'Conv2D', params: conv(64, 7, { strides: [2, 2], padding: 'same', useBias: false }) },
        { id: 'conv1_bn', kind: 'BatchNormalization', params: { epsilon: 1e-5 } },
        { id: 'conv1_relu', kind: 'Activation', params: { activation: 'relu' } },
        { id: 'pool1', kind: 'MaxPooling2D', params: pool(3, 2, 'same') },
        ...stage(2, 64, 1),
        ...stage(3, 128, 2),
        ...stage(4, 256, 2),
        ...stage(5, 512, 2),
        { id: 'avg_pool', kind: 'GlobalAveragePooling2D' },
        { id: 'predictions', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
      ]),
      training: { ...imageNetTraining },
    };
  },
};
