import { Position } from '@xyflow/react';
import type { ShapeEdgeData } from '../store/flow-model';

/**
 * The path of every edge, in one place for both drawings: the near view's SVG
 * (shape-edge.tsx) and the far view's canvas (far-canvas.tsx), so that zoomed
 * out an edge runs where it runs zoomed in (a shortcut down its lane, a wrapped
 * chain between the frames) instead of a straight line across the boxes. The
 * tracer writes to anything with the four path calls: a Path2D as it is, or an
 * SVG path string through SvgPath. Pure; flow coordinates.
 */

export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void;
  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void;
}

/** An SVG path's `d`, built through the same calls as a canvas path. */
export class SvgPath implements PathSink {
  d = '';
  moveTo(x: number, y: number): void {
    this.d += `${this.d ? ' ' : ''}M ${x},${y}`;
  }
  lineTo(x: number, y: number): void {
    this.d += ` L ${x},${y}`;
  }
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    this.d += ` C ${c1x},${c1y} ${c2x},${c2y} ${x},${y}`;
  }
  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void {
    this.d += ` Q ${cx},${cy} ${x},${y}`;
  }
}

/** Where an edge leaves and enters, and which sides of the nodes those are. */
export interface EdgeEnds {
  sx: number;
  sy: number;
  tx: number;
  ty: number;
  sourcePosition: Position;
  targetPosition: Position;
}

export type Point = [number, number];

/** The point `r` from (x, y) towards (toX, toY). */
function towards(x: number, y: number, toX: number, toY: number, r: number): Point {
  const d = Math.hypot(toX - x, toY - y);
  return d === 0 ? [x, y] : [x + ((toX - x) / d) * r, y + ((toY - y) / d) * r];
}

/** A polyline with its corners rounded (radius up to `radius`, less where a leg is short). */
export function traceRounded(sink: PathSink, points: readonly Point[], radius = 8): void {
  const [sx, sy] = points[0]!;
  sink.moveTo(sx, sy);
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i - 1]!;
    const [cx, cy] = points[i]!;
    const [nx, ny] = points[i + 1]!;
    const r = Math.min(radius, Math.hypot(cx - px, cy - py) / 2, Math.hypot(nx - cx, ny - cy) / 2);
    const before = towards(cx, cy, px, py, r);
    const after = towards(cx, cy, nx, ny, r);
    sink.lineTo(before[0], before[1]);
    sink.quadraticCurveTo(cx, cy, after[0], after[1]);
  }
  const [tx, ty] = points[points.length - 1]!;
  sink.lineTo(tx, ty);
}

/** Adds a corner unless it is where the path already is. */
function push(points: Point[], x: number, y: number): void {
  const [lx, ly] = points[points.length - 1]!;
  if (Math.abs(lx - x) > 0.5 || Math.abs(ly - y) > 0.5) points.push([x, y]);
}

/**
 * A shortcut that runs in its block's lane (top to bottom): from its source straight down a
 * little, across to the lane, down the lane, and across into its target just above it, so it
 * never runs over a layer. Returns the label's point (the middle of the lane).
 */
export function traceLane(sink: PathSink, sx: number, sy: number, tx: number, ty: number, laneX: number): { labelX: number; labelY: number } {
  const lead = 12;
  const turn = 16;
  const points: Point[] = [[sx, sy]];
  const top = Math.abs(sx - laneX) > 0.5 ? sy + lead : sy;
  if (top !== sy) {
    push(points, sx, top);
    push(points, laneX, top);
  }
  const bottom = Math.abs(tx - laneX) > 0.5 ? ty - turn : ty;
  push(points, laneX, bottom);
  if (bottom !== ty) push(points, tx, bottom);
  push(points, tx, ty);
  if (points.length === 1) points.push([tx, ty]);
  traceRounded(sink, points);
  return { labelX: laneX, labelY: (top + bottom) / 2 };
}

/**
 * A wrapped chain's edge, orthogonal around the frames (see wrap-routes.ts): out of its source
 * to `m1` along the layout's direction, across to the free channel `channel` between the rows
 * (left to right) or columns (top to bottom), back along it to `m2`, across to its target's
 * line and into it. The label sits in the channel.
 */
export function traceWrap(sink: PathSink, ends: EdgeEnds, route: { lr: boolean; m1: number; m2: number; channel: number }): { labelX: number; labelY: number } {
  const { sx, sy, tx, ty } = ends;
  const { m1, m2, channel } = route;
  // In (main, cross) coordinates: main runs along the layout's direction.
  const pt = (m: number, c: number): [number, number] => (route.lr ? [m, c] : [c, m]);
  const [sm, sc] = route.lr ? [sx, sy] : [sy, sx];
  const [tm, tc] = route.lr ? [tx, ty] : [ty, tx];
  const points: Point[] = [pt(sm, sc)];
  for (const [m, c] of [
    [m1, sc],
    [m1, channel],
    [m2, channel],
    [m2, tc],
    [tm, tc],
  ] as const) {
    const [x, y] = pt(m, c);
    push(points, x, y);
  }
  if (points.length === 1) points.push([tx, ty]);
  traceRounded(sink, points, 10);
  const [labelX, labelY] = pt((m1 + m2) / 2, channel);
  return { labelX, labelY };
}

function controlOffset(distance: number, curvature: number): number {
  return distance >= 0 ? 0.5 * distance : curvature * 25 * Math.sqrt(-distance);
}

function control(pos: Position, x1: number, y1: number, x2: number, y2: number, c: number): Point {
  switch (pos) {
    case Position.Left:
      return [x1 - controlOffset(x1 - x2, c), y1];
    case Position.Right:
      return [x1 + controlOffset(x2 - x1, c), y1];
    case Position.Top:
      return [x1, y1 - controlOffset(y1 - y2, c)];
    case Position.Bottom:
      return [x1, y1 + controlOffset(y2 - y1, c)];
  }
}

/** React Flow's bezier edge (getBezierPath, curvature 0.25), traced: the same curve on the canvas as in the SVG. */
export function traceBezier(sink: PathSink, ends: EdgeEnds): { labelX: number; labelY: number } {
  const { sx, sy, tx, ty } = ends;
  const [c1x, c1y] = control(ends.sourcePosition, sx, sy, tx, ty, 0.25);
  const [c2x, c2y] = control(ends.targetPosition, tx, ty, sx, sy, 0.25);
  sink.moveTo(sx, sy);
  sink.bezierCurveTo(c1x, c1y, c2x, c2y, tx, ty);
  return { labelX: sx * 0.125 + c1x * 0.375 + c2x * 0.375 + tx * 0.125, labelY: sy * 0.125 + c1y * 0.375 + c2y * 0.375 + ty * 0.125 };
}

/** A skip connection that would run straight down over the layers it bypasses bows out to the side. */
function traceBow(sink: PathSink, ends: EdgeEnds): { labelX: number; labelY: number } {
  const { sx, sy, tx, ty } = ends;
  const span = Math.abs(ty - sy);
  const bow = 90 + Math.min(200, span * 0.12);
  const lead = Math.min(80, span * 0.25);
  const c1 = { x: sx + bow, y: sy + lead };
  const c2 = { x: tx + bow, y: ty - lead };
  sink.moveTo(sx, sy);
  sink.bezierCurveTo(c1.x, c1.y, c2.x, c2.y, tx, ty);
  return { labelX: 0.125 * sx + 0.375 * c1.x + 0.375 * c2.x + 0.125 * tx, labelY: 0.125 * sy + 0.375 * c1.y + 0.375 * c2.y + 0.125 * ty };
}

/** Any edge of the canvas: its lane, its wrap route, a bow for a skip, else React Flow's bezier. */
export function traceEdge(sink: PathSink, ends: EdgeEnds, data: ShapeEdgeData | undefined): { labelX: number; labelY: number } {
  if (data?.laneDx !== undefined) return traceLane(sink, ends.sx, ends.sy, ends.tx, ends.ty, ends.tx + data.laneDx);
  if (data?.route) return traceWrap(sink, ends, data.route);
  if (data?.innerRoute) {
    const r = data.innerRoute;
    return traceWrap(sink, ends, { lr: false, m1: ends.sy + r.m1, m2: ends.ty + r.m2, channel: ends.sx + r.channel });
  }
  if (data?.skip && Math.abs(ends.tx - ends.sx) < 80 && ends.ty - ends.sy > 150) return traceBow(sink, ends);
  return traceBezier(sink, ends);
}
