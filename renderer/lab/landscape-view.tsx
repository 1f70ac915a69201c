import { useEffect, useMemo, useRef } from 'react';
import type { RunRecord } from '../training/training-store';
import { useRuns } from '../training/training-store';
import { lossRampVars, rampCss, themeRamp, cssVar } from './colors';
import { labCall } from './lab-api';
import type { LandscapeTask } from './lab-store';
import { updateLandscape, useLab } from './lab-store';
import type { LabLandscape } from './lab-types';
import { inspectableRuns } from './layer-view';

export const landscapeGrid = 11;

export async function requestLandscape(runId: string, grid = landscapeGrid): Promise<void> {
  const started = await labCall('lab.landscape', { runId, grid }, 'Could not start the loss landscape');
  if (!started) return;
  const { landscapes, set } = useLab.getState();
  set({ landscapes: { ...landscapes, [started.taskId]: { taskId: started.taskId, runId, done: 0, total: grid * grid, status: 'running', result: null, error: null } } });
}

export async function cancelLandscape(taskId: string): Promise<void> {
  const answer = await labCall('lab.cancel', { taskId }, 'Could not cancel');
  if (answer) updateLandscape(taskId, { status: 'cancelled' });
}

/** Loss on log scale (landscapes span orders of magnitude), quantised into levels for the contour lines. */
function levels(losses: number[][], count: number): { level: number[][]; min: number; max: number } {
  const flat = losses.flat().filter((v) => Number.isFinite(v) && v > 0);
  const min = Math.min(...flat);
  const max = Math.max(...flat);
  const lo = Math.log(min);
  const span = Math.log(max) - lo || 1;
  const level = losses.map((row) => row.map((v) => (Number.isFinite(v) && v > 0 ? Math.min(count - 1, Math.floor(((Math.log(v) - lo) / span) * count)) : count - 1)));
  return { level, min, max };
}

/** A heat map of the loss with contour lines between levels; the trained weights are at the centre (+). */
function LandscapeMap({ result }: { result: LabLandscape }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const summary = useMemo(() => levels(result.losses, 12), [result]);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const n = result.alphas.length;
    const m = result.betas.length;
    const size = 220;
    canvas.width = size;
    canvas.height = size;
    const cw = size / n;
    const ch = size / m;
    const ramp = themeRamp(lossRampVars);
    const { level } = summary;
    // Rows: beta from top (max) to bottom (min); columns: alpha left to right.
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const [r, g, b] = ramp(level[i]![j]! / 11);
        ctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
        ctx.fillRect(i * cw, (m - 1 - j) * ch, cw + 0.5, ch + 0.5);
      }
    ctx.strokeStyle = cssVar('--bg');
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const y = (m - 1 - j) * ch;
        if (i + 1 < n && level[i]![j] !== level[i + 1]![j]) {
          ctx.moveTo((i + 1) * cw, y);
          ctx.lineTo((i + 1) * cw, y + ch);
        }
        if (j + 1 < m && level[i]![j] !== level[i]![j + 1]) {
          ctx.moveTo(i * cw, y);
          ctx.lineTo(i * cw + cw, y);
        }
      }
    ctx.stroke();
    ctx.strokeStyle = cssVar('--text-strong');
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(size / 2 - 7, size / 2);
    ctx.lineTo(size / 2 + 7, size / 2);
    ctx.moveTo(size / 2, size / 2 - 7);
    ctx.lineTo(size / 2, size / 2 + 7);
    ctx.stroke();
  }, [result, summary]);
  return (
    <div data-testid="landscape-map" data-cells={result.alphas.length * result.betas.length}>
      <canvas ref={ref} className="nw-lab-landscape-canvas" />
      <div className="nw-lab-scale">
        <span className="nw-mono">{summary.min.toPrecision(3)}</span>
        <span className="nw-lab-scale-bar" style={{ background: rampCss(lossRampVars) }} />
        <span className="nw-mono">{summary.max.toPrecision(3)}</span>
      </div>
      <div className="nw-muted nw-small">
        loss (log colour scale) over α ∈ [{result.alphas[0]?.toFixed(2)}, {result.alphas[result.alphas.length - 1]?.toFixed(2)}], β likewise; + = trained weights
      </div>
    </div>
  );
}

function LandscapeCard({ run, task }: { run: RunRecord; task: LandscapeTask | undefined }) {
  const running = task?.status === 'running';
  return (
    <div className="nw-lab-landscape" data-testid="landscape-card" data-run-name={run.name} data-status={task?.status ?? 'none'}>
      <div className="nw-row nw-between">
        <strong>{run.name}</strong>
        {running ? (
          <button className="nw-button small danger" onClick={() => void cancelLandscape(task.taskId)} data-testid="landscape-cancel">
            Cancel
          </button>
        ) : (
          <button className="nw-button small" onClick={() => void requestLandscape(run.id)} disabled={run.status === 'running'} data-testid="landscape-compute">
            {task?.result ? 'Again' : 'Compute'}
          </button>
        )}
      </div>
      {running && (
        <div className="nw-progress" data-testid="landscape-progress" data-fraction={task.total ? (task.done / task.total).toFixed(3) : '0'}>
          <div className="nw-progress-fill" style={{ width: `${task.total ? (task.done / task.total) * 100 : 0}%` }} />
        </div>
      )}
      {task?.status === 'cancelled' && <div className="nw-muted nw-small">Cancelled.</div>}
      {task?.error && <div className="nw-diag is-error">{task.error}</div>}
      {task?.result && <LandscapeMap result={task.result} />}
    </div>
  );
}

/** Li et al. 2018: the loss around the trained weights along two random filter-normalised directions, runs side by side. */
export function LandscapeView() {
  const runs = useRuns((s) => s.runs);
  const order = useRuns((s) => s.order);
  const tasks = useLab((s) => s.landscapes);
  const candidates = inspectableRuns(runs, order).filter((r) => r.visible);
  const latestTask = (runId: string) => Object.values(tasks).filter((t) => t.runId === runId).pop();
  if (candidates.length === 0) return <div className="nw-muted nw-small">Train a graph first: the landscape is drawn around a trained run's weights.</div>;
  return (
    <div data-testid="landscape-view">
      <div className="nw-muted nw-small">
        Loss on one fixed batch over a {landscapeGrid}×{landscapeGrid} grid around the trained weights, along two random directions scaled to each filter (Li et al., 2018). Each map has its own colour scale (its lowest and highest loss beside it).
      </div>
      <div className="nw-lab-landscapes">
        {candidates.slice(-4).map((r) => (
          <LandscapeCard key={r.id} run={r} task={latestTask(r.id)} />
        ))}
      </div>
    </div>
  );
}
