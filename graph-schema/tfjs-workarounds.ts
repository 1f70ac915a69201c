import type { ActivationTable } from './target-table';
import { activationEntry, isUnsupported, unsupported } from './target-table';
import type { Shape } from './shape';

/** TensorFlow.js names of the named activations (`activation: '…'` in tf.layers configs), or why it has none. */
export const tfjsActivations: ActivationTable<string> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softmax: 'softmax',
  swish: 'swish',
  relu6: 'relu6',
  // tf.layers' gelu is the exact erf form, as Keras 3's default (approximate=False).
  gelu: 'gelu',
  hard_sigmoid: unsupported(
    "its hardSigmoid is Keras 2's clip(0.2·x + 0.5, 0, 1), not Keras 3's relu6(x + 3) / 6. Use sigmoid, or export to PyTorch or Keras.",
  ),
  hard_swish: unsupported('TensorFlow.js 4.22 has no hard_swish (x · relu6(x + 3) / 6). Use swish, or export to PyTorch or Keras.'),
  softplus: 'softplus',
  softsign: 'softsign',
  mish: 'mish',
};

/** Keras layers TensorFlow.js 4.22 has no layer for, and what to do instead (the compiler and the TypeScript export refuse them with this text). */
export const tfjsMissingLayers = {
  Subtract: 'TensorFlow.js 4.22 has no Subtract layer. Export to PyTorch, Keras or ONNX, or negate one branch (e.g. a Rescaling with scale −1) and use Add.',
} as const;

/**
 * Keras layers TensorFlow.js 4.22 has no class for but builds exactly with another one (config from
 * `tfjsConfigFix`): the kind → the TensorFlow.js class it compiles to (what a saved model.json names).
 */
export const tfjsStandIns: Readonly<Record<string, string>> = {
  // A Dropout whose mask has size 1 on height and width drops whole channels, as SpatialDropout2D does.
  SpatialDropout2D: 'Dropout',
};

/** The kind a saved TensorFlow.js layer stands in for (the inverse of `tfjsStandIns`), or null: read back as that kind. */
export function tfjsStandInKind(className: string, config: Readonly<Record<string, unknown>>): string | null {
  if (className !== 'Dropout') return null;
  const shape = config.noiseShape ?? config.noise_shape;
  const spatial = Array.isArray(shape) && shape.length === 4 && shape[0] == null && shape[1] === 1 && shape[2] === 1 && shape[3] == null;
  return spatial ? 'SpatialDropout2D' : null;
}

/**
 * What TensorFlow.js 4.22 gets wrong, in one place for the compiler and the TypeScript emitter:
 * settings it accepts but computes wrongly (refused, with one message), and config it needs
 * rewritten to build what Keras builds (fixed, with a note for generated code).
 */
export interface TfjsLayerFacts {
  /** Layer kind (the Keras class name of a primitive). */
  kind: string;
  /** The layer's Keras config in the TensorFlow.js (camelCase) spelling. */
  config: Readonly<Record<string, unknown>>;
  /** Output shape, batch first; null where not known. */
  outputShape: Shape | null;
}

export interface TfjsRefusal {
  message: string;
  /** True when TensorFlow.js builds and runs it correctly for inference, and only training goes wrong. */
  trainingOnly: boolean;
}

/** What TensorFlow.js cannot build or train correctly; null when it can. */
export function tfjsRefusal(layer: TfjsLayerFacts): TfjsRefusal | null {
  const { kind, config } = layer;
  if (kind in tfjsMissingLayers) return { message: tfjsMissingLayers[kind as keyof typeof tfjsMissingLayers], trainingOnly: false };
  if (kind === 'ELU' && (config.alpha ?? 1) !== 1) {
    // tf.layers.elu throws for any alpha but 1.
    return { message: 'TensorFlow.js 4.22 supports ELU only with alpha 1. Set alpha to 1, or export to PyTorch, Keras or ONNX.', trainingOnly: false };
  }
  if (kind === 'ReLU' && ((config.negativeSlope ?? 0) !== 0 || (config.threshold ?? 0) !== 0)) {
    // tf.layers.reLU has only maxValue.
    return {
      message: 'TensorFlow.js 4.22 has no ReLU with a negative slope or threshold (only max_value). Use a LeakyReLU for a slope, set both to 0, or export to PyTorch, Keras or ONNX.',
      trainingOnly: false,
    };
  }
  if (typeof config.activation === 'string') {
    const activation = activationEntry(tfjsActivations, config.activation);
    if (isUnsupported(activation)) return { message: `TensorFlow.js has no activation "${config.activation}": ${activation.unsupported}`, trainingOnly: false };
  }
  const dilation = config.dilationRate as readonly number[] | undefined;
  if (kind === 'UpSampling2D' && config.interpolation === 'bilinear') {
    // tf.layers.upSampling2d resizes without half-pixel centres (align_corners-style sampling), unlike Keras' tf.image.resize.
    return {
      message: 'TensorFlow.js 4.22 samples bilinear UpSampling2D without half-pixel centres, so every pixel differs from Keras. Use "nearest", or export to PyTorch, Keras or ONNX.',
      trainingOnly: false,
    };
  }
  if (kind === 'Conv2DTranspose' && ((dilation && dilation.some((d) => d > 1)) || (config.outputPadding ?? null) !== null)) {
    // tf.layers.conv2dTranspose has no output padding and ignores the dilation (shape and computation).
    return {
      message: 'TensorFlow.js 4.22 has no Conv2DTranspose with dilation or output padding. Set dilation to 1 and output padding to −1 (inferred), or export to PyTorch, Keras or ONNX.',
      trainingOnly: false,
    };
  }
  if (kind === 'DepthwiseConv2D' && dilation && dilation.some((d) => d > 1)) {
    // tf.layers.depthwiseConv2d accepts dilationRate but neither computes nor infers shapes with it.
    return {
      message: 'TensorFlow.js ignores dilation in DepthwiseConv2D, so it cannot run this layer as drawn. Set its dilation to 1, or use a SeparableConv2D or Conv2D with dilation.',
      trainingOnly: false,
    };
  }
  if (kind === 'Softmax') {
    // tf.softmax works on the last axis only and throws for any other.
    const axis = config.axis as number | undefined;
    const rank = layer.outputShape?.length;
    if (axis !== undefined && axis !== -1 && (rank === undefined || axis !== rank - 1)) {
      return { message: `TensorFlow.js 4.22 computes Softmax only along the last axis, not axis ${axis}. Set its axis to -1, or export to PyTorch, Keras or ONNX.`, trainingOnly: false };
    }
  }
  if (kind === 'LayerNormalization' && (config.center === false || config.scale === false)) {
    // tf.layers.layerNormalization hands a missing γ or β to batchNorm as null, whose gradient then throws.
    return {
      message: 'TensorFlow.js 4.22 cannot train a LayerNormalization without center or scale (its gradient fails). Turn both on, or export to PyTorch, Keras or ONNX.',
      trainingOnly: true,
    };
  }
  if (kind === 'BatchNormalization') {
    const axis = config.axis as number | undefined;
    const rank = layer.outputShape?.length;
    if (axis !== undefined && axis !== -1 && (rank === undefined || axis !== rank - 1)) {
      return { message: `TensorFlow.js computes BatchNormalization wrongly on axis ${axis}, an axis other than the last (channels). Set its axis to -1.`, trainingOnly: true };
    }
  }
  return null;
}

/** A weight TensorFlow.js's training code reads although the layer has none: stands in as a constant. */
export interface TfjsConstantWeight {
  /** The layer attribute TensorFlow.js reads (`gamma`, `beta`). */
  attribute: string;
  value: number;
  /** Length of the constant vector (the normalized axis). */
  size: number;
}

/** A config rewrite TensorFlow.js needs; `notes` explain it in generated code. */
export interface TfjsConfigFix {
  config: Record<string, unknown>;
  notes: string[];
  /** Constants to attach to the built layer (not weights: the counts stay those Keras reports). */
  constants: TfjsConstantWeight[];
}

/** The config to hand TensorFlow.js so it builds what Keras builds. */
export function tfjsConfigFix(layer: TfjsLayerFacts): TfjsConfigFix {
  const config = structuredClone(layer.config) as Record<string, unknown>;
  const notes: string[] = [];
  const constants: TfjsConstantWeight[] = [];
  const shape = layer.outputShape;
  if (layer.kind === 'Concatenate' && shape) {
    const axis = config.axis as number | undefined;
    if (axis !== undefined && axis < -1) {
      // tf.layers.concatenate joins on the last axis for every negative axis: count from the front.
      config.axis = shape.length + axis;
      notes.push(`Axis ${axis} counted from the front (${shape.length + axis}).`);
    }
  }
  if (layer.kind === 'ReLU') {
    // tf.layers.reLU knows only maxValue (undefined: no cap); the refused settings are 0 here.
    delete config.negativeSlope;
    delete config.threshold;
    if (config.maxValue === null) delete config.maxValue;
  }
  if (layer.kind === 'Conv2DTranspose') {
    // tf.layers.conv2dTranspose knows neither key (the refused settings are the defaults here).
    delete config.outputPadding;
    delete config.dilationRate;
  }
  if (layer.kind === 'LeakyReLU' && 'negativeSlope' in config) {
    // TensorFlow.js keeps Keras 2's name for the slope.
    config.alpha = config.negativeSlope;
    delete config.negativeSlope;
  }
  if (layer.kind === 'Reshape' && shape) {
    const target = config.targetShape as number[];
    if (target.includes(-1)) {
      // tf.layers.reshape leaves a -1 unresolved while the batch size is unknown, which breaks the layers after it.
      config.targetShape = shape.slice(1);
      notes.push(`Target shape ${JSON.stringify(target)} with −1 resolved to ${JSON.stringify(shape.slice(1))}.`);
    }
  }
  if (layer.kind === 'BatchNormalization' && shape && (config.center === false || config.scale === false)) {
    // tf.layers.batchNormalization reads γ and β while training even when it has none: a constant γ = 1 / β = 0 is the same function.
    const axis = (config.axis as number | undefined) ?? -1;
    const size = shape[axis < 0 ? shape.length + axis : axis] as number;
    if (config.scale === false) constants.push({ attribute: 'gamma', value: 1, size });
    if (config.center === false) constants.push({ attribute: 'beta', value: 0, size });
    notes.push(`TensorFlow.js reads ${constants.map((c) => c.attribute).join(' and ')} while training even when the layer has none: a constant ${constants.map((c) => `${c.attribute} = ${c.value}`).join(', ')} stands in (no weight, same function).`);
  }
  if (layer.kind === 'LayerNormalization' && shape && typeof config.axis === 'number') {
    // tf.layers.layerNormalization rewrites its axis into a list of axes counted from the front when built: hand it that form, so the saved config reads as given.
    config.axis = [config.axis < 0 ? shape.length + config.axis : config.axis];
  }
  if (layer.kind === 'SpatialDropout2D') {
    // One mask value per example and channel, shared over height and width (null: the input's size).
    config.noiseShape = [null, 1, 1, null];
    notes.push('TensorFlow.js has no SpatialDropout2D: a Dropout whose mask is shared over height and width drops whole channels, the same layer.');
  }
  return { config, notes, constants };
}

/**
 * TensorFlow.js 4.22's predict counts each consumer of a tensor once but releases the tensor once per
 * input slot, so a layer fed the same tensor twice (Multiply(x, x), Add(x, x)) frees it while another
 * layer still needs it ("Tensor is disposed"). The compiler and the TypeScript export pass each repeat
 * through its own linear Activation (no weights, same values): this names those pass-throughs.
 */
export function repeatedInputAliases(layerName: string, inputs: readonly string[]): ({ alias: string } | null)[] {
  return inputs.map((input, i) => (inputs.indexOf(input) < i ? { alias: `${layerName}_repeat${i}` } : null));
}
