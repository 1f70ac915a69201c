import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { isProblem, pair, requireImage } from './common';

export const upSampling2dLayer = defineLayer({
  kind: 'UpSampling2D',
  label: 'Up Sampling 2D',
  category: 'reshape',
  summary: 'Enlarges the image by whole factors, repeating pixels (nearest) or blending neighbours (bilinear); no weights.',
  formulas: { output: '(H · size_h) × (W · size_w) × C', params: '0' },
  params: defineParams({
    size: { type: 'int2', default: [2, 2], min: 1, max: 64, label: 'Size', help: 'Factor for height and width.' },
    interpolation: {
      type: 'enum',
      options: ['nearest', 'bilinear'],
      default: 'nearest',
      label: 'Interpolation',
      help: '"nearest" repeats each pixel; "bilinear" blends the neighbours (half-pixel centres, as Keras).',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `×${pair(p.size)}${p.interpolation === 'bilinear' ? ', bilinear' : ''}`,
  inferShape: ([input], p) => {
    const img = requireImage('Up Sampling 2D', input!);
    if (isProblem(img)) return { problem: img };
    return { shape: [null, img.h * p.size[0], img.w * p.size[1], img.c] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'upSampling2d',
  worked: ({ input, output, params: p }) => ({
    output: `height = ${input[1]} · ${p.size[0]} = ${output[1]}; width = ${input[2]} · ${p.size[1]} = ${output[2]}`,
    params: 'no weights: 0',
  }),
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      r.channelsLast();
      return { size: r.pair('size', [2, 2]), interpolation: r.choice('interpolation', ['nearest', 'bilinear'], 'nearest') };
    }),
  keras: (p) => ({ className: 'UpSampling2D', config: { size: p.size, interpolation: p.interpolation } }),
});
