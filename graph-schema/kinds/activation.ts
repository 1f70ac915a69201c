import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames } from './common';

export const activationLayer = defineLayer({
  kind: 'Activation',
  label: 'Activation',
  category: 'activation',
  summary: 'Applies a non-linear function to every value, e.g. relu keeps positives and zeroes negatives.',
  formulas: { output: 'same shape as the input', params: '0' },
  params: defineParams({
    activation: {
      type: 'enum',
      options: activationNames,
      default: 'relu',
      label: 'Function',
      help: 'relu: max(0, x); relu6: min(max(0, x), 6); sigmoid: 1/(1+e^−x); hard_sigmoid: relu6(x + 3) / 6; softmax: probabilities over the last axis; linear: no change.',
    },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => p.activation,
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'activation',
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ activation: r.activation() })),
  keras: (p) => ({ className: 'Activation', config: { activation: p.activation } }),
});
