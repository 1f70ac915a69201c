import type { LayerProblem } from './diagnostics';
import type { ParamSpecs, ParamsOf } from './params';
import type { Shape } from './shape';

export type Category =
  | 'input'
  | 'convolution'
  | 'pooling'
  | 'core'
  | 'reshape'
  | 'normalization'
  | 'regularization'
  | 'activation'
  | 'merge'
  | 'block';

export const categoryLabels: Record<Category, string> = {
  input: 'Input',
  convolution: 'Convolution',
  pooling: 'Pooling',
  core: 'Core',
  reshape: 'Reshape',
  normalization: 'Normalization',
  regularization: 'Regularization',
  activation: 'Activation',
  merge: 'Merge',
  block: 'Blocks',
};

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

export type ShapeResult = { shape: Shape } | { problem: LayerProblem };

/** A Keras / TensorFlow.js layer: class name and its config in camelCase (the TensorFlow.js spelling). */
export interface KerasLayerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** A node of a composite block's expansion. Sources name other local ids or `blockInput`. */
export interface ExpandedNode {
  localId: string;
  kind: string;
  label: string;
  params: Record<string, unknown>;
  /** Local ids of the inputs, in order; the block's own input is `blockInput`. */
  inputs: string[];
}

export interface Expansion {
  nodes: ExpandedNode[];
  /** Local id of the node whose output is the block's output. */
  output: string;
}

export const blockInput = '$in';

export interface LayerDef<S extends ParamSpecs = ParamSpecs> {
  /** Equal to the Keras / TensorFlow.js class name where one exists. */
  kind: string;
  label: string;
  category: Category;
  /** One line for a learner: what the layer does. */
  summary: string;
  /** Formulas shown in the inspector, in terms of the parameter names. */
  formulas?: { output?: string; params?: string };
  params: S;
  inputs: { min: number; max: number };
  /** Short text of the key parameters for the node face, e.g. "32 @ 3×3, s2, same". */
  describe(p: ParamsOf<S>): string;
  /** Cross-parameter checks that do not depend on the inputs. */
  validate?(p: ParamsOf<S>): LayerProblem | null;
  /** Output shape (batch first, null) or the reason there is none; called with the right number of known inputs. Required for primitives; composites are inferred through their expansion. */
  inferShape?(inputs: readonly Shape[], p: ParamsOf<S>): ShapeResult;
  /** Parameter count by formula. Composite blocks leave this out: their count is the sum of their expansion. */
  paramCount?(inputs: readonly Shape[], p: ParamsOf<S>, output: Shape): ParamCount;
  /** Multiply-adds of one forward pass for one example. */
  macs?(inputs: readonly Shape[], p: ParamsOf<S>, output: Shape): number;
  /** Keras / TensorFlow.js layer config for primitive kinds. */
  keras?(p: ParamsOf<S>): KerasLayerConfig;
  /** Composite blocks: the primitive layers they stand for, given the block input shape. */
  expand?(p: ParamsOf<S>, input: Shape): Expansion;
}

/** Identity helper that keeps the parameter types of each definition. */
export function defineLayer<const S extends ParamSpecs>(def: LayerDef<S>): LayerDef<S> {
  return def;
}

export function isComposite(def: LayerDef): boolean {
  return typeof def.expand === 'function';
}
