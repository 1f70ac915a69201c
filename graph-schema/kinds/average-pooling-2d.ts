import { defineLayer } from '../layer-def';
import { readKeras, readPooling2d } from './keras-config-read';
import { isProblem, pair, requireImage, windowOutput } from './common';
import { poolingParams } from './max-pooling-2d';
import { windowText } from './worked-text';

export const averagePooling2dLayer = defineLayer({
  kind: 'AveragePooling2D',
  label: 'Average Pool 2D',
  category: 'pooling',
  summary: 'Replaces each window by its mean: shrinks the image and smooths it.',
  formulas: { output: 'valid: floor((n − k) / s) + 1; same: ceil(n / s)', params: '0' },
  params: poolingParams,
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.poolSize.join('×')}${p.strides[0] !== p.poolSize[0] || p.strides[1] !== p.poolSize[1] ? `, s${pair(p.strides)}` : ''}${p.padding === 'same' ? ', same' : ''}`,
  inferShape: ([input], p) => {
    const img = requireImage('Average Pool 2D', input!);
    if (isProblem(img)) return { problem: img };
    const out = windowOutput('Average Pool 2D', img, p.poolSize, p.strides, p.padding);
    if (isProblem(out)) return { problem: { ...out, param: 'poolSize' } };
    return { shape: [null, out.oh, out.ow, img.c] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'averagePooling2d',
  worked: ({ input, params: p }) => ({ output: windowText(input, p.poolSize, p.strides, p.padding), params: 'no weights: 0' }),
  fromKeras: (c, config) => readKeras(c, config, readPooling2d),
  keras: (p) => ({ className: 'AveragePooling2D', config: { poolSize: [...p.poolSize], strides: [...p.strides], padding: p.padding } }),
});
