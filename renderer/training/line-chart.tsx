import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  dashed?: boolean;
}

interface LineChartProps {
  title: string;
  x: number[];
  series: ChartSeries[];
  /** Bumped when the arrays grew in place. */
  version: number;
  xLabel: string;
  testId: string;
  /** Draw a dot per value (few points, e.g. one per epoch). */
  points?: boolean;
}

// Whole-number ticks on the x axis (batches, epochs).
const integerSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

/** A small live line chart (uPlot); data arrays are read in place on each version. */
export function LineChart({ title, x, series, version, xLabel, testId, points }: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = series.map((s) => s.label).join('|');

  useEffect(() => {
    const el = host.current!;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 150,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { auto: true } },
      axes: [
        { stroke: '#8b98a9', grid: { stroke: '#1f2833', width: 1 }, ticks: { stroke: '#1f2833' }, incrs: integerSteps, label: xLabel, labelSize: 18, size: 34, font: '11px Inter, system-ui, sans-serif', labelFont: '11px Inter, system-ui, sans-serif' },
        { stroke: '#8b98a9', grid: { stroke: '#1f2833', width: 1 }, ticks: { stroke: '#1f2833' }, size: 46, font: '11px Inter, system-ui, sans-serif' },
      ],
      series: [{ label: xLabel }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, spanGaps: true, points: points ? { show: true, size: 5, fill: s.color } : { show: false }, ...(s.dashed ? { dash: [5, 4] } : {}) }))],
    };
    plot.current = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 150 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; data updates go through setData.
  }, [key, xLabel, points]);

  useEffect(() => {
    plot.current?.setData([x.slice(), ...series.map((s) => s.values.slice())] as uPlot.AlignedData);
  }, [version, x, series]);

  return (
    <div className="nw-chart" data-testid={testId} data-points={x.length}>
      <div className="nw-chart-title">{title}</div>
      <div ref={host} className="nw-chart-plot" />
      {x.length === 0 && <div className="nw-chart-empty">Waiting for data…</div>}
    </div>
  );
}
