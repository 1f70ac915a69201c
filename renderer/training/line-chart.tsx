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
  yRange?: [number, number];
  testId: string;
}

/** A small live line chart (uPlot); data arrays are read in place on each version. */
export function LineChart({ title, x, series, version, xLabel, yRange, testId }: LineChartProps) {
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
      scales: { x: { time: false }, y: yRange ? { range: yRange } : { auto: true } },
      axes: [
        { stroke: '#8b98a9', grid: { stroke: '#1f2833', width: 1 }, ticks: { stroke: '#1f2833' }, label: xLabel, labelSize: 18, size: 34, font: '11px Inter, system-ui, sans-serif', labelFont: '11px Inter, system-ui, sans-serif' },
        { stroke: '#8b98a9', grid: { stroke: '#1f2833', width: 1 }, ticks: { stroke: '#1f2833' }, size: 46, font: '11px Inter, system-ui, sans-serif' },
      ],
      series: [{ label: xLabel }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, spanGaps: true, points: { show: false }, ...(s.dashed ? { dash: [5, 4] } : {}) }))],
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
  }, [key, xLabel]);

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
