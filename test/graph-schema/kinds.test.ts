import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../graph-schema/diagnostics';
import type { Graph } from '../../graph-schema/document';
import { analyzeGraph, analyzeLayer } from '../../graph-schema/infer';
import { categoryLabels, isComposite } from '../../graph-schema/layer-def';
import { checkParamRange, checkParamType, defaultParams, resolveParams } from '../../graph-schema/params';
import type { LayerKindName } from '../../graph-schema/registry';
import { layerKindNames, layerRegistry } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { tfjsConfigFix, tfjsStandIns } from '../../graph-schema/tfjs-workarounds';
import { symbolicInput, tfCounts, tfLayer } from './tfjs-helpers';

const kinds = Object.keys(layerRegistry) as LayerKindName[];

interface ShapeCase {
  name: string;
  params: Record<string, unknown>;
  inputs: Shape[];
  /** Written by hand from the formulas in REFERENCES.md. */
  shape: Shape;
  trainable: number;
  nonTrainable?: number;
  /** Why TensorFlow.js cannot be used as a second opinion for this case. */
  skipTfjs?: string;
}

// Every kind needs at least one case: the mapped type turns a new kind without cases into a type error.
const shapeCases: { [K in LayerKindName]: ShapeCase[] } = {
  // Keras: valid n·s + max(k − s, 0), same n·s, with output padding p (n − 1)·s + k − 2·pad + p; params kh·kw·Cin·filters + filters.
  GlobalAveragePooling1D: [
    { name: '100 steps × 64', params: {}, inputs: [[null, 100, 64]], shape: [null, 64], trainable: 0 },
    { name: '1 step × 3', params: {}, inputs: [[null, 1, 3]], shape: [null, 3], trainable: 0 },
  ],
  GlobalMaxPooling1D: [
    { name: '50 steps × 16', params: {}, inputs: [[null, 50, 16]], shape: [null, 16], trainable: 0 },
    { name: '7 steps × 2', params: {}, inputs: [[null, 7, 2]], shape: [null, 2], trainable: 0 },
  ],
  // Keras: valid floor((n − k) / s) + 1, same ceil(n / s).
  MaxPooling1D: [
    { name: 'defaults', params: {}, inputs: [[null, 10, 4]], shape: [null, 5, 4], trainable: 0 },
    { name: 'odd length valid', params: {}, inputs: [[null, 7, 3]], shape: [null, 3, 3], trainable: 0 },
    { name: 'odd length same', params: { padding: 'same' }, inputs: [[null, 7, 3]], shape: [null, 4, 3], trainable: 0 },
    { name: '3 s1 same', params: { poolSize: 3, strides: 1, padding: 'same' }, inputs: [[null, 9, 2]], shape: [null, 9, 2], trainable: 0 },
  ],
  AveragePooling1D: [
    { name: 'defaults', params: {}, inputs: [[null, 10, 4]], shape: [null, 5, 4], trainable: 0 },
    { name: '3 s2 valid', params: { poolSize: 3, strides: 2 }, inputs: [[null, 11, 2]], shape: [null, 5, 2], trainable: 0 },
    { name: '4 s3 same', params: { poolSize: 4, strides: 3, padding: 'same' }, inputs: [[null, 10, 1]], shape: [null, 4, 1], trainable: 0 },
  ],
  Cropping2D: [
    { name: 'U-Net skip: 64 → 56', params: { heightCropping: [4, 4], widthCropping: [4, 4] }, inputs: [[null, 64, 64, 8]], shape: [null, 56, 56, 8], trainable: 0 },
    { name: 'asymmetric', params: { heightCropping: [1, 0], widthCropping: [0, 2] }, inputs: [[null, 5, 7, 3]], shape: [null, 4, 5, 3], trainable: 0 },
    { name: 'defaults crop nothing', params: {}, inputs: [[null, 3, 3, 1]], shape: [null, 3, 3, 1], trainable: 0 },
  ],
  UpSampling2D: [
    { name: 'defaults', params: {}, inputs: [[null, 7, 7, 16]], shape: [null, 14, 14, 16], trainable: 0 },
    { name: '(3, 1)', params: { size: [3, 1] }, inputs: [[null, 4, 5, 2]], shape: [null, 12, 5, 2], trainable: 0 },
    { name: 'bilinear', params: { interpolation: 'bilinear' }, inputs: [[null, 3, 3, 1]], shape: [null, 6, 6, 1], trainable: 0, skipTfjs: 'tf.layers.upSampling2d bilinear lacks half-pixel centres (refused)' },
  ],
  // Keras: valid floor((n − d·(k − 1) − 1) / s) + 1, same ceil(n / s); params k·Cin·filters + filters.
  Conv1D: [
    { name: '64 @ 3 valid', params: { filters: 64 }, inputs: [[null, 100, 8]], shape: [null, 98, 64], trainable: 3 * 8 * 64 + 64 },
    { name: '5 s2 same, odd length', params: { filters: 4, kernelSize: 5, strides: 2, padding: 'same' }, inputs: [[null, 11, 3]], shape: [null, 6, 4], trainable: 5 * 3 * 4 + 4 },
    { name: 'dilation 2 valid, no bias', params: { filters: 3, dilationRate: 2, useBias: false }, inputs: [[null, 20, 2]], shape: [null, 16, 3], trainable: 3 * 2 * 3 },
    { name: '4 s3 valid', params: { filters: 2, kernelSize: 4, strides: 3, activation: 'relu' }, inputs: [[null, 10, 1]], shape: [null, 3, 2], trainable: 4 * 1 * 2 + 2 },
  ],
  Conv2DTranspose: [
    { name: '16 @ 3×3 s2 same', params: { filters: 16, strides: [2, 2], padding: 'same' }, inputs: [[null, 7, 7, 8]], shape: [null, 14, 14, 16], trainable: 3 * 3 * 8 * 16 + 16 },
    { name: '3×3 s2 valid', params: { filters: 4, strides: [2, 2] }, inputs: [[null, 5, 5, 2]], shape: [null, 5 * 2 + 1, 5 * 2 + 1, 4], trainable: 9 * 2 * 4 + 4 },
    { name: 'U-Net up: 2×2 s2', params: { filters: 32, kernelSize: [2, 2], strides: [2, 2] }, inputs: [[null, 8, 8, 64]], shape: [null, 16, 16, 32], trainable: 2 * 2 * 64 * 32 + 32 },
    { name: 'kernel smaller than the stride, no bias', params: { filters: 2, kernelSize: [1, 1], strides: [3, 3], useBias: false }, inputs: [[null, 4, 3, 3]], shape: [null, 12, 9, 2], trainable: 3 * 2 },
    { name: '4×3 s(2,1) same', params: { filters: 5, kernelSize: [4, 3], strides: [2, 1], padding: 'same' }, inputs: [[null, 6, 5, 3]], shape: [null, 12, 5, 5], trainable: 4 * 3 * 3 * 5 + 5 },
    {
      name: 'output padding 1, same',
      params: { filters: 3, strides: [2, 2], padding: 'same', outputPadding: [1, 1] },
      inputs: [[null, 5, 5, 2]],
      shape: [null, (5 - 1) * 2 + 3 - 2 + 1, (5 - 1) * 2 + 3 - 2 + 1, 3],
      trainable: 9 * 2 * 3 + 3,
      skipTfjs: 'tf.layers.conv2dTranspose has no output padding',
    },
    {
      name: 'output padding (1, 0), valid',
      params: { filters: 1, strides: [2, 2], outputPadding: [1, 0] },
      inputs: [[null, 4, 4, 1]],
      shape: [null, 3 * 2 + 3 + 1, 3 * 2 + 3, 1],
      trainable: 9 + 1,
      skipTfjs: 'tf.layers.conv2dTranspose has no output padding',
    },
    { name: 'dilation 2 valid', params: { filters: 2, dilationRate: [2, 2] }, inputs: [[null, 5, 5, 1]], shape: [null, 5 + 4, 5 + 4, 2], trainable: 9 * 2 + 2, skipTfjs: 'tf.layers.conv2dTranspose ignores the dilation' },
  ],
  Input: [
    { name: 'grey image', params: { shape: [28, 28, 1] }, inputs: [], shape: [null, 28, 28, 1], trainable: 0 },
    { name: 'vector', params: { shape: [784] }, inputs: [], shape: [null, 784], trainable: 0 },
  ],
  Conv2D: [
    { name: '6@5×5 same', params: { filters: 6, kernelSize: [5, 5], padding: 'same' }, inputs: [[null, 28, 28, 1]], shape: [null, 28, 28, 6], trainable: 5 * 5 * 1 * 6 + 6 },
    { name: '3×3 s2 valid', params: { filters: 16, strides: [2, 2] }, inputs: [[null, 28, 28, 3]], shape: [null, 13, 13, 16], trainable: 9 * 3 * 16 + 16 },
    { name: '3×3 s2 same, odd size', params: { filters: 8, strides: [2, 2], padding: 'same' }, inputs: [[null, 27, 27, 3]], shape: [null, 14, 14, 8], trainable: 9 * 3 * 8 + 8 },
    { name: '3×3 dilation 2 valid', params: { filters: 10, dilationRate: [2, 2] }, inputs: [[null, 32, 32, 4]], shape: [null, 28, 28, 10], trainable: 9 * 4 * 10 + 10 },
    {
      name: '3×1 s(2,1) valid, no bias',
      params: { filters: 5, kernelSize: [3, 1], strides: [2, 1], useBias: false },
      inputs: [[null, 15, 9, 2]],
      shape: [null, 7, 9, 5],
      trainable: 3 * 1 * 2 * 5,
    },
  ],
  DepthwiseConv2D: [
    { name: 'defaults', params: {}, inputs: [[null, 28, 28, 3]], shape: [null, 26, 26, 3], trainable: 9 * 3 + 3 },
    {
      name: 'multiplier 2, s2 same',
      params: { depthMultiplier: 2, strides: [2, 2], padding: 'same', activation: 'relu' },
      inputs: [[null, 28, 28, 3]],
      shape: [null, 14, 14, 6],
      trainable: 9 * 3 * 2 + 6,
    },
    { name: '5×5 s2 valid, odd size, no bias', params: { kernelSize: [5, 5], strides: [2, 2], useBias: false }, inputs: [[null, 17, 17, 4]], shape: [null, 7, 7, 4], trainable: 25 * 4 },
    {
      name: 'dilation 3 valid',
      params: { dilationRate: [3, 3] },
      inputs: [[null, 20, 20, 2]],
      shape: [null, 14, 14, 2],
      trainable: 9 * 2 + 2,
      skipTfjs: 'TensorFlow.js 4.22 DepthwiseConv2D ignores dilationRate (shape and computation); Keras honours it',
    },
  ],
  SeparableConv2D: [
    { name: '16 @ 3×3 valid', params: { filters: 16 }, inputs: [[null, 28, 28, 3]], shape: [null, 26, 26, 16], trainable: 9 * 3 + 3 * 16 + 16 },
    {
      name: 'multiplier 2, s2 same',
      params: { filters: 32, strides: [2, 2], padding: 'same', depthMultiplier: 2 },
      inputs: [[null, 32, 32, 8]],
      shape: [null, 16, 16, 32],
      trainable: 9 * 8 * 2 + 8 * 2 * 32 + 32,
    },
    {
      name: '5×5 dilation 2 valid, no bias',
      params: { filters: 8, kernelSize: [5, 5], dilationRate: [2, 2], useBias: false },
      inputs: [[null, 11, 11, 4]],
      shape: [null, 3, 3, 8],
      trainable: 25 * 4 + 4 * 8,
    },
  ],
  MaxPooling2D: [
    { name: 'defaults', params: {}, inputs: [[null, 28, 28, 6]], shape: [null, 14, 14, 6], trainable: 0 },
    { name: 'odd size valid', params: {}, inputs: [[null, 7, 7, 3]], shape: [null, 3, 3, 3], trainable: 0 },
    { name: 'odd size same', params: { padding: 'same' }, inputs: [[null, 7, 7, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: '3 s2 same', params: { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, inputs: [[null, 112, 112, 64]], shape: [null, 56, 56, 64], trainable: 0 },
    { name: '3 s2 valid', params: { poolSize: [3, 3], strides: [2, 2] }, inputs: [[null, 55, 55, 96]], shape: [null, 27, 27, 96], trainable: 0 },
  ],
  AveragePooling2D: [
    { name: 'defaults', params: {}, inputs: [[null, 28, 28, 6]], shape: [null, 14, 14, 6], trainable: 0 },
    { name: '3 s1 same', params: { poolSize: [3, 3], strides: [1, 1], padding: 'same' }, inputs: [[null, 7, 7, 3]], shape: [null, 7, 7, 3], trainable: 0 },
    { name: '3×2 s(3,1) valid', params: { poolSize: [3, 2], strides: [3, 1] }, inputs: [[null, 9, 5, 2]], shape: [null, 3, 4, 2], trainable: 0 },
  ],
  GlobalAveragePooling2D: [
    { name: '7×7×1024', params: {}, inputs: [[null, 7, 7, 1024]], shape: [null, 1024], trainable: 0 },
    { name: '1×1×5', params: {}, inputs: [[null, 1, 1, 5]], shape: [null, 5], trainable: 0 },
  ],
  GlobalMaxPooling2D: [
    { name: '7×7×512', params: {}, inputs: [[null, 7, 7, 512]], shape: [null, 512], trainable: 0 },
    { name: '3×5×2', params: {}, inputs: [[null, 3, 5, 2]], shape: [null, 2], trainable: 0 },
  ],
  ZeroPadding2D: [
    { name: 'defaults', params: {}, inputs: [[null, 28, 28, 1]], shape: [null, 30, 30, 1], trainable: 0 },
    { name: 'ResNet50 stem', params: { heightPadding: [3, 3], widthPadding: [3, 3] }, inputs: [[null, 224, 224, 3]], shape: [null, 230, 230, 3], trainable: 0 },
    { name: 'asymmetric', params: { heightPadding: [0, 1], widthPadding: [2, 0] }, inputs: [[null, 5, 7, 3]], shape: [null, 6, 9, 3], trainable: 0 },
  ],
  Dense: [
    { name: '784 → 128 relu', params: { units: 128, activation: 'relu' }, inputs: [[null, 784]], shape: [null, 128], trainable: 784 * 128 + 128 },
    { name: 'on the last axis of an image', params: { units: 4 }, inputs: [[null, 5, 7, 3]], shape: [null, 5, 7, 4], trainable: 3 * 4 + 4 },
    { name: 'no bias', params: { units: 3, useBias: false }, inputs: [[null, 10]], shape: [null, 3], trainable: 30 },
  ],
  Flatten: [
    { name: 'LeNet feature map', params: {}, inputs: [[null, 5, 5, 16]], shape: [null, 400], trainable: 0 },
    { name: 'rank 3', params: {}, inputs: [[null, 7, 3]], shape: [null, 21], trainable: 0 },
  ],
  Reshape: [
    { name: 'defaults: 784 → 28×28×1', params: {}, inputs: [[null, 784]], shape: [null, 28, 28, 1], trainable: 0 },
    // TensorFlow.js leaves −1 unresolved in symbolic shapes whenever the batch axis is unknown, i.e. always.
    { name: '−1 flattens', params: { targetShape: [-1] }, inputs: [[null, 28, 28, 1]], shape: [null, 784], trainable: 0, skipTfjs: 'tfjs keeps −1 unresolved in symbolic shapes' },
    { name: '−1 first', params: { targetShape: [-1, 8] }, inputs: [[null, 4, 6, 2]], shape: [null, 6, 8], trainable: 0, skipTfjs: 'tfjs keeps −1 unresolved in symbolic shapes' },
    { name: '−1 in the middle', params: { targetShape: [2, -1, 3] }, inputs: [[null, 12]], shape: [null, 2, 2, 3], trainable: 0, skipTfjs: 'tfjs keeps −1 unresolved in symbolic shapes' },
    { name: 'image to rows', params: { targetShape: [6, 8] }, inputs: [[null, 4, 6, 2]], shape: [null, 6, 8], trainable: 0 },
  ],
  Dropout: [
    { name: 'vector', params: { rate: 0.2 }, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
    { name: 'image, rate 0', params: { rate: 0 }, inputs: [[null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
  ],
  BatchNormalization: [
    { name: 'channels', params: {}, inputs: [[null, 28, 28, 6]], shape: [null, 28, 28, 6], trainable: 12, nonTrainable: 12 },
    { name: 'no center', params: { center: false }, inputs: [[null, 10]], shape: [null, 10], trainable: 10, nonTrainable: 20 },
    { name: 'neither center nor scale', params: { center: false, scale: false, momentum: 0.9, epsilon: 1e-5 }, inputs: [[null, 8, 8, 3]], shape: [null, 8, 8, 3], trainable: 0, nonTrainable: 6 },
    { name: 'axis 1', params: { axis: 1 }, inputs: [[null, 4, 5, 6]], shape: [null, 4, 5, 6], trainable: 8, nonTrainable: 8 },
  ],
  Activation: [
    { name: 'softmax', params: { activation: 'softmax' }, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
    { name: 'defaults (relu) on an image', params: {}, inputs: [[null, 3, 3, 2]], shape: [null, 3, 3, 2], trainable: 0 },
    { name: 'swish', params: { activation: 'swish' }, inputs: [[null, 5]], shape: [null, 5], trainable: 0 },
    { name: 'relu6', params: { activation: 'relu6' }, inputs: [[null, 4, 4, 2]], shape: [null, 4, 4, 2], trainable: 0 },
    { name: 'gelu', params: { activation: 'gelu' }, inputs: [[null, 7]], shape: [null, 7], trainable: 0 },
    { name: 'softplus', params: { activation: 'softplus' }, inputs: [[null, 3]], shape: [null, 3], trainable: 0 },
    { name: 'softsign', params: { activation: 'softsign' }, inputs: [[null, 3, 2]], shape: [null, 3, 2], trainable: 0 },
    { name: 'mish', params: { activation: 'mish' }, inputs: [[null, 6]], shape: [null, 6], trainable: 0 },
    { name: 'hard_sigmoid', params: { activation: 'hard_sigmoid' }, inputs: [[null, 6]], shape: [null, 6], trainable: 0, skipTfjs: "tfjs's hardSigmoid is Keras 2's 0.2·x + 0.5, not Keras 3's" },
    { name: 'hard_swish', params: { activation: 'hard_swish' }, inputs: [[null, 6]], shape: [null, 6], trainable: 0, skipTfjs: 'tfjs 4.22 has no hard_swish' },
  ],
  Add: [
    { name: 'two images', params: {}, inputs: [[null, 4, 4, 3], [null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: 'three vectors', params: {}, inputs: [[null, 10], [null, 10], [null, 10]], shape: [null, 10], trainable: 0 },
  ],
  Concatenate: [
    { name: 'channels', params: {}, inputs: [[null, 28, 28, 64], [null, 28, 28, 128]], shape: [null, 28, 28, 192], trainable: 0 },
    { name: 'axis 1', params: { axis: 1 }, inputs: [[null, 2, 3], [null, 5, 3]], shape: [null, 7, 3], trainable: 0 },
    { name: 'three vectors', params: {}, inputs: [[null, 4], [null, 5], [null, 6]], shape: [null, 15], trainable: 0 },
  ],
  Subtract: [
    { name: 'two images', params: {}, inputs: [[null, 4, 4, 3], [null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0, skipTfjs: 'TensorFlow.js 4.22 has no Subtract layer' },
    { name: 'two vectors', params: {}, inputs: [[null, 10], [null, 10]], shape: [null, 10], trainable: 0, skipTfjs: 'TensorFlow.js 4.22 has no Subtract layer' },
  ],
  Multiply: [
    { name: 'two images', params: {}, inputs: [[null, 4, 4, 3], [null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: 'two vectors', params: {}, inputs: [[null, 10], [null, 10]], shape: [null, 10], trainable: 0 },
  ],
  Average: [
    { name: 'two images', params: {}, inputs: [[null, 4, 4, 3], [null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: 'two vectors', params: {}, inputs: [[null, 10], [null, 10]], shape: [null, 10], trainable: 0 },
  ],
  Maximum: [
    { name: 'two images', params: {}, inputs: [[null, 4, 4, 3], [null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: 'two vectors', params: {}, inputs: [[null, 10], [null, 10]], shape: [null, 10], trainable: 0 },
  ],
  Minimum: [
    { name: 'two images', params: {}, inputs: [[null, 4, 4, 3], [null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: 'two vectors', params: {}, inputs: [[null, 10], [null, 10]], shape: [null, 10], trainable: 0 },
  ],
  ReLU: [
    { name: 'defaults', params: {}, inputs: [[null, 4, 4, 2]], shape: [null, 4, 4, 2], trainable: 0 },
    { name: 'ReLU6', params: { maxValue: 6 }, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
    { name: 'slope and threshold', params: { negativeSlope: 0.1, threshold: 0.5 }, inputs: [[null, 3, 5]], shape: [null, 3, 5], trainable: 0, skipTfjs: 'tf.layers.reLU has only maxValue' },
  ],
  LeakyReLU: [
    { name: 'defaults', params: {}, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
    { name: 'slope 0.1 on an image', params: { negativeSlope: 0.1 }, inputs: [[null, 4, 4, 2]], shape: [null, 4, 4, 2], trainable: 0 },
  ],
  ELU: [
    { name: 'defaults', params: {}, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
    { name: 'alpha 0.5 on an image', params: { alpha: 0.5 }, inputs: [[null, 4, 4, 2]], shape: [null, 4, 4, 2], trainable: 0, skipTfjs: 'tf.layers.elu throws for alpha other than 1' },
    { name: 'defaults on an image', params: {}, inputs: [[null, 4, 4, 2]], shape: [null, 4, 4, 2], trainable: 0 },
  ],
  Softmax: [
    { name: 'classes', params: {}, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
    { name: 'axis 1 of a sequence', params: { axis: 1 }, inputs: [[null, 5, 3]], shape: [null, 5, 3], trainable: 0 },
  ],
  Rescaling: [
    { name: 'pixels to 0–1', params: { scale: 1 / 255 }, inputs: [[null, 8, 8, 3]], shape: [null, 8, 8, 3], trainable: 0 },
    { name: 'to −1…1', params: { scale: 1 / 127.5, offset: -1 }, inputs: [[null, 6]], shape: [null, 6], trainable: 0 },
  ],
  Permute: [
    { name: 'swap two axes', params: { dims: [2, 1] }, inputs: [[null, 10, 64]], shape: [null, 64, 10], trainable: 0 },
    { name: 'channels first', params: { dims: [3, 1, 2] }, inputs: [[null, 8, 6, 3]], shape: [null, 3, 8, 6], trainable: 0 },
  ],
  RepeatVector: [
    { name: 'n 3', params: { n: 3 }, inputs: [[null, 32]], shape: [null, 3, 32], trainable: 0 },
    { name: 'defaults', params: {}, inputs: [[null, 5]], shape: [null, 2, 5], trainable: 0 },
  ],
  // Keras: alpha has the input's shape (batch left out) with 1 on each shared axis.
  PReLU: [
    { name: 'image, a slope per value', params: {}, inputs: [[null, 28, 28, 32]], shape: [null, 28, 28, 32], trainable: 28 * 28 * 32 },
    { name: 'image, shared over height and width', params: { sharedAxes: [1, 2] }, inputs: [[null, 28, 28, 32]], shape: [null, 28, 28, 32], trainable: 32 },
    { name: 'vector', params: {}, inputs: [[null, 10]], shape: [null, 10], trainable: 10 },
    { name: 'sequence, shared over axis 1', params: { sharedAxes: [1] }, inputs: [[null, 4, 5]], shape: [null, 4, 5], trainable: 5 },
  ],
  // Keras: gamma and beta of the normalized axis' size (2 · C for axis −1).
  LayerNormalization: [
    { name: 'vector', params: {}, inputs: [[null, 10]], shape: [null, 10], trainable: 20 },
    { name: 'image channels', params: {}, inputs: [[null, 4, 4, 8]], shape: [null, 4, 4, 8], trainable: 16 },
    { name: 'no center, epsilon 1e-6', params: { center: false, epsilon: 1e-6 }, inputs: [[null, 6, 8]], shape: [null, 6, 8], trainable: 8 },
    { name: 'axis 1', params: { axis: 1 }, inputs: [[null, 4, 5]], shape: [null, 4, 5], trainable: 8 },
  ],
  // Keras: Embedding(1000, 64) on (batch, 10) gives (batch, 10, 64) and 64,000 weights.
  Embedding: [
    { name: '1000 → 64 over 10 ids', params: { inputDim: 1000, outputDim: 64 }, inputs: [[null, 10]], shape: [null, 10, 64], trainable: 64_000 },
    { name: '10000 → 16 over 100 ids', params: { inputDim: 10_000, outputDim: 16 }, inputs: [[null, 100]], shape: [null, 100, 16], trainable: 160_000 },
  ],
  GaussianNoise: [
    { name: 'image', params: { stddev: 0.2 }, inputs: [[null, 4, 4, 3]], shape: [null, 4, 4, 3], trainable: 0 },
    { name: 'vector', params: {}, inputs: [[null, 10]], shape: [null, 10], trainable: 0 },
  ],
  SpatialDropout2D: [
    { name: 'image', params: { rate: 0.2 }, inputs: [[null, 8, 8, 16]], shape: [null, 8, 8, 16], trainable: 0 },
    { name: 'defaults, rate 0.5', params: {}, inputs: [[null, 5, 7, 3]], shape: [null, 5, 7, 3], trainable: 0 },
  ],
  InceptionBlock: [
    {
      // Inception (3a): 192·(64+96+16+32) 1×1 weights + 9·96·128 + 25·16·32 + one bias per filter.
      name: 'inception 3a defaults',
      params: {},
      inputs: [[null, 28, 28, 192]],
      shape: [null, 28, 28, 256],
      trainable: 192 * (64 + 96 + 16 + 32) + 9 * 96 * 128 + 25 * 16 * 32 + (64 + 96 + 128 + 16 + 32 + 32),
    },
  ],
  ResidualBlock: [
    {
      // Two 3×3 convolutions without bias, two batch norms, identity shortcut.
      name: 'basic 64 identity',
      params: {},
      inputs: [[null, 56, 56, 64]],
      shape: [null, 56, 56, 64],
      trainable: 2 * 9 * 64 * 64 + 2 * 2 * 64,
      nonTrainable: 2 * 2 * 64,
    },
  ],
  InvertedResidualBlock: [
    {
      // Keras MobileNetV2 block_1: expand 1,536 + BN 384 + depthwise 864 + BN 384 + project 2,304 + BN 96 = 5,568.
      name: 'MobileNetV2 block_1 (t6, s2)',
      params: { filters: 24, expansion: 6, strides: 2 },
      inputs: [[null, 112, 112, 16]],
      shape: [null, 56, 56, 24],
      trainable: 1_536 + 864 + 2_304 + 2 * (96 + 96 + 24),
      nonTrainable: 2 * (96 + 96 + 24),
    },
    {
      // Keras MobileNetV2 expanded_conv (block 0): depthwise 288 + BN 128 + project 512 + BN 64 = 992.
      name: 'MobileNetV2 expanded_conv (t1)',
      params: { filters: 16, expansion: 1, strides: 1 },
      inputs: [[null, 112, 112, 32]],
      shape: [null, 112, 112, 16],
      trainable: 288 + 512 + 2 * (32 + 16),
      nonTrainable: 2 * (32 + 16),
    },
  ],
  DenseBlock: [
    {
      // Keras DenseNet121 conv2_block1: BN 256 + 1×1 conv 8,192 + BN 512 + 3×3 conv 36,864 = 45,824.
      name: 'DenseNet121 conv2_block1 (one layer)',
      params: { layers: 1, growthRate: 32 },
      inputs: [[null, 56, 56, 64]],
      shape: [null, 56, 56, 96],
      trainable: 2 * 64 + 64 * 128 + 2 * 128 + 9 * 128 * 32,
      nonTrainable: 2 * 64 + 2 * 128,
    },
  ],
  TransitionBlock: [
    {
      // Keras DenseNet121 pool2: BN 1,024 + 1×1 conv 256 · 128 = 33,792.
      name: 'DenseNet121 pool2',
      params: {},
      inputs: [[null, 56, 56, 256]],
      shape: [null, 28, 28, 128],
      trainable: 2 * 256 + 256 * 128,
      nonTrainable: 2 * 256,
    },
  ],
};

interface DiagnosticCase {
  name: string;
  params: Record<string, unknown>;
  inputs: Shape[];
  code: DiagnosticCode;
  param?: string;
  /** Part of the message that tells the user what to do. */
  says: RegExp;
}

const image = (h: number, w: number, c: number): Shape => [null, h, w, c];

const diagnosticCases: { [K in LayerKindName]: DiagnosticCase[] } = {
  GlobalAveragePooling1D: [
    { name: 'image input', params: {}, inputs: [image(4, 4, 3)], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'unknown channels', params: {}, inputs: [[null, 5, null]], code: 'unknown-dimension', says: /known steps and channels/ },
  ],
  GlobalMaxPooling1D: [{ name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ }],
  MaxPooling1D: [
    { name: 'image input', params: {}, inputs: [image(4, 4, 1)], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'window longer than the input', params: { poolSize: 5 }, inputs: [[null, 4, 2]], code: 'spatial-underflow', param: 'poolSize', says: /"same" padding/ },
  ],
  AveragePooling1D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'window longer than the input', params: { poolSize: 3, strides: 1 }, inputs: [[null, 2, 2]], code: 'spatial-underflow', param: 'poolSize', says: /longer input/ },
    { name: 'zero stride', params: { strides: 0 }, inputs: [[null, 8, 2]], code: 'param-out-of-range', param: 'strides', says: /at least 1/ },
  ],
  Cropping2D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'crops the whole height', params: { heightCropping: [2, 2] }, inputs: [image(4, 6, 1)], code: 'spatial-underflow', param: 'heightCropping', says: /Crop less/ },
    { name: 'crops past the width', params: { widthCropping: [5, 2] }, inputs: [image(8, 6, 1)], code: 'spatial-underflow', param: 'widthCropping', says: /Crop less/ },
    { name: 'negative cropping', params: { widthCropping: [-1, 0] }, inputs: [image(5, 5, 1)], code: 'param-out-of-range', param: 'widthCropping', says: /at least 0/ },
  ],
  UpSampling2D: [
    { name: 'sequence input', params: {}, inputs: [[null, 10, 3]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'zero factor', params: { size: [0, 2] }, inputs: [image(4, 4, 1)], code: 'param-out-of-range', param: 'size', says: /at least 1/ },
  ],
  Conv1D: [
    { name: 'image input', params: {}, inputs: [image(8, 8, 3)], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'kernel longer than the input', params: { kernelSize: 5 }, inputs: [[null, 4, 2]], code: 'spatial-underflow', param: 'kernelSize', says: /"same" padding/ },
    { name: 'strides with dilation', params: { strides: 2, dilationRate: 2 }, inputs: [[null, 10, 2]], code: 'param-out-of-range', param: 'dilationRate', says: /Set one of them to 1/ },
    { name: 'unknown steps', params: {}, inputs: [[null, null, 2]], code: 'unknown-dimension', says: /known steps/ },
  ],
  Conv2DTranspose: [
    { name: 'rank 3 input', params: {}, inputs: [[null, 10, 3]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'output padding not below the stride', params: { strides: [2, 2], outputPadding: [2, 2] }, inputs: [image(4, 4, 1)], code: 'param-out-of-range', param: 'outputPadding', says: /smaller than the stride/ },
    { name: 'one output padding inferred', params: { strides: [2, 2], outputPadding: [-1, 0] }, inputs: [image(4, 4, 1)], code: 'param-out-of-range', param: 'outputPadding', says: /both/ },
    {
      name: 'even kernel, same, output padding 0',
      params: { kernelSize: [2, 2], strides: [2, 2], padding: 'same', outputPadding: [0, 0] },
      inputs: [image(4, 4, 1)],
      code: 'param-out-of-range',
      param: 'outputPadding',
      says: /Raise the output padding to 1/,
    },
  ],
  Input: [
    { name: 'empty shape', params: { shape: [] }, inputs: [], code: 'param-out-of-range', param: 'shape', says: /at least 1/ },
    { name: 'zero size', params: { shape: [28, 0] }, inputs: [], code: 'param-out-of-range', param: 'shape', says: /at least 1/ },
    { name: 'shape not a list', params: { shape: 28 }, inputs: [], code: 'param-invalid', param: 'shape', says: /list of integers/ },
  ],
  Conv2D: [
    { name: 'vector input', params: {}, inputs: [[null, 784]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'kernel larger than the input', params: { kernelSize: [5, 5] }, inputs: [image(3, 3, 1)], code: 'spatial-underflow', param: 'kernelSize', says: /smaller kernel/ },
    { name: 'dilated kernel larger than the input', params: { dilationRate: [4, 4] }, inputs: [image(8, 8, 1)], code: 'spatial-underflow', param: 'kernelSize', says: /9×9 window/ },
    { name: 'strides with dilation', params: { strides: [2, 2], dilationRate: [2, 2] }, inputs: [image(28, 28, 1)], code: 'param-out-of-range', param: 'dilationRate', says: /Set one of them to 1/ },
    { name: 'zero filters', params: { filters: 0 }, inputs: [image(28, 28, 1)], code: 'param-out-of-range', param: 'filters', says: /at least 1/ },
    { name: 'unknown padding', params: { padding: 'full' }, inputs: [image(28, 28, 1)], code: 'param-invalid', param: 'padding', says: /"valid", "same"/ },
  ],
  DepthwiseConv2D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'kernel larger than the input', params: { kernelSize: [3, 5] }, inputs: [image(9, 4, 2)], code: 'spatial-underflow', param: 'kernelSize', says: /smaller kernel/ },
    { name: 'strides with dilation', params: { strides: [1, 2], dilationRate: [2, 1] }, inputs: [image(28, 28, 1)], code: 'param-out-of-range', param: 'dilationRate', says: /Set one of them to 1/ },
    { name: 'zero multiplier', params: { depthMultiplier: 0 }, inputs: [image(28, 28, 1)], code: 'param-out-of-range', param: 'depthMultiplier', says: /at least 1/ },
  ],
  SeparableConv2D: [
    { name: 'rank 3 input', params: {}, inputs: [[null, 10, 3]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'kernel larger than the input', params: { kernelSize: [7, 7] }, inputs: [image(6, 6, 2)], code: 'spatial-underflow', param: 'kernelSize', says: /"same" padding/ },
    { name: 'strides with dilation', params: { strides: [2, 2], dilationRate: [3, 3] }, inputs: [image(28, 28, 1)], code: 'param-out-of-range', param: 'dilationRate', says: /Set one of them to 1/ },
    { name: 'zero stride', params: { strides: [0, 1] }, inputs: [image(28, 28, 1)], code: 'param-out-of-range', param: 'strides', says: /at least 1/ },
  ],
  MaxPooling2D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'window larger than the input', params: { poolSize: [3, 3] }, inputs: [image(2, 2, 1)], code: 'spatial-underflow', param: 'poolSize', says: /"same" padding/ },
  ],
  AveragePooling2D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'window larger than the input', params: { poolSize: [1, 4], strides: [1, 1] }, inputs: [image(5, 3, 1)], code: 'spatial-underflow', param: 'poolSize', says: /larger input/ },
    { name: 'pool size too large', params: { poolSize: [65, 65] }, inputs: [image(100, 100, 1)], code: 'param-out-of-range', param: 'poolSize', says: /at most 64/ },
  ],
  GlobalAveragePooling2D: [{ name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ }],
  GlobalMaxPooling2D: [{ name: 'rank 3 input', params: {}, inputs: [[null, 10, 4]], code: 'rank-mismatch', says: /Reshape or Flatten/ }],
  ZeroPadding2D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'negative padding', params: { widthPadding: [-1, 0] }, inputs: [image(5, 5, 1)], code: 'param-out-of-range', param: 'widthPadding', says: /at least 0/ },
  ],
  Dense: [
    { name: 'no feature axis', params: {}, inputs: [[null]], code: 'rank-mismatch', says: /feature axis/ },
    { name: 'unknown last axis', params: {}, inputs: [[null, 4, null]], code: 'unknown-dimension', says: /Flatten/ },
    { name: 'zero units', params: { units: 0 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'units', says: /at least 1/ },
  ],
  Flatten: [{ name: 'unknown dimension', params: {}, inputs: [[null, null, 3]], code: 'unknown-dimension', says: /known/ }],
  Reshape: [
    { name: 'element count differs', params: { targetShape: [28, 28, 2] }, inputs: [[null, 784]], code: 'reshape-size-mismatch', param: 'targetShape', says: /product of the target sizes 784/ },
    { name: '−1 cannot divide', params: { targetShape: [-1, 3] }, inputs: [[null, 10]], code: 'reshape-size-mismatch', param: 'targetShape', says: /divide 10/ },
    { name: 'two −1', params: { targetShape: [-1, -1] }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'targetShape', says: /only once/ },
    { name: 'a zero', params: { targetShape: [0, 10] }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'targetShape', says: /cannot contain 0/ },
    { name: 'below −1', params: { targetShape: [-2, 5] }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'targetShape', says: /at least -1/ },
    { name: 'unknown input dimension', params: { targetShape: [-1] }, inputs: [[null, null, 3]], code: 'unknown-dimension', says: /known/ },
  ],
  Dropout: [
    { name: 'rate 1', params: { rate: 1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'rate', says: /less than 1/ },
    { name: 'negative rate', params: { rate: -0.1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'rate', says: /at least 0/ },
  ],
  BatchNormalization: [
    { name: 'batch axis', params: { axis: 0 }, inputs: [image(4, 4, 3)], code: 'param-out-of-range', param: 'axis', says: /Use −1/ },
    { name: 'axis past the rank', params: { axis: 2 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'axis', says: /Use −1/ },
    { name: 'zero epsilon', params: { epsilon: 0 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'epsilon', says: /greater than 0/ },
    { name: 'momentum above 1', params: { momentum: 1.5 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'momentum', says: /at most 1/ },
    { name: 'unknown channels', params: {}, inputs: [[null, 4, null]], code: 'unknown-dimension', says: /known size/ },
  ],
  Subtract: [{ name: 'different shapes', params: {}, inputs: [image(4, 4, 3), image(4, 4, 6)], code: 'merge-shape-mismatch', says: /Make the branches match/ }],
  Multiply: [{ name: 'different shapes', params: {}, inputs: [image(4, 4, 3), image(4, 4, 6)], code: 'merge-shape-mismatch', says: /Make the branches match/ }],
  Average: [{ name: 'different shapes', params: {}, inputs: [image(4, 4, 3), image(4, 4, 6)], code: 'merge-shape-mismatch', says: /Make the branches match/ }],
  Maximum: [{ name: 'different shapes', params: {}, inputs: [image(4, 4, 3), image(4, 4, 6)], code: 'merge-shape-mismatch', says: /Make the branches match/ }],
  Minimum: [{ name: 'different shapes', params: {}, inputs: [image(4, 4, 3), image(4, 4, 6)], code: 'merge-shape-mismatch', says: /Make the branches match/ }],
  ReLU: [{ name: 'negative cap', params: { maxValue: -1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'maxValue', says: /at least 0/ }],
  LeakyReLU: [{ name: 'negative slope below 0', params: { negativeSlope: -1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'negativeSlope', says: /at least 0/ }],
  ELU: [{ name: 'negative alpha', params: { alpha: -1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'alpha', says: /at least 0/ }],
  Softmax: [{ name: 'batch axis', params: { axis: 0 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'axis', says: /Use -1/ }],
  Rescaling: [],
  Permute: [{ name: 'not a reordering', params: { dims: [1, 1] }, inputs: [[null, 4, 5]], code: 'param-out-of-range', param: 'dims', says: /each once/ }],
  RepeatVector: [{ name: 'image input', params: {}, inputs: [image(4, 4, 3)], code: 'rank-mismatch', says: /Flatten it first/ }],
  PReLU: [
    { name: 'shared axis past the rank', params: { sharedAxes: [3] }, inputs: [[null, 4, 5]], code: 'param-out-of-range', param: 'sharedAxes', says: /Remove it/ },
    { name: 'batch axis shared', params: { sharedAxes: [0] }, inputs: [[null, 4, 5]], code: 'param-out-of-range', param: 'sharedAxes', says: /at least 1/ },
    { name: 'axis named twice', params: { sharedAxes: [1, 1] }, inputs: [image(4, 4, 3)], code: 'param-out-of-range', param: 'sharedAxes', says: /each axis once/ },
    { name: 'unknown size not shared', params: {}, inputs: [[null, null, 3]], code: 'unknown-dimension', says: /Share the unknown axes/ },
  ],
  LayerNormalization: [
    { name: 'batch axis', params: { axis: 0 }, inputs: [image(4, 4, 3)], code: 'param-out-of-range', param: 'axis', says: /Use −1/ },
    { name: 'zero epsilon', params: { epsilon: 0 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'epsilon', says: /greater than 0/ },
    { name: 'unknown size', params: {}, inputs: [[null, 4, null]], code: 'unknown-dimension', says: /known size/ },
  ],
  Embedding: [
    { name: 'image input', params: {}, inputs: [image(4, 4, 3)], code: 'rank-mismatch', says: /Input whose shape is \[sequence length\]/ },
    { name: 'empty vocabulary', params: { inputDim: 0 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'inputDim', says: /at least 1/ },
    { name: 'vocabulary past float32 integers', params: { inputDim: 2 ** 24 + 1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'inputDim', says: /at most 16777216/ },
  ],
  GaussianNoise: [{ name: 'negative stddev', params: { stddev: -1 }, inputs: [[null, 10]], code: 'param-out-of-range', param: 'stddev', says: /at least 0/ }],
  SpatialDropout2D: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /Reshape or Flatten/ },
    { name: 'rate 1', params: { rate: 1 }, inputs: [image(4, 4, 3)], code: 'param-out-of-range', param: 'rate', says: /less than 1/ },
  ],
  Activation: [{ name: 'unknown function', params: { activation: 'gelu_new' }, inputs: [[null, 10]], code: 'param-invalid', param: 'activation', says: /"relu"/ }],
  Add: [{ name: 'different shapes', params: {}, inputs: [image(4, 4, 3), image(4, 4, 6)], code: 'add-shape-mismatch', says: /1×1 Conv 2D projection/ }],
  Concatenate: [
    { name: 'different spatial sizes', params: {}, inputs: [image(28, 28, 3), image(14, 14, 3)], code: 'concat-mismatch', says: /Resize or pad/ },
    { name: 'batch axis', params: { axis: 0 }, inputs: [[null, 3], [null, 3]], code: 'param-out-of-range', param: 'axis', says: /Use -1/ },
  ],
  InceptionBlock: [
    { name: 'vector input', params: {}, inputs: [[null, 784]], code: 'rank-mismatch', says: /^Inception Block › branch 1×1: .*Reshape or Flatten/ },
    { name: 'zero filters', params: { conv5x5: 0 }, inputs: [image(28, 28, 192)], code: 'param-out-of-range', param: 'conv5x5', says: /at least 1/ },
  ],
  ResidualBlock: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /^Residual Block › conv 3×3: .*Reshape or Flatten/ },
    { name: 'zero stride', params: { strides: 0 }, inputs: [image(8, 8, 4)], code: 'param-out-of-range', param: 'strides', says: /at least 1/ },
    { name: 'unknown variant', params: { variant: 'wide' }, inputs: [image(8, 8, 4)], code: 'param-invalid', param: 'variant', says: /"basic", "bottleneck"/ },
  ],
  InvertedResidualBlock: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /^Inverted Residual Block › expand 1×1 \(×6\): .*Reshape or Flatten/ },
    { name: 'stride 3', params: { strides: 3 }, inputs: [image(8, 8, 4)], code: 'param-out-of-range', param: 'strides', says: /at most 2/ },
  ],
  DenseBlock: [
    { name: 'vector input', params: {}, inputs: [[null, 10]], code: 'rank-mismatch', says: /^Dense Block › layer 1 bottleneck 1×1: .*Reshape or Flatten/ },
    { name: 'zero growth', params: { growthRate: 0 }, inputs: [image(8, 8, 4)], code: 'param-out-of-range', param: 'growthRate', says: /at least 1/ },
  ],
  TransitionBlock: [
    { name: 'compression 0', params: { compression: 0 }, inputs: [image(8, 8, 4)], code: 'param-out-of-range', param: 'compression', says: /greater than 0/ },
    { name: '1×1 image', params: {}, inputs: [image(1, 1, 4)], code: 'spatial-underflow', says: /Transition Block › average pool 2×2: / },
  ],
};

describe('layer registry', () => {
  it('registers every listed kind under its own name', () => {
    expect(kinds.sort()).toEqual([...layerKindNames].sort());
    for (const kind of layerKindNames) expect(layerRegistry[kind].kind).toBe(kind);
  });
});

describe.each(kinds)('%s definition', (kind) => {
  const def = layerRegistry[kind];

  it('has palette metadata and a labelled parameter form', () => {
    expect(def.label.length).toBeGreaterThan(1);
    expect(def.summary.length).toBeGreaterThan(20);
    expect(Object.keys(categoryLabels)).toContain(def.category);
    expect(def.inputs.min).toBeLessThanOrEqual(def.inputs.max);
    for (const spec of Object.values(def.params)) expect(spec.label.length).toBeGreaterThan(0);
    expect(typeof def.describe(defaultParams(def.params))).toBe('string');
  });

  it('accepts its own defaults', () => {
    for (const [name, spec] of Object.entries(def.params)) {
      expect(checkParamType(name, spec, spec.default), name).toBeNull();
      expect(checkParamRange(name, spec, spec.default), name).toBeNull();
    }
    expect(def.validate?.(defaultParams(def.params)) ?? null).toBeNull();
  });

  it('is either a primitive with formulas and a Keras config, or a composite that expands', () => {
    if (isComposite(def)) {
      expect(def.keras).toBeUndefined();
    } else {
      expect(typeof def.inferShape).toBe('function');
      expect(typeof def.paramCount).toBe('function');
      expect(typeof def.keras).toBe('function');
      expect(def.keras!(defaultParams(def.params)).className).toBe(kind === 'Input' ? 'InputLayer' : kind);
    }
  });

  it.each(shapeCases[kind].map((c) => [c.name, c] as const))('infers the shape and count: %s', (_name, c) => {
    const outcome = analyzeLayer(def, c.params, c.inputs);
    expect(outcome.problems).toEqual([]);
    expect(outcome.shape).toEqual(c.shape);
    expect(outcome.count).toEqual({ trainable: c.trainable, nonTrainable: c.nonTrainable ?? 0 });
    expect(outcome.macs).toBeGreaterThanOrEqual(0);
  });

  it.each(diagnosticCases[kind].map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
    const outcome = analyzeLayer(def, c.params, c.inputs);
    expect(outcome.shape).toBeNull();
    expect(outcome.problems).toHaveLength(1);
    const problem = outcome.problems[0]!;
    expect(problem.code).toBe(c.code);
    if (c.param) expect(problem.param).toBe(c.param);
    expect(problem.message).toMatch(c.says);
  });
});

describe('multiply-adds', () => {
  it('follows the usual formulas', () => {
    const macs = (kind: LayerKindName, params: Record<string, unknown>, inputs: Shape[]): number => analyzeLayer(layerRegistry[kind], params, inputs).macs;
    expect(macs('Conv2D', { filters: 6, kernelSize: [5, 5], padding: 'same' }, [image(28, 28, 1)])).toBe(28 * 28 * 6 * 25);
    expect(macs('DepthwiseConv2D', { depthMultiplier: 2 }, [image(10, 10, 3)])).toBe(8 * 8 * 6 * 9);
    expect(macs('SeparableConv2D', { filters: 4 }, [image(10, 10, 3)])).toBe(8 * 8 * 3 * 9 + 8 * 8 * 3 * 4);
    expect(macs('Dense', { units: 10 }, [[null, 84]])).toBe(840);
    expect(macs('Conv1D', { filters: 4, kernelSize: 3 }, [[null, 10, 2]])).toBe(8 * 4 * 3 * 2);
    expect(macs('Conv2DTranspose', { filters: 4, strides: [2, 2], padding: 'same' }, [image(5, 5, 3)])).toBe(5 * 5 * 9 * 3 * 4);
    expect(macs('MaxPooling2D', {}, [image(4, 4, 1)])).toBe(0);
  });
});

describe('input counts through analyzeGraph', () => {
  /** An Input of [8, 8, 4] wired `edges` times into one node of `kind`, followed by a Flatten so the node is never isolated. */
  function wired(kind: LayerKindName, edges: number): Graph {
    const nodes: Graph['nodes'] = [
      { id: 'in', kind: 'Input', params: { shape: [8, 8, 4] }, position: { x: 0, y: 0 } },
      { id: 'x', kind, params: {}, position: { x: 0, y: 100 } },
      { id: 'after', kind: 'Flatten', params: {}, position: { x: 0, y: 200 } },
    ];
    const graphEdges: Graph['edges'] = [{ id: 'x-after', source: 'x', target: 'after', sourcePort: 'out', targetPort: 'in' }];
    for (let i = 0; i < edges; i++) graphEdges.push({ id: `in-x-${i}`, source: 'in', target: 'x', sourcePort: 'out', targetPort: 'in' });
    return { nodes, edges: graphEdges };
  }

  it.each(kinds.filter((k) => layerRegistry[k].inputs.min > 0))('%s with too few inputs', (kind) => {
    const def = layerRegistry[kind];
    const analysis = analyzeGraph(wired(kind, def.inputs.min - 1));
    const found = analysis.diagnostics.filter((d) => d.nodeId === 'x');
    expect(found.map((d) => d.code)).toEqual(['missing-input']);
    expect(found[0]!.message).toMatch(/Connect \d+ more/);
    expect(analysis.nodes.get('x')!.outputShape).toBeNull();
  });

  it.each(kinds)('%s with too many inputs', (kind) => {
    const def = layerRegistry[kind];
    const analysis = analyzeGraph(wired(kind, def.inputs.max + 1));
    const found = analysis.diagnostics.filter((d) => d.nodeId === 'x');
    expect(found.map((d) => d.code)).toEqual(['too-many-inputs']);
    expect(analysis.nodes.get('x')!.outputShape).toBeNull();
  });
});

describe('TensorFlow.js agrees with every primitive kind', () => {
  const primitiveCases = kinds
    .filter((k) => !isComposite(layerRegistry[k]))
    .flatMap((kind) => shapeCases[kind].map((c) => [`${kind}: ${c.name}`, kind, c] as const));

  it('covers several parameter sets of every primitive kind', () => {
    // Kinds TensorFlow.js has no layer for (no tfjsFactory) cannot be compared.
    for (const kind of kinds.filter((k) => !isComposite(layerRegistry[k]) && layerRegistry[k].tfjsFactory)) {
      expect(shapeCases[kind].filter((c) => !c.skipTfjs).length, kind).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(primitiveCases)('%s', (_name, kind, c) => {
    if (c.skipTfjs) {
      console.info(`not compared with TensorFlow.js (${kind}: ${c.name}): ${c.skipTfjs}`);
      return;
    }
    const def = layerRegistry[kind];
    const params = resolveParams(def.params, c.params).params;
    // The config the compiler hands TensorFlow.js: ours, with the renames of tfjs-workarounds.ts applied.
    const ours = def.keras!(params);
    const keras = { className: ours.className, config: tfjsConfigFix({ kind, config: ours.config, outputShape: c.shape }).config };
    const layer = tfLayer(keras);
    // The factory builds the class we name, so compiled models and exported code agree on it.
    expect(layer.getClassName()).toBe(tfjsStandIns[keras.className] ?? keras.className);
    let shape: Shape;
    if (kind === 'Input') {
      shape = layer.outputShape as Shape;
    } else {
      const inputs = c.inputs.map(symbolicInput);
      const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor;
      shape = out.shape;
    }
    expect(shape).toEqual(c.shape);
    expect(tfCounts(layer)).toEqual({ trainable: c.trainable, nonTrainable: c.nonTrainable ?? 0 });
    // Every key we pass is one the layer knows: it comes back from getConfig() with our value.
    // tfjs 4.22 SeparableConv2D.getConfig() drops depthMultiplier, so fall back to the layer's own field.
    const config = layer.getConfig() as Record<string, unknown>;
    const fields = layer as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(keras.config)) {
      const expected = key === 'targetShape' ? (value as number[]).map((d) => (d === -1 ? null : d)) : value;
      expect(key in config ? config[key] : fields[key], `${kind}.${key}`).toEqual(expected);
    }
  });
});
