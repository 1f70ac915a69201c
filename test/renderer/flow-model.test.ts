import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import type { Graph } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import { createEditorStore } from '../../renderer/store/editor-store';
import type { EditorState } from '../../renderer/store/editor-store';
import { createFlowModel } from '../../renderer/store/flow-model';
import { findSkipEdges } from '../../renderer/store/skip-edges';

const inputOf = (s: EditorState) => ({
  document: s.document,
  analysis: s.analysis,
  selectedNodes: s.selectedNodes,
  selectedEdges: s.selectedEdges,
  dragPositions: s.dragPositions,
  measured: new Map(),
});

function storeFor(templateId: string) {
  const t = getTemplate(templateId)!.build();
  return createEditorStore(createDocument(t.graph, templateId, t.training));
}

describe('flow model', () => {
  it('keeps the identity of nodes and edges that did not change', () => {
    const store = storeFor('lenet5');
    const derive = createFlowModel();
    const first = derive(inputOf(store.getState()));
    store.getState().setParam('fc2', 'units', 90);
    const second = derive(inputOf(store.getState()));
    const byId = (list: { id: string }[]) => new Map(list.map((x) => [x.id, x]));
    const a = byId(first.nodes);
    const b = byId(second.nodes);
    const changed = [...b.keys()].filter((id) => a.get(id) !== b.get(id)).sort();
    // fc2 shows new params and shape; output's parameter count depends on fc2's width.
    expect(changed).toEqual(['fc2', 'output']);
    const changedEdges = second.edges.filter((e) => first.edges.find((f) => f.id === e.id) !== e).map((e) => e.id);
    expect(changedEdges).toEqual(['e_fc2_output']);
  });

  it('moves only the dragged node object during a drag', () => {
    const store = storeFor('lenet5');
    const derive = createFlowModel();
    const first = derive(inputOf(store.getState()));
    store.getState().dragTo(new Map([['conv2', { x: 300, y: 300 }]]));
    const second = derive(inputOf(store.getState()));
    const changed = second.nodes.filter((n, i) => first.nodes[i] !== n).map((n) => n.id);
    expect(changed).toEqual(['conv2']);
    expect(second.edges.every((e, i) => first.edges[i] === e)).toBe(true);
  });

  it('labels edges with the shape they carry and puts the error on the node at fault', () => {
    const store = storeFor('lenet5');
    store.getState().setParam('conv2', 'kernelSize', [20, 20]);
    const out = createFlowModel()(inputOf(store.getState()));
    const edge = out.edges.find((e) => e.id === 'e_pool1_conv2')!;
    expect(edge.data!.label).toBe('14×14×6');
    const withError = out.nodes.filter((n) => n.data.error).map((n) => n.id);
    expect(withError).toEqual(['conv2']);
  });

  it('shows an expanded residual block as a frame with its layers and totals', () => {
    const store = storeFor('resnet18');
    const block = store.getState().document.graph.nodes.find((n) => n.kind === 'ResidualBlock' && (n.params.strides as number) > 1)!;
    store.getState().setExpanded(block.id, true);
    const out = createFlowModel()(inputOf(store.getState()));
    const frame = out.nodes.find((n) => n.id === block.id)!;
    expect(frame.type).toBe('block');
    const children = out.nodes.filter((n) => n.parentId === block.id);
    expect(children.length).toBeGreaterThanOrEqual(7);
    const childTrainable = children.reduce((s, n) => s + (n.data.trainable as number), 0);
    expect(childTrainable).toBe(frame.data.trainable);
    // Parents come before their children.
    expect(out.nodes.indexOf(frame)).toBeLessThan(out.nodes.indexOf(children[0]!));
  });
});

describe('skip edges', () => {
  it('marks the edge that bypasses layers into an Add, not the parallel branches of a concatenation', () => {
    const graph: Graph = {
      nodes: [],
      edges: [
        { id: 'x_c1', source: 'x', target: 'c1', sourcePort: 'out', targetPort: 'in' },
        { id: 'c1_c2', source: 'c1', target: 'c2', sourcePort: 'out', targetPort: 'in' },
        { id: 'c2_add', source: 'c2', target: 'add', sourcePort: 'out', targetPort: 'in' },
        { id: 'x_add', source: 'x', target: 'add', sourcePort: 'out', targetPort: 'in' },
        { id: 'add_a', source: 'add', target: 'a', sourcePort: 'out', targetPort: 'in' },
        { id: 'add_b', source: 'add', target: 'b', sourcePort: 'out', targetPort: 'in' },
        { id: 'a_cat', source: 'a', target: 'cat', sourcePort: 'out', targetPort: 'in' },
        { id: 'b_cat', source: 'b', target: 'cat', sourcePort: 'out', targetPort: 'in' },
      ],
    };
    const kinds: Record<string, string> = { add: 'Add', cat: 'Concatenate' };
    expect([...findSkipEdges(graph.edges, (id) => kinds[id] ?? 'Conv2D')]).toEqual(['x_add']);
  });

  it('marks every edge of a projection shortcut, and none of an inception module', () => {
    const e = (source: string, target: string) => ({ id: `${source}_${target}`, source, target });
    const residual = [e('x', 'c1'), e('c1', 'b1'), e('b1', 'c2'), e('c2', 'b2'), e('b2', 'add'), e('x', 'pc'), e('pc', 'pb'), e('pb', 'add')];
    const kinds: Record<string, string> = { add: 'Add', cat: 'Concatenate' };
    expect([...findSkipEdges(residual, (id) => kinds[id] ?? 'Conv2D')].sort()).toEqual(['pb_add', 'pc_pb', 'x_pc']);
    const inception = [e('x', 'b1'), e('x', 'r3'), e('r3', 'b3'), e('x', 'r5'), e('r5', 'b5'), e('x', 'p'), e('p', 'pp'), e('b1', 'cat'), e('b3', 'cat'), e('b5', 'cat'), e('pp', 'cat')];
    expect(findSkipEdges(inception, (id) => kinds[id] ?? 'Conv2D').size).toBe(0);
  });
});

describe('flow model arrays', () => {
  it('returns the same edge array while only positions change, so React Flow keeps its lookups', () => {
    const t = getTemplate('lenet5')!.build();
    const store = createEditorStore(createDocument(t.graph, 'x', t.training));
    const derive = createFlowModel();
    const first = derive(inputOf(store.getState()));
    store.getState().dragTo(new Map([['conv2', { x: 5, y: 5 }]]));
    const second = derive(inputOf(store.getState()));
    expect(second.edges).toBe(first.edges);
    expect(second.nodes).not.toBe(first.nodes);
    const third = derive(inputOf(store.getState()));
    expect(third.nodes).toBe(second.nodes);
  });
});
