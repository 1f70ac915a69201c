import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

/** Keras' ReLU layer: max_value caps the output (ReLU6 is max_value 6), values under threshold get negative_slope · (x − threshold). */
export const reluLayer = defineLayer({
  kind: 'ReLU',
  label: 'ReLU',
  category: 'activation',
  summary: 'Keeps values above a threshold and scales the rest by a slope (0: zeroed); an optional cap makes it ReLU6.',
  formulas: {
    output: 'same shape as the input; f(x) = min(x, max) for x ≥ threshold, negative_slope · (x − threshold) below',
    params: '0',
  },
  params: defineParams({
    maxValue: { type: 'float', default: 0, min: 0, label: 'Max value', help: 'Upper cap of the output; 6 gives ReLU6. 0 means no cap (Keras: None).' },
    negativeSlope: { type: 'float', default: 0, min: 0, label: 'Negative slope', help: 'Slope below the threshold; 0 zeroes those values.' },
    threshold: { type: 'float', default: 0, label: 'Threshold', help: 'Values below it are scaled by the negative slope.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    [p.maxValue > 0 ? `max ${p.maxValue}` : '', p.negativeSlope !== 0 ? `slope ${p.negativeSlope}` : '', p.threshold !== 0 ? `threshold ${p.threshold}` : '']
      .filter(Boolean)
      .join(', '),
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'reLU',
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => ({ maxValue: r.num('maxValue', 0), negativeSlope: r.num('negativeSlope', 0), threshold: r.num('threshold', 0) })),
  keras: (p) => ({
    className: 'ReLU',
    config: { maxValue: p.maxValue > 0 ? p.maxValue : null, negativeSlope: p.negativeSlope, threshold: p.threshold },
  }),
});
