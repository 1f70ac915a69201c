import type { ParamCount } from '../../graph-schema/layer-def';
import type { LayerParams } from '../../graph-schema/params';
import type { Shape } from '../../graph-schema/shape';
import { formatCount } from '../format';

/** A layer's formulas with this node's numbers filled in, for learners. */
export interface WorkedFormulas {
  output?: string;
  params?: string;
}

type Pair = [number, number];

const fmt = (n: number): string => formatCount(n);

function axisText(n: number, k: number, s: number, d: number, padding: string): string {
  if (padding === 'same') return `ceil(${n} / ${s}) = ${Math.ceil(n / s)}`;
  const out = Math.floor((n - d * (k - 1) - 1) / s) + 1;
  const dil = d === 1 ? `(${k} − 1)` : `${d}·(${k} − 1)`;
  return `floor((${n} − ${dil} − 1) / ${s}) + 1 = ${out}`;
}

function windowText(input: Shape, kernel: Pair, strides: Pair, padding: string, dilation: Pair = [1, 1]): string | undefined {
  const h = input[1];
  const w = input[2];
  if (typeof h !== 'number' || typeof w !== 'number') return undefined;
  const rows = axisText(h, kernel[0], strides[0], dilation[0], padding);
  const cols = axisText(w, kernel[1], strides[1], dilation[1], padding);
  return rows === cols ? `height = width = ${rows}` : `height = ${rows}; width = ${cols}`;
}

export function workedFormulas(kind: string, p: LayerParams, inputs: readonly (Shape | null)[], output: Shape | null, count: ParamCount): WorkedFormulas {
  const input = inputs[0];
  if (!input || !output) return {};
  const cin = input[input.length - 1];
  const total = count.trainable + count.nonTrainable;
  switch (kind) {
    case 'Conv2D': {
      const [kh, kw] = p.kernelSize as Pair;
      const bias = p.useBias ? ` + ${p.filters}` : '';
      return {
        output: windowText(input, p.kernelSize as Pair, p.strides as Pair, p.padding as string, p.dilationRate as Pair),
        params: `${kh} · ${kw} · ${cin} · ${p.filters}${bias} = ${fmt(total)}`,
      };
    }
    case 'DepthwiseConv2D': {
      const [kh, kw] = p.kernelSize as Pair;
      const m = p.depthMultiplier as number;
      return {
        output: windowText(input, p.kernelSize as Pair, p.strides as Pair, p.padding as string, p.dilationRate as Pair),
        params: `${kh} · ${kw} · ${cin} · ${m}${p.useBias ? ` + ${cin} · ${m}` : ''} = ${fmt(total)}`,
      };
    }
    case 'SeparableConv2D': {
      const [kh, kw] = p.kernelSize as Pair;
      const m = p.depthMultiplier as number;
      return {
        output: windowText(input, p.kernelSize as Pair, p.strides as Pair, p.padding as string, p.dilationRate as Pair),
        params: `${kh} · ${kw} · ${cin} · ${m} + ${cin} · ${m} · ${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${fmt(total)}`,
      };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { output: windowText(input, p.poolSize as Pair, p.strides as Pair, p.padding as string), params: 'no weights: 0' };
    case 'Dense':
      return {
        output: `(…, ${p.units})`,
        params: `${cin} · ${p.units}${p.useBias ? ` + ${p.units}` : ''} = ${fmt(total)}`,
      };
    case 'BatchNormalization': {
      const c = output[output.length - 1];
      return { params: `C = ${c}: trainable ${fmt(count.trainable)} (γ, β), non-trainable ${fmt(count.nonTrainable)} (moving mean, variance)` };
    }
    case 'Flatten': {
      const dims = input.slice(1);
      return dims.every((d) => typeof d === 'number') ? { output: `${dims.join(' · ')} = ${fmt(dims.reduce<number>((a, b) => a * (b as number), 1))}` } : {};
    }
    case 'Concatenate': {
      const sizes = inputs.map((s) => (s ? s[s.length - 1] : '?'));
      return { output: `channels ${sizes.join(' + ')} = ${output[output.length - 1]}` };
    }
    case 'ZeroPadding2D': {
      const [top, bottom] = p.heightPadding as Pair;
      const [left, right] = p.widthPadding as Pair;
      return { output: `${input[1]} + ${top} + ${bottom} = ${output[1]}; ${input[2]} + ${left} + ${right} = ${output[2]}` };
    }
    default:
      return {};
  }
}
