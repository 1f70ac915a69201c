import type { ReactFlowInstance } from '@xyflow/react';
import type { Size } from '../../graph-schema/edit/document-edits';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import { collapsedNodeHeight, nodeWidth } from '../../graph-schema/layout/block-geometry';
import { absoluteBoxes } from './all-nodes';
import { canvasObstacles, clearArea, fitClear } from './fit-clear';

/** The canvas instance and measured node sizes, for commands that run outside React (shortcuts, menus). */
let instance: ReactFlowInstance<FlowNode, FlowEdge> | null = null;
export const measuredSizes = new Map<string, Size>();

export function setFlowInstance(value: ReactFlowInstance<FlowNode, FlowEdge> | null): void {
  instance = value;
}

export function getFlowInstance(): ReactFlowInstance<FlowNode, FlowEdge> | null {
  return instance;
}

export function sizeOf(id: string): Size {
  return measuredSizes.get(id) ?? { width: nodeWidth, height: collapsedNodeHeight };
}

/** Fits the given nodes (the selection, say) or, with none, the whole graph, clear of the minimap and zoom buttons. */
export function fitView(ids: readonly string[] = []): void {
  if (instance) fitClear(instance, ids, { duration: 250, maxZoom: 1.25 });
}

/** Selects nothing itself: centres the view on a node (or a layer inside an expanded block). */
export function centerOnNode(id: string): void {
  if (!instance) return;
  // From the whole graph: React Flow holds only the layers near the view of a large one.
  const box = absoluteBoxes().get(id);
  if (!box) return;
  const size = { width: box.width, height: box.height };
  const pos = { x: box.x, y: box.y };
  const zoom = Math.max(instance.getZoom(), 0.9);
  void instance.setCenter(pos.x + size.width / 2, pos.y + size.height / 2, { zoom, duration: 300 });
}

export function zoomBy(factor: number): void {
  if (!instance) return;
  if (factor > 1) void instance.zoomIn({ duration: 150 });
  else void instance.zoomOut({ duration: 150 });
}

export function zoomReset(): void {
  if (!instance) return;
  const { x, y } = instance.getViewport();
  void instance.setViewport({ x, y, zoom: 1 }, { duration: 150 });
}

/**
 * Width over height of the part of the canvas that "Fit" can use (clear of the minimap and the
 * zoom buttons), so an auto-layout can wrap long chains to fill it.
 */
export function canvasAspectRatio(): number {
  const box = document.querySelector('.react-flow')?.getBoundingClientRect();
  if (!box || box.height <= 0) return 16 / 10;
  const area = clearArea(box.width, box.height, canvasObstacles());
  return area.width / area.height;
}
