import { callQuietly } from '../api';
import { isDirty } from '../store/editor-store';
import { askToConfirm } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { documentForSaving, restoreRecovered } from './document-commands';
import { documentTitle, rememberFilePath } from './doc-title';

export const autosaveIntervalMs = 4000;

/** Writes the recovery file every few seconds while there are unsaved changes. Returns a stop function. */
export function startAutosave(): () => void {
  let written = -2;
  let busy = false;
  const timer = setInterval(async () => {
    const state = editorStore.getState();
    if (busy || !isDirty(state) || state.revision === written) return;
    busy = true;
    const revision = state.revision;
    const done = await callQuietly('recovery.write', state.filePath ? { document: documentForSaving(), handle: state.filePath } : { document: documentForSaving() });
    if (done) written = revision;
    busy = false;
  }, autosaveIntervalMs);
  return () => clearInterval(timer);
}

/** After a crash: offers the recovery file's work, or clears it. */
export async function offerRecovery(): Promise<void> {
  const found = await callQuietly('recovery.read', {});
  if (!found) return;
  const when = new Date(found.savedAt);
  const answer = await askToConfirm({
    title: 'Recover unsaved work?',
    message: `Netweave found unsaved changes to “${found.document.name}” from ${Number.isNaN(when.getTime()) ? found.savedAt : when.toLocaleString()}. The app may have closed unexpectedly.`,
    confirmLabel: 'Recover',
    cancelLabel: 'Discard',
  });
  if (answer === 'confirm' && found.file) rememberFilePath(found.file.handle, found.file.path);
  if (answer === 'confirm') restoreRecovered(found.document, found.file?.handle ?? null);
  else await callQuietly('recovery.clear', {});
}

/** Keeps the window title and the host's close prompt in step with the document. */
export function trackDocumentState(): () => void {
  let last = '';
  const report = () => {
    const state = editorStore.getState();
    const dirty = isDirty(state);
    const title = documentTitle(state.document.name, state.filePath);
    const key = `${dirty}|${title}|${state.filePath ?? ''}`;
    if (key === last) return;
    last = key;
    document.title = `${dirty ? '● ' : ''}${title} — Netweave`;
    void callQuietly('app.documentState', { dirty, title });
  };
  report();
  return editorStore.subscribe(report);
}
