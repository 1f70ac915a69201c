import type { NetweaveDocument } from '../../graph-schema/document';
import type { CallInput } from '../../shared/contract';
import { callConfirmingOverwrite, callOrReport, callQuietly } from '../api';
import { graphHash } from '../../graph-schema/graph-hash';
import { labCall } from '../lab/lab-api';
import { documentForSaving } from '../documents/document-commands';
import { askForPath, askToConfirm, showPanel, useUi } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { showError, showSuccess } from '../ui/toast-store';
import { withoutRuns } from './run-persistence';
import { isActive, isStale, registerRun, removeRun, resetRun, runIsLive, useRuns, useTraining } from './training-store';

export function parseLimit(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t) || Number(t) <= 0) return null;
  return Number(t);
}

export async function startTraining(): Promise<void> {
  const training = useTraining.getState();
  if (isActive(training.status)) return;
  showPanel('training');
  const errors = editorStore.getState().analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    showError('The graph cannot be trained yet', {
      code: 'graph-invalid',
      message: `${errors.length} problem${errors.length === 1 ? '' : 's'} to fix first, e.g. ${errors[0]!.message}`,
    });
    useUi.getState().set({ diagnosticsOpen: true });
    return;
  }
  const limit = parseLimit(training.limit);
  if (limit === null) {
    showError('Cannot start training', { code: 'limit-invalid', message: 'The example limit must be a positive whole number, or empty for all examples.' });
    return;
  }
  resetRun('starting');
  const document = withoutRuns(documentForSaving());
  const started = await callOrReport(
    'training.start',
    {
      document,
      dataset: document.training.dataset,
      ...(limit !== undefined ? { limit } : {}),
      engine: training.engineChoice,
      // Gradient norms and the lab views need an instrumented run.
      instrument: true,
    },
    'Could not start training',
  );
  if (!started) {
    useTraining.setState({ status: 'idle' });
    return;
  }
  registerRun(started.runId, { document, graphHash: graphHash(document.graph), name: uniqueRunName(document.name) });
  // Events may already have named the run.
  if (useTraining.getState().runId === null) useTraining.setState({ runId: started.runId });
}

/** "plain", "plain 2", …: runs of the same graph stay apart in the compare view. */
export function uniqueRunName(base: string): string {
  const { runs, order } = useRuns.getState();
  const taken = new Set(order.map((id) => runs[id]!.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} ${i}`)) return `${base} ${i}`;
}

export interface LabTrainOptions {
  name: string;
  limit?: number;
  epochs?: number;
  seed?: number;
  startPaused?: boolean;
}

/** Trains a document that need not be the one on the canvas (the lesson's twins); the run lands in the runs store. */
export async function trainDocument(document: NetweaveDocument, options: LabTrainOptions): Promise<string | null> {
  const doc = withoutRuns(document);
  const engine = useTraining.getState().engineChoice;
  const name = uniqueRunName(options.name);
  const input: CallInput<'training.start'> = {
    document: doc,
    dataset: doc.training.dataset,
    engine,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    name,
    instrument: true,
    ...(options.startPaused ? { startPaused: true } : {}),
  };
  const started = await callOrReport('training.start', input, `Could not start training “${name}”`);
  if (!started) return null;
  registerRun(started.runId, { document: doc, graphHash: graphHash(doc.graph), name, seed: options.seed ?? doc.training.seed });
  return started.runId;
}

export async function pauseRun(runId: string): Promise<void> {
  await labCall('training.pause', { runId }, 'Could not pause training');
}

export async function resumeRun(runId: string): Promise<void> {
  await labCall('training.resume', { runId }, 'Could not resume training');
}

/** Trains exactly one batch of a paused run. */
export async function stepRun(runId: string): Promise<void> {
  const run = useRuns.getState().runs[runId];
  if (run && run.status === 'running') await pauseRun(runId);
  await labCall('training.step', { runId }, 'Could not train one batch');
}

/** Forgets a run and frees its model in main. */
export async function deleteRun(runId: string): Promise<void> {
  const run = useRuns.getState().runs[runId];
  if (!run) return;
  if (runIsLive(run)) await callQuietly('training.stop', { runId });
  if (!run.restored) void labCall('training.dispose', { runId }, null);
  removeRun(runId);
}

export async function stopTraining(): Promise<void> {
  const { runId, status } = useTraining.getState();
  if (!runId || !isActive(status)) return;
  useTraining.setState({ status: 'stopping' });
  const stopped = await callOrReport('training.stop', { runId }, 'Could not stop training');
  if (!stopped && useTraining.getState().status === 'stopping') useTraining.setState({ status: 'running' });
}

export async function saveTrainedModel(): Promise<void> {
  const { runId } = useTraining.getState();
  if (!runId) return;
  const run = useRuns.getState().runs[runId];
  if (run && isStale(run, graphHash(editorStore.getState().document.graph))) {
    const answer = await askToConfirm({
      title: 'The graph has changed since this training',
      message: `The model of “${run.name}” was trained on the graph as it was before your edits. It is saved as trained, not as the graph looks now. Save it anyway?`,
      confirmLabel: 'Save the trained model',
      cancelLabel: 'Cancel',
    });
    if (answer !== 'confirm') return;
  }
  let dir: string | undefined;
  if (!useUi.getState().host?.nativeDialogs) {
    const name = editorStore.getState().document.name.replace(/[\\/:*?"<>|\s]+/g, '-') || 'model';
    const typed = await askForPath({ mode: 'model', title: 'Save the trained model', initial: `${name}-model`, confirmLabel: 'Save model' });
    if (typed === null) return;
    dir = typed;
  }
  const saved = await callConfirmingOverwrite('model.save', dir ? { runId, handle: dir } : { runId }, 'Could not save the model');
  if (!saved) return;
  useTraining.setState({ savedModel: saved.dir });
  const names = saved.files.map((f) => f.split(/[\\/]/).pop());
  showSuccess('Model saved', `${saved.dir}: ${names.join(', ')}`);
}
