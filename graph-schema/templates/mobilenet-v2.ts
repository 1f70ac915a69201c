import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining } from './template-def';

// Keras MobileNetV2's batch norms.
const bn = { epsilon: 1e-3, momentum: 0.999 } as const;

/** (expansion, filters, repeats, first stride) of each bottleneck row in table 2 of the MobileNetV2 paper. */
const rows: readonly [number, number, number, 1 | 2][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

function bottlenecks(): ChainLayer[] {
  const layers: ChainLayer[] = [];
  let blockId = 0;
  for (const [expansion, filters, repeats, stride] of rows) {
    for (let r = 0; r < repeats; r++, blockId++) {
      // Keras names block 0 "expanded_conv" (it has no expand convolution) and the others block_1 … block_16.
      layers.push({
        id: blockId === 0 ? 'expanded_conv' : `block_${blockId}`,
        kind: 'InvertedResidualBlock',
        label: blockId === 0 ? 'expanded conv' : `block ${blockId}`,
        params: { filters, expansion, strides: r === 0 ? stride : 1, activation: 'relu6' },
      });
    }
  }
  return layers;
}

export const mobilenetV2Template: TemplateDef = {
  id: 'mobilenet-v2',
  name: 'MobileNetV2 (Keras, with classifier)',
  description:
    'MobileNetV2 (alpha 1) as in Keras Applications with include_top on 224×224×3: a strided 3×3 stem, 17 inverted residual blocks (linear bottlenecks, ReLU6, residuals where the shapes allow), a 1×1 convolution to 1280 channels, global average pooling and a 1000-way softmax; 3,538,984 parameters, 34,112 of them moving batch-norm statistics.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
      { id: 'conv1', kind: 'Conv2D', label: 'Conv1', params: conv(32, 3, { strides: [2, 2], padding: 'same', useBias: false }) },
      { id: 'bn_conv1', kind: 'BatchNormalization', params: bn },
      { id: 'conv1_relu', kind: 'Activation', params: { activation: 'relu6' } },
      ...bottlenecks(),
      { id: 'conv_1', kind: 'Conv2D', label: 'Conv_1', params: conv(1280, 1, { useBias: false }) },
      { id: 'conv_1_bn', kind: 'BatchNormalization', params: bn },
      { id: 'out_relu', kind: 'Activation', params: { activation: 'relu6' } },
      { id: 'global_average_pooling', kind: 'GlobalAveragePooling2D' },
      { id: 'predictions', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
    ]),
    training: { ...imageNetTraining },
  }),
};
