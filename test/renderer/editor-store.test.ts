import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import { createEditorStore, isDirty } from '../../renderer/store/editor-store';

function lenetByHand() {
  const store = createEditorStore();
  const s = () => store.getState();
  const add = (kind: string, params: Record<string, unknown>, y: number): string => {
    const id = s().addNode(kind, { x: 0, y });
    for (const [k, v] of Object.entries(params)) s().setParam(id, k, v);
    return id;
  };
  const ids = [
    add('Input', { shape: [28, 28, 1] }, 0),
    add('Conv2D', { filters: 6, kernelSize: [5, 5], padding: 'same', activation: 'relu' }, 100),
    add('MaxPooling2D', { poolSize: [2, 2], strides: [2, 2] }, 200),
    add('Conv2D', { filters: 16, kernelSize: [5, 5], padding: 'valid', activation: 'relu' }, 300),
    add('MaxPooling2D', { poolSize: [2, 2], strides: [2, 2] }, 400),
    add('Flatten', {}, 500),
    add('Dense', { units: 120, activation: 'relu' }, 600),
    add('Dense', { units: 84, activation: 'relu' }, 700),
    add('Dense', { units: 10, activation: 'softmax' }, 800),
  ];
  for (let i = 1; i < ids.length; i++) expect(s().connect(ids[i - 1]!, ids[i]!).ok).toBe(true);
  return { store, ids };
}

describe('editor store', () => {
  it('builds LeNet-5 edit by edit and reaches the published 61,706 parameters', () => {
    const { store, ids } = lenetByHand();
    const { analysis } = store.getState();
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.totals.total).toBe(61706);
    expect(analysis.nodes.get(ids[1]!)!.paramCount.trainable).toBe(156);
    expect(analysis.nodes.get(ids[3]!)!.outputShape).toEqual([null, 10, 10, 16]);
  });

  it('gives readable unique ids per kind', () => {
    const store = createEditorStore();
    const a = store.getState().addNode('Conv2D', { x: 0, y: 0 });
    const b = store.getState().addNode('Conv2D', { x: 0, y: 0 });
    const c = store.getState().addNode('MaxPooling2D', { x: 0, y: 0 });
    expect([a, b, c]).toEqual(['conv2d_1', 'conv2d_2', 'max_pooling2d_1']);
  });

  it('undoes and redoes every edit, and typing into one field is one step', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    const id = s().addNode('Dense', { x: 0, y: 0 });
    s().setParam(id, 'units', 1);
    s().setParam(id, 'units', 12);
    s().setParam(id, 'units', 128);
    expect(s().history.past).toHaveLength(2);
    expect(s().undo()).toBe('Edit units');
    expect(s().document.graph.nodes[0]!.params.units).toBeUndefined();
    expect(s().redo()).toBe('Edit units');
    expect(s().document.graph.nodes[0]!.params.units).toBe(128);
    s().undo();
    s().undo();
    expect(s().document.graph.nodes).toHaveLength(0);
    expect(s().undo()).toBeNull();
    s().redo();
    s().redo();
    expect(s().document.graph.nodes[0]!.params.units).toBe(128);
  });

  it('records one undo step per drag, not one per pointer move', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    const id = s().addNode('Dense', { x: 0, y: 0 });
    for (let x = 1; x <= 50; x++) s().dragTo(new Map([[id, { x, y: x * 2 }]]));
    expect(s().document.graph.nodes[0]!.position).toEqual({ x: 0, y: 0 });
    s().endDrag();
    expect(s().document.graph.nodes[0]!.position).toEqual({ x: 50, y: 100 });
    expect(s().history.past).toHaveLength(2);
    s().undo();
    expect(s().document.graph.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('refuses invalid connections with a reason', () => {
    const { store, ids } = lenetByHand();
    const s = () => store.getState();
    const cycle = s().connect(ids[5]!, ids[2]!);
    expect(cycle.ok).toBe(false);
    const intoInput = s().connect(ids[1]!, ids[0]!);
    expect(intoInput).toMatchObject({ ok: false });
    if (!intoInput.ok) expect(intoInput.reason).toMatch(/no inputs/);
    const second = s().connect(ids[0]!, ids[2]!);
    if (second.ok) throw new Error('a second input into a single-input layer must be refused');
    expect(second.reason).toMatch(/one input/);
    const self = s().connect(ids[3]!, ids[3]!);
    expect(self.ok).toBe(false);
    const add = s().addNode('Add', { x: 0, y: 0 });
    expect(s().connect(ids[6]!, add).ok).toBe(true);
    expect(s().connect(ids[7]!, add).ok).toBe(true);
  });

  it('tracks the dirty state against the saved revision, through undo', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    expect(isDirty(s())).toBe(false);
    s().addNode('Dense', { x: 0, y: 0 });
    expect(isDirty(s())).toBe(true);
    s().markSaved('/tmp/a.netweave', s().revision);
    expect(isDirty(s())).toBe(false);
    s().undo();
    expect(isDirty(s())).toBe(true);
    s().redo();
    expect(isDirty(s())).toBe(false);
  });

  it('copies, pastes and duplicates with fresh ids and the internal edges', () => {
    const { store, ids } = lenetByHand();
    const s = () => store.getState();
    s().selectOnly([ids[6]!, ids[7]!]);
    expect(s().copySelection()).toBe(2);
    const pasted = s().paste();
    expect(pasted).toHaveLength(2);
    expect(pasted.some((id) => ids.includes(id))).toBe(false);
    const doc = s().document;
    const internal = doc.graph.edges.filter((e) => pasted.includes(e.source) && pasted.includes(e.target));
    expect(internal).toHaveLength(1);
    const original = doc.graph.nodes.find((n) => n.id === ids[6])!;
    const copy = doc.graph.nodes.find((n) => n.id === pasted[0])!;
    expect(copy.params).toEqual(original.params);
    expect(copy.position.x).not.toBe(original.position.x);
    const dup = s().duplicateSelection();
    expect(dup).toHaveLength(2);
    expect(s().document.graph.nodes).toHaveLength(13);
  });

  it('deletes the selection with its edges, in one undo step', () => {
    const { store, ids } = lenetByHand();
    const s = () => store.getState();
    s().selectOnly([ids[4]!]);
    s().deleteSelection();
    expect(s().document.graph.nodes).toHaveLength(8);
    expect(s().document.graph.edges).toHaveLength(6);
    expect(s().analysis.diagnostics.some((d) => d.code === 'missing-input' && d.nodeId === ids[5])).toBe(true);
    s().undo();
    expect(s().document.graph.edges).toHaveLength(8);
    expect(s().analysis.totals.total).toBe(61706);
  });

  it('reports a kernel larger than its input on the node at fault, and clears it when fixed', () => {
    const { store, ids } = lenetByHand();
    const s = () => store.getState();
    s().setParam(ids[3]!, 'kernelSize', [15, 15]);
    const errors = s().analysis.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.nodeId)).toEqual([ids[3]]);
    s().setParam(ids[3]!, 'kernelSize', [5, 5]);
    expect(s().analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('expands a block in place and collapses it back to the same layout', () => {
    const t = getTemplate('resnet18')!.build();
    const store = createEditorStore(createDocument(t.graph, 'ResNet-18', t.training));
    const s = () => store.getState();
    const before = new Map(s().document.graph.nodes.map((n) => [n.id, { ...n.position }]));
    const block = s().document.graph.nodes.find((n) => n.kind === 'ResidualBlock')!;
    const below = s().document.graph.nodes.filter((n) => n.position.y > block.position.y);
    const above = s().document.graph.nodes.filter((n) => n.position.y < block.position.y);
    s().setExpanded(block.id, true);
    const after = new Map(s().document.graph.nodes.map((n) => [n.id, n.position]));
    for (const n of below) expect(after.get(n.id)!.y).toBeGreaterThan(before.get(n.id)!.y);
    for (const n of above) expect(after.get(n.id)!.y).toBe(before.get(n.id)!.y);
    expect(s().document.graph.nodes.find((n) => n.id === block.id)!.collapsed).toBe(false);
    s().setExpanded(block.id, false);
    for (const n of s().document.graph.nodes) expect(n.position).toEqual(before.get(n.id));
    s().setAllExpanded(true);
    expect(s().document.graph.nodes.filter((n) => n.kind === 'ResidualBlock').every((n) => n.collapsed === false)).toBe(true);
    s().setAllExpanded(false);
    for (const n of s().document.graph.nodes) expect(n.position).toEqual(before.get(n.id));
  });

  it('aligns the selected layers', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    const a = s().addNode('Dense', { x: 10, y: 0 });
    const b = s().addNode('Dense', { x: 90, y: 200 });
    const c = s().addNode('Dense', { x: 50, y: 300 });
    s().selectOnly([a, b, c]);
    s().align('left');
    expect(s().document.graph.nodes.map((n) => n.position.x)).toEqual([10, 10, 10]);
    s().align('distribute-y', new Map([a, b, c].map((id) => [id, { width: 100, height: 50 }])));
    const ys = s().document.graph.nodes.map((n) => n.position.y);
    expect(ys[1]! - ys[0]!).toBeCloseTo(ys[2]! - ys[1]!);
  });
});

describe('undo steps while typing', () => {
  it('starts a new step after the field loses focus', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    const id = s().addNode('Conv2D', { x: 0, y: 0 });
    s().setParam(id, 'kernelSize', [1, 1]);
    s().setParam(id, 'kernelSize', [15, 15]);
    s().sealHistory();
    s().setParam(id, 'kernelSize', [5, 5]);
    s().undo();
    expect(s().document.graph.nodes[0]!.params.kernelSize).toEqual([15, 15]);
    s().undo();
    expect(s().document.graph.nodes[0]!.params.kernelSize).toBeUndefined();
  });
});
