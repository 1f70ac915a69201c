import { defineLayer } from '../layer-def';
import { readKeras, readPooling2d } from './keras-config-read';
import { defineParams } from '../params';
import { isProblem, pair, paddingParam, requireImage, windowOutput } from './common';
import { windowText } from './worked-text';

export const poolingParams = defineParams({
  poolSize: { type: 'int2', default: [2, 2], min: 1, max: 64, label: 'Pool size', unit: 'px' },
  strides: { type: 'int2', default: [2, 2], min: 1, max: 64, label: 'Strides', unit: 'px', help: 'Usually equal to the pool size.' },
  padding: paddingParam,
});

export const maxPooling2dLayer = defineLayer({
  kind: 'MaxPooling2D',
  label: 'Max Pool 2D',
  category: 'pooling',
  summary: 'Keeps the largest value in each window: shrinks the image, keeps the strongest responses.',
  formulas: { output: 'valid: floor((n − k) / s) + 1; same: ceil(n / s)', params: '0' },
  params: poolingParams,
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.poolSize.join('×')}${p.strides[0] !== p.poolSize[0] || p.strides[1] !== p.poolSize[1] ? `, s${pair(p.strides)}` : ''}${p.padding === 'same' ? ', same' : ''}`,
  inferShape: ([input], p) => {
    const img = requireImage('Max Pool 2D', input!);
    if (isProblem(img)) return { problem: img };
    const out = windowOutput('Max Pool 2D', img, p.poolSize, p.strides, p.padding);
    if (isProblem(out)) return { problem: { ...out, param: 'poolSize' } };
    return { shape: [null, out.oh, out.ow, img.c] };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'maxPooling2d',
  worked: ({ input, params: p }) => ({ output: windowText(input, p.poolSize, p.strides, p.padding), params: 'no weights: 0' }),
  fromKeras: (c, config) => readKeras(c, config, readPooling2d),
  keras: (p) => ({ className: 'MaxPooling2D', config: { poolSize: p.poolSize, strides: p.strides, padding: p.padding } }),
});
