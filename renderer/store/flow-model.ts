import type { Edge, Node } from '@xyflow/react';
import { Position as Side } from '@xyflow/react';
import type { GraphNode, NetweaveDocument } from '../../graph-schema/document';
import type { GraphAnalysis } from '../../graph-schema/infer';
import type { Category } from '../../graph-schema/layer-def';
import { blockInputIndex } from '../../graph-schema/layer-def';
import type { LayerParams } from '../../graph-schema/params';
import { getLayerDef } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { formatShapeCompact } from '../../graph-schema/shape';
import type { BlockExpansionView } from '../../graph-schema/layout/block-geometry';
import { expandBlockView, innerNodeId, nodeWidth } from '../../graph-schema/layout/block-geometry';

/** A layer node with a detail line, as drawn; the real size replaces it once measured. */
const estimatedNodeHeight = 72;
import type { Position, Size } from '../../graph-schema/edit/document-edits';
import { findSkipEdges } from './skip-edges';
import { farCanvasMinNodes } from '../canvas/far-view';

/** What the node component draws; plain values so that equal data can keep its identity. */
export interface LayerNodeData extends Record<string, unknown> {
  kind: string;
  title: string;
  /** Key parameters, e.g. "32 @ 3×3, s2, same". */
  detail: string;
  category: Category | 'unknown';
  shape: string;
  trainable: number;
  nonTrainable: number;
  error: string | null;
  warning: string | null;
  /** 'collapsed' for a composite block shown as one node. */
  block: 'collapsed' | null;
  /** A layer inside an expanded block: read-only, not connectable. */
  inner: boolean;
  acceptsInput: boolean;
  multiInput: boolean;
  /** Frozen (trainable: false): its weights stay fixed in training. */
  frozen?: boolean;
}

export interface BlockNodeData extends Record<string, unknown> {
  kind: string;
  title: string;
  detail: string;
  shape: string;
  trainable: number;
  nonTrainable: number;
  error: string | null;
  layerCount: number;
  /** Frame-relative x of the main path's centre line (where the block's input enters and its output leaves), when it has a shortcut lane. */
  mainX?: number;
  /** The shortcut lane: frame-relative centre x and its top and bottom. */
  laneX?: number;
  laneTop?: number;
  laneBottom?: number;
  /** A block wrapped into columns: frame-relative x of the inner input (first column) and output (last column). */
  innerInX?: number;
  innerOutX?: number;
}

export interface ShapeEdgeData extends Record<string, unknown> {
  label: string;
  skip: boolean;
  /**
   * A shortcut drawn in its block's lane: how far right of the target's input
   * the lane's centre line runs. The edge runs down the lane and turns into its
   * target just above it, never across a layer.
   */
  laneDx?: number;
  /**
   * An edge that runs back against the layout's direction (a wrapped chain's, from the end of one
   * row or column to the start of the next): the orthogonal route around the frames, see
   * wrap-routes.ts. `m1`/`m2` along the direction, `channel` across it (flow coordinates).
   */
  route?: { lr: boolean; m1: number; m2: number; channel: number };
  /**
   * An edge inside a block wrapped into columns, from one column into the next: the same kind of
   * route, given as offsets from the edge's ends (so it moves with the frame), see block-geometry.ts.
   */
  innerRoute?: { m1: number; m2: number; channel: number };
  inner: boolean;
  unknown: boolean;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;
export type BlockFlowNode = Node<BlockNodeData, 'block'>;
export type FlowNode = LayerFlowNode | BlockFlowNode;
export type FlowEdge = Edge<ShapeEdgeData, 'shape'>;

export interface FlowInput {
  document: NetweaveDocument;
  analysis: GraphAnalysis;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  dragPositions: ReadonlyMap<string, Position>;
  measured: ReadonlyMap<string, Size>;
  /**
   * Bumped by the caller whenever `measured` (a mutable map) changes; with it,
   * a call where only drag positions changed touches only the dragged layers.
   */
  measuredVersion?: number;
  /**
   * Zoomed out below the far zoom. A graph of farCanvasMinNodes layers or more is then
   * in the far view: every node is hidden from React Flow (no DOM at all) and
   * React Flow gets no edges; the far canvas draws them as plain boxes and lines.
   */
  zoomedOut?: boolean;
}

export interface FlowOutput {
  nodes: FlowNode[];
  /** Whether this is the far view (see FlowInput.zoomedOut). */
  far: boolean;
  /** The edges React Flow draws: none in the far view. */
  edges: FlowEdge[];
  /** Every edge, for the far canvas. */
  allEdges: FlowEdge[];
  /** Canvas position minus document position of each expanded block (its frame is centred on the collapsed node). */
  frameOffsets: ReadonlyMap<string, Position>;
  /** Expanded blocks by id, with their inner layers. */
  expansions: ReadonlyMap<string, BlockExpansionView>;
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function describeSafely(kind: string, params: LayerParams): string {
  try {
    return getLayerDef(kind)?.describe(params) ?? '';
  } catch {
    return '';
  }
}

const noEdges: FlowEdge[] = [];
const outRight: string = Side.Right;
const outBottom: string = Side.Bottom;
const handleSize = 10;

/**
 * Where a layer node's handles are (centred on its sides, as the CSS puts
 * them), from its measured or estimated size: React Flow can then draw its
 * edges without rendering the node first (with onlyRenderVisibleElements it
 * would otherwise render every node once, to measure its handles).
 */
function layerHandles(width: number, height: number, lr: boolean, acceptsInput: boolean): NonNullable<Node['handles']> {
  const half = handleSize / 2;
  const handles: NonNullable<Node['handles']> = [
    lr
      ? { id: 'out', type: 'source', position: Side.Right, x: width - half, y: height / 2 - half, width: handleSize, height: handleSize }
      : { id: 'out', type: 'source', position: Side.Bottom, x: width / 2 - half, y: height - half, width: handleSize, height: handleSize },
  ];
  if (acceptsInput) {
    handles.push(
      lr
        ? { id: 'in', type: 'target', position: Side.Left, x: -half, y: height / 2 - half, width: handleSize, height: handleSize }
        : { id: 'in', type: 'target', position: Side.Top, x: width / 2 - half, y: -half, width: handleSize, height: handleSize },
    );
  }
  return handles;
}

/**
 * The handles of an expanded block's frame, as block-node.tsx places them: its input and output
 * (in line with the main path top to bottom, mid-side left to right) and the inner ends its layers
 * connect to. Given explicitly because the frame's size never changes when the layout direction
 * does, so React Flow would keep the handle bounds it measured for the other direction.
 */
function blockHandles(width: number, height: number, lr: boolean, data: BlockNodeData): NonNullable<Node['handles']> {
  const half = handleSize / 2;
  const cx = data.mainX ?? width / 2;
  const at = (id: string, type: 'source' | 'target', position: Side, x: number, y: number) => ({ id, type, position, x: x - half, y: y - half, width: handleSize, height: handleSize });
  return [
    lr ? at('out', 'source', Side.Right, width, height / 2) : at('out', 'source', Side.Bottom, cx, height),
    lr ? at('in', 'target', Side.Left, 0, height / 2) : at('in', 'target', Side.Top, cx, 0),
    at('inner-in', 'source', Side.Top, innerEndX(data, width, 'in'), 62),
    at('inner-out', 'target', Side.Bottom, innerEndX(data, width, 'out'), height - 22),
  ];
}

/** How far right of a column a skip inside it runs: inside the room a frame and its wrapped columns leave beside a layer. */
const skipLaneGap = 30;

/**
 * Frame-relative x of a frame's inner input (or output) handle, where its layers' first (last) edge
 * starts (ends): above the first column (below the last) of a wrapped block, else on its main path,
 * else in its middle. The near view's handles, the far canvas and the diagram export all use it.
 */
export function innerEndX(data: BlockNodeData, width: number, end: 'in' | 'out'): number {
  return (end === 'in' ? data.innerInX : data.innerOutX) ?? data.mainX ?? width / 2;
}

function isExpanded(node: GraphNode): boolean {
  return node.collapsed === false && !!getLayerDef(node.kind)?.expand;
}

/** A node before position, selection and measured size are applied; rebuilt only when the graph or its analysis changes. */
interface BaseNode {
  node: FlowNode;
  /** Top-level nodes follow the document (or a drag); layers inside a frame keep their place. */
  docId: string | null;
  offset: Position;
}

interface Structure {
  nodes: BaseNode[];
  edges: FlowEdge[];
  frameOffsets: Map<string, Position>;
  expansions: Map<string, BlockExpansionView>;
}

/**
 * Derives React Flow nodes and edges from the document and its analysis. Keeps
 * the previous object for every node and edge whose inputs did not change, so
 * that React Flow and the memoised node components skip them. Dragging,
 * selecting and measuring only re-place the nodes; the data (texts, shapes,
 * counts) is rebuilt only when the graph or its analysis changes.
 */
export function createFlowModel() {
  let prevNodes = new Map<string, FlowNode>();
  let prevEdges = new Map<string, FlowEdge>();
  let prevData = new Map<string, Record<string, unknown>>();
  let prevExpansions = new Map<string, { node: GraphNode; inputKey: string; view: BlockExpansionView }>();
  let structureKey: { graph: unknown; analysis: unknown } | null = null;
  let structure: Structure | null = null;
  let lastNodes: FlowNode[] = [];
  let lastEdges: FlowEdge[] = [];
  let docNodesOf: readonly GraphNode[] | null = null;
  let docNodes = new Map<string, GraphNode>();

  /** The previous data object when equal, so that memoised components skip the node. */
  const keepData = <T extends Record<string, unknown>>(id: string, data: T): T => {
    const prev = prevData.get(id);
    return prev && shallowEqual(prev, data) ? (prev as T) : data;
  };

  function buildStructure(document: NetweaveDocument, analysis: GraphAnalysis): Structure {
    const problems = new Map<string, { error: string | null; warning: string | null }>();
    for (const d of analysis.diagnostics) {
      if (!d.nodeId) continue;
      const entry = problems.get(d.nodeId) ?? { error: null, warning: null };
      if (d.severity === 'error' && !entry.error) entry.error = d.message;
      if (d.severity === 'warning' && !entry.warning) entry.warning = d.message;
      problems.set(d.nodeId, entry);
    }
    const kindById = new Map(document.graph.nodes.map((n) => [n.id, n.kind]));
    const skips = findSkipEdges(document.graph.edges, (id) => kindById.get(id));
    const nodes: BaseNode[] = [];
    const edges: FlowEdge[] = [];
    const frameOffsets = new Map<string, Position>();
    const expansions = new Map<string, BlockExpansionView>();
    const nextExpansionCache = new Map<string, { node: GraphNode; inputKey: string; view: BlockExpansionView }>();
    const nextData = new Map<string, Record<string, unknown>>();
    const data = <T extends Record<string, unknown>>(id: string, value: T): T => {
      const kept = keepData(id, value);
      nextData.set(id, kept);
      return kept;
    };
    const edgeData = (id: string, value: ShapeEdgeData): ShapeEdgeData => data(`edge:${id}`, value);

    for (const node of document.graph.nodes) {
      const info = analysis.nodes.get(node.id);
      const def = getLayerDef(node.kind);
      const problem = problems.get(node.id);
      const params = info?.params ?? (node.params as LayerParams);
      const title = node.label ?? node.id;
      const shape = info?.outputShape ? formatShapeCompact(info.outputShape) : '?';
      const trainable = info?.paramCount.trainable ?? 0;
      const nonTrainable = info?.paramCount.nonTrainable ?? 0;

      if (isExpanded(node)) {
        // Every input's shape: a block with several inputs names them $in0, $in1, … inside.
        const inputShapes: (Shape | null)[] = info && info.inputShapes.length > 0 ? info.inputShapes : [null];
        const inputShape: Shape | null = inputShapes[0] ?? null;
        const inputKey = inputShapes.map((s) => (s ? s.join(',') : '?')).join('|');
        const cached = prevExpansions.get(node.id);
        const view =
          cached && cached.node.params === node.params && cached.node.kind === node.kind && cached.inputKey === inputKey
            ? cached.view
            : expandBlockView(node.kind, node.params, inputShape, inputShapes);
        if (view) {
          nextExpansionCache.set(node.id, { node, inputKey, view });
          expansions.set(node.id, view);
          const offset = { x: nodeWidth / 2 - view.width / 2, y: 0 };
          frameOffsets.set(node.id, offset);
          const blockData: BlockNodeData = data(node.id, {
            kind: node.kind,
            title,
            detail: describeSafely(node.kind, params),
            shape,
            trainable,
            nonTrainable,
            error: problem?.error ?? null,
            layerCount: view.layers.length,
            ...(view.lane ? { mainX: view.lane.mainX, laneX: view.lane.x, laneTop: view.lane.top, laneBottom: view.lane.bottom } : {}),
            ...(view.wrap ? { innerInX: view.wrap.firstX, innerOutX: view.wrap.lastX } : {}),
          });
          nodes.push({
            docId: node.id,
            offset,
            node: {
              id: node.id,
              type: 'block',
              position: { x: 0, y: 0 },
              width: view.width,
              height: view.height,
              measured: { width: view.width, height: view.height },
              data: blockData,
            },
          });
          const layerById = new Map(view.layers.map((l) => [l.localId, l]));
          const innerSkips = findSkipEdges(
            view.layers.flatMap((l) => l.inputs.map((from, i) => ({ id: `${l.localId}#${i}`, source: from, target: l.localId }))),
            (id) => layerById.get(id)?.kind,
          );
          for (const layer of view.layers) {
            const id = innerNodeId(node.id, layer.localId);
            nodes.push({
              docId: null,
              offset: { x: 0, y: 0 },
              node: {
                id,
                type: 'layer',
                parentId: node.id,
                position: layer.position,
                draggable: false,
                deletable: false,
                connectable: false,
                data: data(id, {
                  kind: layer.kind,
                  title: layer.label,
                  detail: describeSafely(layer.kind, layer.params),
                  category: getLayerDef(layer.kind)?.category ?? 'unknown',
                  shape: layer.outputShape ? formatShapeCompact(layer.outputShape) : '?',
                  trainable: layer.paramCount.trainable,
                  nonTrainable: layer.paramCount.nonTrainable,
                  error: layer.problem,
                  warning: null,
                  block: null,
                  inner: true,
                  acceptsInput: true,
                  multiInput: layer.inputs.length > 1,
                }),
              },
            });
            layer.inputs.forEach((from, i) => {
              const inputIndex = blockInputIndex(from);
              const fromBlock = inputIndex !== null;
              const fromShape = fromBlock ? (inputShapes[inputIndex] ?? null) : (layerById.get(from)?.outputShape ?? null);
              const edgeId = `${node.id}::${from}->${layer.localId}#${i}`;
              const lane = view.lane;
              const onLane = !!lane && (lane.layers.includes(layer.localId) || (layer.localId === lane.merge && (lane.layers.includes(from) || (lane.layers.length === 0 && fromBlock))));
              const skip = lane ? onLane : innerSkips.has(`${layer.localId}#${i}`);
              // A skip inside a column (a dense block's concatenations) runs down its own lane just right of the
              // column, turning in and out in the gaps between rows, instead of a curve over the layers it bypasses.
              const targetX = layer.position.x + nodeWidth / 2;
              const sourceX = fromBlock ? innerEndX(blockData, view.width, 'in') : (layerById.get(from)?.position.x ?? Number.NaN) + nodeWidth / 2;
              const laneDx = lane && onLane ? { laneDx: lane.x - targetX } : !lane && skip && Math.abs(sourceX - targetX) < 1 ? { laneDx: nodeWidth / 2 + skipLaneGap } : {};
              const innerRoute = view.wrap?.routes.get(`${layer.localId}#${i}`);
              edges.push({
                id: edgeId,
                type: 'shape',
                source: fromBlock ? node.id : innerNodeId(node.id, from),
                sourceHandle: fromBlock ? 'inner-in' : 'out',
                target: id,
                targetHandle: 'in',
                selectable: false,
                // The block's incoming edge already shows its input shape; repeat it only on a shortcut, or to tell several inputs apart.
                data: edgeData(edgeId, { label: fromBlock && !skip && inputShapes.length === 1 ? '' : formatShapeCompact(fromShape), skip, inner: true, unknown: !fromShape, ...laneDx, ...(innerRoute ? { innerRoute } : {}) }),
              });
            });
          }
          const outLayer = layerById.get(view.output);
          const outId = `${node.id}::${view.output}->out`;
          edges.push({
            id: outId,
            type: 'shape',
            source: innerNodeId(node.id, view.output),
            sourceHandle: 'out',
            target: node.id,
            targetHandle: 'inner-out',
            selectable: false,
            data: edgeData(outId, { label: '', skip: false, inner: true, unknown: !outLayer?.outputShape }),
          });
          continue;
        }
      }

      nodes.push({
        docId: node.id,
        offset: { x: 0, y: 0 },
        node: {
          id: node.id,
          type: 'layer',
          position: { x: 0, y: 0 },
          // Above its neighbours, so that the error callout beside it stays readable.
          ...(problem?.error ? { zIndex: 5 } : {}),
          data: data(node.id, {
            kind: node.kind,
            title,
            detail: describeSafely(node.kind, params),
            category: def?.category ?? 'unknown',
            shape,
            trainable,
            nonTrainable,
            error: problem?.error ?? null,
            warning: problem?.warning ?? null,
            block: def?.expand ? 'collapsed' : null,
            inner: false,
            acceptsInput: (def?.inputs.max ?? 1) > 0,
            multiInput: (def?.inputs.max ?? 1) > 1,
            ...(node.trainable === false ? { frozen: true } : {}),
          }),
        },
      });
    }

    for (const edge of document.graph.edges) {
      const shape = analysis.edgeShapes.get(edge.id) ?? null;
      edges.push({
        id: edge.id,
        type: 'shape',
        source: edge.source,
        sourceHandle: 'out',
        target: edge.target,
        targetHandle: 'in',
        data: edgeData(edge.id, { label: formatShapeCompact(shape), skip: skips.has(edge.id), inner: false, unknown: !shape }),
      });
    }
    prevExpansions = nextExpansionCache;
    prevData = nextData;
    return { nodes, edges, frameOffsets, expansions };
  }

  /** What the previous call saw, to find the calls where only a drag moved some layers. */
  let seen: { structure: Structure | null; selectedNodes: unknown; selectedEdges: unknown; dragPositions: ReadonlyMap<string, Position>; measuredVersion: number | undefined; far: boolean; lr: boolean } | null = null;
  let indexOf = new Map<string, number>();

  return function derive(input: FlowInput): FlowOutput {
    const { document, analysis, selectedNodes, selectedEdges, dragPositions, measured } = input;
    const lr = document.view.layoutDirection === 'LR';
    if (!structure || !structureKey || structureKey.graph !== document.graph || structureKey.analysis !== analysis) {
      structure = buildStructure(document, analysis);
      structureKey = { graph: document.graph, analysis };
      indexOf = new Map(structure.nodes.map((b, i) => [b.node.id, i]));
    }
    const far = (input.zoomedOut ?? false) && structure.nodes.length >= farCanvasMinNodes;
    // Rebuilt only when the document's nodes change (not on every drag frame).
    if (docNodesOf !== document.graph.nodes) {
      docNodesOf = document.graph.nodes;
      docNodes = new Map(document.graph.nodes.map((n) => [n.id, n]));
    }

    const place = (base: BaseNode): FlowNode => {
      const id = base.node.id;
      let position = base.node.position;
      if (base.docId) {
        const at = dragPositions.get(base.docId) ?? docNodes.get(base.docId)!.position;
        position = { x: at.x + base.offset.x, y: at.y + base.offset.y };
      }
      const selected = selectedNodes.has(id);
      const size = base.node.type === 'block' ? base.node.measured : measured.get(id);
      const prev = prevNodes.get(id);
      if (
        prev &&
        prev.data === base.node.data &&
        prev.position.x === position.x &&
        prev.position.y === position.y &&
        (prev.selected ?? false) === selected &&
        prev.measured?.width === size?.width &&
        prev.measured?.height === size?.height &&
        prev.parentId === base.node.parentId &&
        prev.width === base.node.width &&
        prev.height === base.node.height &&
        prev.type === base.node.type &&
        prev.zIndex === base.node.zIndex &&
        (prev.hidden ?? false) === far &&
        prev.handles?.[0]?.position === (lr && !base.node.parentId ? outRight : outBottom)
      ) {
        return prev;
      }
      // Until measured, an estimated size lets React Flow draw the node at once instead of hiding it for a frame.
      // Layers inside a block frame stay top to bottom.
      const handles =
        base.node.type === 'layer'
          ? { handles: layerHandles(size?.width ?? nodeWidth, size?.height ?? estimatedNodeHeight, lr && !base.node.parentId, (base.node.data as LayerNodeData).acceptsInput) }
          : { handles: blockHandles(base.node.width ?? nodeWidth, base.node.height ?? estimatedNodeHeight, lr, base.node.data as BlockNodeData) };
      return { ...base.node, position, selected, ...(far ? { hidden: true } : {}), ...(size ? { measured: size } : { initialWidth: nodeWidth, initialHeight: estimatedNodeHeight }), ...handles } as FlowNode;
    };

    const onlyDragged =
      seen !== null &&
      seen.structure === structure &&
      seen.selectedNodes === selectedNodes &&
      seen.selectedEdges === selectedEdges &&
      input.measuredVersion !== undefined &&
      seen.measuredVersion === input.measuredVersion &&
      seen.far === far &&
      seen.lr === lr;
    let nodes: FlowNode[];
    if (onlyDragged) {
      // A drag frame: only the layers that move (or stopped moving) can differ.
      nodes = lastNodes;
      for (const id of new Set([...seen!.dragPositions.keys(), ...dragPositions.keys()])) {
        const i = indexOf.get(id);
        if (i === undefined) continue;
        const node = place(structure.nodes[i]!);
        if (node === nodes[i]) continue;
        if (nodes === lastNodes) nodes = lastNodes.slice();
        nodes[i] = node;
      }
    } else {
      nodes = structure.nodes.map(place);
    }
    seen = { structure, selectedNodes, selectedEdges, dragPositions, measuredVersion: input.measuredVersion, far, lr };

    let edges: FlowEdge[] = lastEdges;
    if (!onlyDragged) {
      edges = [];
      for (const edge of structure.edges) {
        const selected = selectedEdges.has(edge.id);
        const prev = prevEdges.get(edge.id);
        if (prev && prev.data === edge.data && prev.source === edge.source && prev.target === edge.target && prev.sourceHandle === edge.sourceHandle && prev.targetHandle === edge.targetHandle && (prev.selected ?? false) === selected) {
          edges.push(prev);
          continue;
        }
        edges.push({ ...edge, selected });
      }
    }
    // The same arrays when nothing changed: React Flow rebuilds its lookups whenever it gets a new array.
    const sameItems = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (nodes !== lastNodes && !sameItems(nodes, lastNodes)) {
      // The same ids in the same order (a drag, a selection): update the changed entries only.
      const sameIds = nodes.length === lastNodes.length && nodes.every((n, i) => n.id === lastNodes[i]!.id);
      if (sameIds) nodes.forEach((n, i) => n !== lastNodes[i] && prevNodes.set(n.id, n));
      else prevNodes = new Map(nodes.map((n) => [n.id, n]));
      lastNodes = nodes;
    }
    if (edges !== lastEdges && !sameItems(edges, lastEdges)) {
      lastEdges = edges;
      prevEdges = new Map(edges.map((e) => [e.id, e]));
    }
    return { far, nodes: lastNodes, edges: far ? noEdges : lastEdges, allEdges: lastEdges, frameOffsets: structure.frameOffsets, expansions: structure.expansions };
  };
}
