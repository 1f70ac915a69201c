import { graphHash } from '../../graph-schema/graph-hash';
import type { NetweaveApi } from '../../shared/contract';
import { useUi } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { useRuns } from '../training/training-store';
import { onDocumentLoaded, showLab } from './lab-actions';
import { updateLandscape, useLab } from './lab-store';
import { inspectableRuns } from './layer-view';

/** Hooks the lab into the app: project loads bring their runs, landscape events, edge clicks. Returns a stop function. */
export function startLab(api: NetweaveApi): () => void {
  const stops: (() => void)[] = [];
  let loads = editorStore.getState().loadCount;
  stops.push(
    editorStore.subscribe((state) => {
      if (state.loadCount !== loads) {
        loads = state.loadCount;
        onDocumentLoaded(state.document);
      }
    }),
  );
  stops.push(
    api.on('lab.event', (event) => {
      if (event.type === 'landscape-progress') updateLandscape(event.taskId, { done: event.done, total: event.total });
      else if (event.type === 'landscape-done') updateLandscape(event.taskId, { status: 'done', done: event.alphas.length * event.betas.length, result: { ...event } });
      else updateLandscape(event.taskId, event.code === 'cancelled' ? { status: 'cancelled' } : { status: 'error', error: `${event.code}: ${event.message}` });
    }),
  );
  // Clicking an edge while a run of this graph exists shows what flows along it.
  let edges = editorStore.getState().selectedEdges;
  stops.push(
    editorStore.subscribe((state) => {
      if (state.selectedEdges === edges) return;
      edges = state.selectedEdges;
      if (edges.size !== 1 || state.selectedNodes.size > 0) return;
      const { runs, order } = useRuns.getState();
      const hash = graphHash(state.document.graph);
      if (!inspectableRuns(runs, order).some((r) => r.graphHash === hash)) return;
      useLab.getState().set({ edgeId: null });
      const ui = useUi.getState();
      const lab = useLab.getState();
      // The lesson's own layer step shows the view in place.
      if (ui.panel === 'lab' && ui.panelOpen && (lab.view === 'layer' || (lab.view === 'lesson' && lab.lessonStep === 4))) return;
      showLab('layer');
    }),
  );
  return () => stops.forEach((s) => s());
}
