import type { LayerDef } from './layer-def';
import { activationLayer } from './kinds/activation';
import { addLayer } from './kinds/add';
import { averagePooling2dLayer } from './kinds/average-pooling-2d';
import { batchNormalizationLayer } from './kinds/batch-normalization';
import { concatenateLayer } from './kinds/concatenate';
import { conv2dLayer } from './kinds/conv2d';
import { conv2dTransposeLayer } from './kinds/conv2d-transpose';
import { globalAveragePooling1dLayer, globalMaxPooling1dLayer } from './kinds/global-pooling-1d';
import { averagePooling1dLayer, maxPooling1dLayer } from './kinds/pooling-1d';
import { cropping2dLayer } from './kinds/cropping-2d';
import { upSampling2dLayer } from './kinds/up-sampling-2d';
import { conv1dLayer } from './kinds/conv1d';
import { denseLayer } from './kinds/dense';
import { depthwiseConv2dLayer } from './kinds/depthwise-conv2d';
import { dropoutLayer } from './kinds/dropout';
import { flattenLayer } from './kinds/flatten';
import { globalAveragePooling2dLayer, globalMaxPooling2dLayer } from './kinds/global-pooling-2d';
import { inceptionBlockLayer } from './kinds/inception-block';
import { invertedResidualBlockLayer } from './kinds/inverted-residual-block';
import { denseBlockLayer } from './kinds/dense-block';
import { transitionBlockLayer } from './kinds/transition-block';
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
import { preluLayer } from './kinds/prelu';
import { layerNormalizationLayer } from './kinds/layer-normalization';
import { embeddingLayer } from './kinds/embedding';
import { gaussianNoiseLayer } from './kinds/gaussian-noise';
import { spatialDropout2dLayer } from './kinds/spatial-dropout-2d';

/** Every layer kind the app knows. Adding a kind: one file under kinds/, one name here, one line in `layerRegistry`. */
export const layerKindNames = [
  'Input',
  'Conv2D',
  'Conv2DTranspose',
  'Conv1D',
  'UpSampling2D',
  'Cropping2D',
  'MaxPooling1D',
  'AveragePooling1D',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling1D',
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
  'PReLU',
  'LayerNormalization',
  'Embedding',
  'GaussianNoise',
  'SpatialDropout2D',
  'InceptionBlock',
  'ResidualBlock',
  'InvertedResidualBlock',
  'DenseBlock',
  'TransitionBlock',
] as const;

export type LayerKindName = (typeof layerKindNames)[number];

// The mapped type makes a missing or misspelt entry a type error.
export const layerRegistry: { readonly [K in LayerKindName]: LayerDef } = {
  Input: inputLayer,
  Conv2D: conv2dLayer,
  Conv2DTranspose: conv2dTransposeLayer,
  GlobalMaxPooling1D: globalMaxPooling1dLayer,
  GlobalAveragePooling1D: globalAveragePooling1dLayer,
  AveragePooling1D: averagePooling1dLayer,
  MaxPooling1D: maxPooling1dLayer,
  Cropping2D: cropping2dLayer,
  UpSampling2D: upSampling2dLayer,
  Conv1D: conv1dLayer,
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
  PReLU: preluLayer,
  LayerNormalization: layerNormalizationLayer,
  Embedding: embeddingLayer,
  GaussianNoise: gaussianNoiseLayer,
  SpatialDropout2D: spatialDropout2dLayer,
  InceptionBlock: inceptionBlockLayer,
  ResidualBlock: residualBlockLayer,
  InvertedResidualBlock: invertedResidualBlockLayer,
  DenseBlock: denseBlockLayer,
  TransitionBlock: transitionBlockLayer,
};

export function isLayerKind(kind: string): kind is LayerKindName {
  return Object.prototype.hasOwnProperty.call(layerRegistry, kind);
}

export function getLayerDef(kind: string): LayerDef | undefined {
  return isLayerKind(kind) ? layerRegistry[kind] : undefined;
}
