import * as tf from '@tensorflow/tfjs';
import type { ReferenceConvConfig } from './reference-conv-gradients';

export type PadSpec = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** One convolution configuration for the gradient-kernel tables. */
export interface ConvCase {
  name: string;
  batch: number;
  height: number;
  width: number;
  channels: number;
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: PadSpec;
  /** Conv2D output channels; for depthwise, the channel multiplier. */
  outDepth: number;
  depthwise: boolean;
}

const KERNELS: [number, number][] = [[1, 1], [2, 2], [3, 3], [5, 5], [7, 7], [3, 2], [2, 5], [1, 3]];
const STRIDES: [number, number][] = [[1, 1], [2, 2], [3, 3], [2, 1], [1, 3]];
const SIZES: [number, number][] = [[9, 9], [10, 8], [13, 12], [8, 11]];
const PADS: PadSpec[] = ['valid', 'same'];

function padName(pad: PadSpec): string {
  return typeof pad === 'object' ? `explicit${JSON.stringify(pad.slice(1, 3))}` : String(pad);
}

function makeCase(base: Omit<ConvCase, 'name'>): ConvCase {
  const kind = base.depthwise ? `dw×${base.outDepth}` : `conv→${base.outDepth}`;
  const name =
    `${kind} k${base.kernel.join('x')} s${base.strides.join(',')} d${base.dilations.join(',')} ` +
    `${padName(base.pad)} in ${base.batch}×${base.height}×${base.width}×${base.channels}`;
  return { name, ...base };
}

/**
 * Undilated configurations: every kernel size × stride × padding, cycling
 * through odd/even input sizes and batch 1 / 3, plus explicit and numeric
 * padding. Depthwise cases run with channel multipliers 1 and 2.
 */
export function undilatedCases(depthwise: boolean): ConvCase[] {
  const cases: ConvCase[] = [];
  let index = 0;
  for (const kernel of KERNELS) {
    for (const strides of STRIDES) {
      for (const pad of PADS) {
        const [height, width] = SIZES[index % SIZES.length] as [number, number];
        const batch = Math.floor(index / 2) % 2 === 0 ? 1 : 3;
        index++;
        const depths = depthwise ? [1, 2] : [4];
        for (const outDepth of depths) {
          cases.push(makeCase({ batch, height, width, channels: 3, kernel, strides, dilations: [1, 1], pad, outDepth, depthwise }));
        }
      }
    }
  }
  const extraPads: PadSpec[] = [
    1,
    2,
    [[0, 0], [1, 2], [0, 3], [0, 0]],
    [[0, 0], [3, 0], [2, 1], [0, 0]],
  ];
  for (const pad of extraPads) {
    for (const strides of [[1, 1], [2, 2], [2, 3]] as [number, number][]) {
      cases.push(makeCase({
        batch: 2, height: 10, width: 9, channels: 3, kernel: [3, 3], strides, dilations: [1, 1], pad,
        outDepth: depthwise ? 2 : 4, depthwise,
      }));
    }
  }
  return cases.filter(isComputable);
}

/** Dilated configurations (stride 1, as tfjs requires for dilation > 1). */
export function dilatedCases(depthwise: boolean): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const kernel of [[2, 2], [3, 3], [3, 2], [5, 5]] as [number, number][]) {
    for (const dilations of [[2, 2], [1, 2], [2, 1]] as [number, number][]) {
      for (const pad of PADS) {
        cases.push(makeCase({
          batch: 2, height: 13, width: 12, channels: 3, kernel, strides: [1, 1], dilations, pad,
          outDepth: depthwise ? 2 : 4, depthwise,
        }));
      }
    }
  }
  return cases.filter(isComputable);
}

export function xShapeOf(c: ConvCase): [number, number, number, number] {
  return [c.batch, c.height, c.width, c.channels];
}

export function filterShapeOf(c: ConvCase): [number, number, number, number] {
  return [c.kernel[0], c.kernel[1], c.channels, c.outDepth];
}

export function convInfoOf(c: ConvCase): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShapeOf(c), filterShapeOf(c), c.strides, c.dilations, c.pad, undefined, c.depthwise);
}

export function dyShapeOf(c: ConvCase): [number, number, number, number] {
  const info = convInfoOf(c);
  return [c.batch, info.outHeight, info.outWidth, info.outChannels];
}

export function referenceConfigOf(c: ConvCase): ReferenceConvConfig {
  const info = convInfoOf(c);
  return {
    xShape: xShapeOf(c),
    filterShape: filterShapeOf(c),
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strides: c.strides,
    dilations: c.dilations,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    depthwise: c.depthwise,
  };
}

function isComputable(c: ConvCase): boolean {
  const info = convInfoOf(c);
  return info.outHeight > 0 && info.outWidth > 0;
}
