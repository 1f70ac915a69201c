import type { Draft } from 'immer';
import { create } from 'zustand';
import { immer } from 'zustand/middleware/immer';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { EngineInfo, EnginePreference, Evaluation, LayerGradientNorm, ResolvedTrainingSettings, TrainingEvent } from '../../shared/training-types';
import { showError } from '../ui/toast-store';

/** Learning warnings already shown as a toast in this page. */
const shownWarnings = new Set<string>();

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
  engineChoice: EnginePreference;
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
  applyRunEvent(event);
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
        // The name says how the data were fitted to the graph ('…, resized 28×28×1 → 32×32×3').
        run: { dataset: event.datasetName ?? event.dataset, trainCount: event.trainCount, validationCount: event.validationCount, testCount: event.testCount },
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
      // A run that does not learn still finishes: say so once per distinct warning, as a toast.
      for (const warning of event.warnings ?? []) {
        const key = warning.replace(/epoch \d+/, 'epoch');
        if (shownWarnings.has(key)) continue;
        shownWarnings.add(key);
        showError('Training is not learning', { code: 'not-learning', message: warning });
      }
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

// ——— Several runs, side by side (teaching lab) ———

export type RunStatus = 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

/** Curves grow in place; a class, so that immer neither drafts nor freezes them. */
export class RunCurves {
  batches: Series = emptySeries();
  epochs: Series = emptySeries();
}

export interface GradientSnapshot {
  /** Epoch as shown (from 1); batch 0 for an epoch's figure. */
  epoch: number;
  batch: number;
  norms: LayerGradientNorm[];
}

/** Per epoch, and the latest (throttled) batch; grows in place like the curves. */
export class GradientHistory {
  epochs: GradientSnapshot[] = [];
  latest: GradientSnapshot | null = null;
}

export interface RunSummary {
  loss: number | null;
  accuracy: number | null;
  count: number;
}

export interface RunRecord {
  id: string;
  name: string;
  visible: boolean;
  /** graphIdentity() of the graph the run trains; '' until known. */
  graphHash: string;
  /** The document the run was started from (in memory only; not saved with the project). */
  document: NetweaveDocument | null;
  settings: ResolvedTrainingSettings | null;
  engine: string | null;
  seed: number | null;
  dataset: string | null;
  status: RunStatus;
  createdAt: string;
  epochs: number;
  batchesPerEpoch: number;
  epoch: number;
  batch: number;
  curves: RunCurves;
  gradients: GradientHistory;
  /** Test figures. */
  summary: RunSummary | null;
  evaluation: Evaluation | null;
  error: { code: string; message: string } | null;
  /** Read back from the project file: the figures are there, the trained model is not. */
  restored: boolean;
  zeroBased: boolean;
  numTensors: number | null;
}

export interface RunsState {
  runs: Record<string, RunRecord>;
  order: string[];
  /** The run the lab views (activations, landscape) use. */
  selected: string | null;
  /** Bumped when curves or norms grew in place. */
  version: number;
  /** Bumped when the whole set is replaced (a project opened): views drop what they cached. */
  generation: number;
}

export const useRuns = create<RunsState>()(immer(() => ({ runs: {}, order: [], selected: null, version: 0, generation: 0 }) as RunsState));

export function newRunRecord(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: `Run ${useRuns.getState().order.length + 1}`,
    visible: true,
    graphHash: '',
    document: null,
    settings: null,
    engine: null,
    seed: null,
    dataset: null,
    status: 'starting',
    createdAt: new Date().toISOString(),
    epochs: 0,
    batchesPerEpoch: 0,
    epoch: 0,
    batch: 0,
    curves: new RunCurves(),
    gradients: new GradientHistory(),
    summary: null,
    evaluation: null,
    error: null,
    restored: false,
    zeroBased: false,
    numTensors: null,
    ...patch,
  };
}

/** Adds (or completes, when events came first) the record of a run the app started. */
export function registerRun(id: string, patch: Partial<RunRecord>): void {
  useRuns.setState((s) => {
    const existing = s.runs[id];
    if (existing) Object.assign(existing, patch);
    else {
      s.runs[id] = newRunRecord(id, patch) as Draft<RunRecord>;
      s.order.push(id);
    }
    s.selected = id;
  });
}

export function renameRun(id: string, name: string): void {
  useRuns.setState((s) => void (s.runs[id] && (s.runs[id].name = name.trim() || s.runs[id].name)));
}

export function setRunVisible(id: string, visible: boolean): void {
  useRuns.setState((s) => {
    if (s.runs[id]) s.runs[id].visible = visible;
    s.version++;
  });
}

export function selectRun(id: string | null): void {
  useRuns.setState((s) => void (s.selected = id));
}

/** Forgets a run; returns whether it was there. Freeing its model in main is the caller's job. */
export function removeRun(id: string): boolean {
  if (!useRuns.getState().runs[id]) return false;
  forgotten.add(id);
  useRuns.setState((s) => {
    delete s.runs[id];
    s.order = s.order.filter((r) => r !== id);
    if (s.selected === id) s.selected = s.order[s.order.length - 1] ?? null;
    s.version++;
  });
  return true;
}

export function replaceRuns(records: RunRecord[]): void {
  for (const id of useRuns.getState().order) if (!records.some((r) => r.id === id)) forgotten.add(id);
  useRuns.setState((s) => {
    s.runs = Object.fromEntries(records.map((r) => [r.id, r])) as Record<string, Draft<RunRecord>>;
    s.order = records.map((r) => r.id);
    s.selected = s.order[s.order.length - 1] ?? null;
    s.version++;
    s.generation++;
  });
}

export function isStale(run: Pick<RunRecord, 'graphHash'>, currentHash: string): boolean {
  return run.graphHash !== '' && run.graphHash !== currentHash;
}

export function runIsLive(run: RunRecord): boolean {
  return run.status === 'starting' || run.status === 'running' || run.status === 'paused';
}

const forgotten = new Set<string>();

let runsRedrawQueued = false;
function queueRunsRedraw(): void {
  if (runsRedrawQueued) return;
  runsRedrawQueued = true;
  const flush = () => {
    runsRedrawQueued = false;
    useRuns.setState((s) => void s.version++);
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}

/** Folds one event into the record of its run (every run, not just the panel's). */
export function applyRunEvent(event: TrainingEvent): void {
  // Late events of a deleted run (its 'finished' after the stop) must not bring it back.
  if (event.type === 'preparing' || forgotten.has(event.runId)) return;
  if (!useRuns.getState().runs[event.runId]) registerRunQuietly(event.runId);
  useRuns.setState((s) => {
    const run = s.runs[event.runId]!;
    switch (event.type) {
      case 'started':
        run.status = event.paused ? 'paused' : 'running';
        run.engine = event.engine.name;
        run.epochs = event.epochs;
        run.batchesPerEpoch = event.batchesPerEpoch;
        run.dataset = event.datasetName ?? event.dataset;
        if (event.settings) {
          run.settings = event.settings;
          run.seed = event.settings.seed;
        }
        if (event.name && run.name.startsWith('Run ')) run.name = event.name;
        break;
      case 'batch': {
        if (event.epoch === 0) run.zeroBased = true;
        const shift = run.zeroBased ? 1 : 0;
        const series = run.curves.batches;
        const x = (event.epoch + shift - 1) * event.batchesPerEpoch + event.batch + shift;
        const last = series.x[series.x.length - 1];
        series.x.push(last !== undefined && x <= last ? last + 1 : x);
        series.loss.push(event.loss);
        series.accuracy.push(event.accuracy ?? null);
        series.validationLoss.push(null);
        series.validationAccuracy.push(null);
        run.epoch = event.epoch + shift;
        run.batch = event.batch + shift;
        run.batchesPerEpoch = event.batchesPerEpoch;
        if (run.status === 'starting') run.status = 'running';
        if (event.gradientNorms) run.gradients.latest = { epoch: run.epoch, batch: run.batch, norms: event.gradientNorms };
        break;
      }
      case 'epoch': {
        if (event.epoch === 0) run.zeroBased = true;
        const shown = event.epoch + (run.zeroBased ? 1 : 0);
        const series = run.curves.epochs;
        series.x.push(shown);
        series.loss.push(event.loss);
        series.accuracy.push(event.accuracy ?? null);
        series.validationLoss.push(event.validationLoss ?? null);
        series.validationAccuracy.push(event.validationAccuracy ?? null);
        run.epoch = shown;
        if (event.numTensors !== undefined) run.numTensors = event.numTensors;
        if (event.gradientNorms) run.gradients.epochs.push({ epoch: shown, batch: 0, norms: event.gradientNorms });
        break;
      }
      case 'paused':
        run.status = 'paused';
        break;
      case 'resumed':
        run.status = 'running';
        break;
      case 'finished':
        run.status = event.stopped ? 'stopped' : 'finished';
        run.engine = event.engine.name;
        run.evaluation = event.evaluation as Draft<Evaluation> | null;
        run.summary = event.evaluation ? { loss: event.evaluation.loss, accuracy: event.evaluation.accuracy, count: event.evaluation.count } : run.summary;
        break;
      case 'error':
        run.status = 'error';
        run.error = { code: event.code, message: event.message };
        break;
    }
  });
  queueRunsRedraw();
}

function registerRunQuietly(id: string): void {
  useRuns.setState((s) => {
    s.runs[id] = newRunRecord(id) as Draft<RunRecord>;
    s.order.push(id);
  });
}
