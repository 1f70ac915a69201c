import * as tf from '@tensorflow/tfjs';
import type { KerasLayerConfig } from '../../graph-schema/layer-def';
import type { Shape } from '../../graph-schema/shape';

/** TensorFlow.js factory of a Keras class name, spelt independently of the app: Conv2D → conv2d, BatchNormalization → batchNormalization. */
export function factoryName(className: string): string {
  return (className.charAt(0).toLowerCase() + className.slice(1)).replace(/2D$/, '2d');
}

type LayerFactory = (config: Record<string, unknown>) => tf.layers.Layer;

/** Builds a layer from our Keras config through `tf.layers.<factory>(config)`; throws if there is no such factory. */
export function tfLayer(keras: KerasLayerConfig, extra: Record<string, unknown> = {}): tf.layers.Layer {
  const factory = (tf.layers as unknown as Record<string, LayerFactory | undefined>)[factoryName(keras.className)];
  if (!factory) throw new Error(`tf.layers has no factory ${factoryName(keras.className)} for ${keras.className}`);
  return factory({ ...structuredClone(keras.config), ...extra });
}

export function symbolicInput(shape: Shape): tf.SymbolicTensor {
  return tf.input({ shape: shape.slice(1) as number[] });
}

export function weightCount(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

/** Trainable and non-trainable weight counts as TensorFlow.js reports them for a layer or a model. */
export function tfCounts(layer: tf.layers.Layer | tf.LayersModel): { trainable: number; nonTrainable: number } {
  return { trainable: weightCount(layer.trainableWeights), nonTrainable: weightCount(layer.nonTrainableWeights) };
}
