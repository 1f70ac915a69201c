import { collapsedNodeHeight, nodeWidth } from '../../graph-schema/layout/block-geometry';
import type { FlowEdge, FlowNode } from '../store/flow-model';

/**
 * Culling of a large graph's near view. React Flow's onlyRenderVisibleElements
 * recomputes the visible set on every pan frame and re-renders the node layer
 * whenever a layer enters or leaves the screen, which is nearly every frame.
 * Instead the canvas gives React Flow only the layers in a region padded well
 * beyond the view and recomputes that set only when the view leaves the region
 * or the zoom changes a lot: most pan frames are then a pure CSS transform of
 * the viewport. Pure functions; flow coordinates throughout.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CullRegion extends Rect {
  /** The zoom the region was computed at. */
  zoom: number;
}

/** The visible part of the flow: the canvas' pixel size through the viewport transform. */
export function viewRect(transform: readonly [number, number, number], width: number, height: number): Rect {
  const [tx, ty, zoom] = transform;
  return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
}

/**
 * How many screens of margin each side. A screen each side at 100 %; less when zoomed out,
 * where a screen already holds many layers (and every one of them becomes an element).
 */
export function marginScreens(zoom: number): number {
  return Math.min(1, Math.max(0.35, zoom));
}

export function padRegion(view: Rect, zoom: number): CullRegion {
  const m = marginScreens(zoom);
  return { x: view.x - view.width * m, y: view.y - view.height * m, width: view.width * (1 + 2 * m), height: view.height * (1 + 2 * m), zoom };
}

/** Zooming in this far past the region's zoom recomputes it (it would hold far more layers than needed). */
const zoomInSlack = 2;

/** Whether the view has left the region (or the zoom moved so far that the region no longer fits it). */
export function needsRecull(region: CullRegion | null, view: Rect, zoom: number): boolean {
  if (!region) return true;
  if (zoom > region.zoom * zoomInSlack) return true;
  const inside = view.x >= region.x && view.y >= region.y && view.x + view.width <= region.x + region.width && view.y + view.height <= region.y + region.height;
  return !inside;
}

function intersects(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
}

/** Absolute boxes of the top-level nodes (layers inside a frame go with their frame). */
export function topLevelBoxes(nodes: readonly FlowNode[]): Map<string, Rect> {
  const boxes = new Map<string, Rect>();
  for (const n of nodes) {
    if (n.parentId) continue;
    boxes.set(n.id, {
      x: n.position.x,
      y: n.position.y,
      width: n.measured?.width ?? n.width ?? nodeWidth,
      height: n.measured?.height ?? n.height ?? n.initialHeight ?? collapsedNodeHeight,
    });
  }
  return boxes;
}

/** The top-level node an edge end belongs to (an inner layer's frame). */
function topOf(id: string, parents: ReadonlyMap<string, string>): string {
  return parents.get(id) ?? id;
}

/**
 * The ids React Flow gets for a region: every top-level node whose box meets it, both ends of
 * every edge whose span meets it (a long edge through the region stays drawn), and the inner
 * layers of every frame kept.
 */
export function culledIds(nodes: readonly FlowNode[], edges: readonly FlowEdge[], region: Rect): Set<string> {
  const boxes = topLevelBoxes(nodes);
  const parents = new Map<string, string>();
  for (const n of nodes) if (n.parentId) parents.set(n.id, n.parentId);
  const keep = new Set<string>();
  for (const [id, box] of boxes) if (intersects(box, region)) keep.add(id);
  for (const e of edges) {
    const s = topOf(e.source, parents);
    const t = topOf(e.target, parents);
    if (s === t || (keep.has(s) && keep.has(t))) continue;
    const a = boxes.get(s);
    const b = boxes.get(t);
    if (!a || !b) continue;
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    const span = { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
    if (intersects(span, region)) {
      keep.add(s);
      keep.add(t);
    }
  }
  for (const [child, parent] of parents) if (keep.has(parent)) keep.add(child);
  return keep;
}

/** The edges whose two ends are both kept (React Flow draws an edge only between nodes it has). */
export function culledEdges(edges: readonly FlowEdge[], ids: ReadonlySet<string>): FlowEdge[] {
  return edges.filter((e) => ids.has(e.source) && ids.has(e.target));
}
