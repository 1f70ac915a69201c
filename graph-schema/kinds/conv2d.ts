import { defineLayer } from '../layer-def';
import { readConvWindow, readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames, isProblem, pair, paddingParam, requireImage, strideDilationProblem, windowOutput } from './common';
import { channelsOf, windowText } from './worked-text';

export const conv2dParams = defineParams({
  filters: { type: 'int', default: 32, min: 1, max: 65536, label: 'Filters', help: 'Number of output channels.' },
  kernelSize: { type: 'int2', default: [3, 3], min: 1, max: 64, label: 'Kernel size', unit: 'px' },
  strides: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Strides', unit: 'px' },
  padding: paddingParam,
  dilationRate: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Dilation', help: 'Spacing between kernel taps; cannot be combined with strides > 1.' },
  activation: { type: 'enum', options: activationNames, default: 'linear', label: 'Activation' },
  useBias: { type: 'bool', default: true, label: 'Use bias' },
});

export const conv2dLayer = defineLayer({
  kind: 'Conv2D',
  label: 'Conv 2D',
  category: 'convolution',
  summary: 'Slides learned filters over the image; each filter produces one output channel.',
  formulas: {
    output: 'valid: floor((n − d·(k−1) − 1) / s) + 1; same: ceil(n / s)',
    params: 'kh · kw · Cin · filters + filters (bias)',
  },
  params: conv2dParams,
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    `${p.filters} @ ${p.kernelSize.join('×')}${p.strides[0] > 1 || p.strides[1] > 1 ? `, s${pair(p.strides)}` : ''}, ${p.padding}${
      p.dilationRate[0] > 1 || p.dilationRate[1] > 1 ? `, d${pair(p.dilationRate)}` : ''
    }${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  validate: (p) => strideDilationProblem('Conv 2D', p.strides, p.dilationRate),
  inferShape: ([input], p) => {
    const img = requireImage('Conv 2D', input!);
    if (isProblem(img)) return { problem: img };
    const out = windowOutput('Conv 2D', img, p.kernelSize, p.strides, p.padding, p.dilationRate);
    if (isProblem(out)) return { problem: out };
    return { shape: [null, out.oh, out.ow, p.filters] };
  },
  paramCount: ([input], p) => {
    const cin = input![3] as number;
    const weights = p.kernelSize[0] * p.kernelSize[1] * cin * p.filters;
    return { trainable: weights + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  macs: ([input], p, out) => (out[1] as number) * (out[2] as number) * p.filters * p.kernelSize[0] * p.kernelSize[1] * (input![3] as number),
  tfjsFactory: 'conv2d',
  initializers: { kernelInitializer: 'glorotUniform' },
  worked: ({ input, params: p, count, fmt }) => ({
    output: windowText(input, p.kernelSize, p.strides, p.padding, p.dilationRate),
    params: `${p.kernelSize[0]} · ${p.kernelSize[1]} · ${channelsOf(input)} · ${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${fmt(count.trainable + count.nonTrainable)}`,
  }),
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      if (r.int('groups', 1) !== 1) r.fail('keras-option-unsupported', `${c}: groups > 1 (grouped convolution) is not supported.`);
      return { filters: r.int('filters', 32), ...readConvWindow(r) };
    }),
  keras: (p) => ({
    className: 'Conv2D',
    config: {
      filters: p.filters,
      kernelSize: p.kernelSize,
      strides: p.strides,
      padding: p.padding,
      dilationRate: p.dilationRate,
      activation: p.activation,
      useBias: p.useBias,
    },
  }),
});
