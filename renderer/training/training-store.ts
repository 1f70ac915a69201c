import { create } from 'zustand';
import type { EngineInfo, Evaluation, TrainingEvent } from '../../shared/training-types';

export type TrainingStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'finished' | 'stopped' | 'error';

/** Series grow in place (thousands of batches); `version` tells the charts to redraw. */
export interface Series {
  x: number[];
  loss: number[];
  accuracy: (number | null)[];
  validationLoss: (number | null)[];
  validationAccuracy: (number | null)[];
}

export interface TrainingProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  imagesPerSecond: number;
  etaMs: number | null;
  elapsedMs: number;
  lastLoss: number | null;
  lastAccuracy: number | null;
}

export interface TrainingRunInfo {
  dataset: string;
  trainCount: number;
  validationCount: number;
  testCount: number;
}

export interface TrainingState {
  runId: string | null;
  status: TrainingStatus;
  engine: EngineInfo | null;
  run: TrainingRunInfo | null;
  progress: TrainingProgress;
  batches: Series;
  epochs: Series;
  evaluation: Evaluation | null;
  error: { code: string; message: string } | null;
  /** Model saved for this run, if any. */
  savedModel: string | null;
  version: number;
  /** Run options that are not part of the document. */
  limit: string;
  engineChoice: 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'tensorflow-gpu';
}

const emptySeries = (): Series => ({ x: [], loss: [], accuracy: [], validationLoss: [], validationAccuracy: [] });
const emptyProgress = (): TrainingProgress => ({
  epoch: 0,
  epochs: 0,
  batch: 0,
  batchesPerEpoch: 0,
  imagesPerSecond: 0,
  etaMs: null,
  elapsedMs: 0,
  lastLoss: null,
  lastAccuracy: null,
});

export const useTraining = create<TrainingState>()(() => ({
  runId: null,
  status: 'idle',
  engine: null,
  run: null,
  progress: emptyProgress(),
  batches: emptySeries(),
  epochs: emptySeries(),
  evaluation: null,
  error: null,
  savedModel: null,
  version: 0,
  limit: '',
  engineChoice: 'auto',
}));

export function resetRun(status: TrainingStatus): void {
  useTraining.setState({
    runId: null,
    status,
    engine: null,
    run: null,
    progress: emptyProgress(),
    batches: emptySeries(),
    epochs: emptySeries(),
    evaluation: null,
    error: null,
    savedModel: null,
    version: useTraining.getState().version + 1,
  });
}

export function isActive(status: TrainingStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'stopping';
}

// Engines count epochs from 0 or from 1; the panel shows them from 1.
let zeroBased = false;
let redrawQueued = false;

function queueRedraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  const flush = () => {
    redrawQueued = false;
    useTraining.setState({ version: useTraining.getState().version + 1 });
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}

/** Folds one event from main into the state; events of other runs are ignored. */
export function applyTrainingEvent(event: TrainingEvent): void {
  const state = useTraining.getState();
  if (state.runId !== null && event.runId !== state.runId) return;
  if (state.runId === null && state.status !== 'starting') return;
  const patch: Partial<TrainingState> = state.runId === null ? { runId: event.runId } : {};
  switch (event.type) {
    case 'started':
      zeroBased = false;
      Object.assign(patch, {
        status: state.status === 'stopping' ? 'stopping' : 'running',
        engine: event.engine,
        run: { dataset: event.dataset, trainCount: event.trainCount, validationCount: event.validationCount, testCount: event.testCount },
        progress: { ...state.progress, epochs: event.epochs, batchesPerEpoch: event.batchesPerEpoch },
      });
      break;
    case 'batch': {
      if (event.epoch === 0) zeroBased = true;
      const series = state.batches;
      // Batches are numbered across epochs; engines send only some of them.
      const epochIndex = event.epoch + (zeroBased ? 1 : 0) - 1;
      const batchIndex = event.batch + (zeroBased ? 1 : 0);
      const x = epochIndex * event.batchesPerEpoch + batchIndex;
      if (series.x.length > 0 && x <= series.x[series.x.length - 1]!) series.x.push(series.x[series.x.length - 1]! + 1);
      else series.x.push(x);
      series.loss.push(event.loss);
      series.accuracy.push(event.accuracy ?? null);
      series.validationLoss.push(null);
      series.validationAccuracy.push(null);
      Object.assign(patch, {
        status: state.status === 'starting' ? 'running' : state.status,
        progress: {
          ...state.progress,
          epoch: event.epoch + (zeroBased ? 1 : 0),
          batch: event.batch + (zeroBased ? 1 : 0),
          batchesPerEpoch: event.batchesPerEpoch,
          imagesPerSecond: event.imagesPerSecond,
          lastLoss: event.loss,
          lastAccuracy: event.accuracy ?? state.progress.lastAccuracy,
        },
      });
      queueRedraw();
      break;
    }
    case 'epoch': {
      if (event.epoch === 0) zeroBased = true;
      const shown = event.epoch + (zeroBased ? 1 : 0);
      const series = state.epochs;
      series.x.push(shown);
      series.loss.push(event.loss);
      series.accuracy.push(event.accuracy ?? null);
      series.validationLoss.push(event.validationLoss ?? null);
      series.validationAccuracy.push(event.validationAccuracy ?? null);
      Object.assign(patch, {
        progress: { ...state.progress, epoch: shown, epochs: event.epochs, elapsedMs: event.elapsedMs, etaMs: event.etaMs, imagesPerSecond: event.imagesPerSecond },
      });
      queueRedraw();
      break;
    }
    case 'finished':
      Object.assign(patch, {
        status: event.stopped ? 'stopped' : 'finished',
        engine: event.engine,
        evaluation: event.evaluation,
        progress: { ...state.progress, elapsedMs: event.elapsedMs, etaMs: 0 },
      });
      queueRedraw();
      break;
    case 'error':
      Object.assign(patch, { status: 'error', error: { code: event.code, message: event.message } });
      break;
  }
  useTraining.setState(patch);
}
