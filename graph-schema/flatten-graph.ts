import type { GraphAnalysis } from './infer';
import type { KerasLayerConfig } from './layer-def';
import { blockInput } from './layer-def';
import { resolveParams } from './params';
import { getLayerDef } from './registry';
import type { LayerParams } from './params';
import type { Shape } from './shape';

/** One primitive layer of a graph with composite blocks expanded, in topological order. */
export interface PrimitiveLayer {
  /** Unique, identifier-safe name (node id, or block id + local id). */
  name: string;
  /** The canvas node it belongs to. */
  nodeId: string;
  /** Set for layers that come from a composite block's expansion. */
  blockLabel?: string;
  label: string;
  kind: string;
  params: LayerParams;
  /** Names of the input layers, in order. */
  inputs: string[];
  keras: KerasLayerConfig;
  outputShape: Shape | null;
}

export interface PrimitiveGraph {
  layers: PrimitiveLayer[];
  inputs: string[];
  outputs: string[];
  /** Canvas node id → name of the layer whose output is that node's output. */
  nodeOutput: Map<string, string>;
}

export function safeName(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `n_${cleaned}`;
}

/** TensorFlow.js factory for a Keras class name: Conv2D → conv2d, BatchNormalization → batchNormalization. */
export function tfjsFactoryName(className: string): string {
  return (className.charAt(0).toLowerCase() + className.slice(1)).replace(/2D$/, '2d');
}

/**
 * Expands composite blocks into primitive layers, in topological order.
 * Requires an analysis without errors (shapes known everywhere).
 */
export function flattenGraph(analysis: GraphAnalysis, labels: ReadonlyMap<string, string> = new Map()): PrimitiveGraph {
  const layers: PrimitiveLayer[] = [];
  const nodeOutput = new Map<string, string>();
  const used = new Set<string>();
  const unique = (base: string): string => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  for (const id of analysis.order) {
    const node = analysis.nodes.get(id)!;
    const def = getLayerDef(node.kind)!;
    const inputs = (analysis.incoming.get(id) ?? []).map((e) => nodeOutput.get(e.source)!);
    const label = labels.get(id) ?? id;
    if (def.expand) {
      const expansion = def.expand(node.params, node.inputShapes[0]!);
      const local = new Map<string, string>([[blockInput, inputs[0]!]]);
      for (const inner of expansion.nodes) {
        const innerDef = getLayerDef(inner.kind)!;
        const name = unique(safeName(`${id}_${inner.localId}`));
        local.set(inner.localId, name);
        layers.push({
          name,
          nodeId: id,
          blockLabel: label,
          label: inner.label,
          kind: inner.kind,
          params: resolvedParams(innerDef, inner.params),
          inputs: inner.inputs.map((i) => local.get(i)!),
          keras: innerDef.keras!(resolvedParams(innerDef, inner.params)),
          outputShape: null,
        });
      }
      nodeOutput.set(id, local.get(expansion.output)!);
      const last = layers.find((l) => l.name === local.get(expansion.output));
      if (last) last.outputShape = node.outputShape;
      continue;
    }
    const name = unique(safeName(id));
    nodeOutput.set(id, name);
    layers.push({ name, nodeId: id, label, kind: node.kind, params: node.params, inputs, keras: def.keras!(node.params), outputShape: node.outputShape });
  }
  return {
    layers,
    inputs: analysis.inputs.map((id) => nodeOutput.get(id)!),
    outputs: analysis.outputs.map((id) => nodeOutput.get(id)!),
    nodeOutput,
  };
}

function resolvedParams(def: NonNullable<ReturnType<typeof getLayerDef>>, stored: Record<string, unknown>): LayerParams {
  return resolveParams(def.params, stored).params;
}
