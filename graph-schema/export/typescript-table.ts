import type { TargetTable } from '../target-table';
import { expands, unsupported } from '../target-table';
import { tfjsMissingLayers } from '../tfjs-workarounds';

/** `tf.layers.<def.tfjsFactory>(config)`, with graph-schema/tfjs-workarounds.ts applied. */
export type TypescriptLayer = 'tf.layers';

/**
 * The TypeScript (TensorFlow.js) export target: how each kind is written, `expands` for blocks, or
 * `unsupported(reason)`. Activations and TensorFlow.js bugs are shared with the compiler
 * (`tfjsActivations`, `tfjsRefusal` in graph-schema/tfjs-workarounds.ts).
 */
export const typescriptTable: TargetTable<TypescriptLayer> = {
  Input: 'tf.layers',
  Conv2D: 'tf.layers',
  Conv2DTranspose: 'tf.layers',
  GlobalMaxPooling1D: 'tf.layers',
  GlobalAveragePooling1D: 'tf.layers',
  AveragePooling1D: 'tf.layers',
  MaxPooling1D: 'tf.layers',
  Cropping2D: 'tf.layers',
  UpSampling2D: 'tf.layers',
  Conv1D: 'tf.layers',
  DepthwiseConv2D: 'tf.layers',
  SeparableConv2D: 'tf.layers',
  MaxPooling2D: 'tf.layers',
  AveragePooling2D: 'tf.layers',
  GlobalAveragePooling2D: 'tf.layers',
  GlobalMaxPooling2D: 'tf.layers',
  ZeroPadding2D: 'tf.layers',
  Dense: 'tf.layers',
  Flatten: 'tf.layers',
  Reshape: 'tf.layers',
  Dropout: 'tf.layers',
  BatchNormalization: 'tf.layers',
  Activation: 'tf.layers',
  Add: 'tf.layers',
  Concatenate: 'tf.layers',
  Subtract: unsupported(tfjsMissingLayers.Subtract),
  Multiply: 'tf.layers',
  Average: 'tf.layers',
  Maximum: 'tf.layers',
  Minimum: 'tf.layers',
  ReLU: 'tf.layers',
  LeakyReLU: 'tf.layers',
  ELU: 'tf.layers',
  Softmax: 'tf.layers',
  Rescaling: 'tf.layers',
  Permute: 'tf.layers',
  RepeatVector: 'tf.layers',
  PReLU: 'tf.layers',
  LayerNormalization: 'tf.layers',
  Embedding: 'tf.layers',
  GaussianNoise: 'tf.layers',
  SpatialDropout2D: 'tf.layers',
  InceptionBlock: expands,
  ResidualBlock: expands,
  InvertedResidualBlock: expands,
  DenseBlock: expands,
  TransitionBlock: expands,
};
