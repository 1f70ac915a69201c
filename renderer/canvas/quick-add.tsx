import type { CSSProperties } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { nodeWidth } from '../../graph-schema/layout/block-geometry';
import { checkConnection } from '../../graph-schema/edit/connection-rules';
import { useUi } from '../store/ui-store';
import { editorStore } from '../store/use-editor';
import { colorOf } from './categories';
import { rankedMatches } from './palette-items';

/**
 * The search box a double-click on the canvas opens. With one layer selected,
 * the new layer is connected after it.
 */
export function QuickAdd() {
  const quickAdd = useUi((s) => s.quickAdd);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => rankedMatches(query).slice(0, 9), [query]);

  useEffect(() => {
    if (quickAdd) {
      setQuery('');
      setActive(0);
      requestAnimationFrame(() => input.current?.focus());
    }
  }, [quickAdd]);

  if (!quickAdd) return null;
  const close = () => useUi.getState().set({ quickAdd: null });
  const after = quickAdd.after && editorStore.getState().document.graph.nodes.some((n) => n.id === quickAdd.after) ? quickAdd.after : null;
  const choose = (kind: string) => {
    const state = editorStore.getState();
    const id = state.addNode(kind, { x: quickAdd.flow.x - nodeWidth / 2, y: quickAdd.flow.y - 20 });
    if (after && checkConnection(editorStore.getState().document.graph, after, id).ok) editorStore.getState().connect(after, id);
    close();
  };
  return (
    <div className="nw-quick-add" style={{ left: quickAdd.screen.x, top: quickAdd.screen.y }} data-testid="quick-add" onDoubleClick={(e) => e.stopPropagation()}>
      <input
        ref={input}
        className="nw-input"
        placeholder={after ? `Add after ${after}…` : 'Add a layer…'}
        value={query}
        spellCheck={false}
        data-testid="quick-add-input"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onBlur={close}
        onKeyDown={(e) => {
          if (e.key === 'Escape') close();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(matches.length - 1, a + 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (e.key === 'Enter' && matches[active]) choose(matches[active]!.kind);
          else return;
          e.preventDefault();
        }}
      />
      <div className="nw-quick-add-list">
        {matches.map((m, i) => (
          <div
            key={m.kind}
            className={`nw-quick-add-item${i === active ? ' is-active' : ''}`}
            style={{ '--cat': colorOf(m.category) } as CSSProperties}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(m.kind);
            }}
            onMouseEnter={() => setActive(i)}
            data-testid={`quick-add-item-${m.kind}`}
          >
            <span className="nw-palette-dot" />
            <span>{m.label}</span>
            <span className="nw-palette-kind">{m.kind}</span>
          </div>
        ))}
        {matches.length === 0 && <div className="nw-muted nw-pad">Nothing matches.</div>}
      </div>
    </div>
  );
}
