import type { LayerProblem } from '../diagnostics';
import { defineLayer } from '../layer-def';
import type { KerasConfigReader } from './keras-config-read';
import { readKeras } from './keras-config-read';
import { defineParams } from '../params';
import { activationNames, isProblem, pair, paddingParam, requireImage } from './common';
import { outputPaddingOf, transposeAxis } from './transpose-geometry';
import { channelsOf } from './worked-text';

export const conv2dTransposeParams = defineParams({
  filters: { type: 'int', default: 32, min: 1, max: 65536, label: 'Filters', help: 'Number of output channels.' },
  kernelSize: { type: 'int2', default: [3, 3], min: 1, max: 64, label: 'Kernel size', unit: 'px' },
  strides: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Strides', unit: 'px', help: 'How much larger the output is: 2 doubles height and width.' },
  padding: paddingParam,
  outputPadding: {
    type: 'int2',
    default: [-1, -1],
    min: -1,
    max: 63,
    label: 'Output padding',
    help: '−1, −1 lets Keras infer the size (n·s for "same"); otherwise extra rows/columns at the bottom/right, each smaller than the stride.',
  },
  dilationRate: { type: 'int2', default: [1, 1], min: 1, max: 64, label: 'Dilation', help: 'Spacing between kernel taps.' },
  activation: { type: 'enum', options: activationNames, default: 'linear', label: 'Activation' },
  useBias: { type: 'bool', default: true, label: 'Use bias' },
});

type Pair = [number, number];

function outputPaddingProblem(outputPadding: Pair, strides: Pair): LayerProblem | null {
  const [a, b] = outputPadding;
  if ((a < 0) !== (b < 0)) {
    return { code: 'param-out-of-range', param: 'outputPadding', message: 'Conv 2D Transpose: set both output paddings to −1 (inferred) or both to 0 or more.' };
  }
  if (a >= 0 && (a >= strides[0] || b >= strides[1])) {
    return {
      code: 'param-out-of-range',
      param: 'outputPadding',
      message: `Conv 2D Transpose: output padding ${pair(outputPadding)} must be smaller than the stride ${pair(strides)} (Keras refuses it). Lower it, or raise the stride.`,
    };
  }
  return null;
}

export const conv2dTransposeLayer = defineLayer({
  kind: 'Conv2DTranspose',
  label: 'Conv 2D Transpose',
  category: 'convolution',
  summary: 'A learned upsampling: each input pixel stamps a filter onto a larger output (the reverse of a strided convolution).',
  formulas: {
    output: 'valid: n·s + max(k − s, 0); same: n·s; with output padding p: (n − 1)·s + k − 2·pad + p (pad = k div 2 for same)',
    params: 'kh · kw · Cin · filters + filters (bias)',
  },
  params: conv2dTransposeParams,
  inputs: { min: 1, max: 1 },
  describe: (p) =>
    `${p.filters} @ ${p.kernelSize.join('×')}${p.strides[0] > 1 || p.strides[1] > 1 ? `, s${pair(p.strides)}` : ''}, ${p.padding}${
      p.dilationRate[0] > 1 || p.dilationRate[1] > 1 ? `, d${pair(p.dilationRate)}` : ''
    }${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  validate: (p) => outputPaddingProblem(p.outputPadding, p.strides),
  inferShape: ([input], p) => {
    const img = requireImage('Conv 2D Transpose', input!);
    if (isProblem(img)) return { problem: img };
    const op = outputPaddingOf(p.outputPadding);
    const rows = transposeAxis(img.h, p.kernelSize[0], p.strides[0], p.padding, op?.[0] ?? null, p.dilationRate[0]);
    const cols = transposeAxis(img.w, p.kernelSize[1], p.strides[1], p.padding, op?.[1] ?? null, p.dilationRate[1]);
    if (rows.out <= 0 || cols.out <= 0) {
      return {
        problem: {
          code: 'spatial-underflow',
          param: 'outputPadding',
          message: `Conv 2D Transpose: the output would be ${rows.out}×${cols.out}. Raise the output padding or use "valid" padding.`,
        },
      };
    }
    // TensorFlow computes the transpose of a 'same' convolution from this output back to the input: it must map back to n.
    if (p.padding === 'same' && (Math.ceil(rows.out / p.strides[0]) !== img.h || Math.ceil(cols.out / p.strides[1]) !== img.w)) {
      return {
        problem: {
          code: 'param-out-of-range',
          param: 'outputPadding',
          message: `Conv 2D Transpose: with an even kernel, "same" padding and output padding ${pair(p.outputPadding)} the output (${rows.out}×${cols.out}) does not stride back to the ${img.h}×${img.w} input, which TensorFlow refuses. Raise the output padding to 1, or set it to −1 (inferred).`,
        },
      };
    }
    return { shape: [null, rows.out, cols.out, p.filters] };
  },
  paramCount: ([input], p) => {
    const cin = input![3] as number;
    return { trainable: p.kernelSize[0] * p.kernelSize[1] * cin * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  // Each input cell meets every kernel tap once: h · w · kh · kw · Cin · filters.
  macs: ([input], p) => (input![1] as number) * (input![2] as number) * p.kernelSize[0] * p.kernelSize[1] * (input![3] as number) * p.filters,
  tfjsFactory: 'conv2dTranspose',
  initializers: { kernelInitializer: 'glorotUniform' },
  worked: ({ input, output, params: p, count, fmt }) => {
    const op = outputPaddingOf(p.outputPadding);
    const axis = (n: unknown, i: 0 | 1): string => {
      const [k, s, d] = [p.kernelSize[i], p.strides[i], p.dilationRate[i]];
      const kEff = d * (k - 1) + 1;
      const kText = d === 1 ? `${k}` : `${kEff}`;
      if (op) return `(${n} − 1)·${s} + ${kText}${p.padding === 'same' ? ` − 2·${Math.floor(kEff / 2)}` : ''} + ${op[i]} = ${output[i + 1]}`;
      return p.padding === 'same' ? `${n}·${s} = ${output[i + 1]}` : `${n}·${s} + max(${kText} − ${s}, 0) = ${output[i + 1]}`;
    };
    const rows = axis(input[1], 0);
    const cols = axis(input[2], 1);
    return {
      output: rows === cols ? `height = width = ${rows}` : `height = ${rows}; width = ${cols}`,
      params: `${p.kernelSize[0]} · ${p.kernelSize[1]} · ${channelsOf(input)} · ${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${fmt(count.trainable + count.nonTrainable)}`,
    };
  },
  fromKeras: (c, config) =>
    readKeras(c, config, (r) => {
      r.channelsLast();
      return {
        filters: r.int('filters', 32),
        kernelSize: r.pair('kernelSize', [3, 3]),
        strides: r.pair('strides', [1, 1]),
        padding: r.choice('padding', ['valid', 'same'], 'valid'),
        outputPadding: readOutputPadding(r),
        dilationRate: r.pair('dilationRate', [1, 1]),
        activation: r.activation(),
        useBias: r.bool('useBias', true),
      };
    }),
  keras: (p) => ({
    className: 'Conv2DTranspose',
    config: {
      filters: p.filters,
      kernelSize: p.kernelSize,
      strides: p.strides,
      padding: p.padding,
      outputPadding: outputPaddingOf(p.outputPadding),
      dilationRate: p.dilationRate,
      activation: p.activation,
      useBias: p.useBias,
    },
  }),
});

function readOutputPadding(r: KerasConfigReader): Pair {
  return r.has('outputPadding') ? r.pair('outputPadding', [0, 0]) : [-1, -1];
}
