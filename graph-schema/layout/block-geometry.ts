import type { ParamCount } from '../layer-def';
import { expandBlock, walkExpansion } from '../expansion-walk';
import { analyzeLayer } from '../infer';
import type { LayerParams } from '../params';
import { resolveParams } from '../params';
import { getLayerDef } from '../registry';
import type { Shape } from '../shape';

export type Position = { x: number; y: number };
export type Size = { width: number; height: number };

/** Geometry shared by the canvas and the layout code (CSS uses the same numbers). */
export const nodeWidth = 220;
export const collapsedNodeHeight = 86;
const columnWidth = nodeWidth + 28;
const rowHeight = 104;
const groupPadX = 24;
const groupHeaderHeight = 92;
const groupPadBottom = 44;
/** Room beside a single column for a shortcut edge that bows around the layers. */
const minFrameWidth = 360;

export interface InnerLayerView {
  localId: string;
  kind: string;
  label: string;
  params: LayerParams;
  /** Local ids of the inputs; `blockInput` is the block's own input. */
  inputs: string[];
  outputShape: Shape | null;
  paramCount: ParamCount;
  problem: string | null;
  /** Relative to the block's frame. */
  position: { x: number; y: number };
}

/**
 * The shortcut of a residual block, drawn as its own lane beside the main
 * path: its layers (a projection) sit on it and its edges run down it, never
 * across the main path's layers. Frame-relative x of the lane's centre line and
 * of the main path's.
 */
export interface ShortcutLane {
  x: number;
  mainX: number;
  /** Local ids of the layers on the lane (none for an identity shortcut). */
  layers: string[];
  /** Local id of the Add where the shortcut meets the main path. */
  merge: string;
  top: number;
  bottom: number;
}

/**
 * The route of an inner edge from one column of a wrapped block to the next: down `m1` from its
 * source's output, across to the free `channel` between the columns (`channel` right of the
 * source), up it to `m2` from the target's input (negative: above it) and across into the target;
 * the same orthogonal route as a wrapped top-level chain's. Relative to the ends, so that it holds
 * whatever height a layer is drawn at.
 */
export interface InnerRoute {
  m1: number;
  m2: number;
  channel: number;
}

export interface BlockExpansionView {
  layers: InnerLayerView[];
  output: string;
  width: number;
  height: number;
  /** Set for a block with one shortcut into an Add (a residual block). */
  lane?: ShortcutLane;
  /**
   * A long block (a dense block's chain) wrapped into several columns side by side: how many, the
   * frame-relative x of the first column's and of the last column's centre line (where the frame's
   * inner input and output handles sit), and the routes of the edges from one column into the next,
   * by `${target localId}#${input index}`.
   */
  wrap?: { columns: number; firstX: number; lastX: number; routes: Map<string, InnerRoute> };
}

/** Node id on the canvas of a layer inside an expanded block. */
export function innerNodeId(blockId: string, localId: string): string {
  return `${blockId}::${localId}`;
}

export function isInnerNodeId(id: string): boolean {
  return id.includes('::');
}

/**
 * The layers of a composite block, with their shapes and counts, laid out
 * top to bottom inside the block's frame. Layers sit as late as their
 * consumers allow, so a shortcut projection lands beside the add it feeds.
 */
export function expandBlockView(kind: string, storedParams: Record<string, unknown>, inputShape: Shape | null, inputShapes: readonly (Shape | null)[] = [inputShape]): BlockExpansionView | null {
  const def = getLayerDef(kind);
  if (!def?.expand) return null;
  const resolved = resolveParams(def.params, storedParams).params;
  let expansion;
  try {
    expansion = expandBlock(def, resolved, inputShapes.map((s) => s ?? [null]));
  } catch {
    return null;
  }
  const layers: InnerLayerView[] = [];
  walkExpansion<Shape | null>(expansion, inputShapes, ({ node, def: innerDef, inputs }) => {
    const ins = inputs.map((s) => s ?? null);
    let outputShape: Shape | null = null;
    let paramCount: ParamCount = { trainable: 0, nonTrainable: 0 };
    let problem: string | null = null;
    let params = node.params as LayerParams;
    if (innerDef && ins.every((s) => s !== null)) {
      const outcome = analyzeLayer(innerDef, node.params, ins as Shape[]);
      params = outcome.params;
      outputShape = outcome.shape;
      paramCount = outcome.count;
      problem = outcome.problems[0]?.message ?? null;
    } else if (innerDef) {
      params = resolveParams(innerDef.params, node.params).params;
    }
    layers.push({ localId: node.localId, kind: node.kind, label: node.label, params, inputs: node.inputs, outputShape, paramCount, problem, position: { x: 0, y: 0 } });
    return outputShape;
  });
  const lane = findShortcut(layers, expansion.output);
  if (lane) return { layers, output: expansion.output, ...layoutWithLane(layers, lane.main, lane.shortcut, lane.merge) };
  const size = layoutInner(layers, expansion.output);
  return { layers, output: expansion.output, ...size };
}

/** A block with more rows than this is wrapped into columns, so that a dense block reads at "Fit". */
export const maxRowsPerColumn = 36;
/** How many rows a cut between two columns may move from the even split. */
const cutSlack = 3;
/** Room between wrapped columns: a skip edge's bow on the right of a column and the channel that carries the wrapped edges. */
const wrapGap = 110;
/** How far a wrapped edge runs out of its source (and into its target) before it turns: half the gap between two rows. */
const wrapLead = (rowHeight - collapsedNodeHeight) / 2;

/**
 * Where to cut `depth + 1` rows into `columns` runs of at most `maxRowsPerColumn`: near even, each
 * cut moved (by up to a few rows) to where the fewest layers feed across it, so that a dense block
 * is cut after a concatenation, where one wire crosses, not in the middle of a layer.
 */
function chooseCuts(rowCount: number, columns: number, crossingSources: (afterRow: number) => number): number[] {
  const cuts: number[] = [];
  let start = 0;
  for (let c = 1; c < columns; c++) {
    const ideal = start + Math.round((rowCount - start) / (columns - c + 1));
    let best = Math.min(start + maxRowsPerColumn, ideal);
    let bestScore = Infinity;
    for (let d = -cutSlack; d <= cutSlack; d++) {
      const at = ideal + d;
      const fits = at > start && at < rowCount && at - start <= maxRowsPerColumn && rowCount - at <= (columns - c) * maxRowsPerColumn;
      const score = crossingSources(at - 1) * 10 + Math.abs(d);
      if (fits && score < bestScore) {
        best = at;
        bestScore = score;
      }
    }
    cuts.push(best);
    start = best;
  }
  return cuts;
}

/** Room between rows of a block with a shortcut lane, so the shortcut can turn into the Add between two layers. */
const laneRowHeight = 120;

/**
 * The main path (the longest, from the block input to its output) and, when
 * every other layer forms one chain from the block input or a main layer into
 * an Add of the main path, that chain (empty for an identity shortcut).
 */
function findShortcut(layers: readonly InnerLayerView[], output: string): { main: string[]; shortcut: string[]; merge: string } | null {
  const byId = new Map(layers.map((l) => [l.localId, l]));
  const depth = new Map<string, number>();
  for (const l of layers) depth.set(l.localId, 1 + Math.max(0, ...l.inputs.map((i) => depth.get(i) ?? 0)));
  const main: string[] = [];
  for (let id: string | undefined = output; id && byId.has(id); ) {
    main.unshift(id);
    const inputs: string[] = byId.get(id)!.inputs;
    id = inputs.reduce<string | undefined>((best, i) => (best === undefined || (depth.get(i) ?? 0) > (depth.get(best) ?? 0) ? i : best), undefined);
  }
  const onMain = new Set(main);
  const others = layers.filter((l) => !onMain.has(l.localId));
  // The Add fed by something off the main path (or straight from the block input beside it).
  const merges = layers.filter((l) => l.kind === 'Add' && onMain.has(l.localId) && l.inputs.length === 2);
  if (merges.length !== 1) return null;
  const merge = merges[0]!;
  const mainIndex = main.indexOf(merge.localId);
  const mainInput = main[mainIndex - 1];
  const skipInput = merge.inputs.find((i) => i !== mainInput);
  if (skipInput === undefined) return null;
  // Walk the shortcut back from the Add: a chain of single-input layers, off the main path.
  const shortcut: string[] = [];
  for (let id = skipInput; byId.has(id) && !onMain.has(id); ) {
    const layer = byId.get(id)!;
    if (layer.inputs.length !== 1) return null;
    shortcut.unshift(id);
    id = layer.inputs[0]!;
  }
  if (shortcut.length !== others.length) return null;
  return { main, shortcut, merge: merge.localId };
}

function layoutWithLane(layers: InnerLayerView[], main: readonly string[], shortcut: readonly string[], merge: string): { width: number; height: number; lane: ShortcutLane } {
  const byId = new Map(layers.map((l) => [l.localId, l]));
  const mainX = groupPadX;
  const laneX = groupPadX + columnWidth;
  const row = (r: number) => groupHeaderHeight + r * laneRowHeight;
  main.forEach((id, r) => {
    byId.get(id)!.position = { x: mainX, y: row(r) };
  });
  // The shortcut's layers sit on the lane, in the middle of the stretch it bypasses.
  const first = byId.get(shortcut[0] ?? '')?.inputs[0];
  const from = first !== undefined && main.includes(first) ? main.indexOf(first) + 1 : 0;
  const to = main.indexOf(merge);
  const start = from + Math.max(0, Math.floor((to - from - shortcut.length) / 2));
  shortcut.forEach((id, i) => {
    byId.get(id)!.position = { x: laneX, y: row(start + i) };
  });
  const rows = Math.max(main.length, start + shortcut.length);
  const contentWidth = groupPadX * 2 + 2 * columnWidth - (columnWidth - nodeWidth);
  const width = Math.max(minFrameWidth, contentWidth);
  const height = groupHeaderHeight + rows * laneRowHeight - (laneRowHeight - collapsedNodeHeight) + groupPadBottom;
  return {
    width,
    height,
    lane: { x: laneX + nodeWidth / 2, mainX: mainX + nodeWidth / 2, layers: [...shortcut], merge, top: groupHeaderHeight - 24, bottom: row(to) },
  };
}

function layoutInner(layers: InnerLayerView[], output: string): { width: number; height: number; wrap?: BlockExpansionView['wrap'] } {
  const consumers = new Map<string, string[]>();
  for (const layer of layers) for (const input of layer.inputs) consumers.set(input, [...(consumers.get(input) ?? []), layer.localId]);
  // Distance to the block output, walked from the end (layers are in topological order).
  const toEnd = new Map<string, number>();
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const next = (consumers.get(layer.localId) ?? []).map((c) => (toEnd.get(c) ?? 0) + 1);
    toEnd.set(layer.localId, layer.localId === output && next.length === 0 ? 0 : Math.max(0, ...next));
  }
  const depth = Math.max(0, ...toEnd.values());
  const rows: InnerLayerView[][] = Array.from({ length: depth + 1 }, () => []);
  for (const layer of layers) rows[depth - toEnd.get(layer.localId)!]!.push(layer);
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const contentWidth = groupPadX * 2 + columns * columnWidth - (columnWidth - nodeWidth);
  if (rows.length > maxRowsPerColumn) return wrapInner(layers, rows, columns);
  const width = Math.max(minFrameWidth, contentWidth);
  rows.forEach((row, r) => {
    const offset = ((columns - row.length) * columnWidth) / 2 + (width - contentWidth) / 2;
    row.forEach((layer, c) => {
      layer.position = { x: groupPadX + offset + c * columnWidth, y: groupHeaderHeight + r * rowHeight };
    });
  });
  return {
    width,
    height: groupHeaderHeight + rows.length * rowHeight - (rowHeight - collapsedNodeHeight) + groupPadBottom,
  };
}

/**
 * A long block laid out as several columns side by side, read top to bottom and left to right
 * like a page: each column a run of rows, the edges from one column into the next routed up the
 * gap between them.
 */
function wrapInner(layers: InnerLayerView[], rows: InnerLayerView[][], perRow: number): { width: number; height: number; wrap: NonNullable<BlockExpansionView['wrap']> } {
  const rowOf = new Map<string, number>();
  rows.forEach((row, r) => row.forEach((l) => rowOf.set(l.localId, r)));
  const crossingSources = (afterRow: number) => {
    const sources = new Set<string>();
    for (const l of layers) {
      if (rowOf.get(l.localId)! <= afterRow) continue;
      for (const i of l.inputs) {
        const from = rowOf.get(i);
        if (from !== undefined && from <= afterRow) sources.add(i);
      }
    }
    return sources.size;
  };
  // A little short of the most, so that each cut can move to where one wire crosses.
  const columns = Math.ceil(rows.length / (maxRowsPerColumn - cutSlack));
  const starts = [0, ...chooseCuts(rows.length, columns, crossingSources)];
  const columnOf = (r: number) => {
    let c = 0;
    while (c + 1 < starts.length && starts[c + 1]! <= r) c++;
    return c;
  };
  const runWidth = perRow * columnWidth - (columnWidth - nodeWidth);
  const pitch = runWidth + wrapGap;
  const longest = Math.max(...starts.map((s, c) => (starts[c + 1] ?? rows.length) - s));
  rows.forEach((row, r) => {
    const c = columnOf(r);
    const offset = ((perRow - row.length) * columnWidth) / 2;
    row.forEach((layer, i) => {
      layer.position = { x: groupPadX + c * pitch + offset + i * columnWidth, y: groupHeaderHeight + (r - starts[c]!) * rowHeight };
    });
  });
  const byId = new Map(layers.map((l) => [l.localId, l]));
  const routes = new Map<string, InnerRoute>();
  for (const l of layers) {
    l.inputs.forEach((from, i) => {
      const source = byId.get(from);
      if (!source) return;
      const sc = columnOf(rowOf.get(from)!);
      const tc = columnOf(rowOf.get(l.localId)!);
      // Only into the next column and back up the page; anything else keeps its curve.
      if (tc !== sc + 1 || l.position.y >= source.position.y + collapsedNodeHeight) return;
      const sx = source.position.x + nodeWidth / 2;
      const channel = groupPadX + sc * pitch + runWidth + wrapGap / 2;
      routes.set(`${l.localId}#${i}`, { m1: wrapLead, m2: -wrapLead, channel: channel - sx });
    });
  }
  const contentWidth = groupPadX * 2 + columns * pitch - wrapGap;
  const centre = (c: number) => groupPadX + c * pitch + runWidth / 2;
  return {
    width: Math.max(minFrameWidth, contentWidth),
    height: groupHeaderHeight + longest * rowHeight - (rowHeight - collapsedNodeHeight) + groupPadBottom,
    wrap: { columns, firstX: centre(0), lastX: centre(columns - 1), routes },
  };
}
