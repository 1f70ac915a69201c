import type { ReactFlowState } from '@xyflow/react';

/** Below this zoom a large graph's text is too small to read, so the canvas draws plain boxes. */
export const farZoom = 0.35;
/** Small graphs keep their text at any zoom: they are cheap to draw. */
export const farMinNodes = 150;

/** React Flow store selector: whether the canvas shows the far (text-free) view. */
export function isFarView(s: ReactFlowState): boolean {
  return s.transform[2] < farZoom && s.nodeLookup.size >= farMinNodes;
}
