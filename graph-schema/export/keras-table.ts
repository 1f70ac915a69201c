import type { ActivationTable, TargetTable } from '../target-table';
import { expands } from '../target-table';

/** `layers.<className>(snake_case config)` with the kind's Keras config. */
export type KerasLayer = 'layers';

/** The Python Keras export target: how each kind is written, `expands` for blocks, or `unsupported(reason)`. */
export const kerasTable: TargetTable<KerasLayer> = {
  Input: 'layers',
  Conv2D: 'layers',
  DepthwiseConv2D: 'layers',
  SeparableConv2D: 'layers',
  MaxPooling2D: 'layers',
  AveragePooling2D: 'layers',
  GlobalAveragePooling2D: 'layers',
  GlobalMaxPooling2D: 'layers',
  ZeroPadding2D: 'layers',
  Dense: 'layers',
  Flatten: 'layers',
  Reshape: 'layers',
  Dropout: 'layers',
  BatchNormalization: 'layers',
  Activation: 'layers',
  Add: 'layers',
  Concatenate: 'layers',
  Subtract: 'layers',
  Multiply: 'layers',
  Average: 'layers',
  Maximum: 'layers',
  Minimum: 'layers',
  ReLU: 'layers',
  LeakyReLU: 'layers',
  ELU: 'layers',
  Softmax: 'layers',
  Rescaling: 'layers',
  Permute: 'layers',
  RepeatVector: 'layers',
  InceptionBlock: expands,
  ResidualBlock: expands,
};

/** Keras' names of the named activations (`activation="…"`), or why Keras has none. */
export const kerasActivations: ActivationTable<string> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softmax: 'softmax',
  swish: 'swish',
  relu6: 'relu6',
  gelu: 'gelu',
  hard_sigmoid: 'hard_sigmoid',
  hard_swish: 'hard_swish',
  softplus: 'softplus',
  softsign: 'softsign',
  mish: 'mish',
};
