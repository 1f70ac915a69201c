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

export interface BlockExpansionView {
  layers: InnerLayerView[];
  output: string;
  width: number;
  height: number;
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
  const size = layoutInner(layers, expansion.output);
  return { layers, output: expansion.output, ...size };
}

function layoutInner(layers: InnerLayerView[], output: string): { width: number; height: number } {
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
