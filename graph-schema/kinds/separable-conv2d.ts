import { defineLayer } from '../layer-def';
import { readConvWindow, readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames, isProblem, pair, paddingParam, requireImage, strideDilationProblem, windowOutput } from './common';
import { channelsOf, windowText } from './worked-text';

export const separableConv2dLayer = defineLayer({
  kind: 'SeparableConv2D',
  label: 'Separable Conv 2D',
  category: 'convolution',
  summary: 'A depthwise convolution (each channel alone) followed by a 1×1 convolution that mixes channels: a cheap stand-in for Conv 2D.',
  formulas: {
    output: 'valid: floor((n − d·(k−1) − 1) / s) + 1; same: ceil(n / s); channels = filters',
    params: 'kh · kw · Cin · depthMultiplier + Cin · depthMultiplier · filters + filters (bias)',
  },
  params: defineParams({
    filters: { type: 'int', default: 32, min: 1, max: 65536, label: 'Filters', help: 'Number of output channels.' },
    kernelSize: { type: 'int2', default: [3, 3], min: 1, max: 64, label: 'Kernel size', unit: 'px' },
    strides: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Strides', unit: 'px' },
    padding: paddingParam,
    depthMultiplier: {
      type: 'int',
      default: 1,
      min: 1,
      max: 1024,
      label: 'Depth multiplier',
      help: 'Depthwise filters per input channel before the 1×1 mixing step.',
    },
    dilationRate: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Dilation', help: 'Spacing between kernel taps; cannot be combined with strides > 1.' },
    activation: { type: 'enum', options: activationNames, default: 'linear', label: 'Activation' },
    useBias: { type: 'bool', default: true, label: 'Use bias', help: 'One bias per output channel, added after the 1×1 step.' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    `${p.filters} @ ${p.kernelSize.join('×')}${p.depthMultiplier > 1 ? ` ×${p.depthMultiplier}` : ''}${p.strides[0] > 1 || p.strides[1] > 1 ? `, s${pair(p.strides)}` : ''}, ${p.padding}${
      p.dilationRate[0] > 1 || p.dilationRate[1] > 1 ? `, d${pair(p.dilationRate)}` : ''
    }${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  validate: (p) => strideDilationProblem('Separable Conv 2D', p.strides, p.dilationRate),
  inferShape: ([input], p) => {
    const img = requireImage('Separable Conv 2D', input!);
    if (isProblem(img)) return { problem: img };
    const out = windowOutput('Separable Conv 2D', img, p.kernelSize, p.strides, p.padding, p.dilationRate);
    if (isProblem(out)) return { problem: out };
    return { shape: [null, out.oh, out.ow, p.filters] };
  },
  paramCount: ([input], p) => {
    const depthwiseChannels = (input![3] as number) * p.depthMultiplier;
    const depthwise = p.kernelSize[0] * p.kernelSize[1] * depthwiseChannels;
    const pointwise = depthwiseChannels * p.filters;
    return { trainable: depthwise + pointwise + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  macs: ([input], p, out) => {
    const depthwiseChannels = (input![3] as number) * p.depthMultiplier;
    return (out[1] as number) * (out[2] as number) * depthwiseChannels * (p.kernelSize[0] * p.kernelSize[1] + p.filters);
  },
  tfjsFactory: 'separableConv2d',
  initializers: { depthwiseInitializer: 'glorotUniform', pointwiseInitializer: 'glorotUniform' },
  worked: ({ input, params: p, count, fmt }) => {
    const cin = channelsOf(input);
    const m = p.depthMultiplier;
    return {
      output: windowText(input, p.kernelSize, p.strides, p.padding, p.dilationRate),
      params: `${p.kernelSize[0]} · ${p.kernelSize[1]} · ${cin} · ${m} + ${cin} · ${m} · ${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${fmt(count.trainable + count.nonTrainable)}`,
    };
  },
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ filters: r.int('filters', 32), depthMultiplier: r.int('depthMultiplier', 1), ...readConvWindow(r) })),
  keras: (p) => ({
    className: 'SeparableConv2D',
    config: {
      filters: p.filters,
      kernelSize: [...p.kernelSize],
      strides: [...p.strides],
      padding: p.padding,
      depthMultiplier: p.depthMultiplier,
      dilationRate: [...p.dilationRate],
      activation: p.activation,
      useBias: p.useBias,
    },
  }),
});
