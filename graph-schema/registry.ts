import type { LayerDef } from './layer-def';
import { activationLayer } from './kinds/activation';
import { addLayer } from './kinds/add';
import { averagePooling2dLayer } from './kinds/average-pooling-2d';
import { batchNormalizationLayer } from './kinds/batch-normalization';
import { concatenateLayer } from './kinds/concatenate';
import { conv2dLayer } from './kinds/conv2d';
import { denseLayer } from './kinds/dense';
import { depthwiseConv2dLayer } from './kinds/depthwise-conv2d';
import { dropoutLayer } from './kinds/dropout';
import { flattenLayer } from './kinds/flatten';
import { globalAveragePooling2dLayer, globalMaxPooling2dLayer } from './kinds/global-pooling-2d';
import { inceptionBlockLayer } from './kinds/inception-block';
import { inputLayer } from './kinds/input';
import { maxPooling2dLayer } from './kinds/max-pooling-2d';
import { reshapeLayer } from './kinds/reshape';
import { residualBlockLayer } from './kinds/residual-block';
import { separableConv2dLayer } from './kinds/separable-conv2d';
import { zeroPadding2dLayer } from './kinds/zero-padding-2d';
import { averageLayer } from './kinds/average';
import { eluLayer } from './kinds/elu';
import { leakyReluLayer } from './kinds/leaky-relu';
import { maximumLayer } from './kinds/maximum';
import { minimumLayer } from './kinds/minimum';
import { multiplyLayer } from './kinds/multiply';
import { permuteLayer } from './kinds/permute';
import { reluLayer } from './kinds/relu';
import { repeatVectorLayer } from './kinds/repeat-vector';
import { rescalingLayer } from './kinds/rescaling';
import { softmaxLayer } from './kinds/softmax';
import { subtractLayer } from './kinds/subtract';

/** Every layer kind the app knows. Adding a kind: one file under kinds/, one name here, one line in `layerRegistry`. */
export const layerKindNames = [
  'Input',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'ZeroPadding2D',
  'Dense',
  'Flatten',
  'Reshape',
  'Dropout',
  'BatchNormalization',
  'Activation',
  'Add',
  'Concatenate',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'Rescaling',
  'Permute',
  'RepeatVector',
  'InceptionBlock',
  'ResidualBlock',
] as const;

export type LayerKindName = (typeof layerKindNames)[number];

// The mapped type makes a missing or misspelt entry a type error.
export const layerRegistry: { readonly [K in LayerKindName]: LayerDef } = {
  Input: inputLayer,
  Conv2D: conv2dLayer,
  DepthwiseConv2D: depthwiseConv2dLayer,
  SeparableConv2D: separableConv2dLayer,
  MaxPooling2D: maxPooling2dLayer,
  AveragePooling2D: averagePooling2dLayer,
  GlobalAveragePooling2D: globalAveragePooling2dLayer,
  GlobalMaxPooling2D: globalMaxPooling2dLayer,
  ZeroPadding2D: zeroPadding2dLayer,
  Dense: denseLayer,
  Flatten: flattenLayer,
  Reshape: reshapeLayer,
  Dropout: dropoutLayer,
  BatchNormalization: batchNormalizationLayer,
  Activation: activationLayer,
  Add: addLayer,
  Concatenate: concatenateLayer,
  Subtract: subtractLayer,
  Multiply: multiplyLayer,
  Average: averageLayer,
  Maximum: maximumLayer,
  Minimum: minimumLayer,
  ReLU: reluLayer,
  LeakyReLU: leakyReluLayer,
  ELU: eluLayer,
  Softmax: softmaxLayer,
  Rescaling: rescalingLayer,
  Permute: permuteLayer,
  RepeatVector: repeatVectorLayer,
  InceptionBlock: inceptionBlockLayer,
  ResidualBlock: residualBlockLayer,
};

export function isLayerKind(kind: string): kind is LayerKindName {
  return Object.prototype.hasOwnProperty.call(layerRegistry, kind);
}

export function getLayerDef(kind: string): LayerDef | undefined {
  return isLayerKind(kind) ? layerRegistry[kind] : undefined;
}
