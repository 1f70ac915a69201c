import type { Position } from '../../graph-schema/edit/document-edits';
import { canInsertOnEdge } from '../../graph-schema/edit/insert-on-edge';
import { editorStore } from '../store/use-editor';
import { showInfo } from '../ui/toast-store';

/** A layer dropped from the palette: into the connection under the pointer when there is one and the layer can sit there, else where it fell. */
export function dropLayer(kind: string, position: Position, edgeId: string | null): void {
  const state = editorStore.getState();
  if (edgeId) {
    const check = canInsertOnEdge(kind);
    const outcome = check.ok ? state.insertOnEdge(kind, position, edgeId) : check;
    if (outcome.ok) return;
    showInfo('Added beside the connection', outcome.reason);
  }
  state.addNode(kind, position);
}
