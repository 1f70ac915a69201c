import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useNodesInitialized,
  getViewportForBounds,
  useReactFlow,
  useStore as useFlowStore,
} from '@xyflow/react';
import type { Connection, EdgeChange, NodeChange, OnConnectStartParams } from '@xyflow/react';
import type { DragEvent, MouseEvent as ReactMouseEvent } from 'react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { collapsedNodeHeight, isInnerNodeId, nodeWidth } from '../../graph-schema/layout/block-geometry';
import { checkConnection } from '../../graph-schema/edit/connection-rules';
import type { Position } from '../../graph-schema/edit/document-edits';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import { createFlowModel } from '../store/flow-model';
import { selectedDocumentNodes } from '../store/editor-store';
import { useUi } from '../store/ui-store';
import { editorStore, useEditor } from '../store/use-editor';
import { showError } from '../ui/toast-store';
import { AlignToolbar } from './align-toolbar';
import { BlockNode } from './block-node';
import { colorOf } from './categories';
import { FarCanvas, farMouseDown, farPointerDown } from './far-canvas';
import { FarMiniMap } from './far-minimap';
import { farCanvasMinNodes, farMinNodes, farZoom, minZoom, opensZoomedOut } from './far-view';
import { measuredSizes, setFlowInstance } from './flow-instance';
import { setAllFlow } from './all-nodes';
import { culledEdges, culledIds } from './cull';
import { useCullRegion } from './use-cull-region';
import { createRouteApplier, wrapRoutes } from './wrap-routes';
import { LayerNode } from './layer-node';
import { paletteDragType } from './palette';
import { edgeIdsOf } from '../../graph-schema/edit/document-edits';
import { clearDropEdge, edgeAtPoint, markDropEdgeAt } from './edge-drop';
import { dropLayer } from './drop-layer';
import { fitClear } from './fit-clear';
import { useKeepGraphInView } from './keep-in-view';
import { useMinimapShown } from '../store/panel-prefs';
import { QuickAdd } from './quick-add';
import { ShapeEdge } from './shape-edge';

const nodeTypes = { layer: LayerNode, block: BlockNode };
const edgeTypes = { shape: ShapeEdge };
const proOptions = { hideAttribution: true };
const multiSelectKeys = ['Control', 'Meta'];
const minimapMask = 'rgba(10, 14, 20, 0.65)';
// Module constants: a new object or function per render would make React Flow re-render every edge or minimap node.
const defaultEdgeOptions = { type: 'shape' };
const minimapColor = (n: FlowNode): string => (n.type === 'block' ? 'rgba(45, 212, 191, 0.18)' : colorOf((n.data as { category?: string }).category ?? 'unknown'));

export function Canvas() {
  const document = useEditor((s) => s.document);
  const analysis = useEditor((s) => s.analysis);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const dragPositions = useEditor((s) => s.dragPositions);
  const loadCount = useEditor((s) => s.loadCount);
  const connectionHint = useUi((s) => s.connectionHint);
  // Zoomed far out on a large graph, text is too small to read and costly to paint: the canvas
  // draws plain coloured boxes instead (one class on the container, no re-render of the nodes).
  const zoomedOut = useFlowStore((s) => s.transform[2] < farZoom);
  const [measuredVersion, setMeasuredVersion] = useState(0);
  const [prefitLoad, setPrefitLoad] = useState(-1);
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const flowApi = useReactFlow<FlowNode, FlowEdge>();
  useKeepGraphInView(wrapper, flowApi);
  const minimap = useMinimapShown();
  const derive = useMemo(() => createFlowModel(), []);
  const prefittedFor = useRef(-1);
  const fittedFor = useRef(-1);
  // Sizes measured for the previous document must not reach the first drawing of the next (same ids, other layers).
  const measuredFor = useRef(-1);
  // Whether a newly loaded document will open zoomed out: decided before React Flow gets its nodes, so that a
  // large graph never creates elements for one frame only to hide them once the first fit zooms out.
  const openingZoomedOut = useRef(false);
  if (measuredFor.current !== loadCount) {
    measuredFor.current = loadCount;
    measuredSizes.clear();
    openingZoomedOut.current = opensZoomedOut(document, wrapper.current);
  }

  const flow = useMemo(
    () => {
      const zoomed = prefitLoad === loadCount ? zoomedOut : openingZoomedOut.current;
      return derive({ document, analysis, selectedNodes, selectedEdges, dragPositions, measured: measuredSizes, measuredVersion, zoomedOut: zoomed });
    },
    // measuredVersion stands for the mutable measuredSizes map.
    [derive, document, analysis, selectedNodes, selectedEdges, dragPositions, measuredVersion, zoomedOut, loadCount, prefitLoad],
  );
  const frameOffsets = useRef(flow.frameOffsets);
  frameOffsets.current = flow.frameOffsets;

  // Zoomed in on a large graph, React Flow gets only the layers in a region padded well beyond the
  // view, recomputed when the view leaves it: a pan inside it is a CSS transform and nothing else.
  const culling = !flow.far && flow.nodes.length >= farCanvasMinNodes;
  const region = useCullRegion(culling, wrapper);
  const latestNodes = useRef(flow.nodes);
  latestNodes.current = flow.nodes;
  const keptIds = useMemo(
    // Culling without a region yet (the pane has no size): nothing rather than every layer.
    () => (region ? culledIds(latestNodes.current, flow.allEdges, region) : culling ? new Set<string>() : null),
    // Not on a drag frame (only the dragged layers move, and they are in view): the document's
    // nodes stand for the positions, the node count for expanding and collapsing.
    [region, culling, flow.allEdges, document.graph.nodes, flow.nodes.length],
  );
  const shownNodes = useMemo(() => (keptIds ? flow.nodes.filter((n) => keptIds.has(n.id)) : flow.nodes), [flow.nodes, keptIds]);

  // A wrapped chain's edges run back between the rows or columns, around the frames (wrap-routes.ts);
  // recomputed when the layout changes, not on drag frames (the document's nodes stand for the
  // positions), nor when more layers get measured (a channel runs mid-gap, well clear of a layer a
  // few pixels taller than estimated; on a 5,000-layer graph that would add a route pass to every re-cull).
  const lr = document.view.layoutDirection === 'LR';
  const applyRoutes = useMemo(() => createRouteApplier(), []);
  const routes = useMemo(
    () => wrapRoutes(latestNodes.current, flow.allEdges, lr),
    [flow.allEdges, document.graph.nodes, flow.nodes.length, lr],
  );
  const allEdges = useMemo(() => applyRoutes(flow.allEdges, routes), [applyRoutes, flow.allEdges, routes]);
  const shownEdges = useMemo(() => {
    const edges = flow.far ? flow.edges : allEdges;
    return keptIds ? culledEdges(edges, keptIds) : edges;
  }, [flow.far, flow.edges, allEdges, keptIds]);
  // Fit, free spots, image export and the like read the whole graph from here.
  useLayoutEffect(() => setAllFlow({ nodes: flow.nodes, edges: allEdges }), [flow.nodes, allEdges]);

  // The first click of a double-click on the canvas clears the selection; quick-add still connects after that layer.
  const lastSingle = useRef<{ id: string; at: number } | null>(null);

  // Pointer moves can outnumber frames: apply drag positions at most once per frame.
  const pendingDrag = useRef<Map<string, Position> | null>(null);
  const flushDrag = useCallback(() => {
    const positions = pendingDrag.current;
    pendingDrag.current = null;
    if (positions && positions.size > 0) editorStore.getState().dragTo(positions);
  }, []);
  const queueDrag = useCallback(
    (positions: Map<string, Position>) => {
      if (pendingDrag.current) {
        for (const [id, p] of positions) pendingDrag.current.set(id, p);
        return;
      }
      pendingDrag.current = positions;
      requestAnimationFrame(flushDrag);
    },
    [flushDrag],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    let measuredChanged = false;
    const dragged = new Map<string, Position>();
    let selection: { nodes: Set<string>; edges: Set<string> } | null = null;
    for (const change of changes) {
      if (change.type === 'dimensions' && change.dimensions) {
        const prev = measuredSizes.get(change.id);
        if (!prev || prev.width !== change.dimensions.width || prev.height !== change.dimensions.height) {
          measuredSizes.set(change.id, { width: change.dimensions.width, height: change.dimensions.height });
          measuredChanged = true;
        }
      } else if (change.type === 'position' && change.position && change.dragging) {
        const offset = frameOffsets.current.get(change.id);
        dragged.set(change.id, offset ? { x: change.position.x - offset.x, y: change.position.y - offset.y } : change.position);
      } else if (change.type === 'select') {
        const state = editorStore.getState();
        if (!selection && state.selectedNodes.size === 1) lastSingle.current = { id: [...state.selectedNodes][0]!, at: Date.now() };
        selection ??= { nodes: new Set(state.selectedNodes), edges: new Set(state.selectedEdges) };
        if (change.selected) selection.nodes.add(change.id);
        else selection.nodes.delete(change.id);
      }
    }
    if (measuredChanged) setMeasuredVersion((v) => v + 1);
    if (dragged.size > 0) queueDrag(dragged);
    if (selection) editorStore.getState().setSelection(selection.nodes, selection.edges);
  }, [queueDrag]);

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    let edges: Set<string> | null = null;
    for (const change of changes) {
      if (change.type !== 'select') continue;
      edges ??= new Set(editorStore.getState().selectedEdges);
      if (change.selected) edges.add(change.id);
      else edges.delete(change.id);
    }
    if (edges) editorStore.getState().setSelection(editorStore.getState().selectedNodes, edges);
  }, []);

  const isValidConnection = useCallback((connection: Connection | FlowEdge) => {
    if (connection.sourceHandle !== 'out' || connection.targetHandle !== 'in' || isInnerNodeId(connection.source) || isInnerNodeId(connection.target)) {
      return false;
    }
    const check = checkConnection(editorStore.getState().document.graph, connection.source, connection.target);
    const hint = check.ok ? null : check.reason;
    if (useUi.getState().connectionHint !== hint) useUi.getState().set({ connectionHint: hint });
    return check.ok;
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    const result = editorStore.getState().connect(connection.source, connection.target);
    if (!result.ok) showError('Cannot connect', { code: 'connection-refused', message: result.reason });
  }, []);

  const onConnectStart = useCallback((_: unknown, params: OnConnectStartParams) => {
    if (params.handleType === 'target' && params.nodeId) {
      const doc = editorStore.getState().document;
      // Starting from an input handle: nothing to check until a source is reached.
      if (!doc.graph.nodes.some((n) => n.id === params.nodeId)) return;
    }
    useUi.getState().set({ connectionHint: null });
  }, []);

  const onConnectEnd = useCallback(() => {
    useUi.getState().set({ connectionHint: null });
  }, []);

  const onNodeDragStop = useCallback(() => {
    flushDrag();
    editorStore.getState().endDrag();
  }, [flushDrag]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(paletteDragType)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      // Over a connection: the drop splits it; show which one.
      markDropEdgeAt(event.clientX, event.clientY, () => edgeIdsOf(editorStore.getState().document));
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(paletteDragType);
      if (!kind) return;
      event.preventDefault();
      const at = flowApi.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      clearDropEdge();
      dropLayer(kind, { x: at.x - nodeWidth / 2, y: at.y - 20 }, edgeAtPoint(event.clientX, event.clientY, edgeIdsOf(editorStore.getState().document)));
    },
    [flowApi],
  );

  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      const target = event.target as Element;
      if (!target.classList.contains('react-flow__pane')) return;
      const bounds = wrapper.current!.getBoundingClientRect();
      const flowAt = flowApi.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const selected = [...selectedDocumentNodes(editorStore.getState())];
      const recent = lastSingle.current && Date.now() - lastSingle.current.at < 1000 ? lastSingle.current.id : null;
      const after = selected.length === 1 ? selected[0]! : selected.length === 0 ? recent : null;
      useUi.getState().set({ quickAdd: { screen: { x: event.clientX - bounds.left, y: event.clientY - bounds.top }, flow: flowAt, after } });
    },
    [flowApi],
  );

  // Before the first paint of a newly loaded document, fit its estimated bounds: a large graph then
  // starts in the far view and never creates the detail it would only hide after the exact fit below.
  useLayoutEffect(() => {
    if (prefittedFor.current === loadCount || !wrapper.current) return;
    // Only once per load: nodes added later to an empty document must not move the view.
    prefittedFor.current = loadCount;
    // From now on the far view follows the live zoom.
    setPrefitLoad(loadCount);
    const saved = editorStore.getState().document.view.viewport;
    if (saved && flow.nodes.length > 0) {
      // At once: a large graph draws only what is in view, so the layers outside a saved view are never measured to wait for.
      fittedFor.current = loadCount;
      void flowApi.setViewport(saved);
      return;
    }
    if (flow.nodes.length === 0) return;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of flow.nodes) {
      if (n.parentId) continue;
      minX = Math.min(minX, n.position.x);
      minY = Math.min(minY, n.position.y);
      maxX = Math.max(maxX, n.position.x + (n.width ?? nodeWidth));
      maxY = Math.max(maxY, n.position.y + (n.height ?? collapsedNodeHeight));
    }
    const { clientWidth, clientHeight } = wrapper.current;
    if (!Number.isFinite(minX) || clientWidth === 0 || clientHeight === 0) return;
    void flowApi.setViewport(getViewportForBounds({ x: minX, y: minY, width: maxX - minX, height: maxY - minY }, clientWidth, clientHeight, minZoom, 1.1, 0.12));
  }, [loadCount, flow.nodes, flowApi]);

  // Fit (or restore the saved viewport) once a newly loaded document has been measured.
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (fittedFor.current === loadCount) return;
    if (flow.nodes.length > 0 && !initialized) return;
    fittedFor.current = loadCount;
    const saved = editorStore.getState().document.view.viewport;
    if (saved) void flowApi.setViewport(saved);
    else if (flow.nodes.length === 0) void flowApi.setViewport({ x: 0, y: 0, zoom: 1 });
    else fitClear(flowApi, [], { maxZoom: 1.1 });
  }, [initialized, loadCount, flow.nodes.length, flowApi]);

  // While the user drags the view at one zoom, the viewport gets a layer of its own: a pan frame then
  // moves that layer instead of painting every layer and edge again. Not while zooming, where the
  // layer would be scaled (blurred) rather than drawn at the new size.
  const panZoom = useRef<number | null>(null);
  const onMoveStart = useCallback((event: unknown, viewport: { zoom: number }) => {
    // Only the user's own pan: a move the code makes (a fit, the pan while a layer is dragged to the edge) has no event.
    if (!event) return;
    panZoom.current = viewport.zoom;
    wrapper.current?.classList.add('is-panning');
  }, []);
  const onMove = useCallback((_: unknown, viewport: { zoom: number }) => {
    if (panZoom.current !== null && viewport.zoom !== panZoom.current) {
      panZoom.current = null;
      wrapper.current?.classList.remove('is-panning');
    }
  }, []);
  const onMoveEnd = useCallback(() => {
    panZoom.current = null;
    wrapper.current?.classList.remove('is-panning');
  }, []);

  const empty = document.graph.nodes.length === 0;
  const far = flow.far;
  // Text-free boxes when zoomed out on a large graph: painted on the far canvas, or (fewer layers) the same elements without their text.
  const farLook = far || (zoomedOut && flow.nodes.length >= farMinNodes);
  return (
    <div
      className={farLook ? 'nw-canvas is-far' : 'nw-canvas'}
      ref={wrapper}
      data-testid="canvas"
      onDoubleClick={onDoubleClick}
      onMouseDownCapture={far ? (e) => farMouseDown(e, { nodes: flow.nodes, toFlow: flowApi.screenToFlowPosition, queueDrag, endDrag: onNodeDragStop }) : undefined}
      onPointerDownCapture={far ? (e) => farPointerDown(e, { nodes: flow.nodes, toFlow: flowApi.screenToFlowPosition, queueDrag, endDrag: onNodeDragStop }) : undefined}
      onPointerMove={connectionHint ? (e) => setPointer({ x: e.clientX, y: e.clientY }) : undefined}
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStop={onNodeDragStop}
        onDrop={onDrop}
        onDragOver={onDragOver}
        onInit={setFlowInstance}
        onMoveStart={onMoveStart}
        onMove={onMove}
        onMoveEnd={onMoveEnd}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={multiSelectKeys}
        zoomOnDoubleClick={false}
        minZoom={minZoom}
        maxZoom={2.5}
        connectionRadius={28}
        proOptions={proOptions}
        // A large graph is culled above (and has no elements in the far view): React Flow renders what it gets.
        defaultEdgeOptions={defaultEdgeOptions}
        colorMode="dark"
      >
        <Background variant={BackgroundVariant.Dots} gap={22} size={1.2} color="#2a3340" />
        {far && <FarCanvas nodes={flow.nodes} edges={allEdges} lr={lr} moving={dragPositions} />}
        {/* React Flow's minimap leaves out hidden nodes and knows only the culled ones: a large graph paints its own. */}
        {minimap && (far || culling) && <FarMiniMap nodes={flow.nodes} maskColor={minimapMask} />}
        {minimap && !far && !culling && (
          <MiniMap
            pannable
            zoomable
            nodeColor={minimapColor}
            nodeStrokeWidth={0}
            maskColor={minimapMask}
            data-testid="minimap"
          />
        )}
        <Controls showInteractive={false} data-testid="zoom-controls" />
        <Panel position="top-center">
          <AlignToolbar />
        </Panel>
      </ReactFlow>
      {empty && (
        <div className="nw-canvas-empty" data-testid="canvas-empty">
          <div className="nw-canvas-empty-title">An empty canvas</div>
          <div>Drag layers from the palette, double-click to quick-add, or start from a template (Ctrl+N).</div>
        </div>
      )}
      <QuickAdd />
      {connectionHint && pointer && wrapper.current && (
        <div
          className="nw-connection-hint"
          data-testid="connection-hint"
          style={{ left: pointer.x - wrapper.current.getBoundingClientRect().left + 16, top: pointer.y - wrapper.current.getBoundingClientRect().top + 16 }}
        >
          {connectionHint}
        </div>
      )}
    </div>
  );
}
