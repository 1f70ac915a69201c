import type { Edge, Node } from '@xyflow/react';
import type { GraphNode, NetweaveDocument } from '../../graph-schema/document';
import type { GraphAnalysis } from '../../graph-schema/infer';
import type { Category } from '../../graph-schema/layer-def';
import { blockInput } from '../../graph-schema/layer-def';
import type { LayerParams } from '../../graph-schema/params';
import { getLayerDef } from '../../graph-schema/registry';
import type { Shape } from '../../graph-schema/shape';
import { formatShapeCompact } from '../../graph-schema/shape';
import type { BlockExpansionView } from './block-expansion';
import { expandBlockView, innerNodeId, nodeWidth } from './block-expansion';
import type { Position, Size } from './document-edits';
import { findSkipEdges } from './skip-edges';

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
}

export interface ShapeEdgeData extends Record<string, unknown> {
  label: string;
  skip: boolean;
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
}

export interface FlowOutput {
  nodes: FlowNode[];
  edges: FlowEdge[];
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

function isExpanded(node: GraphNode): boolean {
  return node.collapsed === false && !!getLayerDef(node.kind)?.expand;
}

/**
 * Derives React Flow nodes and edges from the document and its analysis. Keeps
 * the previous object for every node and edge whose inputs did not change, so
 * that React Flow and the memoised node components skip them.
 */
export function createFlowModel() {
  let prevNodes = new Map<string, FlowNode>();
  let prevEdges = new Map<string, FlowEdge>();
  let prevExpansions = new Map<string, { node: GraphNode; inputKey: string; view: BlockExpansionView }>();

  const keepNode = <T extends FlowNode>(next: T): T => {
    const prev = prevNodes.get(next.id) as T | undefined;
    if (!prev) return next;
    const data = shallowEqual(prev.data, next.data) ? prev.data : next.data;
    const candidate = { ...next, data } as T;
    const same =
      prev.data === data &&
      prev.position.x === next.position.x &&
      prev.position.y === next.position.y &&
      prev.selected === next.selected &&
      prev.measured?.width === next.measured?.width &&
      prev.measured?.height === next.measured?.height &&
      prev.parentId === next.parentId &&
      prev.width === next.width &&
      prev.height === next.height;
    return same ? prev : candidate;
  };

  const keepEdge = (next: FlowEdge): FlowEdge => {
    const prev = prevEdges.get(next.id);
    if (!prev) return next;
    const data = shallowEqual(prev.data!, next.data!) ? prev.data : next.data;
    const same =
      prev.data === data &&
      prev.source === next.source &&
      prev.target === next.target &&
      prev.sourceHandle === next.sourceHandle &&
      prev.targetHandle === next.targetHandle &&
      prev.selected === next.selected;
    return same ? prev : { ...next, data: data! };
  };

  return function derive(input: FlowInput): FlowOutput {
    const { document, analysis, selectedNodes, selectedEdges, dragPositions, measured } = input;
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

    const nodes: FlowNode[] = [];
    const edges: FlowEdge[] = [];
    const frameOffsets = new Map<string, Position>();
    const expansions = new Map<string, BlockExpansionView>();
    const nextExpansionCache = new Map<string, { node: GraphNode; inputKey: string; view: BlockExpansionView }>();

    for (const node of document.graph.nodes) {
      const info = analysis.nodes.get(node.id);
      const def = getLayerDef(node.kind);
      const problem = problems.get(node.id);
      const position = dragPositions.get(node.id) ?? node.position;
      const params = info?.params ?? (node.params as LayerParams);
      const title = node.label ?? node.id;
      const shape = info?.outputShape ? formatShapeCompact(info.outputShape) : '?';
      const trainable = info?.paramCount.trainable ?? 0;
      const nonTrainable = info?.paramCount.nonTrainable ?? 0;

      if (isExpanded(node)) {
        const inputShape: Shape | null = info?.inputShapes[0] ?? null;
        const inputKey = inputShape ? inputShape.join(',') : '?';
        const cached = prevExpansions.get(node.id);
        const view =
          cached && cached.node.params === node.params && cached.node.kind === node.kind && cached.inputKey === inputKey
            ? cached.view
            : expandBlockView(node.kind, node.params, inputShape);
        if (view) {
          nextExpansionCache.set(node.id, { node, inputKey, view });
          expansions.set(node.id, view);
          const offset = { x: nodeWidth / 2 - view.width / 2, y: 0 };
          frameOffsets.set(node.id, offset);
          nodes.push(
            keepNode<BlockFlowNode>({
              id: node.id,
              type: 'block',
              position: { x: position.x + offset.x, y: position.y + offset.y },
              width: view.width,
              height: view.height,
              measured: { width: view.width, height: view.height },
              selected: selectedNodes.has(node.id),
              data: {
                kind: node.kind,
                title,
                detail: describeSafely(node.kind, params),
                shape,
                trainable,
                nonTrainable,
                error: problem?.error ?? null,
                layerCount: view.layers.length,
              },
            }),
          );
          const innerSkips = findSkipEdges(
            view.layers.flatMap((l) => l.inputs.map((from, i) => ({ id: `${l.localId}#${i}`, source: from, target: l.localId }))),
            (id) => view.layers.find((l) => l.localId === id)?.kind,
          );
          for (const layer of view.layers) {
            const id = innerNodeId(node.id, layer.localId);
            const size = measured.get(id);
            nodes.push(
              keepNode<LayerFlowNode>({
                id,
                type: 'layer',
                parentId: node.id,
                position: layer.position,
                draggable: false,
                deletable: false,
                connectable: false,
                selected: selectedNodes.has(id),
                ...(size ? { measured: size } : {}),
                data: {
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
                },
              }),
            );
            layer.inputs.forEach((from, i) => {
              const fromShape = from === blockInput ? inputShape : (view.layers.find((l) => l.localId === from)?.outputShape ?? null);
              const edgeId = `${node.id}::${from}->${layer.localId}#${i}`;
              edges.push(
                keepEdge({
                  id: edgeId,
                  type: 'shape',
                  source: from === blockInput ? node.id : innerNodeId(node.id, from),
                  sourceHandle: from === blockInput ? 'inner-in' : 'out',
                  target: id,
                  targetHandle: 'in',
                  selectable: false,
                  selected: false,
                  data: {
                    // The block's incoming edge already shows its input shape; repeat it only on a shortcut.
                    label: from === blockInput && !innerSkips.has(`${layer.localId}#${i}`) ? '' : formatShapeCompact(fromShape),
                    skip: innerSkips.has(`${layer.localId}#${i}`),
                    inner: true,
                    unknown: !fromShape,
                  },
                }),
              );
            });
          }
          const outLayer = view.layers.find((l) => l.localId === view.output);
          const outId = `${node.id}::${view.output}->out`;
          edges.push(
            keepEdge({
              id: outId,
              type: 'shape',
              source: innerNodeId(node.id, view.output),
              sourceHandle: 'out',
              target: node.id,
              targetHandle: 'inner-out',
              selectable: false,
              selected: false,
              data: { label: '', skip: false, inner: true, unknown: !outLayer?.outputShape },
            }),
          );
          continue;
        }
      }

      const size = measured.get(node.id);
      nodes.push(
        keepNode<LayerFlowNode>({
          id: node.id,
          type: 'layer',
          position,
          selected: selectedNodes.has(node.id),
          ...(size ? { measured: size } : {}),
          data: {
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
          },
        }),
      );
    }

    // React Flow wants parents before their children; blocks come first in document order already,
    // but children of a block that sits later must still follow it, which the loop above guarantees.
    for (const edge of document.graph.edges) {
      const shape = analysis.edgeShapes.get(edge.id) ?? null;
      edges.push(
        keepEdge({
          id: edge.id,
          type: 'shape',
          source: edge.source,
          sourceHandle: 'out',
          target: edge.target,
          targetHandle: 'in',
          selected: selectedEdges.has(edge.id),
          data: { label: formatShapeCompact(shape), skip: skips.has(edge.id), inner: false, unknown: !shape },
        }),
      );
    }

    prevNodes = new Map(nodes.map((n) => [n.id, n]));
    prevEdges = new Map(edges.map((e) => [e.id, e]));
    prevExpansions = nextExpansionCache;
    return { nodes, edges, frameOffsets, expansions };
  };
}
