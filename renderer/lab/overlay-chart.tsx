import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar } from './colors';

export interface OverlayLine {
  label: string;
  color: string;
  x: readonly number[];
  y: readonly (number | null)[];
  dashed?: boolean;
}

interface OverlayChartProps {
  title: string;
  testId: string;
  xLabel: string;
  lines: OverlayLine[];
  /** Bumped when the arrays grew in place. */
  version: number;
  logY?: boolean;
  points?: boolean;
  height?: number;
  yLabel?: string;
}

/** Lines with different x values on one pair of axes: the runs' points are merged on a shared x. */
export function joinLines(lines: readonly OverlayLine[], logY = false): uPlot.AlignedData {
  if (lines.length === 0) return [[]];
  const clean = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) || (logY && v <= 0) ? null : v);
  const tables = lines.map((l) => {
    const n = Math.min(l.x.length, l.y.length);
    return [l.x.slice(0, n), l.y.slice(0, n).map(clean)] as uPlot.AlignedData;
  });
  return uPlot.join(tables);
}

/** Log-scale ticks span many decades: 1e-12 … 10 read better as powers of ten. */
export function formatLogTick(v: number | null): string {
  if (v === null || !Number.isFinite(v) || v <= 0) return '';
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) > 1e-6) return '';
  return e >= -2 && e <= 3 ? String(Number(v.toPrecision(1))) : `1e${Math.round(e)}`;
}

const integerSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

/** One chart, several runs overlaid; rebuilt when the set of lines changes, else fed new data. */
export function OverlayChart({ title, testId, xLabel, lines, version, logY, points, height = 160, yLabel }: OverlayChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = lines.map((l) => `${l.label}|${l.color}|${l.dashed ? 1 : 0}`).join(';');

  useEffect(() => {
    const el = host.current!;
    const axisColor = cssVar('--muted');
    const gridColor = cssVar('--border');
    const font = '11px Inter, system-ui, sans-serif';
    const axis = (extra: Partial<uPlot.Axis>): uPlot.Axis => ({ stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, font, labelFont: font, ...extra });
    const opts: uPlot.Options = {
      width: Math.max(220, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: logY ? { distr: 3, log: 10 } : { auto: true } },
      axes: [axis({ incrs: integerSteps, label: xLabel, labelSize: 18, size: 34 }), axis({ size: 52, ...(logY ? { values: (_u: uPlot, splits: number[]) => splits.map(formatLogTick) } : {}), ...(yLabel ? { label: yLabel, labelSize: 16 } : {}) })],
      series: [
        { label: xLabel },
        ...lines.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 1.8,
          spanGaps: true,
          points: points ? { show: true, size: 6, fill: l.color } : { show: false },
          ...(l.dashed ? { dash: [5, 4] } : {}),
        })),
      ],
    };
    plot.current = new uPlot(opts, joinLines(lines, logY), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(220, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [key, xLabel, logY, points, height]);

  useEffect(() => {
    plot.current?.setData(joinLines(lines, logY));
  }, [version, lines, logY]);

  const count = lines.reduce((n, l) => n + (l.y.some((v) => v !== null && Number.isFinite(v)) ? 1 : 0), 0);
  return (
    <div className="nw-chart nw-lab-chart" data-testid={testId} data-lines={count} data-points={lines.map((l) => l.x.length).join(',')}>
      <div className="nw-chart-title">{title}</div>
      <div ref={host} className="nw-chart-plot" />
      {count === 0 && <div className="nw-chart-empty">No data yet</div>}
    </div>
  );
}
