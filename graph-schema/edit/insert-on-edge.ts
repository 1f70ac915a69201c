import type { GraphNode, NetweaveDocument } from '../document';
import { getLayerDef } from '../registry';
import { edgeIdFor } from './ids';
import { edgeIdsOf } from './document-edits';

export type InsertCheck = { ok: true } | { ok: false; reason: string };

/** Whether a layer of `kind` can sit in the middle of a connection: it must take one input and give an output. */
export function canInsertOnEdge(kind: string): InsertCheck {
  const def = getLayerDef(kind);
  if (!def) return { ok: false, reason: `Unknown layer kind "${kind}".` };
  if (def.inputs.max === 0) return { ok: false, reason: `${def.label} is where data enters; it cannot sit inside a connection.` };
  if (def.inputs.min > 1) return { ok: false, reason: `${def.label} needs ${def.inputs.min} inputs; connect its other inputs by hand.` };
  return { ok: true };
}

/**
 * Splits the connection `edgeId` (source → target) with `node`: source → node → target.
 * The edge into the target keeps the old edge's place in the edge list and its target port,
 * because multi-input layers (Add, Concatenate) take their inputs in edge order.
 * `node` must not be in the document yet; it is added. Shapes follow from the analysis.
 */
export function insertOnEdge(draft: NetweaveDocument, edgeId: string, node: GraphNode): InsertCheck {
  const index = draft.graph.edges.findIndex((e) => e.id === edgeId);
  if (index < 0) return { ok: false, reason: 'That connection no longer exists.' };
  const check = canInsertOnEdge(node.kind);
  if (!check.ok) return check;
  if (draft.graph.nodes.some((n) => n.id === node.id)) return { ok: false, reason: `A layer named ${node.id} already exists.` };
  const old = draft.graph.edges[index]!;
  draft.graph.nodes.push(structuredClone(node));
  const taken = edgeIdsOf(draft);
  taken.delete(old.id);
  const into = { id: edgeIdFor(old.source, node.id, taken), source: old.source, sourcePort: old.sourcePort, target: node.id, targetPort: 'in' };
  taken.add(into.id);
  const out = { id: edgeIdFor(node.id, old.target, taken), source: node.id, sourcePort: 'out', target: old.target, targetPort: old.targetPort };
  // The edge into the old target takes the old edge's slot; the new node's input goes anywhere.
  draft.graph.edges.splice(index, 1, out);
  draft.graph.edges.push(into);
  return { ok: true };
}

/**
 * After an insertion at a drop point: when the new layer's box overlaps others, it moves just
 * past the layers before it, and every layer at or after the drop point moves on far enough
 * to clear it, so the chain opens up for the new layer (sizes: a collapsed node's).
 */
export function makeRoomFor(draft: NetweaveDocument, nodeId: string, size: { width: number; height: number }, direction: 'TB' | 'LR' = 'TB', gap = 24): void {
  const node = draft.graph.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  const axis = direction === 'LR' ? 'x' : 'y';
  const length = direction === 'LR' ? size.width : size.height;
  const others = draft.graph.nodes.filter((o) => o.id !== nodeId);
  const clashes = (o: GraphNode) =>
    o.position.x < node.position.x + size.width && node.position.x < o.position.x + size.width && o.position.y < node.position.y + size.height && node.position.y < o.position.y + size.height;
  if (!others.some(clashes)) return;
  const dropped = node.position[axis];
  const behind = others.filter((o) => clashes(o) && o.position[axis] < dropped);
  if (behind.length > 0) node.position[axis] = Math.max(...behind.map((o) => o.position[axis] + length + gap));
  const ahead = others.filter((o) => o.position[axis] >= dropped);
  const blocking = ahead.filter(clashes).map((o) => o.position[axis]);
  if (blocking.length === 0) return;
  const delta = node.position[axis] + length + gap - Math.min(...blocking);
  if (delta > 0) for (const o of ahead) o.position[axis] += delta;
}
