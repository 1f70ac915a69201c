import type { ReactFlowInstance } from '@xyflow/react';
import type { RefObject } from 'react';
import { useEffect } from 'react';
import type { FlowEdge, FlowNode } from '../store/flow-model';
import { boundsOf } from './all-nodes';
import { fitClear } from './fit-clear';

/**
 * When the canvas changes size (a side panel opens or closes, the palette folds, the window
 * shrinks), a graph that was wholly in view stays wholly in view: it is fitted again, never
 * closer than it was. A graph the user had zoomed into keeps its centre where it was.
 */
export function useKeepGraphInView(wrapper: RefObject<HTMLDivElement | null>, flow: ReactFlowInstance<FlowNode, FlowEdge>): void {
  useEffect(() => {
    const el = wrapper.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = { width: el.clientWidth, height: el.clientHeight };
    const observer = new ResizeObserver(() => {
      const now = { width: el.clientWidth, height: el.clientHeight };
      if (now.width === last.width && now.height === last.height) return;
      const prev = last;
      last = now;
      if (prev.width === 0 || prev.height === 0 || now.width === 0 || now.height === 0) return;
      // The whole graph (React Flow holds only the culled part of a large one).
      const b = boundsOf();
      if (!b) return;
      const { x, y, zoom } = flow.getViewport();
      const left = b.x * zoom + x;
      const top = b.y * zoom + y;
      const wasInView = left >= -1 && top >= -1 && left + b.width * zoom <= prev.width + 1 && top + b.height * zoom <= prev.height + 1;
      if (wasInView) fitClear(flow, [], { maxZoom: zoom });
      else void flow.setViewport({ x: x + (now.width - prev.width) / 2, y: y + (now.height - prev.height) / 2, zoom });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [wrapper, flow]);
}
