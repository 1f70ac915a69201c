import type { BranchLayer, TemplateDef } from './template-def';
import { branchGraph, conv, pool } from './template-def';

/** Filters per level of the contracting path; the last is the bottom of the U. */
const levels = [16, 32, 64, 128] as const;
const classes = 2;

/** Two 3×3 "same" convolutions with ReLU, the unit of every level (Ronneberger et al. 2015, padded). */
function doubleConv(prefix: string, filters: number, from?: string): BranchLayer[] {
  return [
    { id: `${prefix}_conv1`, kind: 'Conv2D', params: conv(filters, 3, { padding: 'same', activation: 'relu' }), ...(from ? { from: [from] } : {}) },
    { id: `${prefix}_conv2`, kind: 'Conv2D', params: conv(filters, 3, { padding: 'same', activation: 'relu' }) },
  ];
}

function unet(): BranchLayer[] {
  const layers: BranchLayer[] = [{ id: 'input', kind: 'Input', params: { shape: [64, 64, 3] } }];
  const depth = levels.length - 1;
  for (let level = 1; level <= depth; level++) {
    layers.push(...doubleConv(`enc${level}`, levels[level - 1]!));
    layers.push({ id: `pool${level}`, kind: 'MaxPooling2D', params: pool(2, 2) });
  }
  layers.push(...doubleConv('bottom', levels[depth]!));
  for (let level = depth; level >= 1; level--) {
    const filters = levels[level - 1]!;
    // A 2×2 transposed convolution doubles the size; the skip brings the contracting path's features of that scale.
    layers.push({ id: `up${level}`, kind: 'Conv2DTranspose', params: { filters, kernelSize: [2, 2], strides: [2, 2], padding: 'same' } });
    layers.push({ id: `concat${level}`, kind: 'Concatenate', params: { axis: -1 }, from: [`up${level}`, `enc${level}_conv2`] });
    layers.push(...doubleConv(`dec${level}`, filters));
  }
  layers.push({ id: 'segmentation', kind: 'Conv2D', params: conv(classes, 1, { activation: 'softmax' }) });
  return layers;
}

export const unetSmallTemplate: TemplateDef = {
  id: 'unet-small',
  name: 'U-Net (small, 64×64)',
  description:
    'A small U-Net for 64×64×3 images: a contracting path of two 3×3 convolutions and 2×2 max pooling per level (16, 32, 64 filters, 128 at the bottom), an expanding path of 2×2 transposed convolutions, skips concatenated across the scales, and a 1×1 convolution giving 2 class probabilities per pixel. Netweave trains classifiers only (one label per image): training it needs per-pixel masks, so export it to PyTorch or Keras for that.',
  build: () => ({
    graph: branchGraph(unet()),
    training: { dataset: 'folder:images', loss: 'categoricalCrossentropy', optimizer: 'adam', learningRate: 0.001, batchSize: 16, epochs: 10, validationSplit: 0.1 },
  }),
};
