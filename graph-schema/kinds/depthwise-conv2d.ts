import { defineLayer } from '../layer-def';
import { readConvWindow, readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames, isProblem, pair, paddingParam, requireImage, strideDilationProblem, windowOutput } from './common';
import { channelsOf, windowText } from './worked-text';

export const depthwiseConv2dLayer = defineLayer({
  kind: 'DepthwiseConv2D',
  label: 'Depthwise Conv 2D',
  category: 'convolution',
  summary: 'Filters each input channel on its own (no mixing across channels): far fewer weights than a full convolution.',
  formulas: {
    output: 'valid: floor((n − d·(k−1) − 1) / s) + 1; same: ceil(n / s); channels Cin · depthMultiplier',
    params: 'kh · kw · Cin · depthMultiplier + Cin · depthMultiplier (bias)',
  },
  params: defineParams({
    kernelSize: { type: 'int2', default: [3, 3], min: 1, max: 64, label: 'Kernel size', unit: 'px' },
    strides: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Strides', unit: 'px' },
    padding: paddingParam,
    depthMultiplier: {
      type: 'int',
      default: 1,
      min: 1,
      max: 1024,
      label: 'Depth multiplier',
      help: 'Filters per input channel; the output has Cin × this many channels.',
    },
    dilationRate: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Dilation', help: 'Spacing between kernel taps; cannot be combined with strides > 1.' },
    activation: { type: 'enum', options: activationNames, default: 'linear', label: 'Activation' },
    useBias: { type: 'bool', default: true, label: 'Use bias' },
  }),
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    `${p.kernelSize.join('×')}${p.depthMultiplier > 1 ? ` ×${p.depthMultiplier}` : ''}${p.strides[0] > 1 || p.strides[1] > 1 ? `, s${pair(p.strides)}` : ''}, ${p.padding}${
      p.dilationRate[0] > 1 || p.dilationRate[1] > 1 ? `, d${pair(p.dilationRate)}` : ''
    }${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  validate: (p) => strideDilationProblem('Depthwise Conv 2D', p.strides, p.dilationRate),
  inferShape: ([input], p) => {
    const img = requireImage('Depthwise Conv 2D', input!);
    if (isProblem(img)) return { problem: img };
    const out = windowOutput('Depthwise Conv 2D', img, p.kernelSize, p.strides, p.padding, p.dilationRate);
    if (isProblem(out)) return { problem: out };
    return { shape: [null, out.oh, out.ow, img.c * p.depthMultiplier] };
  },
  paramCount: ([input], p) => {
    const channels = (input![3] as number) * p.depthMultiplier;
    return { trainable: p.kernelSize[0] * p.kernelSize[1] * channels + (p.useBias ? channels : 0), nonTrainable: 0 };
  },
  macs: (_inputs, p, out) => (out[1] as number) * (out[2] as number) * (out[3] as number) * p.kernelSize[0] * p.kernelSize[1],
  tfjsFactory: 'depthwiseConv2d',
  initializers: { depthwiseInitializer: 'glorotUniform' },
  worked: ({ input, params: p, count, fmt }) => {
    const cin = channelsOf(input);
    const m = p.depthMultiplier;
    return {
      output: windowText(input, p.kernelSize, p.strides, p.padding, p.dilationRate),
      params: `${p.kernelSize[0]} · ${p.kernelSize[1]} · ${cin} · ${m}${p.useBias ? ` + ${cin} · ${m}` : ''} = ${fmt(count.trainable + count.nonTrainable)}`,
    };
  },
  fromKeras: (c, config) => readKeras(c, config, (r) => ({ depthMultiplier: r.int('depthMultiplier', 1), ...readConvWindow(r) })),
  keras: (p) => ({
    className: 'DepthwiseConv2D',
    config: {
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
