import { useEffect, useMemo, useState } from 'react';
import type { GradientSnapshot, RunRecord } from '../training/training-store';
import { runColor } from './colors';
import { useRunList } from './compare-view';
import type { OverlayLine } from './overlay-chart';
import { OverlayChart } from './overlay-chart';

/** 'live': the latest figures (the last batch measured, else the last epoch). */
export type NormFrame = number | 'live';

export function snapshotAt(run: RunRecord, frame: NormFrame): GradientSnapshot | null {
  const epochs = run.gradients.epochs;
  if (frame === 'live') {
    const latest = run.gradients.latest;
    const lastEpoch = epochs[epochs.length - 1] ?? null;
    // After an epoch ends its mean is newer than the batch before it.
    if (latest && (!lastEpoch || latest.epoch > lastEpoch.epoch)) return latest;
    return lastEpoch ?? latest;
  }
  return epochs.find((e) => e.epoch === frame) ?? null;
}

export function normLine(run: RunRecord, snapshot: GradientSnapshot | null, which: 'weightNorm' | 'activationNorm', color: string): OverlayLine {
  const norms = snapshot ? [...snapshot.norms].sort((a, b) => a.depth - b.depth) : [];
  return { label: run.name, color, x: norms.map((n) => n.depth), y: norms.map((n) => n[which]) };
}

/** Gradient norm against depth, log scale, one line per visible run; an epoch slider or live. */
export function GradientChart({ height = 200 }: { height?: number }) {
  const { runs, version, colorOf } = useRunList();
  const shown = runs.filter((r) => r.visible);
  const maxEpoch = Math.max(0, ...shown.map((r) => r.gradients.epochs.length));
  const [frame, setFrame] = useState<NormFrame>('live');
  const [which, setWhich] = useState<'weightNorm' | 'activationNorm'>('weightNorm');
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setFrame((f) => {
        const next = f === 'live' ? 1 : f + 1;
        if (next > maxEpoch) {
          setPlaying(false);
          return 'live';
        }
        return next;
      });
    }, 700);
    return () => clearInterval(timer);
  }, [playing, maxEpoch]);
  const lines = useMemo(
    () => shown.map((r) => normLine(r, snapshotAt(r, frame), which, runColor(colorOf(r.id)))),
    // Recomputed on every redraw: the snapshots are replaced as training goes on.
    [shown.map((r) => r.id).join('|'), frame, which, version],
  );
  const measured = lines.filter((l) => l.x.length > 0).length;
  const frameLabel = frame === 'live' ? 'live (latest)' : `epoch ${frame}`;
  return (
    <div className="nw-lab-norms" data-testid="gradient-norms" data-runs={measured} data-frame={String(frame)}>
      <OverlayChart
        title={`Gradient norm by depth (${which === 'weightNorm' ? '‖∂L/∂W‖' : '‖∂L/∂output‖'}, log scale) — ${frameLabel}`}
        testId="gradient-chart"
        xLabel="depth (layer with weights, input → output)"
        lines={lines}
        version={version}
        logY
        points
        height={height}
      />
      <div className="nw-row nw-lab-slider">
        <button className="nw-button small" onClick={() => setPlaying(!playing)} disabled={maxEpoch === 0} data-testid="norms-play" title="Animate the norms over the epochs">
          {playing ? '❚❚' : '▶'}
        </button>
        <input
          type="range"
          min={1}
          max={Math.max(1, maxEpoch + 1)}
          value={frame === 'live' ? maxEpoch + 1 : frame}
          onChange={(e) => setFrame(Number(e.target.value) > maxEpoch ? 'live' : Number(e.target.value))}
          disabled={maxEpoch === 0}
          aria-label="Epoch"
          data-testid="norms-epoch"
        />
        <span className="nw-muted nw-small">{frameLabel}</span>
        <select className="nw-input nw-lab-select" value={which} onChange={(e) => setWhich(e.target.value as typeof which)} data-testid="norms-which">
          <option value="weightNorm">weight gradients</option>
          <option value="activationNorm">activation gradients</option>
        </select>
      </div>
      {shown.length > 0 && measured === 0 && <div className="nw-muted nw-small">No gradient figures yet: they come with the first measured batch.</div>}
    </div>
  );
}
