import { graphHash } from '../../graph-schema/graph-hash';
import { callConfirmingOverwrite } from '../api';
import { withoutRuns } from '../training/run-persistence';
import type { RunRecord } from '../training/training-store';
import { isStale, useRuns, useTraining } from '../training/training-store';
import { askForPath, askToConfirm, useUi } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { showInfo, showSuccess } from '../ui/toast-store';
import { documentForSaving } from './document-commands';

/** The run whose trained weights an ONNX export takes: the training panel's run, once it has finished or was stopped. */
export interface TrainedRunChoice {
  runId: string;
  name: string;
  record: RunRecord | undefined;
}

export function trainedRunForExport(state: { runId: string | null; status: string } = useTraining.getState()): TrainedRunChoice | null {
  const { runId, status } = state;
  if (!runId || (status !== 'finished' && status !== 'stopped')) return null;
  const record = useRuns.getState().runs[runId];
  return { runId, name: record?.name ?? 'the last run', record };
}

const onnxFileName = (name: string) => `${(name || 'model').replace(/[^\w.-]+/g, '_')}.onnx`;

/**
 * Saves the graph as an ONNX model: with the trained weights of the training panel's run
 * (`trained`), else with the seeded initial weights. A trained model is exported from the graph
 * it was trained on; when the canvas has changed since, the user is told and asked first.
 */
export async function exportOnnx(trained: boolean): Promise<void> {
  const current = withoutRuns(documentForSaving());
  let document = current;
  let runId: string | undefined;
  if (trained) {
    const run = trainedRunForExport();
    if (!run) {
      showInfo('No trained weights yet', 'Train the graph first (F5); once the run has finished, its weights can be exported as ONNX.');
      return;
    }
    runId = run.runId;
    if (run.record?.document) document = run.record.document;
    if (run.record && isStale(run.record, graphHash(editorStore.getState().document.graph))) {
      const answer = await askToConfirm({
        title: 'The graph has changed since this training',
        message: `“${run.name}” was trained on the graph as it was before your edits. The ONNX model is exported as trained, not as the graph looks now. Export it anyway?`,
        confirmLabel: 'Export the trained model',
        cancelLabel: 'Cancel',
      });
      if (answer !== 'confirm') return;
    }
  }
  let handle: string | undefined;
  if (!useUi.getState().host?.nativeDialogs) {
    const typed = await askForPath({
      mode: 'export',
      title: trained ? 'Save ONNX model with the trained weights' : 'Save ONNX model with the initial weights',
      initial: onnxFileName(document.name),
      confirmLabel: 'Save',
    });
    if (typed === null) return;
    handle = typed;
  }
  const saved = await callConfirmingOverwrite(
    'export.save',
    { document, target: 'onnx', ...(runId ? { runId } : {}), ...(handle ? { handle } : {}) },
    'Could not save the ONNX model',
  );
  if (saved) showSuccess(trained ? 'ONNX model saved with the trained weights' : 'ONNX model saved with the initial weights', saved.path);
}
