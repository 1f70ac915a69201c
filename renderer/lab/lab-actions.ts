import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { hasSkipConnections, makePlainTwin } from '../../graph-schema/plain-twin';
import { getTemplate } from '../../graph-schema/templates/index';
import { fitView } from '../canvas/flow-instance';
import { confirmDiscard, documentForSaving, loadNewDocument } from '../documents/document-commands';
import { showPanel } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { parseLimit, trainDocument } from '../training/training-actions';
import { restoreRunsFrom, withoutRuns } from '../training/run-persistence';
import { runIsLive, useRuns, useTraining } from '../training/training-store';
import { callQuietly } from '../api';
import { showError, showInfo } from '../ui/toast-store';
import type { LabView } from './lab-store';
import { useLab } from './lab-store';

/** The twin pane takes room from the canvas: fit the graph again once the layout settled. */
function refit(): void {
  requestAnimationFrame(() => requestAnimationFrame(() => fitView()));
}

export function showLab(view: LabView): void {
  useLab.getState().set({ view });
  showPanel('lab');
}

// A document put on the canvas by the lab (swap) keeps the runs; any other load brings the file's runs.
let keepRunsOnce = false;

export function loadKeepingRuns(document: NetweaveDocument, dirty = true): void {
  keepRunsOnce = true;
  editorStore.getState().loadDocument(document, { path: null, dirty });
}

/** Called on every document load (see startLab). */
export function onDocumentLoaded(document: NetweaveDocument): void {
  if (keepRunsOnce) {
    keepRunsOnce = false;
    return;
  }
  // Finished runs of the project closed free their models in main; runs still going carry on.
  const { runs, order } = useRuns.getState();
  const live = order.map((id) => runs[id]!).filter(runIsLive);
  for (const id of order) if (!runs[id]!.restored && !runIsLive(runs[id]!)) void callQuietly('training.dispose', { runId: id });
  restoreRunsFrom(document, live);
  // Another project: the twin beside the canvas belonged to the one closed.
  useLab.getState().set({ landscapes: {}, edgeId: null, sampleIndex: null, twin: null });
}

/** "Make plain twin": the canvas graph without its skip connections, opened beside it. */
export function openPlainTwin(): void {
  const doc = withoutRuns(editorStore.getState().document);
  if (!hasSkipConnections(doc)) {
    showInfo('No skip connections here', 'This graph has no residual block shortcut and no Add that skips layers, so its plain twin would be the same graph.');
    return;
  }
  const twin = makePlainTwin(doc);
  useLab.getState().set({ twin: { document: { ...twin, name: twin.name || `${doc.name} (plain)` }, role: 'Plain twin (no skips)' } });
  refit();
}

function templateDocument(id: string): NetweaveDocument | null {
  const template = getTemplate(id);
  if (!template) return null;
  const built = template.build();
  return createDocument(built.graph, template.name, built.training);
}

/** Lesson step 1: the residual net on the canvas, its plain twin beside it. */
export async function openSkipTwins(): Promise<boolean> {
  const residual = templateDocument('deep-mlp-residual');
  if (!residual) {
    showError('Cannot open the lesson nets', { code: 'template-unknown', message: 'The template "deep-mlp-residual" is missing from this build.' });
    return false;
  }
  if (!(await confirmDiscard('Open the lesson nets'))) return false;
  // The template's own plain twin is the same net built without skips; makePlainTwin gives it when the template is absent.
  const plain = templateDocument('deep-mlp-plain') ?? makePlainTwin(residual);
  loadNewDocument(residual);
  useLab.getState().set({ twin: { document: plain, role: 'Plain twin (no skips)' } });
  refit();
  return true;
}

export function lessonOptions(): { limit?: number; epochs?: number } | null {
  const { lessonLimit, lessonEpochs } = useLab.getState();
  const limit = parseLimit(lessonLimit);
  const epochs = parseLimit(lessonEpochs);
  if (limit === null || epochs === null) {
    showError('Cannot train', { code: 'lesson-options-invalid', message: 'Examples and epochs must be positive whole numbers (or empty for the document’s settings).' });
    return null;
  }
  return { ...(limit !== undefined ? { limit } : {}), ...(epochs !== undefined ? { epochs } : {}) };
}

function nameOf(doc: NetweaveDocument, fallback: string): string {
  return /plain/i.test(doc.name) ? 'plain' : /resid/i.test(doc.name) ? 'residual' : fallback;
}

/** Trains the canvas graph and the twin with the same seed and data order. */
export async function trainBoth(): Promise<void> {
  const twin = useLab.getState().twin;
  const options = lessonOptions();
  if (!options) return;
  if (!twin) {
    showInfo('Open the twins first', 'Step 1 puts the two nets side by side.');
    return;
  }
  const canvas = documentForSaving();
  const seed = canvas.training.seed;
  // One after the other would take twice as long; the service runs them side by side.
  await Promise.all([
    trainDocument(canvas, { name: nameOf(canvas, canvas.name), seed, ...options }),
    trainDocument(twin.document, { name: nameOf(twin.document, twin.document.name), seed, ...options }),
  ]);
}

export async function trainTwin(): Promise<void> {
  const twin = useLab.getState().twin;
  if (!twin) return;
  const limit = parseLimit(useTraining.getState().limit);
  await trainDocument(twin.document, { name: twin.document.name, seed: editorStore.getState().document.training.seed, ...(limit ? { limit } : {}) });
  showLab('compare');
}

/** The twin goes on the canvas, the canvas graph beside it; runs stay. */
export function swapTwin(): void {
  const twin = useLab.getState().twin;
  if (!twin) return;
  const current = withoutRuns(documentForSaving());
  loadKeepingRuns(twin.document);
  useLab.getState().set({ twin: { document: current, role: 'The graph it was made from' } });
}
