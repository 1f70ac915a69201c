import { Position, useStoreApi } from '@xyflow/react';
import type React from 'react';
import { useEffect, useRef } from 'react';
import { collapsedNodeHeight, nodeWidth } from '../../graph-schema/layout/block-geometry';
import type { BlockNodeData, FlowEdge, FlowNode } from '../store/flow-model';
import { innerEndX } from '../store/flow-model';
import { editorStore } from '../store/use-editor';
import { colorOf } from './categories';
import { traceEdge } from './edge-path';

/**
 * The far view of a large graph: every layer as a plain box and every edge on
 * the path the near view draws it, painted on one canvas the size of the screen. React Flow holds the
 * nodes hidden meanwhile, so panning and zooming cost one repaint of this
 * canvas instead of thousands of elements (text is unreadable at this zoom).
 */

export interface FarBox {
  id: string;
  /** Top-level node that a click on this box picks (a block for its layers). */
  pick: string;
  x: number;
  y: number;
  width: number;
  height: number;
  block: boolean;
  color: string;
  error: boolean;
  selected: boolean;
  /** A frame with a shortcut lane: where its main path runs (frame-relative x), as its handles sit. */
  mainX?: number;
  /** A frame: where its inner input and output sit (frame-relative x, see innerEndX). */
  innerInX?: number;
  innerOutX?: number;
}

const innerInTop = 62;
const innerOutBottom = 22;

/** Boxes in flow coordinates (children after their frame, so frames paint first). */
export function farBoxes(nodes: readonly FlowNode[]): FarBox[] {
  const byId = new Map<string, FarBox>();
  const boxes: FarBox[] = [];
  for (const n of nodes) {
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    const width = n.measured?.width ?? n.width ?? nodeWidth;
    const height = n.measured?.height ?? n.height ?? n.initialHeight ?? collapsedNodeHeight;
    const block = n.type === 'block';
    const data = n.data as { category?: string; error?: string | null; mainX?: number };
    const box: FarBox = {
      id: n.id,
      pick: parent ? parent.pick : n.id,
      x: (parent?.x ?? 0) + n.position.x,
      y: (parent?.y ?? 0) + n.position.y,
      width,
      height,
      block,
      color: block ? colorOf('block') : colorOf(data.category ?? 'unknown'),
      error: !!data.error,
      selected: !!n.selected || !!parent?.selected,
      ...(block && data.mainX !== undefined ? { mainX: data.mainX } : {}),
      ...(block ? { innerInX: innerEndX(n.data as BlockNodeData, width, 'in'), innerOutX: innerEndX(n.data as BlockNodeData, width, 'out') } : {}),
    };
    byId.set(n.id, box);
    boxes.push(box);
  }
  return boxes;
}

/** The topmost box under a point in flow coordinates. */
export function boxAt(boxes: readonly FarBox[], x: number, y: number): FarBox | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i]!;
    if (x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height) return b;
  }
  return null;
}

/** Where an edge leaves or enters a box, and on which side: where the near view's handles are (flow-model.ts). */
function anchor(box: FarBox, handle: string | null | undefined, lr: boolean): { x: number; y: number; side: Position } {
  const cx = box.x + (box.mainX ?? box.width / 2);
  if (handle === 'inner-in') return { x: box.x + (box.innerInX ?? box.width / 2), y: box.y + innerInTop, side: Position.Top };
  if (handle === 'inner-out') return { x: box.x + (box.innerOutX ?? box.width / 2), y: box.y + box.height - innerOutBottom, side: Position.Bottom };
  const out = handle !== 'in';
  if (lr) return { x: out ? box.x + box.width : box.x, y: box.y + box.height / 2, side: out ? Position.Right : Position.Left };
  return { x: cx, y: out ? box.y + box.height : box.y, side: out ? Position.Bottom : Position.Top };
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

let colorCache: { theme: string | undefined; colors: FarScene['colors'] } | null = null;

/** The theme's colours, read once per theme (reading styles on every drag frame would cost a style pass). */
function themeColors(): FarScene['colors'] {
  const theme = document.documentElement.dataset.theme;
  if (!colorCache || colorCache.theme !== theme) {
    colorCache = { theme, colors: { edge: cssVar('--border-strong', '#4b5a6d'), skip: cssVar('--skip', '#f59e0b'), error: cssVar('--error', '#f87171'), accent: cssVar('--accent', '#5b9cff') } };
  }
  return colorCache.colors;
}

/** Everything the far view paints, built once per change of the graph, the selection or a drag (not per frame). */
interface FarScene {
  plainEdges: Path2D;
  skipEdges: Path2D;
  frames: Path2D;
  fills: Map<string, Path2D>;
  errors: Path2D;
  selected: Path2D;
  colors: { edge: string; skip: string; error: string; accent: string };
}

function buildScene(boxes: readonly FarBox[], edges: readonly FlowEdge[], lr: boolean, byId: ReadonlyMap<string, FarBox>): FarScene {
  const scene: FarScene = {
    plainEdges: new Path2D(),
    skipEdges: new Path2D(),
    frames: new Path2D(),
    fills: new Map(),
    errors: new Path2D(),
    selected: new Path2D(),
    colors: themeColors(),
  };
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    const inner = e.data?.inner ?? false;
    const a = anchor(s, e.sourceHandle, lr && !inner);
    const b = anchor(t, e.targetHandle, lr && !inner);
    const path = e.data?.skip ? scene.skipEdges : scene.plainEdges;
    // The near view's path (a shortcut's lane, a wrapped chain's route, a bow, a bezier), not a
    // straight line across the boxes: the same tracer, into the Path2D.
    traceEdge(path, { sx: a.x, sy: a.y, tx: b.x, ty: b.y, sourcePosition: a.side, targetPosition: b.side }, e.data);
  }
  // One path per colour: a few fills per frame instead of one per box.
  for (const b of boxes) {
    if (b.block) scene.frames.rect(b.x, b.y, b.width, b.height);
    else {
      let path = scene.fills.get(b.color);
      if (!path) scene.fills.set(b.color, (path = new Path2D()));
      path.rect(b.x, b.y, b.width, b.height);
      if (b.error) scene.errors.rect(b.x, b.y, b.width, b.height);
      if (b.selected) scene.selected.rect(b.x, b.y, b.width, b.height);
    }
  }
  return scene;
}

/** Paints a scene in flow coordinates; the context's transform maps them to pixels. */
function paintScene(ctx: CanvasRenderingContext2D, scene: FarScene, zoom: number): void {
  const px = 1 / zoom;
  ctx.lineWidth = 1.5 * px;
  ctx.strokeStyle = scene.colors.edge;
  ctx.stroke(scene.plainEdges);
  ctx.strokeStyle = scene.colors.skip;
  ctx.lineWidth = 2 * px;
  ctx.stroke(scene.skipEdges);
  ctx.setLineDash([6 * px, 4 * px]);
  ctx.lineWidth = 1.5 * px;
  ctx.strokeStyle = colorOf('block');
  ctx.stroke(scene.frames);
  ctx.setLineDash([]);
  ctx.globalAlpha = 0.55;
  for (const [color, path] of scene.fills) {
    ctx.fillStyle = color;
    ctx.fill(path);
  }
  ctx.globalAlpha = 1;
  ctx.lineWidth = 3 * px;
  ctx.strokeStyle = scene.colors.error;
  ctx.stroke(scene.errors);
  ctx.strokeStyle = scene.colors.accent;
  ctx.stroke(scene.selected);
}

/**
 * The still part of the picture, painted once into an offscreen bitmap that
 * covers the view and half a screen around it: panning then only copies it
 * (repainted when the zoom changes or the view leaves the bitmap).
 */
interface StillLayer {
  scene: FarScene;
  bitmap: HTMLCanvasElement | null;
  /** Flow coordinates of the bitmap's top-left corner, and the zoom and pixel ratio it was painted at. */
  at: { x: number; y: number; zoom: number; ratio: number; width: number; height: number } | null;
}

function draw(canvas: HTMLCanvasElement, still: StillLayer, moving: FarScene | null, count: number, transform: readonly [number, number, number]): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const [tx, ty, zoom] = transform;
  const left = -tx / zoom;
  const top = -ty / zoom;
  const margin = 0.5;
  const at = still.at;
  const inside =
    at !== null && at.zoom === zoom && at.ratio === ratio && left >= at.x && top >= at.y && left + width / zoom <= at.x + at.width / zoom && top + height / zoom <= at.y + at.height / zoom;
  if (!inside) {
    const bw = Math.round(width * (1 + 2 * margin));
    const bh = Math.round(height * (1 + 2 * margin));
    still.bitmap ??= document.createElement('canvas');
    still.bitmap.width = Math.round(bw * ratio);
    still.bitmap.height = Math.round(bh * ratio);
    still.at = { x: left - (width * margin) / zoom, y: top - (height * margin) / zoom, zoom, ratio, width: bw, height: bh };
    const b = still.bitmap.getContext('2d')!;
    b.setTransform(ratio * zoom, 0, 0, ratio * zoom, -still.at.x * zoom * ratio, -still.at.y * zoom * ratio);
    paintScene(b, still.scene, zoom);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const a = still.at!;
  ctx.drawImage(still.bitmap!, Math.round((a.x - left) * zoom * ratio), Math.round((a.y - top) * zoom * ratio));
  if (moving) {
    ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * tx, ratio * ty);
    paintScene(ctx, moving, zoom);
  }
  canvas.dataset.drawn = String(count);
}

/** Whether `nodes` equals `before` everywhere but at the layers being dragged. */
function sameStill(nodes: readonly FlowNode[], before: readonly FlowNode[], moving: ReadonlyMap<string, unknown>): boolean {
  if (nodes.length !== before.length) return false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n !== before[i] && !moving.has(n.id)) return false;
  }
  return true;
}

export function FarCanvas({ nodes, edges, lr, moving }: { nodes: readonly FlowNode[]; edges: readonly FlowEdge[]; lr: boolean; moving: ReadonlyMap<string, unknown> }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi<FlowNode, FlowEdge>();
  const stillRef = useRef<{ layer: StillLayer; nodes: readonly FlowNode[]; edges: readonly FlowEdge[]; lr: boolean; movingKey: string } | null>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const boxes = farBoxes(nodes);
    const byId = new Map(boxes.map((b) => [b.id, b]));
    const isMoving = (b: FarBox | undefined) => !!b && moving.has(b.pick);
    const movingKey = [...moving.keys()].sort().join('\n');
    // A drag repaints only the layers it moves (and their edges) over the still bitmap.
    const kept = stillRef.current;
    if (!kept || kept.edges !== edges || kept.lr !== lr || kept.movingKey !== movingKey || !sameStill(nodes, kept.nodes, moving)) {
      const still = buildScene(
        boxes.filter((b) => !isMoving(b)),
        moving.size === 0 ? edges : edges.filter((e) => !isMoving(byId.get(e.source)) && !isMoving(byId.get(e.target))),
        lr,
        byId,
      );
      stillRef.current = { layer: { scene: still, bitmap: kept?.layer.bitmap ?? null, at: null }, nodes, edges, lr, movingKey };
    } else stillRef.current = { ...kept, nodes };
    const layer = stillRef.current.layer;
    const movingScene =
      moving.size === 0 ? null : buildScene(boxes.filter(isMoving), edges.filter((e) => isMoving(byId.get(e.source)) || isMoving(byId.get(e.target))), lr, byId);
    let frame = 0;
    let last: unknown = null;
    const paint = () => {
      frame = 0;
      const { transform } = store.getState();
      last = transform;
      draw(canvas, layer, movingScene, boxes.length, transform);
    };
    paint();
    // Pan and zoom: at most one repaint per frame.
    const unsubscribe = store.subscribe((s) => {
      if (s.transform !== last && !frame) frame = requestAnimationFrame(paint);
    });
    const resize = new ResizeObserver(() => {
      layer.at = null;
      paint();
    });
    resize.observe(canvas);
    return () => {
      unsubscribe();
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [nodes, edges, lr, moving, store]);
  return <canvas ref={ref} className="nw-far-canvas" data-testid="far-canvas" />;
}

export interface FarPointerContext {
  nodes: readonly FlowNode[];
  toFlow(point: { x: number; y: number }): { x: number; y: number };
  /** Applies drag positions (document coordinates) at most once per frame. */
  queueDrag(positions: Map<string, { x: number; y: number }>): void;
  endDrag(): void;
}

/**
 * A press on a box of the far view selects its layer (Ctrl/⌘ adds to the
 * selection) and dragging moves the selection, as on the near view; a press
 * beside every box is left to React Flow (pan, box selection).
 */
export function farMouseDown(event: React.MouseEvent, context: FarPointerContext): void {
  // Presses on the panels over the canvas (minimap, zoom buttons) are theirs.
  if (event.button !== 0 || event.shiftKey || !(event.target instanceof Element) || !event.target.closest('.react-flow__pane')) return;
  const at = context.toFlow({ x: event.clientX, y: event.clientY });
  const hit = boxAt(farBoxes(context.nodes), at.x, at.y);
  if (!hit) return;
  // Before React Flow's pane sees it: this press is a node's, not a pan.
  event.stopPropagation();
  event.preventDefault();
  const state = editorStore.getState();
  const nodes = new Set(state.selectedNodes);
  const toggle = event.ctrlKey || event.metaKey;
  if (toggle) {
    if (nodes.has(hit.pick)) nodes.delete(hit.pick);
    else nodes.add(hit.pick);
    state.setSelection(nodes, new Set());
  } else if (!nodes.has(hit.pick)) state.setSelection(new Set([hit.pick]), new Set());
  const moving = [...editorStore.getState().selectedNodes];
  const start = new Map(editorStore.getState().document.graph.nodes.filter((n) => moving.includes(n.id)).map((n) => [n.id, n.position]));
  let moved = false;
  const move = (e: MouseEvent) => {
    if (toggle) return;
    const now = context.toFlow({ x: e.clientX, y: e.clientY });
    const dx = now.x - at.x;
    const dy = now.y - at.y;
    moved ||= Math.abs(dx) + Math.abs(dy) > 0;
    context.queueDrag(new Map([...start].map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }])));
  };
  const up = () => {
    window.removeEventListener('mousemove', move);
    window.removeEventListener('mouseup', up);
    if (moved) context.endDrag();
    // The click that follows is the layer's too: React Flow's pane would take it for a click beside
    // every layer and clear the selection.
    swallowNextClick();
  };
  window.addEventListener('mousemove', move);
  window.addEventListener('mouseup', up);
}

/** Swallows the click that ends a press of the far view: React Flow's pane would clear the selection. */
function swallowNextClick(): void {
  const swallow = (e: MouseEvent) => e.stopPropagation();
  window.addEventListener('click', swallow, true);
  setTimeout(() => window.removeEventListener('click', swallow, true), 0);
}

/**
 * Shift-drag in the far view: React Flow's box selection skips hidden nodes, so
 * the far view draws the box itself and selects the top-level layers (and
 * blocks) that lie wholly inside it, as React Flow does on the near view.
 */
export function farPointerDown(event: React.PointerEvent, context: FarPointerContext): void {
  if (event.button !== 0 || !event.shiftKey || !event.isPrimary || !(event.target instanceof Element)) return;
  const pane = event.target.closest('.react-flow__pane') ? event.target.closest<HTMLElement>('.react-flow') : null;
  if (!pane) return;
  // Before React Flow's pane starts its own box selection (which would find no layer).
  event.stopPropagation();
  event.preventDefault();
  const origin = pane.getBoundingClientRect();
  const start = { x: event.clientX, y: event.clientY };
  const box = document.createElement('div');
  box.className = 'react-flow__selection nw-far-selection';
  box.dataset.testid = 'far-selection';
  pane.appendChild(box);
  const place = (e: PointerEvent | MouseEvent) => {
    box.style.left = `${Math.min(start.x, e.clientX) - origin.left}px`;
    box.style.top = `${Math.min(start.y, e.clientY) - origin.top}px`;
    box.style.width = `${Math.abs(e.clientX - start.x)}px`;
    box.style.height = `${Math.abs(e.clientY - start.y)}px`;
  };
  place(event.nativeEvent);
  const up = (e: PointerEvent) => {
    window.removeEventListener('pointermove', place);
    window.removeEventListener('pointerup', up);
    box.remove();
    swallowNextClick();
    const a = context.toFlow(start);
    const b = context.toFlow({ x: e.clientX, y: e.clientY });
    const [x0, x1] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
    const [y0, y1] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
    const inside = farBoxes(context.nodes).filter((f) => f.pick === f.id && f.x >= x0 && f.y >= y0 && f.x + f.width <= x1 && f.y + f.height <= y1);
    const state = editorStore.getState();
    // With Ctrl/⌘ held too, the box adds to the selection.
    const nodes = e.ctrlKey || e.metaKey ? new Set(state.selectedNodes) : new Set<string>();
    for (const f of inside) nodes.add(f.id);
    state.setSelection(nodes, new Set());
  };
  window.addEventListener('pointermove', place);
  window.addEventListener('pointerup', up);
}
