import * as tf from '@tensorflow/tfjs';
import type { KerasLayerConfig } from '../../graph-schema/layer-def';
import { getLayerDef } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { tfjsStandIns } from '../../graph-schema/tfjs-workarounds';

type LayerFactory = (config: Record<string, unknown>) => tf.layers.Layer;

/**
 * Builds a layer from our Keras config through the kind's stated factory, `tf.layers.<def.tfjsFactory>(config)`,
 * and checks TensorFlow.js built the class the config names (so a wrong factory cannot pass unnoticed).
 */
export function tfLayer(keras: KerasLayerConfig, extra: Record<string, unknown> = {}): tf.layers.Layer {
  const def = getLayerDef(keras.className === 'InputLayer' ? 'Input' : keras.className);
  if (!def?.tfjsFactory) throw new Error(`${keras.className} states no TensorFlow.js factory`);
  const factory = (tf.layers as unknown as Record<string, LayerFactory | undefined>)[def.tfjsFactory];
  if (!factory) throw new Error(`tf.layers has no factory ${def.tfjsFactory} for ${keras.className}`);
  const layer = factory({ ...structuredClone(keras.config), ...extra });
  // A kind TensorFlow.js has no class for builds its stated stand-in (tfjs-workarounds.ts), nothing else.
  const expected = tfjsStandIns[keras.className] ?? keras.className;
  if (layer.getClassName() !== expected) throw new Error(`tf.layers.${def.tfjsFactory} builds ${layer.getClassName()}, not ${expected}`);
  return layer;
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
