import { outputPaddingOf, transposeAxis } from '../kinds/transpose-geometry';
import { samePadding } from '../shape';
import type { ExportLayer } from './export-model';
import { pyLiteral } from './literals';
import type { TorchLayerContext, TorchLayerPlan } from './torch-layers';
import { activate } from './torch-layers';

/** PyTorch translations of the spatial kinds (transposed convolution, 1-D convolution and pooling, resampling, cropping). */

type Pair = [number, number];

/**
 * Conv2DTranspose → nn.ConvTranspose2d. Keras cuts the full result asymmetrically ('same' cuts the odd cell at the
 * end) and may add cells past it: the module's padding cuts the leading cells on both sides, output_padding adds
 * the missing ones at the end, and a slice drops a surplus one.
 */
export function conv2dTransposePlan(layer: ExportLayer, attribute: (base: string) => string, { p, channelsIn }: TorchLayerContext): TorchLayerPlan {
  const name = attribute(layer.variable);
  const [, h, w] = layer.inputShapes[0]! as number[];
  const kernel = p.kernelSize as Pair;
  const strides = p.strides as Pair;
  const dilation = p.dilationRate as Pair;
  const op = outputPaddingOf(p.outputPadding as Pair);
  const axes = [0, 1].map((i) =>
    transposeAxis([h!, w!][i]!, kernel[i]!, strides[i]!, p.padding as 'valid' | 'same', op?.[i] ?? null, dilation[i]!),
  );
  const padding = axes.map((a) => a.before) as Pair;
  const extra = axes.map((a) => a.out - (a.full - 2 * a.before));
  const outputPadding = extra.map((e) => Math.max(e, 0)) as Pair;
  const crop = extra.some((e) => e < 0);
  const bias = p.useBias as boolean;
  const args = [
    `kernel_size=${pyLiteral(kernel)}`,
    ...(strides.some((s) => s !== 1) ? [`stride=${pyLiteral(strides)}`] : []),
    ...(padding.some((x) => x !== 0) ? [`padding=${pyLiteral(padding)}`] : []),
    ...(outputPadding.some((x) => x !== 0) ? [`output_padding=${pyLiteral(outputPadding)}`] : []),
    ...(dilation.some((d) => d !== 1) ? [`dilation=${pyLiteral(dilation)}`] : []),
    ...(bias ? [] : ['bias=False']),
  ];
  return {
    init: [`self.${name} = nn.ConvTranspose2d(${channelsIn}, ${p.filters}, ${args.join(', ')})`],
    inputLayout: 'nchw',
    forward: ([x]) => {
      const conv = `self.${name}(${x!.variable})`;
      const cut = crop ? `${conv}[:, :, :${axes[0]!.out}, :${axes[1]!.out}]` : conv;
      return {
        comments: crop || outputPadding.some((x) => x !== 0) ? ["Keras' output size: padding cuts the leading cells, output_padding / a slice fix the end."] : [],
        expression: activate(cut, p.activation as string, 'nchw'),
        layout: 'nchw',
      };
    },
    weights: [
      // TensorFlow's [kh, kw, filters, in] moves to PyTorch's [in, filters, kh, kw]: the conv-kernel axis order.
      { layer: layer.name, weight: 'kernel', key: `${name}.weight`, layout: 'conv-kernel' },
      ...(bias ? [{ layer: layer.name, weight: 'bias' as const, key: `${name}.bias`, layout: 'as-is' as const }] : []),
    ],
  };
}

/** Keras' 'same' padding of a 1-D window: symmetric goes into the module, uneven into F.pad. */
function padding1d(layer: ExportLayer, kernel: number, stride: number, dilation = 1): { symmetric: number; explicit: [number, number] | null } {
  if (layer.params.padding !== 'same') return { symmetric: 0, explicit: null };
  const pad = samePadding(layer.inputShapes[0]![1] as number, kernel, stride, dilation);
  return pad.before === pad.after ? { symmetric: pad.before, explicit: null } : { symmetric: 0, explicit: [pad.before, pad.after] };
}

/** Conv1D → nn.Conv1d on the channels-first view of the (steps, channels) sequence, transposed back after. */
export function conv1dPlan(layer: ExportLayer, attribute: (base: string) => string, { p, channelsIn }: TorchLayerContext): TorchLayerPlan {
  const name = attribute(layer.variable);
  const [k, s, d] = [p.kernelSize as number, p.strides as number, p.dilationRate as number];
  const pad = padding1d(layer, k, s, d);
  const bias = p.useBias as boolean;
  const args = [`kernel_size=${k}`, ...(s !== 1 ? [`stride=${s}`] : []), ...(pad.symmetric ? [`padding=${pad.symmetric}`] : []), ...(d !== 1 ? [`dilation=${d}`] : []), ...(bias ? [] : ['bias=False'])];
  return {
    init: [`self.${name} = nn.Conv1d(${channelsIn}, ${p.filters}, ${args.join(', ')})`],
    inputLayout: 'native',
    forward: ([x]) => {
      const first = `${x!.variable}.transpose(1, 2)`;
      const padded = pad.explicit ? `F.pad(${first}, ${pyLiteral(pad.explicit)})` : first;
      return {
        comments: ['PyTorch convolves (channels, steps): transpose in and out.', ...(pad.explicit ? ["Keras 'same' padding puts the odd extra step at the end: pad explicitly."] : [])],
        expression: activate(`self.${name}(${padded}).transpose(1, 2)`, p.activation as string, 'native'),
        layout: 'native',
      };
    },
    weights: [
      { layer: layer.name, weight: 'kernel', key: `${name}.weight`, layout: 'conv1d-kernel' },
      ...(bias ? [{ layer: layer.name, weight: 'bias' as const, key: `${name}.bias`, layout: 'as-is' as const }] : []),
    ],
  };
}

/** UpSampling2D → F.interpolate to the output size: 'nearest' takes cell floor(i / s) as Keras' repeat does; 'bilinear' with align_corners=False is Keras' half-pixel resize. */
export function upSampling2dPlan(layer: ExportLayer): TorchLayerPlan {
  const [, oh, ow] = layer.outputShape as number[];
  const bilinear = layer.params.interpolation === 'bilinear';
  return {
    init: [],
    inputLayout: 'nchw',
    forward: ([x]) => ({
      comments: [],
      expression: `F.interpolate(${x!.variable}, size=${pyLiteral([oh, ow])}, mode=${bilinear ? '"bilinear", align_corners=False' : '"nearest"'})`,
      layout: 'nchw',
    }),
    weights: [],
  };
}

/** Cropping2D → a slice of the channels-first tensor. */
export function cropping2dPlan(layer: ExportLayer): TorchLayerPlan {
  const [, h, w] = layer.inputShapes[0]! as number[];
  const [top, bottom] = layer.params.heightCropping as Pair;
  const [left, right] = layer.params.widthCropping as Pair;
  return {
    init: [],
    inputLayout: 'nchw',
    forward: ([x]) => ({ comments: [], expression: `${x!.variable}[:, :, ${top}:${h! - bottom}, ${left}:${w! - right}]`, layout: 'nchw' }),
    weights: [],
  };
}

/** MaxPooling1D / AveragePooling1D → nn.MaxPool1d / nn.AvgPool1d on the channels-first view, Keras' 'same' made explicit where uneven. */
export function pooling1dPlan(op: 'max' | 'average'): (layer: ExportLayer, attribute: (base: string) => string) => TorchLayerPlan {
  return (layer, attribute) => {
    const name = attribute(layer.variable);
    const [k, s] = [layer.params.poolSize as number, layer.params.strides as number];
    const pad = padding1d(layer, k, s);
    // Keras averages over the steps inside the sequence only, never over padding.
    const module = op === 'max' ? 'MaxPool1d' : 'AvgPool1d';
    const extra = pad.symmetric ? `, padding=${pad.symmetric}${op === 'average' ? ', count_include_pad=False' : ''}` : '';
    return {
      init: [`self.${name} = nn.${module}(${k}, stride=${s}${extra})`],
      inputLayout: 'native',
      forward: ([x]) => {
        const first = `${x!.variable}.transpose(1, 2)`;
        if (!pad.explicit) return { comments: ['PyTorch pools (channels, steps): transpose in and out.'], expression: `self.${name}(${first}).transpose(1, 2)`, layout: 'native' };
        if (op === 'max') {
          return {
            comments: ["Keras 'same' padding puts the odd extra step at the end: pad explicitly with -inf, so padding never wins."],
            expression: `self.${name}(F.pad(${first}, ${pyLiteral(pad.explicit)}, value=float("-inf"))).transpose(1, 2)`,
            layout: 'native',
          };
        }
        const ones = `F.pad(torch.ones_like(${first}[:1, :1]), ${pyLiteral(pad.explicit)})`;
        return {
          comments: ["Keras 'same' padding puts the odd extra step at the end; it averages the real steps only: divide the zero-padded sums by the share of real steps."],
          expression: `(self.${name}(F.pad(${first}, ${pyLiteral(pad.explicit)})) / self.${name}(${ones})).transpose(1, 2)`,
          layout: 'native',
        };
      },
      weights: [],
    };
  };
}

/** GlobalAveragePooling1D / GlobalMaxPooling1D → a mean / max over the steps axis of the (batch, steps, channels) tensor. */
export function globalPooling1dPlan(op: 'mean' | 'amax'): () => TorchLayerPlan {
  return () => ({ init: [], inputLayout: 'native', forward: ([x]) => ({ comments: [], expression: `${x!.variable}.${op}(dim=1)`, layout: 'native' }), weights: [] });
}
