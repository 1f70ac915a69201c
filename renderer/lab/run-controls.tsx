import { pauseRun, resumeRun, stepRun } from '../training/training-actions';
import type { RunRecord } from '../training/training-store';

/** Pause / resume / step one batch, for a run that is still going. */
export function RunControls({ run }: { run: RunRecord }) {
  const live = run.status === 'running' || run.status === 'paused';
  if (!live) return null;
  return (
    <div className="nw-row nw-lab-controls" data-testid="run-controls" data-run-status={run.status}>
      {run.status === 'running' ? (
        <button className="nw-button" onClick={() => void pauseRun(run.id)} data-testid="run-pause" title="Pause after this batch (F6)">
          ❚❚ Pause
        </button>
      ) : (
        <button className="nw-button" onClick={() => void resumeRun(run.id)} data-testid="run-resume" title="Resume training (F6)">
          ▶ Resume
        </button>
      )}
      <button className="nw-button" onClick={() => void stepRun(run.id)} data-testid="run-step" title="Train exactly one batch, then pause (F10)">
        Step one batch
      </button>
      <span className="nw-muted nw-small nw-mono" data-testid="run-position">
        epoch {run.epoch}/{run.epochs || '—'} · batch {run.batch}/{run.batchesPerEpoch || '—'}
      </span>
    </div>
  );
}
