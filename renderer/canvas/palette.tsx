import type { CSSProperties, DragEvent } from 'react';
import { useMemo, useState } from 'react';
import { getFlowInstance } from './flow-instance';
import { colorOf } from './categories';
import { paletteGroups } from './palette-items';
import { editorStore } from '../store/use-editor';
import { nodeWidth } from '../../graph-schema/layout/block-geometry';

export const paletteDragType = 'application/x-netweave-kind';

/** Adds a layer in the middle of the visible canvas (click or Enter on a palette item). */
function addAtCenter(kind: string): void {
  const flow = getFlowInstance();
  const pane = document.querySelector('.nw-canvas')?.getBoundingClientRect();
  const at = flow && pane ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
  const state = editorStore.getState();
  // Stagger repeated clicks so new layers do not stack exactly.
  const offset = (state.document.graph.nodes.length % 6) * 24;
  state.addNode(kind, { x: at.x - nodeWidth / 2 + offset, y: at.y - 30 + offset });
}

export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(query), [query]);
  const onDragStart = (event: DragEvent, kind: string) => {
    event.dataTransfer.setData(paletteDragType, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="nw-palette" data-testid="palette">
      <div className="nw-panel-title">Layers</div>
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
              <div
                key={item.kind}
                className="nw-palette-item"
                style={{ '--cat': colorOf(item.category) } as CSSProperties}
                draggable
                onDragStart={(e) => onDragStart(e, item.kind)}
                onDoubleClick={() => addAtCenter(item.kind)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') addAtCenter(item.kind);
                }}
                tabIndex={0}
                role="button"
                title={`${item.kind}: ${item.summary}\nDrag onto the canvas, or double-click to add.`}
                data-testid={`palette-item-${item.kind}`}
              >
                <span className="nw-palette-dot" />
                <span className="nw-palette-label">{item.label}</span>
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 && <div className="nw-muted nw-pad">No layer matches “{query}”.</div>}
      </div>
    </aside>
  );
}
