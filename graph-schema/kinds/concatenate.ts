import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { formatShape } from '../shape';
import { channelsOf } from './worked-text';

export const concatenateLayer = defineLayer({
  kind: 'Concatenate',
  label: 'Concatenate',
  category: 'merge',
  summary: 'Joins its inputs along one axis (channels by default), as in an Inception module.',
  formulas: { output: 'sum of the sizes on the axis; all other axes equal' },
  params: defineParams({
    axis: { type: 'int', default: -1, min: -4, max: 3, label: 'Axis', help: '-1 is the last (channel) axis; 0 is the batch axis and cannot be used.' },
  }),
  inputs: { min: 2, max: 64 },
  describe: (p) => (p.axis === -1 ? '' : `axis ${p.axis}`),
  inferShape: (inputs, p) => {
    const rank = inputs[0]!.length;
    const axis = p.axis < 0 ? rank + p.axis : p.axis;
    if (axis <= 0 || axis >= rank) {
      return { problem: { code: 'param-out-of-range', param: 'axis', message: `Concatenate axis ${p.axis} is not a feature axis of a rank-${rank} tensor. Use -1 for channels.` } };
    }
    let total = 0;
    for (const shape of inputs) {
      const ok = shape.length === rank && shape.every((d, i) => i === axis || d === inputs[0]![i]);
      if (!ok) {
        return {
          problem: {
            code: 'concat-mismatch',
            message: `Concatenate on axis ${p.axis} needs equal shapes on every other axis, got ${inputs.map(formatShape).join(' and ')}. Resize or pad the branches to match.`,
          },
        };
      }
      total += shape[axis] as number;
    }
    const out = [...inputs[0]!];
    out[axis] = total;
    return { shape: out };
  },
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  macs: () => 0,
  tfjsFactory: 'concatenate',
  worked: ({ inputs, output }) => ({ output: `channels ${inputs.map((s) => (s ? channelsOf(s) : '?')).join(' + ')} = ${channelsOf(output)}` }),
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ axis: r.int('axis', -1) })),
  keras: (p) => ({ className: 'Concatenate', config: { axis: p.axis } }),
});
