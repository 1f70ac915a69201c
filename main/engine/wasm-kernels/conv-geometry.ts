import * as tf from '@tensorflow/tfjs';

type PadAttr = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type RoundingAttr = 'floor' | 'round' | 'ceil' | undefined;

/** The geometry of one forward convolution, as the gradient kernels need it. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  /** Zeros added above and left of the input by the forward pass (Keras "same" puts the odd one below/right). */
  padTop: number;
  padLeft: number;
}

/**
 * Reads the forward convolution's attributes exactly as tfjs-core passes them
 * to the gradient kernels and resolves the padding with tfjs' own rules, so
 * the gradient sees the same pads as the forward kernel did.
 */
export function convGeometry(
  kernelName: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: tf.NamedAttrMap,
  depthwise: boolean,
): ConvGeometry {
  const dataFormat = attrs['dataFormat'];
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm supports only dataFormat NHWC, got ${String(dataFormat)}.`);
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernelName} expects rank-4 input and filter shapes, got [${xShape}] and [${filterShape}].`);
  }
  const strides = (attrs['strides'] ?? 1) as number | [number, number];
  const dilations = (attrs['dilations'] ?? 1) as number | [number, number];
  const pad = attrs['pad'] as PadAttr;
  const rounding = (attrs['dimRoundingMode'] ?? undefined) as RoundingAttr;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    rounding,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Padding for a "correlate x with dy" convolution along one axis: output
 * position k (a filter tap) reads x at k·dilation + o·stride - padBefore. Pads
 * just enough zeros after the input for `taps` outputs; when the input is
 * longer than that, the caller slices the first `taps` outputs.
 */
export function filterGradientAxis(
  inputLength: number,
  padBefore: number,
  taps: number,
  dilation: number,
  outputLength: number,
  stride: number,
): { padBefore: number; padAfter: number } {
  const needed = dilation * (taps - 1) + stride * (outputLength - 1) + 1;
  const padAfter = Math.max(0, needed - inputLength - padBefore);
  return { padBefore, padAfter };
}

/**
 * Padding for the transposed convolution along one axis: a stride-1
 * correlation of the (zero-stuffed) output gradient of length `length` with
 * the flipped filter, producing exactly `inputLength` values. Negative pads
 * mean rows of the gradient that feed no input position: they are cropped.
 */
export function inputGradientAxis(
  inputLength: number,
  padBefore: number,
  taps: number,
  dilation: number,
  length: number,
): { cropBefore: number; keep: number; padBefore: number; padAfter: number } {
  const reach = dilation * (taps - 1);
  const before = reach - padBefore;
  const after = inputLength + reach - before - length;
  const cropBefore = Math.max(0, -before);
  const cropAfter = Math.max(0, -after);
  return {
    cropBefore,
    keep: length - cropBefore - cropAfter,
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
  };
}

export function explicitPadding(
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}
