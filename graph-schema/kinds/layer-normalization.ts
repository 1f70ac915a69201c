import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { elementCount } from '../shape';
import { featureAxis, normalizedAxisShape } from './common';

export const layerNormalizationLayer = defineLayer({
  kind: 'LayerNormalization',
  label: 'Layer Norm',
  category: 'normalization',
  summary: 'Rescales each example to zero mean and unit variance along one axis (no batch statistics), then applies a learned scale and shift.',
  formulas: { output: 'same shape as the input; γ · (x − mean) / √(variance + ε) + β along the axis', params: '2 · C: γ and β (C = size of the axis)' },
  params: defineParams({
    axis: { type: 'int', default: -1, min: -5, max: 4, label: 'Axis', help: 'The axis normalized within each example; −1 is the last (feature or channel) axis.' },
    epsilon: { type: 'float', default: 1e-3, min: 0, minExclusive: true, max: 1, label: 'Epsilon', help: 'Small number added to the variance to avoid dividing by zero.' },
    center: { type: 'bool', default: true, label: 'Center (β)', help: 'Learn an offset β per entry of the axis.' },
    scale: { type: 'bool', default: true, label: 'Scale (γ)', help: 'Learn a factor γ per entry of the axis.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => (p.axis === -1 ? '' : `axis ${p.axis}`),
  inferShape: ([input], p) => normalizedAxisShape('Layer Norm', p.axis, input!, 'last'),
  paramCount: ([input], p) => {
    const size = input![featureAxis(p.axis, input!.length)!] as number;
    return { trainable: size * ((p.center ? 1 : 0) + (p.scale ? 1 : 0)), nonTrainable: 0 };
  },
  // The scale and shift after the statistics: one multiply-add per value.
  macs: ([input]) => elementCount(input!) ?? 0,
  tfjsFactory: 'layerNormalization',
  worked: ({ input, params: p, count, fmt }) => ({
    params: `C = ${input[featureAxis(p.axis, input.length) ?? input.length - 1] ?? '?'}: ${[p.scale ? 'γ' : '', p.center ? 'β' : ''].filter(Boolean).join(' and ') || 'no weights'} = ${fmt(count.trainable)}`,
  }),
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      const axis = r.get('axis');
      if (Array.isArray(axis) && axis.length !== 1) r.fail('keras-option-unsupported', `${c}: normalizing over several axes (${JSON.stringify(axis)}) is not supported; one axis only.`);
      if (r.get('rmsScaling') === true) r.fail('keras-option-unsupported', `${c}: rms_scaling is not supported.`);
      return {
        axis: Array.isArray(axis) && axis.length === 1 ? (axis[0] as number) : r.int('axis', -1),
        epsilon: r.num('epsilon', 1e-3),
        center: r.bool('center', true),
        scale: r.bool('scale', true),
      };
    }),
  keras: (p) => ({ className: 'LayerNormalization', config: { axis: p.axis, epsilon: p.epsilon, center: p.center, scale: p.scale } }),
});
