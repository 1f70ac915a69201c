import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { loadDocumentValue } from '../../graph-schema/load-save';
import { getTemplate } from '../../graph-schema/templates/index';
import type { ImportedProject } from '../../shared/contract';
import { callConfirmingOverwrite, callOrReport, callQuietly } from '../api';
import { getFlowInstance } from '../canvas/flow-instance';
import { emptyDocument, isDirty } from '../store/editor-store';
import { askForPath, askToConfirm, useUi } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { withSavedRuns } from '../training/run-persistence';
import { rememberFilePath } from './doc-title';
import { showError, showInfo, showSuccess } from '../ui/toast-store';

/** The document as it is written: with the current viewport, so reopening shows the same view. */
export function documentForSaving(): NetweaveDocument {
  const { document } = editorStore.getState();
  const viewport = getFlowInstance()?.getViewport();
  // Finished training runs are kept with the project (small: downsampled curves, norms per epoch).
  const withRuns = withSavedRuns(document);
  return viewport ? { ...withRuns, view: { ...document.view, viewport: { x: viewport.x, y: viewport.y, zoom: viewport.zoom } } } : withRuns;
}

export function suggestedFileName(document: NetweaveDocument): string {
  const base = document.name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'Untitled';
  return `${base}.netweave`;
}

export async function refreshRecent(): Promise<void> {
  const recent = await callQuietly('project.recent', {});
  if (recent) useUi.getState().set({ recent });
}

/** When there are unsaved changes: save them, discard them, or stay. True when it is fine to go on. */
export async function confirmDiscard(action: string): Promise<boolean> {
  if (!isDirty(editorStore.getState())) return true;
  const answer = await askToConfirm({
    title: 'Unsaved changes',
    message: `“${editorStore.getState().document.name}” has changes that are not saved. ${action} anyway?`,
    confirmLabel: 'Discard changes',
    alternateLabel: 'Save first',
    cancelLabel: 'Cancel',
  });
  if (answer === 'cancel') return false;
  if (answer === 'alternate') return saveProject();
  return true;
}

export function loadNewDocument(document: NetweaveDocument, path: string | null = null, dirty = false): void {
  editorStore.getState().loadDocument(document, { path, dirty });
  // Unsaved work that was just discarded must not come back as a recovery offer.
  if (!dirty) void callQuietly('recovery.clear', {});
}

/** 'empty' or a template id. */
export async function newFromTemplate(templateId: string): Promise<boolean> {
  if (!(await confirmDiscard('Start a new project'))) return false;
  if (templateId === 'empty') {
    loadNewDocument(emptyDocument());
    return true;
  }
  const template = getTemplate(templateId);
  if (!template) {
    showError('New project', { code: 'template-unknown', message: `There is no template "${templateId}".` });
    return false;
  }
  const built = template.build();
  loadNewDocument(createDocument(built.graph, template.name, built.training));
  return true;
}

/** Model files the importer reads: a path typed in Open that names one is imported, not opened. */
const modelFilePattern = /\.(json|keras|h5|hdf5|onnx)$/i;

/** An imported model on the canvas: unsaved (Save asks where), its problems told. */
function loadImported(imported: ImportedProject): void {
  // Unsaved and dirty: the import exists only in memory until the user saves it.
  loadNewDocument(imported.document, null, true);
  const errors = imported.diagnostics.filter((d) => d.severity === 'error').length;
  const nodes = imported.document.graph.nodes.length;
  if (imported.diagnostics.length === 0) showSuccess('Model imported', `${imported.path}: ${nodes} layers${imported.document.weights ? ', with its weights' : ''}.`);
  else {
    showInfo(
      'Model imported with problems',
      `${imported.path}: ${nodes} layers; ${imported.diagnostics.length} problem${imported.diagnostics.length === 1 ? '' : 's'}${errors ? ` (${errors} layer${errors === 1 ? '' : 's'} could not be mapped: see the placeholder nodes)` : ''}: ${imported.diagnostics
        .slice(0, 3)
        .map((d) => d.message)
        .join(' ')}`,
    );
  }
}

/**
 * Imports a model file (TensorFlow.js model.json, Keras .keras/.h5, ONNX) as a new, unsaved project:
 * the given handle (a drop), else the native dialog, else a path typed in the app's own dialog.
 */
export async function importModel(givenHandle?: string): Promise<boolean> {
  if (!(await confirmDiscard('Import a model'))) return false;
  let handle = givenHandle;
  if (handle === undefined && !useUi.getState().host?.nativeDialogs) {
    const typed = await askForPath({ mode: 'model', title: 'Import model (model.json, .keras, .h5, .onnx)', initial: '', confirmLabel: 'Import' });
    if (typed === null) return false;
    handle = typed;
  }
  const imported = await callOrReport('project.import', handle === undefined ? {} : { handle }, 'Could not import the model');
  if (!imported) return false;
  loadImported(imported);
  return true;
}

/** Opens a project: the given path, else the native dialog, else a path typed in the app's own dialog. A model file is imported. */
export async function openProject(givenPath?: string): Promise<boolean> {
  if (!(await confirmDiscard('Open another project'))) return false;
  let path = givenPath;
  if (path === undefined && !useUi.getState().host?.nativeDialogs) {
    await refreshRecent();
    const typed = await askForPath({ mode: 'open', title: 'Open project', initial: useUi.getState().recent[0] ?? '', confirmLabel: 'Open' });
    if (typed === null) return false;
    path = typed;
  }
  // A typed model path (web host) goes to the importer; the unsaved-changes prompt was already answered.
  const opened =
    path !== undefined && !useUi.getState().host?.nativeDialogs && modelFilePattern.test(path)
      ? await callOrReport('project.import', { handle: path }, 'Could not import the model')
      : await callOrReport('project.open', path === undefined ? {} : { handle: path }, 'Could not open the project');
  if (!opened) return false;
  if (opened.kind === 'import') {
    loadImported(opened);
    return true;
  }
  // The store keeps the handle: what main accepts to save the same file again.
  rememberFilePath(opened.handle, opened.path);
  loadNewDocument(opened.document, opened.handle);
  const problems = opened.warnings.filter((w) => w.severity === 'error').length;
  if (opened.warnings.length > 0) showInfo('Opened with warnings', `${opened.warnings.length} problem${opened.warnings.length === 1 ? '' : 's'} in the file${problems ? ' (see the problems list)' : ''}.`);
  await refreshRecent();
  return true;
}

async function afterSave(saved: { handle: string; path: string }, revision: number): Promise<void> {
  rememberFilePath(saved.handle, saved.path);
  editorStore.getState().markSaved(saved.handle, revision);
  await callQuietly('recovery.clear', {});
  await refreshRecent();
  showSuccess('Saved', saved.path);
}

export async function saveProject(): Promise<boolean> {
  const { filePath, revision } = editorStore.getState();
  if (!filePath) return saveProjectAs();
  const saved = await callConfirmingOverwrite('project.save', { handle: filePath, document: documentForSaving() }, 'Could not save the project');
  if (!saved) return false;
  await afterSave(saved, revision);
  return true;
}

export async function saveProjectAs(): Promise<boolean> {
  const { filePath, revision } = editorStore.getState();
  const document = documentForSaving();
  let saved: { handle: string; path: string } | null | undefined;
  if (useUi.getState().host?.nativeDialogs) {
    saved = await callOrReport('project.saveAs', { document, suggestedName: suggestedFileName(document) }, 'Could not save the project');
  } else {
    const typed = await askForPath({ mode: 'save', title: 'Save project as', initial: filePath ?? suggestedFileName(document), confirmLabel: 'Save' });
    if (typed === null) return false;
    saved = await callConfirmingOverwrite('project.save', { handle: typed, document }, 'Could not save the project');
  }
  if (!saved) return false;
  await afterSave(saved, revision);
  return true;
}

/** Puts a recovered document on the canvas as unsaved work, still belonging to its file (`handle`) when it had one. */
export function restoreRecovered(document: unknown, handle: string | null = null): boolean {
  const loaded = loadDocumentValue(document);
  if (!loaded.ok) {
    showError('Could not recover', loaded.error);
    return false;
  }
  loadNewDocument(loaded.document, handle, true);
  return true;
}
