import type { GraphAnalysis } from './infer';
import type { KerasLayerConfig } from './layer-def';
import { expandBlock, walkExpansion } from './expansion-walk';
import { resolveParams } from './params';
import { getLayerDef } from './registry';
import type { LayerParams } from './params';
import type { Shape } from './shape';

/** One primitive layer of a graph with composite blocks expanded, in topological order. */
export interface PrimitiveLayer {
  /** Unique, identifier-safe name (node id, or block id + local id). */
  name: string;
  /** Node id, or `blockNodeId/localId` inside a block: what seeds its initial weights, independent of its position. */
  stableName: string;
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
      const expansion = expandBlock(def, node.params, node.inputShapes as Shape[]);
      const walk = walkExpansion<string>(expansion, inputs, ({ node: inner, def: innerDef, inputs: innerInputs }) => {
        const name = unique(safeName(`${id}_${inner.localId}`));
        const params = resolveParams(innerDef!.params, inner.params).params;
        layers.push({
          name,
          stableName: `${id}/${inner.localId}`,
          nodeId: id,
          blockLabel: label,
          label: inner.label,
          kind: inner.kind,
          params,
          inputs: innerInputs as string[],
          keras: innerDef!.keras!(params),
          outputShape: null,
        });
        return name;
      });
      nodeOutput.set(id, walk.output!);
      const last = layers.find((l) => l.name === walk.output);
      if (last) last.outputShape = node.outputShape;
      continue;
    }
    const name = unique(safeName(id));
    nodeOutput.set(id, name);
    layers.push({ name, stableName: id, nodeId: id, label, kind: node.kind, params: node.params, inputs, keras: def.keras!(node.params), outputShape: node.outputShape });
  }
  return {
    layers,
    inputs: analysis.inputs.map((id) => nodeOutput.get(id)!),
    outputs: analysis.outputs.map((id) => nodeOutput.get(id)!),
    nodeOutput,
  };
}
