import type { ElkNode } from 'elkjs/lib/elk-api';
import type { NetweaveDocument } from '../document';
import { analyzeGraph } from '../infer';
import type { Position, Size } from './block-geometry';
import { collapsedNodeHeight, expandBlockView, nodeWidth } from './block-geometry';
import type { PlacedBox } from './wrap-chunks';
import { wrapIntoChunks } from './wrap-chunks';

/** Anything that lays out an ELK graph: ELK in a worker (renderer) or the bundled ELK (CLI, importers). */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Top to bottom or left to right; remembered per document in `view.layoutDirection`. */
export type LayoutDirection = 'TB' | 'LR';

export interface LayoutOptions {
  direction?: LayoutDirection;
  /**
   * Width over height the drawing should aim for. A long chain is wrapped into
   * several columns (TB) or rows (LR) so that it fits a screen at "Fit"; no
   * wrapping when undefined.
   */
  aspectRatio?: number;
}

/** Fewer layers than this are never wrapped: a short chain reads best in one line. */
const minLayersToWrap = 12;

/** Layered, keeping the document's order within a layer so the result is stable. */
export function layeredOptions(options: LayoutOptions = {}): Record<string, string> {
  const lr = options.direction === 'LR';
  const base: Record<string, string> = {
    'elk.algorithm': 'layered',
    'elk.direction': lr ? 'RIGHT' : 'DOWN',
    'elk.spacing.nodeNode': lr ? '36' : '48',
    'elk.layered.spacing.nodeNodeBetweenLayers': lr ? '56' : '44',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
    'elk.edgeRouting': 'SPLINES',
  };
  return base;
}

/**
 * Document positions for every node after a layered layout. `frameOffset`
 * maps an expanded block to how far its frame sits from its document position.
 */
export async function layoutPositions(
  engine: LayoutEngine,
  document: NetweaveDocument,
  sizeOf: (id: string) => Size,
  frameOffset: (id: string) => Position = () => ({ x: 0, y: 0 }),
  options: LayoutOptions = {},
): Promise<Map<string, Position>> {
  const ids = new Set(document.graph.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: layeredOptions(options),
    children: document.graph.nodes.map((n) => ({ id: n.id, ...sizeOf(n.id) })),
    edges: document.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const result = await engine.layout(graph);
  const boxes: PlacedBox[] = (result.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 }));
  if (options.aspectRatio !== undefined && document.graph.nodes.length >= minLayersToWrap) {
    // Laid out straight first, then cut into chunks when that shows it clearly larger in the window.
    const wrapped = wrapIntoChunks(boxes, options.direction === 'LR', options.aspectRatio);
    if (wrapped) for (const box of boxes) Object.assign(box, wrapped.get(box.id));
  }
  const positions = new Map<string, Position>();
  for (const box of boxes) {
    const offset = frameOffset(box.id);
    positions.set(box.id, { x: Math.round(box.x - offset.x), y: Math.round(box.y - offset.y) });
  }
  return positions;
}

export interface NodeBoxes {
  sizeOf: (id: string) => Size;
  frameOffset: (id: string) => Position;
}

/**
 * The box each node takes on the canvas: a collapsed node's, or an expanded
 * block's frame (which is centred on the node's own column).
 */
export function documentNodeBoxes(document: NetweaveDocument, measured: (id: string) => Size | undefined = () => undefined): NodeBoxes {
  const frames = new Map<string, Size>();
  const expanded = document.graph.nodes.filter((n) => n.collapsed === false);
  if (expanded.length > 0) {
    const analysis = analyzeGraph(document.graph);
    for (const n of expanded) {
      const view = expandBlockView(n.kind, n.params, analysis.nodes.get(n.id)?.inputShapes[0] ?? null);
      if (view) frames.set(n.id, { width: view.width, height: view.height });
    }
  }
  return {
    sizeOf: (id) => frames.get(id) ?? measured(id) ?? { width: nodeWidth, height: collapsedNodeHeight },
    frameOffset: (id) => {
      const frame = frames.get(id);
      return frame ? { x: nodeWidth / 2 - frame.width / 2, y: 0 } : { x: 0, y: 0 };
    },
  };
}

/** Layout of a whole document with the sizes the editor draws; what the CLI and importers call. */
export async function autoLayoutDocument(engine: LayoutEngine, document: NetweaveDocument, options: LayoutOptions = {}): Promise<Map<string, Position>> {
  const boxes = documentNodeBoxes(document);
  return layoutPositions(engine, document, boxes.sizeOf, boxes.frameOffset, options);
}

/** A copy of `document` with the given node positions (others unchanged). */
export function withPositions(document: NetweaveDocument, positions: ReadonlyMap<string, Position>): NetweaveDocument {
  return {
    ...document,
    graph: { ...document.graph, nodes: document.graph.nodes.map((n) => (positions.has(n.id) ? { ...n, position: { ...positions.get(n.id)! } } : n)) },
  };
}
