import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { formatShape } from '../shape';

export const permuteLayer = defineLayer({
  kind: 'Permute',
  label: 'Permute',
  category: 'reshape',
  summary: 'Reorders the axes (batch stays first), e.g. dims (2, 1) swaps rows and columns of each example.',
  formulas: { output: 'output axis i is input axis dims[i] (axes counted from 1, batch excluded)', params: '0' },
  params: defineParams({
    dims: { type: 'ints', default: [2, 1], min: 1, max: 3, minLength: 1, maxLength: 3, label: 'Axis order', help: 'A reordering of 1…rank−1, e.g. (2, 1) or (3, 1, 2) for an image.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `(${p.dims.join(', ')})`,
  inferShape: ([input], p) => {
    const features = input!.length - 1;
    const sorted = [...p.dims].sort((a, b) => a - b);
    if (p.dims.length !== features || sorted.some((d, i) => d !== i + 1)) {
      const example = Array.from({ length: features }, (_, i) => features - i).join(', ');
      return {
        problem: {
          code: 'param-out-of-range',
          param: 'dims',
          message: `Permute dims (${p.dims.join(', ')}) must reorder the axes 1…${features} of ${formatShape(input!)}, each once, e.g. (${example}).`,
        },
      };
    }
    return { shape: [input![0]!, ...p.dims.map((d) => input![d]!)] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'permute',
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ dims: r.ints('dims', [2, 1]) })),
  keras: (p) => ({ className: 'Permute', config: { dims: [...p.dims] } }),
});
