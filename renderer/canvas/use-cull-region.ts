import { useStoreApi } from '@xyflow/react';
import type { RefObject } from 'react';
import { useLayoutEffect, useRef, useState } from 'react';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import type { CullRegion } from './cull';
import { needsRecull, padRegion, viewRect } from './cull';

type FlowStore = ReturnType<typeof useStoreApi<FlowNode, FlowEdge>>;

/** The region for the store's view now, or `current` when the view is still inside it; null before the pane has a size. */
function regionFor(store: FlowStore, wrapper: HTMLDivElement | null, current: CullRegion | null): CullRegion | null {
  const s = store.getState();
  // Before React Flow has measured its pane, the wrapper has the same size.
  const width = s.width || wrapper?.clientWidth || 0;
  const height = s.height || wrapper?.clientHeight || 0;
  if (width === 0 || height === 0) return current;
  const zoom = s.transform[2];
  const view = viewRect(s.transform, width, height);
  return needsRecull(current, view, zoom) ? padRegion(view, zoom) : current;
}

/**
 * The region whose layers the near view of a large graph gives React Flow
 * (see cull.ts). It changes only when the view leaves it, so a pan inside it
 * re-renders nothing; null while culling is off (or the pane has no size yet).
 */
export function useCullRegion(active: boolean, wrapper: RefObject<HTMLDivElement | null>): CullRegion | null {
  const store = useStoreApi<FlowNode, FlowEdge>();
  const [, setVersion] = useState(0);
  const current = useRef<CullRegion | null>(null);
  // Computed during the render that turns culling on: React Flow must never get the whole graph, even for one render.
  if (!active) current.current = null;
  else if (!current.current) current.current = regionFor(store, wrapper.current, null);

  useLayoutEffect(() => {
    if (!active) return;
    let last: { transform: unknown; width: number; height: number } | null = null;
    const check = () => {
      const s = store.getState();
      if (last && s.transform === last.transform && s.width === last.width && s.height === last.height) return;
      last = { transform: s.transform, width: s.width, height: s.height };
      const next = regionFor(store, wrapper.current, current.current);
      if (next === current.current) return;
      current.current = next;
      setVersion((v) => v + 1);
    };
    check();
    // A pan frame costs this one comparison; the region moves only when the view has left it.
    return store.subscribe(check);
  }, [active, store, wrapper]);
  return active ? current.current : null;
}
