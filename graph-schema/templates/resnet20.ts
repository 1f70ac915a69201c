import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv } from './template-def';

const cifarTraining = {
  dataset: 'cifar10:cifar-10-batches-bin',
  loss: 'categoricalCrossentropy',
  optimizer: 'momentum',
  learningRate: 0.1,
  batchSize: 128,
  epochs: 10,
  validationSplit: 0.1,
} as const;

/** He et al. 2016 §4.2: 3 stages of 3 basic blocks at 16/32/64 filters on 32×32×3, global pooling, 10-way softmax. */
function cifarResNet(shortcut: 'auto' | 'none'): ChainLayer[] {
  const blocks: ChainLayer[] = [];
  [16, 32, 64].forEach((filters, s) => {
    for (let b = 1; b <= 3; b++) {
      blocks.push({
        id: `stage${s + 1}_block${b}`,
        kind: 'ResidualBlock',
        label: `stage ${s + 1} block ${b}`,
        params: { variant: 'basic', filters, strides: s > 0 && b === 1 ? 2 : 1, batchNorm: true, useBias: false, activation: 'relu', shortcut },
      });
    }
  });
  return [
    { id: 'input', kind: 'Input', params: { shape: [32, 32, 3] } },
    { id: 'conv1', kind: 'Conv2D', params: conv(16, 3, { padding: 'same', useBias: false }) },
    { id: 'conv1_bn', kind: 'BatchNormalization', params: { epsilon: 1e-5 } },
    { id: 'conv1_relu', kind: 'Activation', params: { activation: 'relu' } },
    ...blocks,
    { id: 'avg_pool', kind: 'GlobalAveragePooling2D' },
    { id: 'predictions', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
  ];
}

export const resnet20Template: TemplateDef = {
  id: 'resnet-20',
  name: 'ResNet-20 (CIFAR)',
  description:
    "He et al. 2016 §4.2 for 32×32×3: a 3×3 stem, 3 stages of 3 basic residual blocks (16, 32, 64 filters), global average pooling, 10-way softmax. The two stage changes use 1×1 projection shortcuts (option B of the paper): 274,042 parameters, 272,474 trainable; without them (plain-20, or its zero-padding option A) 269,722 trainable, i.e. the paper's ~0.27M.",
  build: () => ({ graph: chainGraph(cifarResNet('auto')), training: { ...cifarTraining } }),
};

export const plain20Template: TemplateDef = {
  id: 'plain-20',
  name: 'Plain-20 (CIFAR)',
  description: 'ResNet-20 with every shortcut removed (shortcut: none): the 20-layer plain net He et al. 2016 compare against, with the same layer names and seeded weights.',
  build: () => ({ graph: chainGraph(cifarResNet('none')), training: { ...cifarTraining } }),
};
