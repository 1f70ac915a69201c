import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { rankProblem } from './common';

export const spatialDropout2dLayer = defineLayer({
  kind: 'SpatialDropout2D',
  label: 'Spatial Dropout 2D',
  category: 'regularization',
  summary: 'While training, drops whole feature maps (every pixel of a channel at once) and scales up the rest; neighbouring pixels are too alike for plain dropout.',
  formulas: { output: 'same shape as the input', params: '0' },
  params: defineParams({
    rate: {
      type: 'float',
      default: 0.5,
      min: 0,
      max: 1,
      maxExclusive: true,
      label: 'Rate',
      help: 'Fraction of channels dropped at each training step, from 0 up to (not including) 1.',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.rate}`,
  inferShape: ([input]) => (input!.length === 4 ? { shape: input! } : { problem: rankProblem('Spatial Dropout 2D', 'an image tensor (height, width, channels)', input!) }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  // TensorFlow.js 4.22 has no SpatialDropout2D: a Dropout whose mask is shared over height and width is the same layer (tfjs-workarounds.ts).
  tfjsFactory: 'dropout',
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      r.channelsLast();
      return { rate: r.num('rate', 0.5) };
    }),
  keras: (p) => ({ className: 'SpatialDropout2D', config: { rate: p.rate } }),
});
