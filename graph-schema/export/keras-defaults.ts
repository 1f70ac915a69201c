/**
 * Config values equal to the Keras / TensorFlow.js defaults (identical in
 * both), left out of generated code so that it reads like hand-written code.
 * Pooling strides are never left out: their default is the pool size.
 */
const convDefaults = { strides: [1, 1], padding: 'valid', dilationRate: [1, 1], activation: 'linear', useBias: true };

const defaults: Record<string, Record<string, unknown>> = {
  Conv2D: convDefaults,
  DepthwiseConv2D: { ...convDefaults, depthMultiplier: 1 },
  SeparableConv2D: { ...convDefaults, depthMultiplier: 1 },
  Dense: { activation: 'linear', useBias: true },
  BatchNormalization: { axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true },
  Concatenate: { axis: -1 },
  ReLU: { maxValue: null, negativeSlope: 0, threshold: 0 },
  LeakyReLU: { negativeSlope: 0.3 },
  ELU: { alpha: 1 },
  // Softmax's axis is always written: tf.layers.softmax defaults to axis 1, Keras to -1.
  Rescaling: { offset: 0 },
  Conv2DTranspose: { ...convDefaults, outputPadding: null },
  UpSampling2D: { interpolation: 'nearest' },
  MaxPooling1D: { padding: 'valid' },
  AveragePooling1D: { padding: 'valid' },
  Conv1D: { strides: [1], padding: 'valid', dilationRate: [1], activation: 'linear', useBias: true },
  MaxPooling2D: { padding: 'valid' },
  AveragePooling2D: { padding: 'valid' },
  PReLU: { sharedAxes: null },
  LayerNormalization: { axis: -1, epsilon: 0.001, center: true, scale: true },
};

/** The config entries that differ from the defaults, in config order. */
export function nonDefaultConfig(className: string, config: Record<string, unknown>): [string, unknown][] {
  const known = defaults[className] ?? {};
  return Object.entries(config).filter(([key, value]) => !(key in known) || JSON.stringify(known[key]) !== JSON.stringify(value));
}
