import type { CommandDef } from '../commands';
import { pauseRun, resumeRun, stepRun } from '../training/training-actions';
import { runIsLive, useRuns, useTraining } from '../training/training-store';
import { showInfo } from '../ui/toast-store';
import { openPlainTwin, showLab } from './lab-actions';
import { useLab } from './lab-store';

/** The run pause/step act on: the lab's selected run if it is going, else the training panel's, else any live one. */
function liveRun(): string | null {
  const { runs, order, selected } = useRuns.getState();
  const panel = useTraining.getState().runId;
  for (const id of [selected, panel, ...[...order].reverse()]) if (id && runs[id] && runIsLive(runs[id])) return id;
  return null;
}

function togglePause(): Promise<void> | void {
  const id = liveRun();
  if (!id) return showInfo('Nothing is training', 'Start a run first (F5).');
  return useRuns.getState().runs[id]!.status === 'paused' ? resumeRun(id) : pauseRun(id);
}

function step(): Promise<void> | void {
  const id = liveRun();
  if (!id) return showInfo('Nothing is training', 'Start a run first (F5); it can start paused from the lesson.');
  return stepRun(id);
}

export const labCommands: CommandDef[] = [
  { id: 'panelLab', label: 'Show the lab', group: 'View', keys: ['Alt+4'], global: true, run: () => showLab(useLab.getState().view) },
  { id: 'plainTwin', label: 'Make plain twin (no skip connections)', group: 'Train', keys: ['Alt+T'], run: openPlainTwin },
  { id: 'lessonSkip', label: 'Lesson: why skip connections matter', group: 'Train', keys: [], run: () => showLab('lesson') },
  { id: 'lessonConv', label: 'Lesson: convolution step by step', group: 'Train', keys: [], run: () => showLab('conv') },
  { id: 'compareRuns', label: 'Compare runs', group: 'Train', keys: ['Alt+R'], global: true, run: () => showLab('compare') },
  { id: 'pauseResume', label: 'Pause / resume training', group: 'Train', keys: ['F6'], global: true, run: togglePause },
  { id: 'stepBatch', label: 'Train one batch (while paused)', group: 'Train', keys: ['F10'], global: true, run: step },
];
