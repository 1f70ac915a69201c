import type { NetweaveDocument, SavedRun } from '../../graph-schema/document';
import type { LayerGradientNorm, ResolvedTrainingSettings } from '../../shared/training-types';
import type { RunRecord, Series } from './training-store';
import { GradientHistory, newRunRecord, replaceRuns, RunCurves, useRuns } from './training-store';

/** At most this many points per curve in the file: enough to redraw the curve, small enough to keep projects small. */
export const savedBatchPoints = 300;
export const savedEpochPoints = 500;
export const savedNormEpochs = 200;

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Indices of `n` items keeping at most `max`, evenly spread, always the first and the last. */
export function keptIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return [...new Set(out)];
}

function downsample(series: Series, max: number): SavedRun['batches'] {
  const keep = keptIndices(series.x.length, max);
  return {
    x: keep.map((i) => series.x[i]!),
    loss: keep.map((i) => finite(series.loss[i])),
    accuracy: keep.map((i) => finite(series.accuracy[i])),
    validationLoss: keep.map((i) => finite(series.validationLoss[i])),
    validationAccuracy: keep.map((i) => finite(series.validationAccuracy[i])),
  };
}

function restoreSeries(saved: SavedRun['batches']): Series {
  return {
    x: [...saved.x],
    loss: saved.loss.map((v) => v ?? Number.NaN),
    accuracy: [...saved.accuracy],
    validationLoss: [...saved.validationLoss],
    validationAccuracy: [...saved.validationAccuracy],
  };
}

/** Runs still going are not saved: their figures are not final. */
export function toSavedRuns(records: readonly RunRecord[]): SavedRun[] {
  const out: SavedRun[] = [];
  for (const r of records) {
    if (r.status !== 'finished' && r.status !== 'stopped' && r.status !== 'error') continue;
    const epochs = r.gradients.epochs;
    out.push({
      id: r.id,
      name: r.name,
      visible: r.visible,
      graphHash: r.graphHash,
      status: r.status,
      createdAt: r.createdAt,
      ...(r.engine ? { engine: r.engine } : {}),
      ...(r.seed !== null ? { seed: r.seed } : {}),
      ...(r.dataset ? { dataset: r.dataset } : {}),
      ...(r.settings ? { settings: { ...r.settings } } : {}),
      batches: downsample(r.curves.batches, savedBatchPoints),
      epochs: downsample(r.curves.epochs, savedEpochPoints),
      evaluation: r.summary ? { loss: finite(r.summary.loss), accuracy: finite(r.summary.accuracy), count: r.summary.count } : null,
      gradientNorms: keptIndices(epochs.length, savedNormEpochs).map((i) => ({
        epoch: epochs[i]!.epoch,
        norms: epochs[i]!.norms.map((n) => ({ nodeId: n.nodeId, layer: n.layer, depth: n.depth, weightNorm: finite(n.weightNorm), activationNorm: finite(n.activationNorm) })),
      })),
    });
  }
  return out;
}

export function fromSavedRun(saved: SavedRun): RunRecord {
  const curves = new RunCurves();
  curves.batches = restoreSeries(saved.batches);
  curves.epochs = restoreSeries(saved.epochs);
  const gradients = new GradientHistory();
  gradients.epochs = saved.gradientNorms.map((e) => ({
    epoch: e.epoch,
    batch: 0,
    norms: e.norms.map((n): LayerGradientNorm => ({ ...n, weightNorm: n.weightNorm ?? Number.NaN })),
  }));
  const last = saved.epochs.x[saved.epochs.x.length - 1] ?? 0;
  return newRunRecord(saved.id, {
    name: saved.name,
    visible: saved.visible,
    graphHash: saved.graphHash,
    status: saved.status,
    createdAt: saved.createdAt,
    engine: saved.engine ?? null,
    seed: saved.seed ?? null,
    dataset: saved.dataset ?? null,
    settings: (saved.settings as ResolvedTrainingSettings | undefined) ?? null,
    curves,
    gradients,
    summary: saved.evaluation ? { loss: saved.evaluation.loss, accuracy: saved.evaluation.accuracy, count: saved.evaluation.count } : null,
    epoch: last,
    epochs: last,
    restored: true,
  });
}

/** The document with the finished runs of the store in it (what is written to the project file). */
export function withSavedRuns(document: NetweaveDocument): NetweaveDocument {
  const { runs, order } = useRuns.getState();
  const saved = toSavedRuns(order.map((id) => runs[id]!));
  const { runs: _old, ...rest } = document;
  return saved.length > 0 ? { ...rest, runs: saved } : rest;
}

/** The document without runs (what a training request needs). */
export function withoutRuns(document: NetweaveDocument): NetweaveDocument {
  const { runs: _old, ...rest } = document;
  return rest;
}

/** On opening a project: the runs saved with it replace the store's (`keep`: runs still going, kept after them). */
export function restoreRunsFrom(document: NetweaveDocument, keep: readonly RunRecord[] = []): void {
  const saved = (document.runs ?? []).map(fromSavedRun).filter((r) => !keep.some((k) => k.id === r.id));
  replaceRuns([...saved, ...keep]);
}
