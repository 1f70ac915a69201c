import type { BlockNodeData, FlowEdge, FlowNode, ShapeEdgeData } from '../store/flow-model';
import type { Rect } from './cull';
import { topLevelBoxes } from './cull';

/**
 * Routes for the edges of a wrapped chain. With long chains wrapped, the edge
 * from the end of one row (left to right) or column (top to bottom) to the
 * start of the next runs back against the layout's direction; drawn as a
 * bezier it cuts diagonally across every frame in between. Such an edge gets
 * an orthogonal route instead: out of its source, across into the widest free
 * channel between the rows (or columns), back along it past everything in
 * the way, and into its target, never across a box. Computed when the layout
 * or the graph changes, not on drag frames: the route keeps its channel while
 * its ends follow the handles. Pure.
 */

export interface WrapRoute {
  lr: boolean;
  m1: number;
  m2: number;
  channel: number;
}

/** How far an edge runs out of its source (and into its target) before it turns. */
const lead = 22;

/** A box in (main, cross) coordinates: main along the layout's direction. */
interface Span {
  m0: number;
  m1: number;
  c0: number;
  c1: number;
}

function span(box: Rect, lr: boolean): Span {
  return lr ? { m0: box.x, m1: box.x + box.width, c0: box.y, c1: box.y + box.height } : { m0: box.y, m1: box.y + box.height, c0: box.x, c1: box.x + box.width };
}

/** The widest free stretch of the cross axis strictly between `from` and `to` that no box in `boxes` covers; null when there is none. */
function widestGap(boxes: readonly Span[], from: number, to: number): { c0: number; c1: number } | null {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const covered = boxes.filter((b) => b.c1 > lo && b.c0 < hi).sort((a, b) => a.c0 - b.c0);
  let best: { c0: number; c1: number } | null = null;
  let at = lo;
  const consider = (end: number) => {
    if (end - at > 2 && (!best || end - at > best.c1 - best.c0)) best = { c0: at, c1: end };
  };
  for (const b of covered) {
    consider(Math.min(b.c0, hi));
    at = Math.max(at, b.c1);
    if (at >= hi) return best;
  }
  consider(hi);
  return best;
}

/** The route of one backward edge, or null when it needs none (or no free channel exists). */
export function routeBackward(source: Span, target: Span, sc: number, tc: number, obstacles: readonly Span[], lr: boolean): WrapRoute | null {
  // Only an edge whose target lies behind its source's end, in another row or column.
  if (target.m0 >= source.m1) return null;
  const separate = target.c0 >= source.c1 || target.c1 <= source.c0;
  if (!separate) return null;
  const down = target.c0 >= source.c1;
  let m1 = source.m1 + lead;
  let m2 = target.m0 - lead;
  let channel = 0;
  for (let pass = 0; pass < 4; pass++) {
    const inRange = obstacles.filter((b) => b.m1 > m2 && b.m0 < m1);
    const gap = widestGap(inRange, down ? source.c1 : source.c0, down ? target.c0 : target.c1);
    if (!gap) return null;
    channel = (gap.c0 + gap.c1) / 2;
    // The legs across (at m1 from the source's line to the channel, at m2 from it to the target's)
    // step past any box in their way; a longer channel is then checked again.
    const legBlocked = (m: number, a: number, b: number) => obstacles.find((o) => o.m0 < m && o.m1 > m && o.c1 > Math.min(a, b) && o.c0 < Math.max(a, b));
    let moved = false;
    for (let o = legBlocked(m1, sc, channel); o; o = legBlocked(m1, sc, channel)) {
      m1 = o.m1 + lead;
      moved = true;
    }
    for (let o = legBlocked(m2, channel, tc); o; o = legBlocked(m2, channel, tc)) {
      m2 = o.m0 - lead;
      moved = true;
    }
    if (!moved) break;
  }
  return { lr, m1, m2, channel };
}

/** Where a top-level node's edges leave or enter across the layout's direction (a frame's main path, top to bottom). */
function crossAnchor(node: FlowNode | undefined, box: Rect, lr: boolean): number {
  if (lr) return box.y + box.height / 2;
  const mainX = node?.type === 'block' ? (node.data as BlockNodeData).mainX : undefined;
  return box.x + (mainX ?? box.width / 2);
}

/** Width of the buckets that index the boxes along the cross axis (a few columns or rows each). */
const bucketSize = 600;

/**
 * The boxes indexed by where they lie across the layout's direction: a route only ever meets
 * boxes between its two ends' rows (or columns), so it looks at those buckets, not at every box
 * (a 5,000-layer graph has hundreds of wrapped edges).
 */
function crossIndex(spans: readonly Span[]): (lo: number, hi: number) => Span[] {
  const buckets = new Map<number, Span[]>();
  for (const s of spans) {
    for (let k = Math.floor(s.c0 / bucketSize); k <= Math.floor(s.c1 / bucketSize); k++) {
      let list = buckets.get(k);
      if (!list) buckets.set(k, (list = []));
      list.push(s);
    }
  }
  return (lo, hi) => {
    const found = new Set<Span>();
    for (let k = Math.floor(lo / bucketSize); k <= Math.floor(hi / bucketSize); k++) for (const s of buckets.get(k) ?? []) if (s.c1 > lo && s.c0 < hi) found.add(s);
    return [...found];
  };
}

/** Routes for every top-level edge that runs back against the layout's direction, by edge id. */
export function wrapRoutes(nodes: readonly FlowNode[], edges: readonly FlowEdge[], lr: boolean): Map<string, WrapRoute> {
  const routes = new Map<string, WrapRoute>();
  const boxes = topLevelBoxes(nodes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let near: ((lo: number, hi: number) => Span[]) | null = null;
  for (const e of edges) {
    if (e.data?.inner || e.data?.laneDx !== undefined) continue;
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const source = span(s, lr);
    const target = span(t, lr);
    if (target.m0 >= source.m1) continue;
    near ??= crossIndex([...boxes.values()].map((b) => span(b, lr)));
    // Every box a route can meet lies across from its ends' rows (columns) or between them.
    const obstacles = near(Math.min(source.c0, target.c0), Math.max(source.c1, target.c1));
    const route = routeBackward(source, target, crossAnchor(byId.get(e.source), s, lr), crossAnchor(byId.get(e.target), t, lr), obstacles, lr);
    if (route) routes.set(e.id, route);
  }
  return routes;
}

const sameRoute = (a: WrapRoute | undefined, b: WrapRoute | undefined) =>
  a === b || (!!a && !!b && a.lr === b.lr && a.m1 === b.m1 && a.m2 === b.m2 && a.channel === b.channel);

/**
 * Puts routes into the edges' data, keeping every edge object whose route did not change (React
 * Flow and the memoised edge component then skip it).
 */
export function createRouteApplier(): (edges: readonly FlowEdge[], routes: ReadonlyMap<string, WrapRoute>) => FlowEdge[] {
  let cache = new Map<string, { base: FlowEdge; route: WrapRoute | undefined; edge: FlowEdge }>();
  let lastIn: readonly FlowEdge[] | null = null;
  let lastOut: FlowEdge[] = [];
  return (edges, routes) => {
    const next = new Map<string, { base: FlowEdge; route: WrapRoute | undefined; edge: FlowEdge }>();
    let changed = edges !== lastIn;
    const out = edges.map((base) => {
      const route = routes.get(base.id);
      const kept = cache.get(base.id);
      let edge: FlowEdge;
      if (kept && kept.base === base && sameRoute(kept.route, route)) edge = kept.edge;
      else {
        edge = route ? { ...base, data: { ...(base.data as ShapeEdgeData), route } } : base;
        changed = true;
      }
      next.set(base.id, { base, route, edge });
      return edge;
    });
    cache = next;
    lastIn = edges;
    if (changed) lastOut = out;
    return lastOut;
  };
}
