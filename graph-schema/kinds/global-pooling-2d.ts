import type { LayerDef } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineLayer } from '../layer-def';
import { defineParams } from '../params';
import { isProblem, requireImage } from './common';

/** Global pooling kinds differ only in name and wording: one window over the whole image, one value per channel. */
function globalPooling(kind: 'GlobalAveragePooling2D' | 'GlobalMaxPooling2D', label: string, summary: string): LayerDef {
  return defineLayer({
    kind,
    label,
    category: 'pooling',
    summary,
    formulas: { output: '(C): one value per channel', params: '0' },
    params: defineParams({}),
    inputs: { min: 1, max: 1 },
    describe: () => '',
    inferShape: ([input]) => {
      const img = requireImage(label, input!);
      if (isProblem(img)) return { problem: img };
      return { shape: [null, img.c] };
    },
    paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
    macs: () => 0,
    tfjsFactory: kind === 'GlobalAveragePooling2D' ? 'globalAveragePooling2d' : 'globalMaxPooling2d',
    fromKeras: (c, config) => readKeras(c, config, (r) => { r.channelsLast(); if (r.bool('keepdims', false)) r.fail('keras-option-unsupported', `${c}: keepdims=True is not supported.`); return {}; }),
    keras: () => ({ className: kind, config: {} }),
  });
}

export const globalAveragePooling2dLayer = globalPooling(
  'GlobalAveragePooling2D',
  'Global Average Pool 2D',
  'Averages each channel over the whole image: H×W×C becomes C, a light replacement for Flatten before the classifier.',
);

export const globalMaxPooling2dLayer = globalPooling(
  'GlobalMaxPooling2D',
  'Global Max Pool 2D',
  'Keeps the largest value of each channel over the whole image: H×W×C becomes C.',
);
