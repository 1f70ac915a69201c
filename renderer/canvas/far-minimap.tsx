import { Panel, useStoreApi } from '@xyflow/react';
import type React from 'react';
import { useEffect, useMemo, useRef } from 'react';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import type { FarBox } from './far-canvas';
import { farBoxes } from './far-canvas';

/**
 * The minimap of the far view. React Flow's minimap leaves out hidden nodes, and
 * in the far view every node is hidden from React Flow; this one paints the same
 * boxes as the far canvas on one small canvas (a few fills per frame, no element
 * per layer), with the view's rectangle; a press or drag pans the view there, the wheel zooms it.
 */

const width = 200;
const height = 150;
const offsetScale = 5;
/** The light theme's mask, as styles.css gives it to React Flow's minimap. */
const lightMask = 'rgba(196, 205, 216, 0.55)';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function boundsOf(boxes: readonly FarBox[]): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of boxes) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  return Number.isFinite(minX) ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
}

/** What the minimap shows (flow coordinates), as React Flow's minimap frames it: the graph and the view, centred. */
function frameOf(graph: Rect | null, view: Rect): { x: number; y: number; scale: number } {
  const x0 = Math.min(view.x, graph?.x ?? view.x);
  const y0 = Math.min(view.y, graph?.y ?? view.y);
  const w = Math.max(view.x + view.width, graph ? graph.x + graph.width : -Infinity) - x0;
  const h = Math.max(view.y + view.height, graph ? graph.y + graph.height : -Infinity) - y0;
  const viewScale = Math.max(w / width, h / height);
  const offset = offsetScale * viewScale;
  return { x: x0 - (viewScale * width - w) / 2 - offset, y: y0 - (viewScale * height - h) / 2 - offset, scale: 1 / (viewScale + (2 * offset) / width) };
}

export function FarMiniMap({ nodes, maskColor }: { nodes: readonly FlowNode[]; maskColor: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi<FlowNode, FlowEdge>();
  const frame = useRef<{ x: number; y: number; scale: number } | null>(null);
  // The frame held while a press lasts: the minimap frames the view too, so a frame that followed
  // the moving view would move the point under the pointer, and a drag would run off or turn back.
  const held = useRef<{ x: number; y: number; scale: number } | null>(null);
  const repaint = useRef<() => void>(() => undefined);
  const scene = useMemo(() => {
    const boxes = farBoxes(nodes);
    const fills = new Map<string, Path2D>();
    const frames = new Path2D();
    const selected = new Path2D();
    for (const b of boxes) {
      if (b.block) frames.rect(b.x, b.y, b.width, b.height);
      else {
        let path = fills.get(b.color);
        if (!path) fills.set(b.color, (path = new Path2D()));
        path.rect(b.x, b.y, b.width, b.height);
        if (b.selected) selected.rect(b.x, b.y, b.width, b.height);
      }
    }
    return { count: boxes.length, bounds: boundsOf(boxes), fills, frames, selected };
  }, [nodes]);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let pending = 0;
    let last: unknown = null;
    let boxes: HTMLCanvasElement | null = null;
    let boxesKey = '';
    const paint = () => {
      pending = 0;
      const s = store.getState();
      last = s.transform;
      const [tx, ty, zoom] = s.transform;
      const view = { x: -tx / zoom, y: -ty / zoom, width: s.width / zoom, height: s.height / zoom };
      const f = held.current ?? frameOf(scene.bounds, view);
      frame.current = f;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== width * ratio) {
        canvas.width = width * ratio;
        canvas.height = height * ratio;
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const k = f.scale * ratio;
      // The boxes go into a bitmap repainted only when the frame moves (the view reaches past the
      // graph): a pan inside the graph repaints the mask over the same bitmap, not thousands of boxes.
      const key = `${f.x},${f.y},${f.scale},${ratio}`;
      if (!boxes || boxesKey !== key) {
        boxes ??= document.createElement('canvas');
        boxes.width = canvas.width;
        boxes.height = canvas.height;
        const b = boxes.getContext('2d')!;
        b.setTransform(k, 0, 0, k, -f.x * k, -f.y * k);
        b.fillStyle = 'rgba(45, 212, 191, 0.18)';
        b.fill(scene.frames);
        for (const [color, path] of scene.fills) {
          b.fillStyle = color;
          b.fill(path);
        }
        b.lineWidth = 2 / f.scale;
        b.strokeStyle = '#5b9cff';
        b.stroke(scene.selected);
        boxesKey = key;
        // Read by the tests: how often the boxes were painted, against how often the view was.
        canvas.dataset.boxesPainted = String(Number(canvas.dataset.boxesPainted ?? 0) + 1);
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(boxes, 0, 0);
      // The mask: everything but the view's rectangle.
      ctx.fillStyle = document.documentElement.dataset.theme === 'light' ? lightMask : maskColor;
      const vx = (view.x - f.x) * k;
      const vy = (view.y - f.y) * k;
      const path = new Path2D();
      path.rect(0, 0, canvas.width, canvas.height);
      path.rect(vx, vy, view.width * k, view.height * k);
      ctx.fill(path, 'evenodd');
      canvas.dataset.drawn = String(scene.count);
      canvas.dataset.viewPainted = String(Number(canvas.dataset.viewPainted ?? 0) + 1);
    };
    paint();
    repaint.current = () => {
      if (!pending) pending = requestAnimationFrame(paint);
    };
    const unsubscribe = store.subscribe((s) => {
      if (s.transform !== last && !pending) pending = requestAnimationFrame(paint);
    });
    return () => {
      repaint.current = () => undefined;
      unsubscribe();
      if (pending) cancelAnimationFrame(pending);
    };
  }, [scene, store, maskColor]);

  // A press on the minimap centres the view on that point, and a drag keeps the view's centre under
  // the pointer (in the frame of the press) until the button is released.
  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const canvas = event.currentTarget;
    canvas.setPointerCapture(event.pointerId);
    held.current = frame.current;
    const centre = (e: { clientX: number; clientY: number }) => {
      const f = held.current;
      const { panZoom, transform, width: w, height: h } = store.getState();
      if (!f || !panZoom) return;
      const r = canvas.getBoundingClientRect();
      const fx = f.x + (e.clientX - r.left) / f.scale;
      const fy = f.y + (e.clientY - r.top) / f.scale;
      const zoom = transform[2];
      void panZoom.setViewport({ x: w / 2 - fx * zoom, y: h / 2 - fy * zoom, zoom });
    };
    centre(event);
    const move = (e: PointerEvent) => centre(e);
    const up = () => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      held.current = null;
      repaint.current();
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
  };

  // The wheel zooms the view about its centre, as React Flow's minimap does.
  const onWheel = (event: React.WheelEvent<HTMLCanvasElement>) => {
    const { panZoom, transform } = store.getState();
    if (!panZoom) return;
    const step = -event.deltaY * (event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002);
    void panZoom.scaleTo(transform[2] * Math.pow(2, step));
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap nw-far-minimap" data-testid="minimap">
      <canvas ref={ref} style={{ width, height, display: 'block' }} data-testid="far-minimap" onPointerDown={onPointerDown} onWheel={onWheel} />
    </Panel>
  );
}
