import * as tf from '@tensorflow/tfjs';
import type { TargetTable } from '../../graph-schema/target-table';
import { expands, unsupported } from '../../graph-schema/target-table';
import { tfjsMissingLayers } from '../../graph-schema/tfjs-workarounds';

/** A TensorFlow.js layer factory, `tf.layers.<name>`, taking the kind's Keras config. */
export type TfjsLayerFactory = (config: never) => tf.layers.Layer;

/**
 * The TensorFlow.js compile target: each kind's layer factory (it must be `tf.layers[def.tfjsFactory]`,
 * which a test checks), `expands` for blocks, or `unsupported(reason)`. A new kind is a type error here
 * until it has an entry. Refusals and config fixes for TensorFlow.js bugs live in graph-schema/tfjs-workarounds.ts.
 */
export const tfjsCompileTable: TargetTable<TfjsLayerFactory> = {
  Input: tf.layers.inputLayer,
  Conv2D: tf.layers.conv2d,
  Conv2DTranspose: tf.layers.conv2dTranspose,
  GlobalMaxPooling1D: tf.layers.globalMaxPooling1d,
  GlobalAveragePooling1D: tf.layers.globalAveragePooling1d,
  AveragePooling1D: tf.layers.averagePooling1d,
  MaxPooling1D: tf.layers.maxPooling1d,
  Cropping2D: tf.layers.cropping2D,
  UpSampling2D: tf.layers.upSampling2d,
  Conv1D: tf.layers.conv1d,
  DepthwiseConv2D: tf.layers.depthwiseConv2d,
  SeparableConv2D: tf.layers.separableConv2d,
  MaxPooling2D: tf.layers.maxPooling2d,
  AveragePooling2D: tf.layers.averagePooling2d,
  GlobalAveragePooling2D: tf.layers.globalAveragePooling2d,
  GlobalMaxPooling2D: tf.layers.globalMaxPooling2d,
  ZeroPadding2D: tf.layers.zeroPadding2d,
  Dense: tf.layers.dense,
  Flatten: tf.layers.flatten,
  Reshape: tf.layers.reshape,
  Dropout: tf.layers.dropout,
  BatchNormalization: tf.layers.batchNormalization,
  Activation: tf.layers.activation,
  Add: tf.layers.add,
  Concatenate: tf.layers.concatenate,
  Subtract: unsupported(tfjsMissingLayers.Subtract),
  Multiply: tf.layers.multiply,
  Average: tf.layers.average,
  Maximum: tf.layers.maximum,
  Minimum: tf.layers.minimum,
  ReLU: tf.layers.reLU,
  LeakyReLU: tf.layers.leakyReLU,
  ELU: tf.layers.elu,
  Softmax: tf.layers.softmax,
  Rescaling: tf.layers.rescaling,
  Permute: tf.layers.permute,
  RepeatVector: tf.layers.repeatVector,
  PReLU: tf.layers.prelu,
  LayerNormalization: tf.layers.layerNormalization,
  Embedding: tf.layers.embedding,
  GaussianNoise: tf.layers.gaussianNoise,
  // No SpatialDropout2D in TensorFlow.js 4.22: a Dropout with its mask shared over height and width (see tfjsConfigFix).
  SpatialDropout2D: tf.layers.dropout,
  InceptionBlock: expands,
  ResidualBlock: expands,
  InvertedResidualBlock: expands,
  DenseBlock: expands,
  TransitionBlock: expands,
};
