import { describe, expect, it, vi } from 'vitest';
import type { Graph } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { expandBlockView } from '../../graph-schema/layout/block-geometry';
import { createFlowModel } from '../../renderer/store/flow-model';

// No registered block takes two inputs yet: a test-only one (Concatenate of $in0 and $in1, then a
// Dense) shows that the canvas and the inspector's view get every input's shape, not only the first.
vi.mock('../../graph-schema/registry', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../graph-schema/registry')>();
  const { blockInputAt, defineLayer } = await import('../../graph-schema/layer-def');
  const pairBlock = defineLayer({
    kind: 'PairBlock',
    label: 'Pair',
    category: 'block',
    summary: 'A test block: joins its two inputs and mixes them with a Dense layer.',
    params: {},
    inputs: { min: 2, max: 2 },
    describe: () => '',
    expand: () => ({
      nodes: [
        { localId: 'join', kind: 'Concatenate', label: 'join', params: {}, inputs: [blockInputAt(0), blockInputAt(1)] },
        { localId: 'mix', kind: 'Dense', label: 'mix', params: { units: 3 }, inputs: ['join'] },
      ],
      output: 'mix',
    }),
  });
  const extra: Record<string, typeof pairBlock> = { PairBlock: pairBlock };
  return {
    ...actual,
    getLayerDef: (kind: string) => extra[kind] ?? actual.getLayerDef(kind),
    isLayerKind: (kind: string) => kind in extra || actual.isLayerKind(kind),
  };
});

const graph: Graph = {
  nodes: [
    { id: 'a', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } },
    { id: 'b', kind: 'Input', params: { shape: [6] }, position: { x: 200, y: 0 } },
    { id: 'pair', kind: 'PairBlock', params: {}, position: { x: 100, y: 120 }, collapsed: false },
  ],
  edges: [
    { id: 'a-pair', source: 'a', sourcePort: 'out', target: 'pair', targetPort: 'in' },
    { id: 'b-pair', source: 'b', sourcePort: 'out', target: 'pair', targetPort: 'in' },
  ],
};

describe('inner view of a block with several inputs', () => {
  it('resolves $in1 only when every input shape is passed (the first alone leaves it unknown)', () => {
    const all = expandBlockView('PairBlock', {}, [null, 4], [[null, 4], [null, 6]])!;
    expect(all.layers.find((l) => l.localId === 'join')!.outputShape).toEqual([null, 10]);
    expect(all.layers.find((l) => l.localId === 'mix')!.paramCount.trainable).toBe(10 * 3 + 3);
    const firstOnly = expandBlockView('PairBlock', {}, [null, 4])!;
    expect(firstOnly.layers.find((l) => l.localId === 'join')!.outputShape).toBeNull();
  });

  it('the canvas model gets every input shape: both inner edges start at the block input with their own shape', () => {
    const document = createDocument(graph, 'pair');
    const analysis = analyzeGraph(document.graph);
    expect(analysis.nodes.get('pair')!.outputShape).toEqual([null, 3]);
    const flow = createFlowModel()({ document, analysis, selectedNodes: new Set(), selectedEdges: new Set(), dragPositions: new Map(), measured: new Map() });
    const view = flow.expansions.get('pair')!;
    expect(view.layers.find((l) => l.localId === 'join')!.outputShape).toEqual([null, 10]);
    const inner = flow.allEdges.filter((e) => e.target === 'pair::join');
    expect(inner.map((e) => [e.source, e.sourceHandle])).toEqual([
      ['pair', 'inner-in'],
      ['pair', 'inner-in'],
    ]);
    // Two inputs: each inner edge says which shape it carries.
    expect(inner.map((e) => e.data!.label)).toEqual(['4', '6']);
    expect(inner.every((e) => !e.data!.unknown)).toBe(true);
    const join = flow.nodes.find((n) => n.id === 'pair::join')!;
    expect(join.data.shape).toBe('10');
  });
});
