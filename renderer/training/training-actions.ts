import { callOrReport } from '../api';
import { documentForSaving } from '../documents/document-commands';
import { askForPath, showPanel, useUi } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { showError, showSuccess } from '../ui/toast-store';
import { isActive, resetRun, useTraining } from './training-store';

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
  const document = documentForSaving();
  const started = await callOrReport(
    'training.start',
    {
      document,
      dataset: document.training.dataset,
      ...(limit !== undefined ? { limit } : {}),
      engine: training.engineChoice,
    },
    'Could not start training',
  );
  if (!started) {
    useTraining.setState({ status: 'idle' });
    return;
  }
  // Events may already have named the run.
  if (useTraining.getState().runId === null) useTraining.setState({ runId: started.runId });
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
  let dir: string | undefined;
  if (!useUi.getState().host?.nativeDialogs) {
    const name = editorStore.getState().document.name.replace(/[\\/:*?"<>|\s]+/g, '-') || 'model';
    const typed = await askForPath({ mode: 'model', title: 'Save the trained model', initial: `${name}-model`, confirmLabel: 'Save model' });
    if (typed === null) return;
    dir = typed;
  }
  const saved = await callOrReport('model.save', dir ? { runId, dir } : { runId }, 'Could not save the model');
  if (!saved) return;
  useTraining.setState({ savedModel: saved.dir });
  const names = saved.files.map((f) => f.split(/[\\/]/).pop());
  showSuccess('Model saved', `${saved.dir}: ${names.join(', ')}`);
}
