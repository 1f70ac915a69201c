import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { elementCount } from '../shape';
import { featureAxis, normalizedAxisShape } from './common';
import { channelsOf } from './worked-text';

export const batchNormalizationLayer = defineLayer({
  kind: 'BatchNormalization',
  label: 'Batch Norm',
  category: 'normalization',
  summary: 'Rescales each channel to zero mean and unit variance over the batch, then applies a learned scale and shift; steadies training.',
  formulas: {
    output: 'same shape as the input',
    params: '4 · C: γ and β trainable (2 · C), moving mean and variance not trainable (2 · C)',
  },
  params: defineParams({
    axis: { type: 'int', default: -1, min: -5, max: 4, label: 'Axis', help: 'The feature axis to normalize per entry; −1 is the last (channel) axis.' },
    momentum: {
      type: 'float',
      default: 0.99,
      min: 0,
      max: 1,
      label: 'Momentum',
      help: 'How slowly the moving mean and variance used at inference follow each batch.',
    },
    epsilon: { type: 'float', default: 1e-3, min: 0, minExclusive: true, max: 1, label: 'Epsilon', help: 'Small number added to the variance to avoid dividing by zero.' },
    center: { type: 'bool', default: true, label: 'Center (β)', help: 'Learn an offset β per channel.' },
    scale: { type: 'bool', default: true, label: 'Scale (γ)', help: 'Learn a factor γ per channel.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => (p.axis === -1 ? '' : `axis ${p.axis}`),
  inferShape: ([input], p) => normalizedAxisShape('Batch Norm', p.axis, input!, 'channel'),
  paramCount: ([input], p) => {
    const channels = input![featureAxis(p.axis, input!.length)!] as number;
    return { trainable: channels * ((p.center ? 1 : 0) + (p.scale ? 1 : 0)), nonTrainable: 2 * channels };
  },
  // Folded into a scale and a shift at inference: one multiply-add per element.
  macs: ([input]) => elementCount(input!) ?? 0,
  tfjsFactory: 'batchNormalization',
  worked: ({ output, count, fmt }) => ({
    params: `C = ${channelsOf(output)}: trainable ${fmt(count.trainable)} (γ, β), non-trainable ${fmt(count.nonTrainable)} (moving mean, variance)`,
  }),
  fromKeras: (c, config) => readKeras(c, config, (r) => { const axis = r.get('axis'); return { axis: Array.isArray(axis) && axis.length === 1 ? (axis[0] as number) : r.int('axis', -1), momentum: r.num('momentum', 0.99), epsilon: r.num('epsilon', 1e-3), center: r.bool('center', true), scale: r.bool('scale', true) }; }),
  keras: (p) => ({
    className: 'BatchNormalization',
    config: { axis: p.axis, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale },
  }),
});
