import { useMemo } from 'react';
import { formatNumber } from '../format';
import { deleteRun } from '../training/training-actions';
import type { RunRecord } from '../training/training-store';
import { renameRun, selectRun, setRunVisible, useRuns } from '../training/training-store';
import { runColor, runColorVar } from './colors';
import { runIsStale, StaleBadge, useOpenGraphs } from './open-graphs';
import type { OverlayLine } from './overlay-chart';
import { OverlayChart } from './overlay-chart';

export function useRunList(): { runs: RunRecord[]; version: number; colorOf: (id: string) => number } {
  const runsById = useRuns((s) => s.runs);
  const order = useRuns((s) => s.order);
  const version = useRuns((s) => s.version);
  const runs = useMemo(() => order.map((id) => runsById[id]!).filter(Boolean), [order, runsById]);
  const colorOf = (id: string) => Math.max(0, order.indexOf(id));
  return { runs, version, colorOf };
}

const percent = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : formatNumber(v));
const last = <T,>(a: readonly T[]): T | undefined => a[a.length - 1];

function RunRow({ run, color, stale, selected }: { run: RunRecord; color: number; stale: boolean; selected: boolean }) {
  return (
    <div className={`nw-lab-run${selected ? ' is-selected' : ''}`} data-testid={`run-${run.id}`} data-run-name={run.name} data-status={run.status} data-stale={stale}>
      <input type="checkbox" checked={run.visible} onChange={(e) => setRunVisible(run.id, e.target.checked)} title="Show this run in the charts" data-testid="run-visible" />
      <span className="nw-lab-swatch" style={{ background: runColorVar(color) }} />
      <input
        className="nw-input nw-lab-run-name"
        defaultValue={run.name}
        key={run.name}
        onBlur={(e) => renameRun(run.id, e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        data-testid="run-name"
        aria-label="Run name"
      />
      <span className={`nw-pill is-${run.status === 'paused' ? 'stopping' : run.status}`}>{run.status}</span>
      <StaleBadge stale={stale} />
      {run.restored && (
        <span className="nw-muted nw-small" title="Read back from the project file: curves and figures only; train again to look inside.">
          saved
        </span>
      )}
      <button className="nw-button small" onClick={() => selectRun(run.id)} disabled={selected} title="Use this run in the layer and landscape views" data-testid="run-select">
        {selected ? 'in use' : 'use'}
      </button>
      <button className="nw-button small danger" onClick={() => void deleteRun(run.id)} title="Delete this run" data-testid="run-delete">
        ✕
      </button>
    </div>
  );
}

export function RunList() {
  const { runs, colorOf } = useRunList();
  const selected = useRuns((s) => s.selected);
  const open = useOpenGraphs();
  if (runs.length === 0) return <div className="nw-muted nw-small">No runs yet. Train a graph (F5), or follow the lesson.</div>;
  return (
    <div className="nw-lab-runs" data-testid="run-list">
      {runs.map((r) => (
        <RunRow key={r.id} run={r} color={colorOf(r.id)} stale={runIsStale(r, open)} selected={selected === r.id} />
      ))}
    </div>
  );
}

type Metric = 'loss' | 'accuracy';

function lines(runs: RunRecord[], colorOf: (id: string) => number, per: 'batches' | 'epochs', metric: Metric): OverlayLine[] {
  const out: OverlayLine[] = [];
  for (const r of runs) {
    const s = r.curves[per];
    const color = runColor(colorOf(r.id));
    out.push({ label: r.name, color, x: s.x, y: metric === 'loss' ? s.loss : s.accuracy });
    if (per === 'epochs') out.push({ label: `${r.name} (val)`, color, x: s.x, y: metric === 'loss' ? s.validationLoss : s.validationAccuracy, dashed: true });
  }
  return out;
}

export function CompareCharts() {
  const { runs, version, colorOf } = useRunList();
  const shown = runs.filter((r) => r.visible);
  const generation = useRuns((st) => st.generation);
  const key = `${generation}/${shown.map((r) => `${r.id}:${r.name}`).join('|')}`;
  // The arrays grow in place; `key` says when the set of lines changes.
  const charts = useMemo(
    () => ({
      batchLoss: lines(shown, colorOf, 'batches', 'loss'),
      batchAccuracy: lines(shown, colorOf, 'batches', 'accuracy'),
      epochLoss: lines(shown, colorOf, 'epochs', 'loss'),
      epochAccuracy: lines(shown, colorOf, 'epochs', 'accuracy'),
    }),
    [key],
  );
  return (
    <div className="nw-lab-charts" data-testid="compare-charts" data-runs={shown.length}>
      <OverlayChart title="Loss per batch" testId="compare-batch-loss" xLabel="batch" lines={charts.batchLoss} version={version} />
      <OverlayChart title="Accuracy per batch" testId="compare-batch-accuracy" xLabel="batch" lines={charts.batchAccuracy} version={version} />
      <OverlayChart title="Loss per epoch (dashed: validation)" testId="compare-epoch-loss" xLabel="epoch" lines={charts.epochLoss} version={version} points />
      <OverlayChart title="Accuracy per epoch (dashed: validation)" testId="compare-epoch-accuracy" xLabel="epoch" lines={charts.epochAccuracy} version={version} points />
    </div>
  );
}

/** Weight-gradient norm of the layer nearest the input, last epoch (or latest batch). */
export function firstLayerNorm(run: RunRecord): number | null {
  const snap = last(run.gradients.epochs) ?? run.gradients.latest;
  if (!snap || snap.norms.length === 0) return null;
  const first = snap.norms.reduce((a, b) => (b.depth < a.depth ? b : a));
  return first.weightNorm;
}

export function FinalFigures() {
  const { runs, colorOf } = useRunList();
  const open = useOpenGraphs();
  if (runs.length === 0) return null;
  return (
    <table className="nw-lab-table" data-testid="compare-table">
      <thead>
        <tr>
          <th>run</th>
          <th title="engine · seed">engine</th>
          <th>epochs</th>
          <th>train loss</th>
          <th>train acc</th>
          <th>val acc</th>
          <th>test loss</th>
          <th>test acc</th>
          <th title="L2 norm of the weight gradient of the layer nearest the input, last epoch">‖∇W‖ first layer</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const e = r.curves.epochs;
          return (
            <tr key={r.id} data-testid="compare-row" data-run-name={r.name}>
              <td>
                <span className="nw-lab-swatch" style={{ background: runColorVar(colorOf(r.id)) }} /> {r.name} <StaleBadge stale={runIsStale(r, open)} />
              </td>
              <td className="nw-mono nw-small">
                {r.engine ?? '—'} · {r.seed ?? '—'}
              </td>
              <td className="nw-mono">{e.x.length}</td>
              <td className="nw-mono">{num(last(e.loss))}</td>
              <td className="nw-mono">{percent(last(e.accuracy))}</td>
              <td className="nw-mono">{percent(last(e.validationAccuracy))}</td>
              <td className="nw-mono" data-testid="compare-test-loss">
                {num(r.summary?.loss)}
              </td>
              <td className="nw-mono" data-testid="compare-test-accuracy">
                {percent(r.summary?.accuracy)}
              </td>
              <td className="nw-mono">{num(firstLayerNorm(r))}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function CompareView() {
  return (
    <div className="nw-lab-compare" data-testid="compare-view">
      <RunList />
      <CompareCharts />
      <FinalFigures />
    </div>
  );
}
