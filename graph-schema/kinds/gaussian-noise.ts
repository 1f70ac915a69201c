import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const gaussianNoiseLayer = defineLayer({
  kind: 'GaussianNoise',
  label: 'Gaussian Noise',
  category: 'regularization',
  summary: 'While training, adds random normal noise (mean 0) to every value so the network learns to ignore small changes; passes values through at inference.',
  formulas: { output: 'same shape as the input; x + N(0, stddev²) while training, x at inference', params: '0' },
  params: defineParams({
    // Keras has no default for stddev; 0.1 is a common choice.
    stddev: { type: 'float', default: 0.1, min: 0, label: 'Std. deviation', help: 'Standard deviation of the noise added while training.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `σ ${p.stddev}`,
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'gaussianNoise',
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ stddev: r.num('stddev', 0.1) })),
  keras: (p) => ({ className: 'GaussianNoise', config: { stddev: p.stddev } }),
});
