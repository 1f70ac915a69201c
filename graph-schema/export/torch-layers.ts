import { samePadding } from '../shape';
import type { ExportLayer } from './export-model';
import { pyLiteral } from './literals';
import type { ActivationTable, TargetTable } from '../target-table';
import { activationEntry, expands, isUnsupported, translationFor } from '../target-table';
import type { TorchWeightEntry } from './torch-weights-plan';
import { embeddingPlan, gaussianNoisePlan, layerNormPlan, preluPlan, spatialDropout2dPlan } from './torch-misc';
import { conv1dPlan, conv2dTransposePlan, cropping2dPlan, globalPooling1dPlan, pooling1dPlan, upSampling2dPlan } from './torch-spatial';

/**
 * Tensors of rank 4 live channels-first inside the PyTorch module ("nchw")
 * where a convolution or pooling needs them; everything else keeps the
 * app's channels-last order ("native").
 */
export type Layout = 'nchw' | 'native';

export interface TorchInput {
  variable: string;
  layout: Layout;
}

export interface TorchLayerPlan {
  /** Statements of __init__ without indentation, e.g. `self.conv1 = nn.Conv2d(1, 6, (5, 5))`. */
  init: string[];
  /** The layout the inputs must be in; 'any' keeps the first input's. */
  inputLayout: Layout | 'any';
  /** Comment lines before the forward statement, then the expression of the layer's output. */
  forward(inputs: TorchInput[]): { comments: string[]; expression: string; layout: Layout };
  weights: TorchWeightEntry[];
}

type Pair = [number, number];

/** Each named activation in PyTorch; softmax runs over the channel axis, which is axis 1 in channels-first tensors. */
export const torchActivations: ActivationTable<(expression: string, layout: Layout) => string> = {
  linear: (x) => x,
  relu: (x) => `F.relu(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
  elu: (x) => `F.elu(${x})`,
  selu: (x) => `F.selu(${x})`,
  softmax: (x, layout) => `F.softmax(${x}, dim=${layout === 'nchw' ? 1 : -1})`,
  // Keras' swish is x · sigmoid(x), which PyTorch calls SiLU.
  swish: (x) => `F.silu(${x})`,
  relu6: (x) => `F.relu6(${x})`,
  // Keras 3's gelu defaults to the exact erf form, as does F.gelu.
  gelu: (x) => `F.gelu(${x})`,
  // Keras 3: relu6(x + 3) / 6 and x · relu6(x + 3) / 6, PyTorch's hardsigmoid and hardswish.
  hard_sigmoid: (x) => `F.hardsigmoid(${x})`,
  hard_swish: (x) => `F.hardswish(${x})`,
  softplus: (x) => `F.softplus(${x})`,
  softsign: (x) => `F.softsign(${x})`,
  mish: (x) => `F.mish(${x})`,
};

/** Applies a Keras activation (the export gate has refused those without a translation). */
export function activate(expression: string, activation: string, layout: Layout): string {
  const entry = activationEntry(torchActivations, activation);
  if (isUnsupported(entry)) throw new Error(`No PyTorch translation for activation ${activation}: ${entry.unsupported}`);
  return entry(expression, layout);
}

/** Padding of a window op in Keras terms: symmetric padding goes into the module, the rest into F.pad. */
interface WindowPadding {
  /** (top/bottom, left/right) for the PyTorch module, when symmetric. */
  symmetric: Pair;
  /** (left, right, top, bottom) for F.pad when Keras pads one more at the bottom/right. */
  explicit: [number, number, number, number] | null;
}

function windowPadding(layer: ExportLayer, kernel: Pair, strides: Pair, dilation: Pair = [1, 1]): WindowPadding {
  if (layer.params.padding !== 'same') return { symmetric: [0, 0], explicit: null };
  const input = layer.inputShapes[0]!;
  const rows = samePadding(input[1] as number, kernel[0], strides[0], dilation[0]);
  const cols = samePadding(input[2] as number, kernel[1], strides[1], dilation[1]);
  if (rows.before === rows.after && cols.before === cols.after) return { symmetric: [rows.before, cols.before], explicit: null };
  return { symmetric: [0, 0], explicit: [cols.before, cols.after, rows.before, rows.after] };
}

const asymmetricNote = "Keras 'same' padding puts the odd extra row/column at the bottom/right: pad explicitly.";

function kwargs(entries: [string, unknown, unknown][]): string {
  // [name, value, default]: arguments equal to PyTorch's default are left out.
  return entries
    .filter(([, value, fallback]) => JSON.stringify(value) !== JSON.stringify(fallback))
    .map(([name, value]) => `, ${name}=${pyLiteral(value)}`)
    .join('');
}

function convModule(inChannels: number, outChannels: number, kernel: Pair, strides: Pair, padding: Pair, dilation: Pair, groups: number, bias: boolean): string {
  return `nn.Conv2d(${inChannels}, ${outChannels}, kernel_size=${pyLiteral(kernel)}${kwargs([
    ['stride', strides, [1, 1]],
    ['padding', padding, [0, 0]],
    ['dilation', dilation, [1, 1]],
    ['groups', groups, 1],
    ['bias', bias, true],
  ])})`;
}

function padded(input: string, padding: WindowPadding, value?: string): string {
  if (!padding.explicit) return input;
  return `F.pad(${input}, ${pyLiteral(padding.explicit)}${value ? `, value=${value}` : ''})`;
}

/** A Conv2D or DepthwiseConv2D: one nn.Conv2d (grouped for depthwise), Keras 'same' padding made explicit where it is uneven. */
function singleConvPlan(
  layer: ExportLayer,
  attribute: (base: string) => string,
  { p, channelsIn, kernelOf }: TorchLayerContext,
  conv: { outChannels: number; groups: number; kernel: 'kernel' | 'depthwise_kernel'; layout: 'conv-kernel' | 'depthwise-kernel'; note?: string },
): TorchLayerPlan {
  const name = attribute(layer.variable);
  const padding = windowPadding(layer, kernelOf('kernelSize'), kernelOf('strides'), kernelOf('dilationRate'));
  const bias = p.useBias as boolean;
  return {
    init: [
      ...(conv.note ? [conv.note] : []),
      `self.${name} = ${convModule(channelsIn, conv.outChannels, kernelOf('kernelSize'), kernelOf('strides'), padding.symmetric, kernelOf('dilationRate'), conv.groups, bias)}`,
    ],
    inputLayout: 'nchw',
    forward: ([x]) => ({
      comments: padding.explicit ? [asymmetricNote] : [],
      expression: activate(`self.${name}(${padded(x!.variable, padding)})`, p.activation as string, 'nchw'),
      layout: 'nchw',
    }),
    weights: [
      { layer: layer.name, weight: conv.kernel, key: `${name}.weight`, layout: conv.layout },
      ...(bias ? [{ layer: layer.name, weight: 'bias' as const, key: `${name}.bias`, layout: 'as-is' as const }] : []),
    ],
  };
}

/** What every PyTorch translation needs of its layer. */
export interface TorchLayerContext {
  p: ExportLayer['params'];
  inShape: readonly (number | null)[];
  rank: number;
  channelsIn: number;
  kernelOf(key: string): Pair;
}

/** The PyTorch translation of one primitive layer. `attribute` hands out unique submodule names (the first call gets the layer's own variable name). */
export type TorchTranslate = (layer: ExportLayer, attribute: (base: string) => string, c: TorchLayerContext) => TorchLayerPlan;

/** The PyTorch export target: each kind's translation, `expands` for blocks, or `unsupported(reason)`. */
export const torchTable: TargetTable<TorchTranslate> = {
  // The module's forward() takes the inputs as arguments: nothing to build.
  Input: () => ({ init: [], inputLayout: 'native', forward: ([x]) => ({ comments: [], expression: x!.variable, layout: 'native' }), weights: [] }),
  Conv2DTranspose: conv2dTransposePlan,
  GlobalMaxPooling1D: globalPooling1dPlan('amax'),
  GlobalAveragePooling1D: globalPooling1dPlan('mean'),
  AveragePooling1D: pooling1dPlan('average'),
  MaxPooling1D: pooling1dPlan('max'),
  Cropping2D: cropping2dPlan,
  UpSampling2D: upSampling2dPlan,
  Conv1D: conv1dPlan,
  Conv2D: (layer, attribute, c) => singleConvPlan(layer, attribute, c, { outChannels: c.p.filters as number, groups: 1, kernel: 'kernel', layout: 'conv-kernel' }),
  DepthwiseConv2D: (layer, attribute, c) =>
    singleConvPlan(layer, attribute, c, {
      outChannels: c.channelsIn * (c.p.depthMultiplier as number),
      groups: c.channelsIn,
      kernel: 'depthwise_kernel',
      layout: 'depthwise-kernel',
      note: `# Depthwise: one group per input channel, ${c.p.depthMultiplier} filter(s) each.`,
    }),
  SeparableConv2D: (layer, attribute, { p, channelsIn, kernelOf }) => {
    const depthwise = attribute(`${layer.variable}_depthwise`);
    const pointwise = attribute(`${layer.variable}_pointwise`);
    const padding = windowPadding(layer, kernelOf('kernelSize'), kernelOf('strides'), kernelOf('dilationRate'));
    const bias = p.useBias as boolean;
    const middle = channelsIn * (p.depthMultiplier as number);
    return {
      init: [
        '# Separable: a depthwise convolution without bias, then a 1×1 convolution that mixes the channels.',
        `self.${depthwise} = ${convModule(channelsIn, middle, kernelOf('kernelSize'), kernelOf('strides'), padding.symmetric, kernelOf('dilationRate'), channelsIn, false)}`,
        `self.${pointwise} = ${convModule(middle, p.filters as number, [1, 1], [1, 1], [0, 0], [1, 1], 1, bias)}`,
      ],
      inputLayout: 'nchw',
      forward: ([x]) => ({
        comments: padding.explicit ? [asymmetricNote] : [],
        expression: activate(`self.${pointwise}(self.${depthwise}(${padded(x!.variable, padding)}))`, p.activation as string, 'nchw'),
        layout: 'nchw',
      }),
      weights: [
        { layer: layer.name, weight: 'depthwise_kernel', key: `${depthwise}.weight`, layout: 'depthwise-kernel' },
        { layer: layer.name, weight: 'pointwise_kernel', key: `${pointwise}.weight`, layout: 'conv-kernel' },
        ...(bias ? [{ layer: layer.name, weight: 'bias' as const, key: `${pointwise}.bias`, layout: 'as-is' as const }] : []),
      ],
    };
  },
  MaxPooling2D: (layer, attribute, { kernelOf }) => {
    const name = attribute(layer.variable);
    const padding = windowPadding(layer, kernelOf('poolSize'), kernelOf('strides'));
    return {
      init: [`self.${name} = nn.MaxPool2d(${pyLiteral(kernelOf('poolSize'))}, stride=${pyLiteral(kernelOf('strides'))}${kwargs([['padding', padding.symmetric, [0, 0]]])})`],
      inputLayout: 'nchw',
      forward: ([x]) => ({
        comments: padding.explicit ? [`${asymmetricNote} Max pooling pads with -inf, so padding never wins.`] : [],
        expression: `self.${name}(${padded(x!.variable, padding, 'float("-inf")')})`,
        layout: 'nchw',
      }),
      weights: [],
    };
  },
  AveragePooling2D: (layer, attribute, { kernelOf }) => {
    const name = attribute(layer.variable);
    const padding = windowPadding(layer, kernelOf('poolSize'), kernelOf('strides'));
    const symmetricPadded = padding.symmetric[0] > 0 || padding.symmetric[1] > 0;
    // Keras averages over the cells inside the image only, never over padding.
    const exclude = symmetricPadded ? ', count_include_pad=False' : '';
    return {
      init: [`self.${name} = nn.AvgPool2d(${pyLiteral(kernelOf('poolSize'))}, stride=${pyLiteral(kernelOf('strides'))}${kwargs([['padding', padding.symmetric, [0, 0]]])}${exclude})`],
      inputLayout: 'nchw',
      forward: ([x]) => {
        if (!padding.explicit) return { comments: [], expression: `self.${name}(${x!.variable})`, layout: 'nchw' };
        const ones = `F.pad(torch.ones_like(${x!.variable}[:1, :1]), ${pyLiteral(padding.explicit)})`;
        return {
          comments: [asymmetricNote, 'Keras averages over the cells inside the image only: divide the zero-padded sums by the share of real cells.'],
          expression: `self.${name}(${padded(x!.variable, padding)}) / self.${name}(${ones})`,
          layout: 'nchw',
        };
      },
      weights: [],
    };
  },
  GlobalAveragePooling2D: () => {
    return { init: [], inputLayout: 'nchw', forward: ([x]) => ({ comments: [], expression: `${x!.variable}.mean(dim=(2, 3))`, layout: 'native' }), weights: [] };
  },
  GlobalMaxPooling2D: () => {
    return { init: [], inputLayout: 'nchw', forward: ([x]) => ({ comments: [], expression: `${x!.variable}.amax(dim=(2, 3))`, layout: 'native' }), weights: [] };
  },
  ZeroPadding2D: (layer, attribute, { p }) => {
    const [top, bottom] = p.heightPadding as Pair;
    const [left, right] = p.widthPadding as Pair;
    return {
      init: [],
      inputLayout: 'nchw',
      forward: ([x]) => ({ comments: [], expression: `F.pad(${x!.variable}, ${pyLiteral([left, right, top, bottom])})`, layout: 'nchw' }),
      weights: [],
    };
  },
  Dense: (layer, attribute, { p, channelsIn }) => {
    const name = attribute(layer.variable);
    const bias = p.useBias as boolean;
    return {
      init: [`self.${name} = nn.Linear(${channelsIn}, ${p.units}${bias ? '' : ', bias=False'})`],
      inputLayout: 'native',
      forward: ([x]) => ({ comments: [], expression: activate(`self.${name}(${x!.variable})`, p.activation as string, 'native'), layout: 'native' }),
      weights: [
        { layer: layer.name, weight: 'kernel', key: `${name}.weight`, layout: 'dense-kernel' },
        ...(bias ? [{ layer: layer.name, weight: 'bias' as const, key: `${name}.bias`, layout: 'as-is' as const }] : []),
      ],
    };
  },
  Flatten: (layer, attribute, { inShape }) => {
    return {
      init: [],
      inputLayout: 'native',
      forward: ([x]) => ({
        comments: inShape.length === 4 ? ['Flatten in channels-last order, as Keras does, so the next layer sees the same vector.'] : [],
        expression: `torch.flatten(${x!.variable}, 1)`,
        layout: 'native',
      }),
      weights: [],
    };
  },
  Reshape: (layer) => {
    return {
      init: [],
      inputLayout: 'native',
      forward: ([x]) => ({
        comments: [],
        expression: `${x!.variable}.reshape(${x!.variable}.shape[0], ${layer.outputShape.slice(1).join(', ')})`,
        layout: 'native',
      }),
      weights: [],
    };
  },
  Dropout: (layer, attribute, { p }) => {
    const name = attribute(layer.variable);
    return {
      init: [`self.${name} = nn.Dropout(p=${p.rate})`],
      inputLayout: 'any',
      forward: ([x]) => ({ comments: [], expression: `self.${name}(${x!.variable})`, layout: x!.layout }),
      weights: [],
    };
  },
  Activation: (layer, attribute, { p }) => {
    return {
      init: [],
      inputLayout: 'any',
      forward: ([x]) => ({ comments: [], expression: activate(x!.variable, p.activation as string, x!.layout), layout: x!.layout }),
      weights: [],
    };
  },
  Add: (layer, attribute, { rank }) => {
    return {
      init: [],
      inputLayout: rank === 4 ? 'nchw' : 'native',
      forward: (xs) => ({ comments: [], expression: xs.map((x) => x.variable).join(' + '), layout: rank === 4 ? 'nchw' : 'native' }),
      weights: [],
    };
  },
  Concatenate: (layer, attribute, { p, rank }) => {
    const axis = (p.axis as number) < 0 ? rank + (p.axis as number) : (p.axis as number);
    // Channels-last axis → channels-first axis for image tensors.
    const dim = rank === 4 ? ([0, 2, 3, 1][axis] as number) : axis;
    return {
      init: [],
      inputLayout: rank === 4 ? 'nchw' : 'native',
      forward: (xs) => ({ comments: [], expression: `torch.cat([${xs.map((x) => x.variable).join(', ')}], dim=${dim})`, layout: rank === 4 ? 'nchw' : 'native' }),
      weights: [],
    };
  },
  Subtract: (layer, attribute, c) => mergePlan(c, (xs) => `${xs[0]} - ${xs[1]}`),
  Multiply: (layer, attribute, c) => mergePlan(c, (xs) => xs.join(' * ')),
  Average: (layer, attribute, c) => mergePlan(c, (xs) => `(${xs.join(' + ')}) / ${xs.length}`),
  Maximum: (layer, attribute, c) => mergePlan(c, (xs) => xs.slice(1).reduce((a, x) => `torch.maximum(${a}, ${x})`, xs[0]!)),
  Minimum: (layer, attribute, c) => mergePlan(c, (xs) => xs.slice(1).reduce((a, x) => `torch.minimum(${a}, ${x})`, xs[0]!)),
  ReLU: (layer, attribute, { p }) => elementwisePlan((x) => kerasReluExpression(x, p.maxValue as number, p.negativeSlope as number, p.threshold as number)),
  LeakyReLU: (layer, attribute, { p }) => elementwisePlan((x) => `F.leaky_relu(${x}, negative_slope=${pyLiteral(p.negativeSlope)})`),
  ELU: (layer, attribute, { p }) => elementwisePlan((x) => `F.elu(${x}, alpha=${pyLiteral(p.alpha)})`),
  Rescaling: (layer, attribute, { p }) => elementwisePlan((x) => `${x} * ${pyLiteral(p.scale)}${(p.offset as number) !== 0 ? ` + ${pyLiteral(p.offset)}` : ''}`),
  Softmax: (layer, attribute, { p, rank }) => {
    const axis = (p.axis as number) < 0 ? rank + (p.axis as number) : (p.axis as number);
    return { init: [], inputLayout: 'native', forward: ([x]) => ({ comments: [], expression: `F.softmax(${x!.variable}, dim=${axis})`, layout: 'native' }), weights: [] };
  },
  Permute: (layer, attribute, { p }) => ({
    init: [],
    inputLayout: 'native',
    forward: ([x]) => ({ comments: [], expression: `${x!.variable}.permute(0, ${(p.dims as number[]).join(', ')})`, layout: 'native' }),
    weights: [],
  }),
  RepeatVector: (layer, attribute, { p }) => ({
    init: [],
    inputLayout: 'native',
    forward: ([x]) => ({ comments: [], expression: `${x!.variable}.unsqueeze(1).repeat(1, ${p.n}, 1)`, layout: 'native' }),
    weights: [],
  }),
  PReLU: preluPlan,
  LayerNormalization: layerNormPlan,
  Embedding: embeddingPlan,
  GaussianNoise: gaussianNoisePlan,
  SpatialDropout2D: spatialDropout2dPlan,
  BatchNormalization: (layer, attribute) => {
    return batchNormPlan(layer, attribute);
  },
  InceptionBlock: expands,
  ResidualBlock: expands,
  InvertedResidualBlock: expands,
  DenseBlock: expands,
  TransitionBlock: expands,
};

/** An element-wise merge of same-shaped inputs, in channels-first order for images. */
function mergePlan({ rank }: TorchLayerContext, combine: (inputs: string[]) => string): TorchLayerPlan {
  const layout: Layout = rank === 4 ? 'nchw' : 'native';
  return { init: [], inputLayout: layout, forward: (xs) => ({ comments: [], expression: combine(xs.map((x) => x.variable)), layout }), weights: [] };
}

/** A function of each value alone: any layout will do. */
function elementwisePlan(apply: (x: string) => string): TorchLayerPlan {
  return { init: [], inputLayout: 'any', forward: ([x]) => ({ comments: [], expression: apply(x!.variable), layout: x!.layout }), weights: [] };
}

/** Keras' ReLU: x from the threshold up (capped at max_value when it is > 0), negative_slope · (x − threshold) below. */
function kerasReluExpression(x: string, maxValue: number, negativeSlope: number, threshold: number): string {
  if (negativeSlope === 0 && threshold === 0) return maxValue === 6 ? `F.relu6(${x})` : maxValue > 0 ? `torch.clamp(${x}, 0, ${pyLiteral(maxValue)})` : `F.relu(${x})`;
  const below = negativeSlope === 0 ? `torch.zeros_like(${x})` : `${pyLiteral(negativeSlope)} * (${x} - ${pyLiteral(threshold)})`;
  const piecewise = `torch.where(${x} >= ${pyLiteral(threshold)}, ${x}, ${below})`;
  return maxValue > 0 ? `torch.clamp(${piecewise}, max=${pyLiteral(maxValue)})` : piecewise;
}

/** The PyTorch translation of one primitive layer (the export gate has refused kinds without one). */
export function torchLayerPlan(layer: ExportLayer, attribute: (base: string) => string): TorchLayerPlan {
  const translate = translationFor(torchTable, layer.kind);
  if (!translate) throw new Error(`No PyTorch translation for ${layer.kind}`);
  const inShape = layer.inputShapes[0] ?? [];
  const c: TorchLayerContext = {
    p: layer.params,
    inShape,
    rank: layer.outputShape.length,
    channelsIn: inShape[inShape.length - 1] as number,
    kernelOf: (key) => layer.params[key] as Pair,
  };
  return translate(layer, attribute, c);
}

function roundedMomentum(kerasMomentum: number): number {
  return Number((1 - kerasMomentum).toPrecision(12));
}

/**
 * Keras batch norm → nn.BatchNorm{1,2,3}d. PyTorch's momentum weighs the new
 * batch (1 − Keras momentum). PyTorch has one `affine` switch for γ and β
 * together; with only one of Keras' center/scale, the other is a plain
 * parameter so the counts stay equal.
 */
function batchNormPlan(layer: ExportLayer, attribute: (base: string) => string): TorchLayerPlan {
  const p = layer.params;
  const rank = layer.outputShape.length;
  const axis = (p.axis as number) < 0 ? rank + (p.axis as number) : (p.axis as number);
  const channels = layer.outputShape[axis] as number;
  const name = attribute(layer.variable);
  const center = p.center as boolean;
  const scale = p.scale as boolean;
  const affine = center && scale;
  const gamma = scale && !affine ? attribute(`${layer.variable}_gamma`) : null;
  const beta = center && !affine ? attribute(`${layer.variable}_beta`) : null;
  const channelsFirst = rank === 4 && axis === 3;
  // Tensor rank → PyTorch class; the feature axis must be axis 1.
  const moduleClass = rank <= 3 ? 'BatchNorm1d' : rank === 4 ? 'BatchNorm2d' : 'BatchNorm3d';
  const init = [
    `self.${name} = nn.${moduleClass}(${channels}, eps=${p.epsilon}, momentum=${roundedMomentum(p.momentum as number)}${affine ? '' : ', affine=False'})`,
    ...(gamma ? [`self.${gamma} = nn.Parameter(torch.ones(${channels}))`] : []),
    ...(beta ? [`self.${beta} = nn.Parameter(torch.zeros(${channels}))`] : []),
  ];
  const view = `.view(1, -1${', 1'.repeat(Math.max(rank - 2, 0))})`;
  const weights: TorchWeightEntry[] = [];
  if (scale) weights.push({ layer: layer.name, weight: 'gamma', key: gamma ?? `${name}.weight`, layout: 'as-is' });
  if (center) weights.push({ layer: layer.name, weight: 'beta', key: beta ?? `${name}.bias`, layout: 'as-is' });
  weights.push({ layer: layer.name, weight: 'moving_mean', key: `${name}.running_mean`, layout: 'as-is' });
  weights.push({ layer: layer.name, weight: 'moving_variance', key: `${name}.running_var`, layout: 'as-is' });
  const moved = !channelsFirst && axis !== 1;
  return {
    init,
    inputLayout: channelsFirst ? 'nchw' : 'native',
    forward: ([x]) => {
      let expression = `self.${name}(${moved ? `${x!.variable}.movedim(${axis}, 1)` : x!.variable})`;
      if (gamma) expression = `${expression} * self.${gamma}${view}`;
      if (beta) expression = `${expression} + self.${beta}${view}`;
      if (moved) expression = `(${expression}).movedim(1, ${axis})`;
      return { comments: moved ? [`Keras normalizes axis ${axis}; PyTorch normalizes axis 1.`] : [], expression, layout: channelsFirst ? 'nchw' : 'native' };
    },
    weights,
  };
}
