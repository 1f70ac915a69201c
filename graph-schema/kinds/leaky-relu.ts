import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const leakyReluLayer = defineLayer({
  kind: 'LeakyReLU',
  label: 'Leaky ReLU',
  category: 'activation',
  summary: 'Like relu, but negative values keep a small slope instead of becoming 0, so their gradient never dies.',
  formulas: { output: 'same shape as the input; f(x) = x for x ≥ 0, negative_slope · x below', params: '0' },
  params: defineParams({
    // Keras 3 spells it negative_slope (Keras 2 and TensorFlow.js: alpha); its default is 0.3.
    negativeSlope: { type: 'float', default: 0.3, min: 0, label: 'Negative slope', help: 'Slope for negative values (Keras 3 default 0.3).' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => `slope ${p.negativeSlope}`,
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'leakyReLU',
  // Keras 2 and TensorFlow.js files say alpha.
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ negativeSlope: r.has('negativeSlope') ? r.num('negativeSlope', 0.3) : r.num('alpha', 0.3) })),
  keras: (p) => ({ className: 'LeakyReLU', config: { negativeSlope: p.negativeSlope } }),
});
