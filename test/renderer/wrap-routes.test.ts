import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../../renderer/store/editor-store';
import { createFlowModel } from '../../renderer/store/flow-model';
import { wrapRoutes } from '../../renderer/canvas/wrap-routes';
import { generatedGraph } from '../bench/generated-graph';

// The routes of edges that run back against the layout's direction (wrapped chains): in the free
// gap between the columns, every edge that wraps gets one, and no forward edge does.

function flowOf(count: number) {
  const s = createEditorStore(generatedGraph(count)).getState();
  return createFlowModel()({ document: s.document, analysis: s.analysis, selectedNodes: s.selectedNodes, selectedEdges: s.selectedEdges, dragPositions: s.dragPositions, measured: new Map() });
}

describe('wrap routes', () => {
  it('routes every edge from one column to the next down the gap between them, and leaves forward edges alone', () => {
    const flow = flowOf(200);
    const routes = wrapRoutes(flow.nodes, flow.allEdges, false);
    const pos = new Map(flow.nodes.map((n) => [n.id, n.position]));
    const backward = flow.allEdges.filter((e) => pos.get(e.target)!.y < pos.get(e.source)!.y).map((e) => e.id).sort();
    expect(backward.length).toBeGreaterThan(4);
    expect([...routes.keys()].sort()).toEqual(backward);
    for (const id of backward) {
      const e = flow.allEdges.find((x) => x.id === id)!;
      const column = Math.floor(pos.get(e.source)!.x / 320);
      // Layers are 220 wide, columns 320 apart: the gap's centre.
      expect(routes.get(id)!.channel, id).toBe(column * 320 + 270);
      expect(routes.get(id)!.lr).toBe(false);
    }
  });
});
