import type { ChainLayer, TemplateDef } from './template-def';
import { chainGraph, conv, imageNetTraining, pool } from './template-def';

/** One VGG block: `count` 3×3 same relu convolutions, then a 2×2 max pool; ids as in Keras. */
function vggBlock(block: number, filters: number, count: number): ChainLayer[] {
  const layers: ChainLayer[] = [];
  for (let i = 1; i <= count; i++) {
    layers.push({ id: `block${block}_conv${i}`, kind: 'Conv2D', params: conv(filters, 3, { padding: 'same', activation: 'relu' }) });
  }
  layers.push({ id: `block${block}_pool`, kind: 'MaxPooling2D', params: pool(2, 2) });
  return layers;
}

export const vgg16Template: TemplateDef = {
  id: 'vgg16',
  name: 'VGG16 (Keras, with classifier)',
  description: 'VGG16 as in Keras Applications with include_top on 224×224×3: thirteen 3×3 convolutions and three dense layers, 138,357,544 parameters.',
  build: () => ({
    graph: chainGraph([
      { id: 'input', kind: 'Input', params: { shape: [224, 224, 3] } },
      ...vggBlock(1, 64, 2),
      ...vggBlock(2, 128, 2),
      ...vggBlock(3, 256, 3),
      ...vggBlock(4, 512, 3),
      ...vggBlock(5, 512, 3),
      { id: 'flatten', kind: 'Flatten' },
      { id: 'fc1', kind: 'Dense', params: { units: 4096, activation: 'relu' } },
      { id: 'fc2', kind: 'Dense', params: { units: 4096, activation: 'relu' } },
      { id: 'predictions', kind: 'Dense', params: { units: 1000, activation: 'softmax' } },
    ]),
    training: { ...imageNetTraining },
  }),
};
