import { collapsedNodeHeight, nodeWidth } from '../../graph-schema/layout/block-geometry';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import type { Rect } from './cull';

/**
 * Every node and edge the canvas draws, as the flow model derives them. React
 * Flow holds only the culled part of a large graph (cull.ts), so whatever
 * needs the whole graph (Fit, keeping it in view, free spots, image export,
 * centring on a layer off screen) reads it here instead of from React Flow.
 */
let nodes: readonly FlowNode[] = [];
let edges: readonly FlowEdge[] = [];

export function setAllFlow(value: { nodes: readonly FlowNode[]; edges: readonly FlowEdge[] }): void {
  nodes = value.nodes;
  edges = value.edges;
}

export function allFlowNodes(): readonly FlowNode[] {
  return nodes;
}

export function allFlowEdges(): readonly FlowEdge[] {
  return edges;
}

/** Absolute boxes (flow coordinates) of every node, inner layers placed inside their frame. */
export function absoluteBoxes(list: readonly FlowNode[] = nodes): Map<string, Rect> {
  const boxes = new Map<string, Rect>();
  // Frames come before their layers in the flow model's order.
  for (const n of list) {
    const parent = n.parentId ? boxes.get(n.parentId) : undefined;
    boxes.set(n.id, {
      x: (parent?.x ?? 0) + n.position.x,
      y: (parent?.y ?? 0) + n.position.y,
      width: n.measured?.width ?? n.width ?? nodeWidth,
      height: n.measured?.height ?? n.height ?? n.initialHeight ?? collapsedNodeHeight,
    });
  }
  return boxes;
}

/** The bounds of the given nodes (none: every node), or null when none of them exists. */
export function boundsOf(ids: readonly string[] = []): Rect | null {
  const boxes = absoluteBoxes();
  const wanted = ids.length > 0 ? ids : [...boxes.keys()];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const id of wanted) {
    const b = boxes.get(id);
    if (!b) continue;
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  return Number.isFinite(minX) ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
}
