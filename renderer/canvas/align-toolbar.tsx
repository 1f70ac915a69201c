import type { AlignMode } from '../../graph-schema/edit/document-edits';
import { selectedDocumentNodes } from '../store/editor-store';
import { editorStore, useEditor } from '../store/use-editor';
import { sizeOf } from './flow-instance';

const actions: { mode: AlignMode; label: string; title: string; command: string }[] = [
  { mode: 'left', label: '⇤', title: 'Align left edges (Alt+Shift+W)', command: 'alignLeft' },
  { mode: 'center-x', label: '↔', title: 'Align centres in a column (Alt+Shift+C)', command: 'alignColumn' },
  { mode: 'right', label: '⇥', title: 'Align right edges (Alt+Shift+E)', command: 'alignRight' },
  { mode: 'top', label: '⤒', title: 'Align top edges (Alt+Shift+N)', command: 'alignTop' },
  { mode: 'center-y', label: '↕', title: 'Align centres in a row (Alt+Shift+R)', command: 'alignRow' },
  { mode: 'bottom', label: '⤓', title: 'Align bottom edges (Alt+Shift+S)', command: 'alignBottom' },
  { mode: 'distribute-x', label: '⋯', title: 'Space evenly across (Alt+Shift+H)', command: 'distributeX' },
  { mode: 'distribute-y', label: '⋮', title: 'Space evenly down (Alt+Shift+D)', command: 'distributeY' },
];

export function alignSelection(mode: AlignMode): void {
  const state = editorStore.getState();
  const ids = selectedDocumentNodes(state);
  state.align(mode, new Map([...ids].map((id) => [id, sizeOf(id)])));
}

/** Shown while two or more layers are selected. */
export function AlignToolbar() {
  const count = useEditor((s) => selectedDocumentNodes(s).size);
  if (count < 2) return null;
  return (
    <div className="nw-align-toolbar" data-testid="align-toolbar">
      <span className="nw-muted">{count} selected</span>
      {actions.map((a) => (
        <button key={a.mode} className="nw-icon-button" title={a.title} onClick={() => alignSelection(a.mode)} data-testid={`align-${a.mode}`} data-command={a.command}>
          {a.label}
        </button>
      ))}
    </div>
  );
}
