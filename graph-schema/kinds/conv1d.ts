import { defineLayer } from '../layer-def';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames, isProblem, paddingParam } from './common';
import { readSingle, requireSequence, windowOutput1d, windowText1d } from './sequence-common';
import { channelsOf } from './worked-text';

export const conv1dLayer = defineLayer({
  kind: 'Conv1D',
  label: 'Conv 1D',
  category: 'convolution',
  summary: 'Slides learned filters along a sequence (steps × channels); each filter produces one output channel.',
  formulas: {
    output: 'valid: floor((n − d·(k−1) − 1) / s) + 1; same: ceil(n / s)',
    params: 'k · Cin · filters + filters (bias)',
  },
  params: defineParams({
    filters: { type: 'int', default: 32, min: 1, max: 65536, label: 'Filters', help: 'Number of output channels.' },
    kernelSize: { type: 'int', default: 3, min: 1, max: 1024, label: 'Kernel size', unit: 'steps' },
    strides: { type: 'int', default: 1, min: 1, max: 1024, label: 'Strides', unit: 'steps' },
    padding: paddingParam,
    dilationRate: { type: 'int', default: 1, min: 1, max: 1024, label: 'Dilation', help: 'Spacing between kernel taps; cannot be combined with strides > 1.' },
    activation: { type: 'enum', options: activationNames, default: 'linear', label: 'Activation' },
    useBias: { type: 'bool', default: true, label: 'Use bias' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    `${p.filters} @ ${p.kernelSize}${p.strides > 1 ? `, s${p.strides}` : ''}, ${p.padding}${p.dilationRate > 1 ? `, d${p.dilationRate}` : ''}${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  validate: (p) =>
    p.strides > 1 && p.dilationRate > 1
      ? { code: 'param-out-of-range', param: 'dilationRate', message: 'Conv 1D cannot combine strides > 1 with dilation > 1 (Keras refuses it). Set one of them to 1.' }
      : null,
  inferShape: ([input], p) => {
    const seq = requireSequence('Conv 1D', input!);
    if (isProblem(seq)) return { problem: seq };
    const steps = windowOutput1d('Conv 1D', seq.steps, p.kernelSize, p.strides, p.padding, p.dilationRate, 'kernelSize');
    if (typeof steps !== 'number') return { problem: steps };
    return { shape: [null, steps, p.filters] };
  },
  paramCount: ([input], p) => ({ trainable: p.kernelSize * (input![2] as number) * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 }),
  macs: ([input], p, out) => (out[1] as number) * p.filters * p.kernelSize * (input![2] as number),
  tfjsFactory: 'conv1d',
  initializers: { kernelInitializer: 'glorotUniform' },
  worked: ({ input, params: p, count, fmt }) => ({
    output: windowText1d(input[1], p.kernelSize, p.strides, p.padding, p.dilationRate),
    params: `${p.kernelSize} · ${channelsOf(input)} · ${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${fmt(count.trainable + count.nonTrainable)}`,
  }),
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      r.channelsLast();
      if (r.int('groups', 1) !== 1) r.fail('keras-option-unsupported', `${c}: groups > 1 (grouped convolution) is not supported.`);
      return {
        filters: r.int('filters', 32),
        kernelSize: readSingle(r, 'kernelSize', 3),
        strides: readSingle(r, 'strides', 1),
        // 'causal' (left padding only) is not offered: the choice names it in the problem.
        padding: r.choice('padding', ['valid', 'same'], 'valid'),
        dilationRate: readSingle(r, 'dilationRate', 1),
        activation: r.activation(),
        useBias: r.bool('useBias', true),
      };
    }),
  // Keras and TensorFlow.js keep the 1-D sizes as one-element tuples.
  keras: (p) => ({
    className: 'Conv1D',
    config: {
      filters: p.filters,
      kernelSize: [p.kernelSize],
      strides: [p.strides],
      padding: p.padding,
      dilationRate: [p.dilationRate],
      activation: p.activation,
      useBias: p.useBias,
    },
  }),
});
