import type { CSSProperties, DragEvent } from 'react';
import { useMemo, useState } from 'react';
import { allFlowNodes } from './all-nodes';
import { canvasObstacles } from './fit-clear';
import { getFlowInstance } from './flow-instance';
import { colorOf } from './categories';
import type { PaletteItem } from './palette-items';
import { paletteGroups } from './palette-items';
import { editorStore } from '../store/use-editor';
import { togglePalette, usePanels } from '../store/panel-prefs';
import { collapsedNodeHeight, nodeWidth } from '../../graph-schema/layout/block-geometry';
import { freeSpot } from '../../graph-schema/layout/free-spot';
import { getLayerDef } from '../../graph-schema/registry';
import { TipFormula, useTooltip } from '../ui/tooltip';

export const paletteDragType = 'application/x-netweave-kind';

/**
 * Adds a layer near the middle of the visible canvas (double-click or Enter on a palette item),
 * at a spot where it overlaps no layer already there.
 */
function addAtFreeSpot(kind: string): void {
  const flow = getFlowInstance();
  const pane = document.querySelector('.nw-canvas')?.getBoundingClientRect();
  const state = editorStore.getState();
  if (!flow || !pane || pane.width === 0) {
    state.addNode(kind, { x: 0, y: 0 });
    return;
  }
  const center = flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
  const topLeft = flow.screenToFlowPosition({ x: pane.left, y: pane.top });
  const bottomRight = flow.screenToFlowPosition({ x: pane.right, y: pane.bottom });
  // Every layer, also those React Flow does not hold (a large graph's are culled to the view).
  const taken = allFlowNodes()
    .filter((n) => !n.parentId)
    .map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? n.width ?? nodeWidth, height: n.measured?.height ?? n.height ?? collapsedNodeHeight }));
  // The minimap and zoom buttons count as taken: a layer placed under them could not be seen.
  const origin = document.querySelector('.nw-canvas .react-flow')?.getBoundingClientRect();
  for (const o of origin ? canvasObstacles() : []) {
    const a = flow.screenToFlowPosition({ x: origin!.left + o.x, y: origin!.top + o.y });
    const b = flow.screenToFlowPosition({ x: origin!.left + o.x + o.width, y: origin!.top + o.y + o.height });
    taken.push({ x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y });
  }
  const view = { x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y };
  state.addNode(kind, freeSpot(taken, { width: nodeWidth, height: collapsedNodeHeight }, center, { view }));
}

function onDragStart(event: DragEvent, kind: string): void {
  event.dataTransfer.setData(paletteDragType, kind);
  event.dataTransfer.effectAllowed = 'copy';
}

/** What a palette item teaches on hover: the layer's one line and its formulas. */
function LayerTip({ item }: { item: PaletteItem }) {
  const formulas = getLayerDef(item.kind)?.formulas;
  return (
    <>
      <div className="nw-tip-title">
        {item.label} <span className="nw-tip-kind nw-mono">{item.kind}</span>
      </div>
      <div className="nw-tip-text" data-testid="tooltip-summary">
        {item.summary}
      </div>
      {formulas?.output && <TipFormula label="Output" formula={formulas.output} testId="tooltip-formula-output" />}
      {formulas?.params && <TipFormula label="Parameters" formula={formulas.params} testId="tooltip-formula-params" />}
      <div className="nw-tip-hint">Drag onto the canvas or onto a connection; double-click or Enter adds it.</div>
    </>
  );
}

function PaletteEntry({ item }: { item: PaletteItem }) {
  const { anchor, tooltip } = useTooltip(() => <LayerTip item={item} />);
  return (
    <div
      className="nw-palette-item"
      style={{ '--cat': colorOf(item.category) } as CSSProperties}
      draggable
      onDragStart={(e) => {
        anchor.onMouseLeave();
        onDragStart(e, item.kind);
      }}
      onDoubleClick={() => addAtFreeSpot(item.kind)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') addAtFreeSpot(item.kind);
      }}
      tabIndex={0}
      role="button"
      aria-label={`${item.label}: ${item.summary}`}
      data-testid={`palette-item-${item.kind}`}
      {...anchor}
    >
      <span className="nw-palette-dot" />
      <span className="nw-palette-label">{item.label}</span>
      {tooltip}
    </div>
  );
}

export function Palette() {
  const [query, setQuery] = useState('');
  const open = usePanels((s) => s.paletteOpen);
  const groups = useMemo(() => paletteGroups(query), [query]);
  if (!open) {
    return (
      <aside className="nw-palette is-collapsed" data-testid="palette" data-collapsed="true">
        <button className="nw-icon-button nw-panel-toggle" onClick={togglePalette} data-testid="palette-toggle" data-command="togglePalette" aria-label="Show the layers palette (Ctrl+B)" title="Show the layers palette (Ctrl+B)">
          »
        </button>
        <span className="nw-rail-label">Layers</span>
      </aside>
    );
  }
  return (
    <aside className="nw-palette" data-testid="palette" data-collapsed="false">
      <div className="nw-panel-title nw-panel-title-row">
        <span>Layers</span>
        <button className="nw-icon-button nw-panel-toggle" onClick={togglePalette} data-testid="palette-toggle" data-command="togglePalette" aria-label="Hide the layers palette (Ctrl+B)" title="Hide the layers palette (Ctrl+B)">
          «
        </button>
      </div>
      <input
        className="nw-input nw-palette-search"
        placeholder="Search layers…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
        spellCheck={false}
      />
      <div className="nw-palette-list">
        {groups.map((group) => (
          <section key={group.category} className="nw-palette-group" data-testid={`palette-group-${group.category}`}>
            <div className="nw-palette-group-label">{group.label}</div>
            {group.items.map((item) => (
              <PaletteEntry key={item.kind} item={item} />
            ))}
          </section>
        ))}
        {groups.length === 0 && <div className="nw-muted nw-pad">No layer matches “{query}”.</div>}
      </div>
    </aside>
  );
}
