import type { ReactFlowState } from '@xyflow/react';
import type { NetweaveDocument } from '../../graph-schema/document';
import { collapsedNodeHeight, nodeWidth } from '../../graph-schema/layout/block-geometry';

/**
 * How far out the canvas (and Fit) may zoom. An expanded DenseNet-121 laid out top to bottom is
 * about 19,000 units tall: at 0.03 it did not fit a 1024×700 window, and Fit cut its ends off.
 */
export const minZoom = 0.01;

/** Below this zoom a large graph's text is too small to read, so the canvas draws plain boxes. */
export const farZoom = 0.35;
/** Small graphs keep their text at any zoom: they are cheap to draw. */
export const farMinNodes = 150;
/**
 * From this many layers on, the far view is painted on one canvas (no elements
 * at all) and, zoomed in, only the layers in view get elements. Below it every
 * layer keeps its element (the far view only hides their text): cheap enough.
 */
export const farCanvasMinNodes = 250;

/** React Flow store selector: whether the canvas shows the far (text-free) view. */
export function isFarView(s: ReactFlowState): boolean {
  return s.transform[2] < farZoom && s.nodeLookup.size >= farMinNodes;
}

/**
 * Whether a document just loaded will open zoomed out below farZoom: at its
 * saved zoom, or at the zoom that fits its layers into the canvas (`canvas`,
 * or the window before the canvas exists). Expanded frames count as one layer:
 * an estimate, only to pick the first drawing.
 */
export function opensZoomedOut(document: NetweaveDocument, canvas: HTMLElement | null): boolean {
  const saved = document.view.viewport;
  if (saved) return saved.zoom < farZoom;
  const nodes = document.graph.nodes;
  if (nodes.length === 0) return false;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of nodes) {
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + nodeWidth);
    maxY = Math.max(maxY, n.position.y + collapsedNodeHeight);
  }
  const width = canvas?.clientWidth || window.innerWidth;
  const height = canvas?.clientHeight || window.innerHeight;
  // The padding of the first fit (0.12 on each side).
  const zoom = Math.min(width / ((maxX - minX) * 1.24), height / ((maxY - minY) * 1.24));
  return zoom < farZoom;
}
