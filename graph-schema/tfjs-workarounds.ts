import type { ActivationTable } from './target-table';
import { activationEntry, isUnsupported } from './target-table';
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
};

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
  if (typeof config.activation === 'string') {
    const activation = activationEntry(tfjsActivations, config.activation);
    if (isUnsupported(activation)) return { message: `TensorFlow.js has no activation "${config.activation}": ${activation.unsupported}`, trainingOnly: false };
  }
  const dilation = config.dilationRate as readonly number[] | undefined;
  if (kind === 'DepthwiseConv2D' && dilation && dilation.some((d) => d > 1)) {
    // tf.layers.depthwiseConv2d accepts dilationRate but neither computes nor infers shapes with it.
    return {
      message: 'TensorFlow.js ignores dilation in DepthwiseConv2D, so it cannot run this layer as drawn. Set its dilation to 1, or use a SeparableConv2D or Conv2D with dilation.',
      trainingOnly: false,
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
  return { config, notes, constants };
}
