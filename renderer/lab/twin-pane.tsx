import './lab.css';
import { useMemo } from 'react';
import type { NetweaveDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { getLayerDef } from '../../graph-schema/registry';
import { formatShapeCompact as formatShape } from '../../graph-schema/shape';
import { useLab } from './lab-store';
import { swapTwin, trainTwin } from './lab-actions';

const rowHeight = 22;
const gap = 6;
const boxWidth = 190;

/** The twin as a column of layers in order, skip connections drawn as arcs on the side. */
export function MiniDiagram({ document, testId }: { document: NetweaveDocument; testId: string }) {
  const layout = useMemo(() => {
    const analysis = analyzeGraph(document.graph);
    const order = analysis.order.length > 0 ? analysis.order : document.graph.nodes.map((n) => n.id);
    const row = new Map(order.map((id, i) => [id, i]));
    const byId = new Map(document.graph.nodes.map((n) => [n.id, n]));
    const skips = document.graph.edges
      .map((e) => ({ e, from: row.get(e.source), to: row.get(e.target) }))
      .filter((s): s is { e: (typeof document.graph.edges)[number]; from: number; to: number } => s.from !== undefined && s.to !== undefined && s.to - s.from > 1);
    return {
      rows: order.map((id) => {
        const node = byId.get(id);
        const shape = analysis.nodes.get(id)?.outputShape ?? null;
        const kindLabel = getLayerDef(node?.kind ?? '')?.label ?? node?.kind ?? '?';
        return { id, kind: node?.kind ?? '?', label: node?.label ? `${node.label} (${kindLabel})` : `${kindLabel} ${id}`, shape: shape ? formatShape(shape) : '' };
      }),
      skips,
    };
  }, [document]);
  const height = layout.rows.length * (rowHeight + gap) + gap;
  const y = (i: number) => gap + i * (rowHeight + gap) + rowHeight / 2;
  return (
    <svg className="nw-lab-mini" width={boxWidth + 60} height={height} data-testid={testId} data-layers={layout.rows.length} data-skips={layout.skips.length}>
      {layout.skips.map(({ e, from, to }, k) => {
        const bow = 14 + ((k % 3) + 1) * 8 + Math.min(20, (to - from) * 2);
        return <path key={e.id} className="nw-lab-mini-skip" d={`M ${boxWidth} ${y(from)} C ${boxWidth + bow} ${y(from)}, ${boxWidth + bow} ${y(to)}, ${boxWidth} ${y(to)}`} />;
      })}
      {layout.rows.map((r, i) => (
        <g key={r.id} transform={`translate(0, ${gap + i * (rowHeight + gap)})`}>
          <rect className="nw-lab-mini-box" width={boxWidth} height={rowHeight} rx={4} />
          <text className="nw-lab-mini-label" x={8} y={15}>
            {r.label}
          </text>
          <text className="nw-lab-mini-shape" x={boxWidth - 8} y={15} textAnchor="end">
            {r.shape}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** The second document of a comparison, beside the canvas. */
export function TwinPane() {
  const twin = useLab((s) => s.twin);
  const set = useLab((s) => s.set);
  if (!twin) return null;
  return (
    <aside className="nw-lab-twin" data-testid="twin-pane" data-name={twin.document.name}>
      <div className="nw-lab-twin-head">
        <div>
          <div className="nw-section-title">{twin.role}</div>
          <div className="nw-lab-twin-name" data-testid="twin-name">
            {twin.document.name}
          </div>
        </div>
        <button className="nw-button small" onClick={() => set({ twin: null })} title="Close the twin" data-testid="twin-close">
          ✕
        </button>
      </div>
      <div className="nw-row nw-lab-twin-actions">
        <button className="nw-button small primary" onClick={() => void trainTwin()} data-testid="twin-train" title="Train the twin with the canvas graph's settings and seed">
          ▶ Train
        </button>
        <button className="nw-button small" onClick={() => swapTwin()} data-testid="twin-swap" title="Put the twin on the canvas and this graph here">
          ⇄ Swap with canvas
        </button>
      </div>
      <div className="nw-lab-twin-body">
        <MiniDiagram document={twin.document} testId="twin-diagram" />
      </div>
    </aside>
  );
}
