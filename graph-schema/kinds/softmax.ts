import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';

export const softmaxLayer = defineLayer({
  kind: 'Softmax',
  label: 'Softmax',
  category: 'activation',
  summary: 'Turns the values along one axis into probabilities that sum to 1 (eˣ / Σ eˣ).',
  formulas: { output: 'same shape as the input; exp(x) / sum of exp(x) along the axis', params: '0' },
  params: defineParams({
    axis: { type: 'int', default: -1, min: -4, max: 3, label: 'Axis', help: '-1 is the last (channel or class) axis; 0 is the batch axis and cannot be used.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) => (p.axis === -1 ? '' : `axis ${p.axis}`),
  inferShape: ([input], p) => {
    const rank = input!.length;
    const axis = p.axis < 0 ? rank + p.axis : p.axis;
    if (axis < 1 || axis >= rank) {
      return { problem: { code: 'param-out-of-range', param: 'axis', message: `Softmax axis ${p.axis} is not a feature axis of a rank-${rank} tensor. Use -1 for the last axis.` } };
    }
    return { shape: input! };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'softmax',
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      const axis = r.get('axis');
      // Keras 3 may write the axis as a one-element list.
      if (Array.isArray(axis) && axis.length === 1 && Number.isInteger(axis[0])) return { axis: axis[0] as number };
      return { axis: r.int('axis', -1) };
    }),
  keras: (p) => ({ className: 'Softmax', config: { axis: p.axis } }),
});
