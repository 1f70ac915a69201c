import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const dropoutLayer = defineLayer({
  kind: 'Dropout',
  label: 'Dropout',
  category: 'regularization',
  summary: 'While training, zeroes a random fraction of the values (and scales up the rest) so the network cannot rely on any single unit.',
  formulas: { output: 'same shape as the input', params: '0' },
  params: defineParams({
    rate: {
      type: 'float',
      default: 0.5,
      min: 0,
      max: 1,
      maxExclusive: true,
      label: 'Rate',
      help: 'Fraction of values dropped at each training step, from 0 up to (not including) 1.',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `${p.rate}`,
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'dropout',
  fromKeras: (c, config) => readKeras(c, config, (r) => { if (r.has('noiseShape')) r.fail('keras-option-unsupported', `${c}: noise_shape is not supported.`); return { rate: r.num('rate', 0.5) }; }),
  keras: (p) => ({ className: 'Dropout', config: { rate: p.rate } }),
});
