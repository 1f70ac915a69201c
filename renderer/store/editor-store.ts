import type { Draft } from 'immer';
import { createStore } from 'zustand/vanilla';
import type { GraphAnalysis } from '../../graph-schema/infer';
import { analyzeGraph } from '../../graph-schema/infer';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { collapsedNodeHeight, isInnerNodeId, nodeWidth } from '../../graph-schema/layout/block-geometry';
import { checkConnection } from '../../graph-schema/edit/connection-rules';
import type { AlignMode, Fragment, Position, Size } from '../../graph-schema/edit/document-edits';
import {
  addNodes,
  alignPositions,
  copyFragment,
  instantiateFragment,
  makeEdge,
  makeNode,
  moveNodes,
  removeElements,
  setExpanded,
  setLabel,
  setParam,
} from '../../graph-schema/edit/document-edits';
import { insertOnEdge, makeRoomFor } from '../../graph-schema/edit/insert-on-edge';
import type { History } from './history';
import { emptyHistory, recordEdit, redoStep, revisionOf, sealHistory, undoStep } from './history';

export interface EditorState {
  document: NetweaveDocument;
  analysis: GraphAnalysis;
  history: History;
  /** Id of the state shown; equal to savedRevision when nothing changed since the last save. */
  revision: number;
  savedRevision: number;
  filePath: string | null;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  /** Positions of nodes being dragged; committed to the document as one step when the drag ends. */
  dragPositions: ReadonlyMap<string, Position>;
  clipboard: Fragment | null;
  pasteCount: number;
  /** Bumped when a whole new document is loaded (the canvas fits the view). */
  loadCount: number;
}

export interface EditorActions {
  edit(label: string, recipe: (draft: Draft<NetweaveDocument>) => void, coalesceKey?: string): boolean;
  undo(): string | null;
  /** Typing that follows starts a new undo step (called when a field loses focus). */
  sealHistory(): void;
  redo(): string | null;
  loadDocument(document: NetweaveDocument, options?: { path?: string | null; dirty?: boolean }): void;
  markSaved(path: string, revision: number): void;
  addNode(kind: string, position: Position): string;
  /** Adds a layer into a connection (source → new → target), making room after it; the reason when it cannot go there. */
  insertOnEdge(kind: string, position: Position, edgeId: string): { ok: true; nodeId: string } | { ok: false; reason: string };
  connect(source: string, target: string): { ok: true; edgeId: string } | { ok: false; reason: string };
  deleteSelection(): number;
  selectOnly(nodeIds: Iterable<string>, edgeIds?: Iterable<string>): void;
  setSelection(nodes: ReadonlySet<string>, edges: ReadonlySet<string>): void;
  selectAll(): void;
  copySelection(): number;
  paste(): string[];
  duplicateSelection(): string[];
  dragTo(positions: ReadonlyMap<string, Position>): void;
  endDrag(): void;
  setParam(nodeId: string, name: string, value: unknown): boolean;
  setLabel(nodeId: string, label: string): boolean;
  setExpanded(nodeId: string, expanded: boolean): void;
  setAllExpanded(expanded: boolean): void;
  align(mode: AlignMode, sizes?: ReadonlyMap<string, Size>): void;
  applyPositions(label: string, positions: ReadonlyMap<string, Position>): void;
}

export type EditorStore = EditorState & EditorActions;

const emptySet: ReadonlySet<string> = new Set();
const emptyMap: ReadonlyMap<string, Position> = new Map();

export function emptyDocument(): NetweaveDocument {
  return createDocument({ nodes: [], edges: [] }, 'Untitled');
}

/** Document-level nodes in the selection (layers inside expanded blocks are not editable on their own). */
export function selectedDocumentNodes(state: EditorState): Set<string> {
  return new Set([...state.selectedNodes].filter((id) => !isInnerNodeId(id)));
}

export function isDirty(state: EditorState): boolean {
  return state.revision !== state.savedRevision;
}

export function createEditorStore(initial: NetweaveDocument = emptyDocument()) {
  return createStore<EditorStore>()((set, get) => {
    const commit = (document: NetweaveDocument, history: History, extra: Partial<EditorState> = {}): void => {
      const ids = new Set(document.graph.nodes.map((n) => n.id));
      const edgeIds = new Set(document.graph.edges.map((e) => e.id));
      const state = get();
      const keepNode = (id: string): boolean => ids.has(id) || (isInnerNodeId(id) && ids.has(id.split('::')[0]!));
      set({
        document,
        history,
        analysis: document.graph === state.document.graph ? state.analysis : analyzeGraph(document.graph),
        revision: revisionOf(history),
        selectedNodes: extra.selectedNodes ?? new Set([...state.selectedNodes].filter(keepNode)),
        selectedEdges: extra.selectedEdges ?? new Set([...state.selectedEdges].filter((id) => edgeIds.has(id))),
        ...extra,
      });
    };

    const edit: EditorActions['edit'] = (label, recipe, coalesceKey) => {
      const { document, history } = get();
      const outcome = recordEdit(document, history, label, recipe, coalesceKey ? { coalesceKey } : {});
      if (!outcome.changed) return false;
      commit(outcome.next, outcome.history);
      return true;
    };

    return {
      document: initial,
      analysis: analyzeGraph(initial.graph),
      history: emptyHistory,
      revision: 0,
      savedRevision: 0,
      filePath: null,
      selectedNodes: emptySet,
      selectedEdges: emptySet,
      dragPositions: emptyMap,
      clipboard: null,
      pasteCount: 0,
      loadCount: 0,

      edit,
      undo: () => {
        const step = undoStep(get().document, get().history);
        if (!step) return null;
        commit(step.next, step.history);
        return step.label;
      },
      sealHistory: () => set({ history: sealHistory(get().history) }),
      redo: () => {
        const step = redoStep(get().document, get().history);
        if (!step) return null;
        commit(step.next, step.history);
        return step.label;
      },
      loadDocument: (document, options = {}) => {
        set({
          document,
          analysis: analyzeGraph(document.graph),
          history: emptyHistory,
          revision: 0,
          savedRevision: options.dirty ? -1 : 0,
          filePath: options.path ?? null,
          selectedNodes: emptySet,
          selectedEdges: emptySet,
          dragPositions: emptyMap,
          pasteCount: 0,
          loadCount: get().loadCount + 1,
        });
      },
      markSaved: (path, revision) => set({ filePath: path, savedRevision: revision }),

      addNode: (kind, position) => {
        const node = makeNode(get().document, kind, position);
        edit(`Add ${kind}`, (d) => addNodes(d, [node]));
        set({ selectedNodes: new Set([node.id]), selectedEdges: emptySet });
        return node.id;
      },
      insertOnEdge: (kind, position, edgeId) => {
        const node = makeNode(get().document, kind, position);
        let outcome: { ok: true } | { ok: false; reason: string } = { ok: false, reason: 'That connection no longer exists.' };
        edit(`Insert ${kind} into the connection`, (d) => {
          outcome = insertOnEdge(d, edgeId, node);
          if (outcome.ok) makeRoomFor(d, node.id, { width: nodeWidth, height: collapsedNodeHeight }, d.view.layoutDirection ?? 'TB');
        });
        if (!outcome.ok) return outcome;
        set({ selectedNodes: new Set([node.id]), selectedEdges: emptySet });
        return { ok: true, nodeId: node.id };
      },
      connect: (source, target) => {
        const check = checkConnection(get().document.graph, source, target);
        if (!check.ok) return check;
        const edge = makeEdge(get().document, source, target);
        edit('Connect', (d) => addNodes(d, [], [edge]));
        return { ok: true, edgeId: edge.id };
      },
      deleteSelection: () => {
        const nodes = selectedDocumentNodes(get());
        const edges = new Set(get().selectedEdges);
        if (nodes.size === 0 && edges.size === 0) return 0;
        edit(nodes.size > 0 ? `Delete ${nodes.size} layer${nodes.size === 1 ? '' : 's'}` : 'Delete connection', (d) => removeElements(d, nodes, edges));
        set({ selectedNodes: emptySet, selectedEdges: emptySet });
        return nodes.size + edges.size;
      },
      selectOnly: (nodeIds, edgeIds = []) => set({ selectedNodes: new Set(nodeIds), selectedEdges: new Set(edgeIds) }),
      setSelection: (nodes, edges) => set({ selectedNodes: nodes, selectedEdges: edges }),
      selectAll: () =>
        set({ selectedNodes: new Set(get().document.graph.nodes.map((n) => n.id)), selectedEdges: new Set(get().document.graph.edges.map((e) => e.id)) }),
      copySelection: () => {
        const nodes = selectedDocumentNodes(get());
        if (nodes.size === 0) return 0;
        set({ clipboard: copyFragment(get().document, nodes), pasteCount: 0 });
        return nodes.size;
      },
      paste: () => {
        const clipboard = get().clipboard;
        if (!clipboard || clipboard.nodes.length === 0) return [];
        const count = get().pasteCount + 1;
        const fragment = instantiateFragment(get().document, clipboard, { x: 40 * count, y: 40 * count });
        edit(`Paste ${fragment.nodes.length} layer${fragment.nodes.length === 1 ? '' : 's'}`, (d) => addNodes(d, fragment.nodes, fragment.edges));
        const ids = fragment.nodes.map((n) => n.id);
        set({ pasteCount: count, selectedNodes: new Set(ids), selectedEdges: new Set(fragment.edges.map((e) => e.id)) });
        return ids;
      },
      duplicateSelection: () => {
        const nodes = selectedDocumentNodes(get());
        if (nodes.size === 0) return [];
        const fragment = instantiateFragment(get().document, copyFragment(get().document, nodes), { x: 40, y: 40 });
        edit(`Duplicate ${fragment.nodes.length} layer${fragment.nodes.length === 1 ? '' : 's'}`, (d) => addNodes(d, fragment.nodes, fragment.edges));
        const ids = fragment.nodes.map((n) => n.id);
        set({ selectedNodes: new Set(ids), selectedEdges: new Set(fragment.edges.map((e) => e.id)) });
        return ids;
      },
      dragTo: (positions) => {
        const next = new Map(get().dragPositions);
        for (const [id, p] of positions) next.set(id, p);
        set({ dragPositions: next });
      },
      endDrag: () => {
        const moved = get().dragPositions;
        if (moved.size === 0) return;
        edit(moved.size === 1 ? 'Move layer' : `Move ${moved.size} layers`, (d) => moveNodes(d, moved));
        set({ dragPositions: emptyMap });
      },
      setParam: (nodeId, name, value) => edit(`Edit ${name}`, (d) => setParam(d, nodeId, name, value), `param:${nodeId}:${name}`),
      setLabel: (nodeId, label) => edit('Rename layer', (d) => setLabel(d, nodeId, label), `label:${nodeId}`),
      setExpanded: (nodeId, expanded) => {
        const input = get().analysis.nodes.get(nodeId)?.inputShapes[0] ?? null;
        edit(expanded ? 'Expand block' : 'Collapse block', (d) => setExpanded(d, nodeId, expanded, input));
      },
      setAllExpanded: (expanded) => {
        const { document, analysis } = get();
        // Walk top to bottom so each shift sees the positions left by the previous one.
        const blocks = document.graph.nodes
          .filter((n) => n.collapsed !== undefined && (n.collapsed === false) !== expanded)
          .sort((a, b) => (expanded ? b.position.y - a.position.y : a.position.y - b.position.y));
        if (blocks.length === 0) return;
        edit(expanded ? 'Expand all blocks' : 'Collapse all blocks', (d) => {
          for (const b of blocks) setExpanded(d, b.id, expanded, analysis.nodes.get(b.id)?.inputShapes[0] ?? null);
        });
      },
      align: (mode, sizes) => {
        const positions = alignPositions(get().document, selectedDocumentNodes(get()), mode, sizes);
        if (positions.size > 0) edit(`Align ${mode}`, (d) => moveNodes(d, positions));
      },
      applyPositions: (label, positions) => {
        if (positions.size > 0) edit(label, (d) => moveNodes(d, positions));
      },
    };
  });
}

export type EditorStoreApi = ReturnType<typeof createEditorStore>;
