import type { ExpandedNode } from '../layer-def';
import { blockInput, defineLayer } from '../layer-def';
import { defineParams } from '../params';
import { activationNames } from './common';

const filterCount = (label: string, value: number, help: string) =>
  ({ type: 'int', default: value, min: 1, max: 65536, label, help }) as const;

export const inceptionBlockLayer = defineLayer({
  kind: 'InceptionBlock',
  label: 'Inception Block',
  category: 'block',
  summary: 'The GoogLeNet module: 1×1, 3×3 and 5×5 convolutions and a pooling path side by side, joined on channels.',
  formulas: {
    output: 'H × W × (conv1x1 + conv3x3 + conv5x5 + poolProj)',
    params:
      'Cin · (conv1x1 + reduce3x3 + reduce5x5 + poolProj) + 9 · reduce3x3 · conv3x3 + 25 · reduce5x5 · conv5x5 + one bias per filter',
  },
  // Defaults are those of inception (3a) in the GoogLeNet paper.
  params: defineParams({
    conv1x1: filterCount('1×1 filters', 64, 'Filters of the plain 1×1 branch.'),
    reduce3x3: filterCount('3×3 reduce', 96, '1×1 filters that shrink the channels before the 3×3 convolution.'),
    conv3x3: filterCount('3×3 filters', 128, 'Filters of the 3×3 convolution.'),
    reduce5x5: filterCount('5×5 reduce', 16, '1×1 filters that shrink the channels before the 5×5 convolution.'),
    conv5x5: filterCount('5×5 filters', 32, 'Filters of the 5×5 convolution.'),
    poolProj: filterCount('Pool projection', 32, '1×1 filters after the 3×3 max pooling.'),
    activation: { type: 'enum', options: activationNames, default: 'relu', label: 'Activation', help: 'Applied after every convolution of the block.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    `${p.conv1x1} | ${p.reduce3x3}→${p.conv3x3} | ${p.reduce5x5}→${p.conv5x5} | pool→${p.poolProj} = ${p.conv1x1 + p.conv3x3 + p.conv5x5 + p.poolProj} ch`,
  expand: (p) => {
    const conv = (localId: string, label: string, input: string, filters: number, size: number): ExpandedNode => ({
      localId,
      kind: 'Conv2D',
      label,
      params: { filters, kernelSize: [size, size], strides: [1, 1], padding: 'same', activation: p.activation, useBias: true },
      inputs: [input],
    });
    return {
      nodes: [
        conv('branch1x1', 'branch 1×1', blockInput, p.conv1x1, 1),
        conv('branch3x3_reduce', 'branch 3×3 reduce', blockInput, p.reduce3x3, 1),
        conv('branch3x3', 'branch 3×3', 'branch3x3_reduce', p.conv3x3, 3),
        conv('branch5x5_reduce', 'branch 5×5 reduce', blockInput, p.reduce5x5, 1),
        conv('branch5x5', 'branch 5×5', 'branch5x5_reduce', p.conv5x5, 5),
        {
          localId: 'branch_pool',
          kind: 'MaxPooling2D',
          label: 'branch pool 3×3',
          params: { poolSize: [3, 3], strides: [1, 1], padding: 'same' },
          inputs: [blockInput],
        },
        conv('branch_pool_proj', 'branch pool projection', 'branch_pool', p.poolProj, 1),
        {
          localId: 'concat',
          kind: 'Concatenate',
          label: 'concatenate branches',
          params: { axis: -1 },
          inputs: ['branch1x1', 'branch3x3', 'branch5x5', 'branch_pool_proj'],
        },
      ],
      output: 'concat',
    };
  },
});
