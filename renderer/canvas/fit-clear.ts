import type { ReactFlowInstance, Viewport } from '@xyflow/react';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import { boundsOf } from './all-nodes';
import { minZoom } from './far-view';

/** A rectangle in canvas pixels (0,0 is the canvas' top-left corner). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Base margin on every side, as a share of the canvas size. */
const baseMargin = 0.05;
/** Space kept between the graph and a panel drawn over the canvas (minimap, zoom buttons). */
const obstacleGap = 12;

/**
 * The viewport that shows `bounds` (flow coordinates) as large as possible while keeping it
 * clear of the panels drawn over the canvas: each obstacle is cleared either sideways or
 * vertically, whichever choice leaves the larger zoom. Pure.
 */
export function clearViewport(bounds: Rect, width: number, height: number, obstacles: readonly Rect[], zoomRange: { min: number; max: number }): Viewport {
  const base = { top: height * baseMargin, bottom: height * baseMargin, left: width * baseMargin, right: width * baseMargin };
  let best: Viewport | null = null;
  for (let mask = 0; mask < 1 << obstacles.length; mask++) {
    const pad = { ...base };
    obstacles.forEach((o, i) => {
      const sideways = (mask >> i) & 1;
      if (sideways) {
        if (o.x + o.width / 2 > width / 2) pad.right = Math.max(pad.right, width - o.x + obstacleGap);
        else pad.left = Math.max(pad.left, o.x + o.width + obstacleGap);
      } else if (o.y + o.height / 2 > height / 2) pad.bottom = Math.max(pad.bottom, height - o.y + obstacleGap);
      else pad.top = Math.max(pad.top, o.y + o.height + obstacleGap);
    });
    const innerW = Math.max(1, width - pad.left - pad.right);
    const innerH = Math.max(1, height - pad.top - pad.bottom);
    const zoom = Math.min(zoomRange.max, Math.max(zoomRange.min, Math.min(innerW / Math.max(1, bounds.width), innerH / Math.max(1, bounds.height))));
    const x = pad.left + (innerW - bounds.width * zoom) / 2 - bounds.x * zoom;
    const y = pad.top + (innerH - bounds.height * zoom) / 2 - bounds.y * zoom;
    if (!best || zoom > best.zoom + 1e-9) best = { x, y, zoom };
  }
  return best!;
}

/**
 * The larger of the two clear areas of a canvas: below (or above) every panel drawn over it, or
 * beside them. What a layout should fill, since "Fit" keeps the graph clear of those panels.
 */
export function clearArea(width: number, height: number, obstacles: readonly Rect[]): { width: number; height: number } {
  let top = 0;
  let bottom = 0;
  let left = 0;
  let right = 0;
  for (const o of obstacles) {
    if (o.y + o.height / 2 > height / 2) bottom = Math.max(bottom, height - o.y + obstacleGap);
    else top = Math.max(top, o.y + o.height + obstacleGap);
    if (o.x + o.width / 2 > width / 2) right = Math.max(right, width - o.x + obstacleGap);
    else left = Math.max(left, o.x + o.width + obstacleGap);
  }
  const below = { width, height: Math.max(1, height - top - bottom) };
  const beside = { width: Math.max(1, width - left - right), height };
  return below.width * below.height >= beside.width * beside.height ? below : beside;
}

/** The minimap and the zoom buttons, where React Flow draws them over the canvas. */
export function canvasObstacles(): Rect[] {
  const flow = document.querySelector('.nw-canvas .react-flow');
  if (!flow) return [];
  const origin = flow.getBoundingClientRect();
  const rects: Rect[] = [];
  for (const el of flow.querySelectorAll('.react-flow__minimap, .react-flow__controls')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) rects.push({ x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height });
  }
  return rects;
}

/**
 * Fits the given nodes (none: the whole graph) so that no node lies under the minimap or the
 * zoom buttons. `maxZoom` caps how far in it goes.
 */
export function fitClear(instance: ReactFlowInstance<FlowNode, FlowEdge>, ids: readonly string[] = [], options: { duration?: number; maxZoom?: number } = {}): void {
  const flow = document.querySelector('.nw-canvas .react-flow');
  if (!flow) return;
  // The whole graph, not what React Flow holds: a large graph gives it only the layers near the view.
  const bounds = boundsOf(ids);
  if (!bounds) return;
  const { width, height } = flow.getBoundingClientRect();
  if (width === 0 || height === 0 || bounds.width === 0) return;
  const viewport = clearViewport(bounds, width, height, canvasObstacles(), { min: minZoom, max: options.maxZoom ?? 1.25 });
  void instance.setViewport(viewport, options.duration ? { duration: options.duration } : undefined);
}
