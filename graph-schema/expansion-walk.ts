import type { ExpandedNode, Expansion, LayerDef } from './layer-def';
import { blockInput, blockInputIndex } from './layer-def';
import type { LayerParams } from './params';
import { getLayerDef } from './registry';
import type { Shape } from './shape';

/** Returned by a visitor to end the walk early (e.g. on the first problem). */
export const stopWalk: unique symbol = Symbol('stopWalk');

export interface ExpansionStep<V> {
  node: ExpandedNode;
  /** The definition of the node's kind; undefined when the block names a kind that does not exist. */
  def: LayerDef | undefined;
  /** The values of the node's inputs, in order (block inputs come from `inputValues`). */
  inputs: (V | undefined)[];
}

export interface ExpansionWalk<V> {
  /** Local id → value, for every node visited (and `$in`, `$in0`, … for the block inputs). */
  values: Map<string, V>;
  /** The value of the block's output node; undefined when the walk stopped before it. */
  output: V | undefined;
  stopped: boolean;
}

/** A block's expansion for its input shapes; the first input is also passed alone for blocks with one input. */
export function expandBlock(def: LayerDef, params: LayerParams, inputShapes: readonly Shape[]): Expansion {
  return def.expand!(params as never, inputShapes[0] ?? [null], inputShapes);
}

/**
 * The one walk over a block's expansion, in its (topological) order: used by inference, the
 * renderer's inner view and the exporters. Each node's value is what `visit` returns for it.
 */
export function walkExpansion<V>(expansion: Expansion, inputValues: readonly V[], visit: (step: ExpansionStep<V>) => V | typeof stopWalk): ExpansionWalk<V> {
  const values = new Map<string, V>();
  inputValues.forEach((value, i) => values.set(`$in${i}`, value));
  if (inputValues.length > 0) values.set(blockInput, inputValues[0]!);
  for (const node of expansion.nodes) {
    const inputs = node.inputs.map((source) => {
      const index = blockInputIndex(source);
      return index === null ? values.get(source) : inputValues[index];
    });
    const value = visit({ node, def: getLayerDef(node.kind), inputs });
    if (value === stopWalk) return { values, output: undefined, stopped: true };
    values.set(node.localId, value);
  }
  return { values, output: values.get(expansion.output), stopped: false };
}
