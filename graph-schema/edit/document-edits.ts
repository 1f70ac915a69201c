import type { GraphEdge, GraphNode, NetweaveDocument, TrainingSettings } from '../document';
import { getLayerDef } from '../registry';
import type { Shape } from '../shape';
import type { Position, Size } from '../layout/block-geometry';
import { collapsedNodeHeight, expandBlockView, nodeWidth } from '../layout/block-geometry';
import { edgeIdFor, kindIdPrefix, uniqueId } from './ids';

/** Edits of the document in place: the editor runs them as immer recipes (undo patches); the CLI and importers on a plain copy. */

export type { Position, Size } from '../layout/block-geometry';

export function nodeIdsOf(doc: NetweaveDocument): Set<string> {
  return new Set(doc.graph.nodes.map((n) => n.id));
}

export function edgeIdsOf(doc: NetweaveDocument): Set<string> {
  return new Set(doc.graph.edges.map((e) => e.id));
}

/** A new node of `kind`: an id that is free in `doc`, params left to their defaults. */
export function makeNode(doc: NetweaveDocument, kind: string, position: Position): GraphNode {
  const id = uniqueId(kindIdPrefix(kind), nodeIdsOf(doc));
  const def = getLayerDef(kind);
  return {
    id,
    kind,
    params: {},
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    ...(def?.expand ? { collapsed: true } : {}),
  };
}

export function addNodes(draft: NetweaveDocument, nodes: readonly GraphNode[], edges: readonly GraphEdge[] = []): void {
  for (const n of nodes) draft.graph.nodes.push(structuredClone(n));
  for (const e of edges) draft.graph.edges.push({ ...e });
}

export function makeEdge(doc: NetweaveDocument, source: string, target: string): GraphEdge {
  return { id: edgeIdFor(source, target, edgeIdsOf(doc)), source, sourcePort: 'out', target, targetPort: 'in' };
}

export function removeElements(draft: NetweaveDocument, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): void {
  draft.graph.nodes = draft.graph.nodes.filter((n) => !nodeIds.has(n.id));
  draft.graph.edges = draft.graph.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
}

export function moveNodes(draft: NetweaveDocument, positions: ReadonlyMap<string, Position>): void {
  for (const node of draft.graph.nodes) {
    const p = positions.get(node.id);
    if (p) node.position = { x: Math.round(p.x), y: Math.round(p.y) };
  }
}

export function setParam(draft: NetweaveDocument, nodeId: string, name: string, value: unknown): void {
  const node = draft.graph.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  node.params[name] = Array.isArray(value) ? [...value] : value;
}

export function setLabel(draft: NetweaveDocument, nodeId: string, label: string): void {
  const node = draft.graph.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  if (label.trim() === '') delete node.label;
  else node.label = label;
}

export function setTraining(draft: NetweaveDocument, patch: Partial<TrainingSettings>): void {
  Object.assign(draft.training, patch);
}

/**
 * Expands or collapses a composite block in place: layers below it move down
 * (or back up) by the height the expanded frame needs, so nothing overlaps.
 */
export function setExpanded(draft: NetweaveDocument, nodeId: string, expanded: boolean, inputShape: Shape | null): void {
  const node = draft.graph.nodes.find((n) => n.id === nodeId);
  if (!node || !getLayerDef(node.kind)?.expand) return;
  const isExpanded = node.collapsed === false;
  if (isExpanded === expanded) return;
  const view = expandBlockView(node.kind, node.params, inputShape);
  const delta = view ? Math.max(0, view.height - collapsedNodeHeight) : 0;
  const y0 = node.position.y;
  for (const other of draft.graph.nodes) {
    if (other.id !== nodeId && other.position.y > y0 + 1) other.position.y += expanded ? delta : -delta;
  }
  node.collapsed = !expanded;
}

/** Copied nodes and the edges between them. */
export interface Fragment {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyFragment(doc: NetweaveDocument, nodeIds: ReadonlySet<string>): Fragment {
  const nodes = doc.graph.nodes.filter((n) => nodeIds.has(n.id)).map((n) => structuredClone(n));
  const edges = doc.graph.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target)).map((e) => ({ ...e }));
  return { nodes, edges };
}

/** Fresh ids for a fragment about to be pasted, moved by `offset`. */
export function instantiateFragment(doc: NetweaveDocument, fragment: Fragment, offset: Position): Fragment {
  const takenNodes = nodeIdsOf(doc);
  const takenEdges = edgeIdsOf(doc);
  const rename = new Map<string, string>();
  const nodes = fragment.nodes.map((n) => {
    const id = uniqueId(kindIdPrefix(n.kind), takenNodes);
    takenNodes.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edges = fragment.edges.map((e) => {
    const source = rename.get(e.source)!;
    const target = rename.get(e.target)!;
    const id = edgeIdFor(source, target, takenEdges);
    takenEdges.add(id);
    return { ...e, id, source, target };
  });
  return { nodes, edges };
}

export type AlignMode = 'left' | 'center-x' | 'right' | 'top' | 'center-y' | 'bottom' | 'distribute-x' | 'distribute-y';

/** New positions that line up the given nodes; sizes default to a collapsed node. */
export function alignPositions(doc: NetweaveDocument, ids: ReadonlySet<string>, mode: AlignMode, sizes: ReadonlyMap<string, Size> = new Map()): Map<string, Position> {
  const boxes = doc.graph.nodes
    .filter((n) => ids.has(n.id))
    .map((n) => ({ id: n.id, x: n.position.x, y: n.position.y, ...(sizes.get(n.id) ?? { width: nodeWidth, height: collapsedNodeHeight }) }));
  const out = new Map<string, Position>();
  if (boxes.length < 2) return out;
  const minX = Math.min(...boxes.map((b) => b.x));
  const maxRight = Math.max(...boxes.map((b) => b.x + b.width));
  const minY = Math.min(...boxes.map((b) => b.y));
  const maxBottom = Math.max(...boxes.map((b) => b.y + b.height));
  const meanCenterX = boxes.reduce((s, b) => s + b.x + b.width / 2, 0) / boxes.length;
  const meanCenterY = boxes.reduce((s, b) => s + b.y + b.height / 2, 0) / boxes.length;
  const distribute = (axis: 'x' | 'y'): void => {
    const size = axis === 'x' ? 'width' : 'height';
    const sorted = [...boxes].sort((a, b) => a[axis] - b[axis]);
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    const occupied = sorted.reduce((s, b) => s + b[size], 0);
    const gap = (last[axis] + last[size] - first[axis] - occupied) / (sorted.length - 1);
    let at = first[axis];
    for (const b of sorted) {
      out.set(b.id, axis === 'x' ? { x: at, y: b.y } : { x: b.x, y: at });
      at += b[size] + gap;
    }
  };
  for (const b of boxes) {
    switch (mode) {
      case 'left': out.set(b.id, { x: minX, y: b.y }); break;
      case 'right': out.set(b.id, { x: maxRight - b.width, y: b.y }); break;
      case 'center-x': out.set(b.id, { x: meanCenterX - b.width / 2, y: b.y }); break;
      case 'top': out.set(b.id, { x: b.x, y: minY }); break;
      case 'bottom': out.set(b.id, { x: b.x, y: maxBottom - b.height }); break;
      case 'center-y': out.set(b.id, { x: b.x, y: meanCenterY - b.height / 2 }); break;
      default: break;
    }
  }
  if (mode === 'distribute-x') distribute('x');
  if (mode === 'distribute-y') distribute('y');
  return out;
}
