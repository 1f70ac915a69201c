import type { ElkNode } from 'elkjs/lib/elk-api';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { Position, Size } from '../store/document-edits';

export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Layered, top to bottom, keeping the document's order within a layer so the result is stable. */
export const layeredOptions: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '48',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.edgeRouting': 'SPLINES',
};

/**
 * Document positions for every node after a layered layout. `frameOffset`
 * maps an expanded block to how far its frame sits from its document position.
 */
export async function layoutPositions(
  engine: LayoutEngine,
  document: NetweaveDocument,
  sizeOf: (id: string) => Size,
  frameOffset: (id: string) => Position = () => ({ x: 0, y: 0 }),
): Promise<Map<string, Position>> {
  const ids = new Set(document.graph.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: layeredOptions,
    children: document.graph.nodes.map((n) => ({ id: n.id, ...sizeOf(n.id) })),
    edges: document.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const result = await engine.layout(graph);
  const positions = new Map<string, Position>();
  for (const child of result.children ?? []) {
    const offset = frameOffset(child.id);
    positions.set(child.id, { x: Math.round((child.x ?? 0) - offset.x), y: Math.round((child.y ?? 0) - offset.y) });
  }
  return positions;
}
