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

/** The first input of a block; a block with `inputs.max > 1` names its inputs `$in0`, `$in1`, … (`$in` is `$in0`). */
export const blockInput = '$in';

/** Local id of a block's input number `index` (0-based); `blockInputAt(0)` is `$in0`, which means the same as `blockInput`. */
export function blockInputAt(index: number): string {
  return `$in${index}`;
}

/** The input index a local source id names, or null when it names a node of the expansion. */
export function blockInputIndex(source: string): number | null {
  if (source === blockInput) return 0;
  const match = /^\$in(\d+)$/.exec(source);
  return match ? Number(match[1]) : null;
}

/**
 * A seeded initializer of a weight: the TensorFlow.js initializer name (tf.initializers.<name>, tfjs spelling) that a
 * config key gets when a run seed is given. The compiler derives each seed from the run seed, the
 * layer's stable name and the config key, never from its position in the graph.
 */
export type InitializerName = 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'leCunNormal' | 'leCunUniform' | 'randomNormal' | 'randomUniform';

/** What the inspector's worked formulas are computed from: one node's numbers. */
export interface WorkedContext<P> {
  params: P;
  /** Input shapes, batch first; null where unknown. */
  inputs: readonly (Shape | null)[];
  input: Shape;
  output: Shape;
  count: ParamCount;
  /** Formats a count for display (the renderer passes its own). */
  fmt(n: number): string;
}

/** A layer's formulas with one node's numbers filled in. */
export interface WorkedFormulas {
  output?: string;
  params?: string;
}

/** A problem found while reading a Keras layer back: a stable code and what to do. */
export interface KerasImportProblem {
  code: string;
  message: string;
}

/** The inverse of `keras`: parameters of this kind, or why this Keras layer cannot be read as it. */
export type FromKerasResult = { params: Record<string, unknown> } | { problem: KerasImportProblem };

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
  /** Primitive kinds: the TensorFlow.js layer factory, `tf.layers.<tfjsFactory>` (stated, never derived from the class name). */
  tfjsFactory?: string;
  /** Config keys of `keras()` that take a seeded initializer, and which one (Keras' default for that weight). */
  initializers?: Readonly<Record<string, InitializerName>>;
  /** The formulas with this node's numbers filled in, for the inspector; called only when the input and output shapes are known. */
  worked?(ctx: WorkedContext<ParamsOf<S>>): WorkedFormulas;
  /** Reads a Keras layer (class name, camelCase config) back into this kind's parameters. */
  fromKeras?(className: string, config: Record<string, unknown>): FromKerasResult;
  /** Composite blocks: the primitive layers they stand for, given the (first) block input shape and all of them. */
  expand?(p: ParamsOf<S>, input: Shape, inputs: readonly Shape[]): Expansion;
}

/** Identity helper that keeps the parameter types of each definition. */
export function defineLayer<const S extends ParamSpecs>(def: LayerDef<S>): LayerDef<S> {
  return def;
}

export function isComposite(def: LayerDef): boolean {
  return typeof def.expand === 'function';
}
