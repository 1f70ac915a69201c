import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { makeNode } from '../../graph-schema/edit/document-edits';
import { canInsertOnEdge, insertOnEdge } from '../../graph-schema/edit/insert-on-edge';
import { analyzeGraph } from '../../graph-schema/infer';

const node = (id: string, kind: string, params: Record<string, unknown> = {}): GraphNode => ({ id, kind, params, position: { x: 0, y: 0 } });
const edge = (source: string, target: string) => ({ id: `e_${source}_${target}`, source, sourcePort: 'out', target, targetPort: 'in' });

function chain() {
  return createDocument(
    {
      nodes: [node('input', 'Input', { shape: [8, 8, 1] }), node('flat', 'Flatten'), node('head', 'Dense', { units: 10 })],
      edges: [edge('input', 'flat'), edge('flat', 'head')],
    },
    'chain',
  );
}

describe('insertOnEdge', () => {
  it('splits the connection, and shapes and counts downstream follow the new layer', () => {
    const doc = chain();
    const before = analyzeGraph(doc.graph).nodes.get('head')!;
    // 64 inputs · 10 + 10.
    expect(before.paramCount.trainable).toBe(650);
    const dense = makeNode(doc, 'Dense', { x: 0, y: 100 });
    dense.params = { units: 16 };
    expect(insertOnEdge(doc, 'e_flat_head', dense)).toEqual({ ok: true });
    expect(doc.graph.edges.some((e) => e.id === 'e_flat_head')).toBe(false);
    expect(doc.graph.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['dense_1>head', 'flat>dense_1', 'input>flat'].sort());
    const after = analyzeGraph(doc.graph);
    expect(after.nodes.get('dense_1')!.outputShape).toEqual([null, 16]);
    expect(after.nodes.get('head')!.inputShapes[0]).toEqual([null, 16]);
    expect(after.nodes.get('head')!.paramCount.trainable).toBe(16 * 10 + 10);
    expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('keeps the input order of a multi-input layer: the new edge takes the old one’s slot', () => {
    const doc = createDocument(
      {
        nodes: [node('input', 'Input', { shape: [4, 4, 2] }), node('a', 'Conv2D', { filters: 3 }), node('b', 'Conv2D', { filters: 5 }), node('cat', 'Concatenate')],
        edges: [edge('input', 'a'), edge('input', 'b'), edge('a', 'cat'), edge('b', 'cat')],
      },
      'merge',
    );
    const into = () => doc.graph.edges.filter((e) => e.target === 'cat').map((e) => e.source);
    expect(into()).toEqual(['a', 'b']);
    expect(insertOnEdge(doc, 'e_a_cat', makeNode(doc, 'BatchNormalization', { x: 0, y: 0 }))).toEqual({ ok: true });
    expect(into()).toEqual(['batch_normalization_1', 'b']);
    expect(analyzeGraph(doc.graph).nodes.get('cat')!.outputShape).toEqual([null, 2, 2, 8]);
  });

  it('refuses layers that cannot sit inside a connection and connections that are gone, changing nothing', () => {
    const doc = chain();
    const copy = structuredClone(doc);
    const input = insertOnEdge(doc, 'e_flat_head', makeNode(doc, 'Input', { x: 0, y: 0 }));
    expect(input.ok).toBe(false);
    expect(!input.ok && input.reason).toMatch(/where data enters/);
    expect(insertOnEdge(doc, 'e_nope', makeNode(doc, 'Dense', { x: 0, y: 0 })).ok).toBe(false);
    expect(doc).toEqual(copy);
    expect(canInsertOnEdge('Dropout')).toEqual({ ok: true });
    expect(canInsertOnEdge('NoSuchKind').ok).toBe(false);
  });

  it('gives the new edges ids that are free in the document', () => {
    const doc = chain();
    // An id the split would otherwise pick is already taken.
    doc.graph.edges.push({ ...edge('input', 'head'), id: 'e_flat_dropout_1' });
    expect(insertOnEdge(doc, 'e_flat_head', makeNode(doc, 'Dropout', { x: 0, y: 0 }))).toEqual({ ok: true });
    const ids = doc.graph.edges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('makeRoomFor', () => {
  it('moves the layers after an inserted one that lands on them, and only then', async () => {
    const { makeRoomFor } = await import('../../graph-schema/edit/insert-on-edge');
    const doc = chain();
    doc.graph.nodes[0]!.position = { x: 0, y: 0 };
    doc.graph.nodes[1]!.position = { x: 0, y: 100 };
    doc.graph.nodes[2]!.position = { x: 0, y: 200 };
    const drop = makeNode(doc, 'Dropout', { x: 0, y: 150 });
    insertOnEdge(doc, 'e_flat_head', drop);
    makeRoomFor(doc, drop.id, { width: 180, height: 60 });
    // Past Flatten (100 + 60 + 24), and Dense moved on to clear it (184 + 60 + 24).
    expect(doc.graph.nodes.map((n) => n.position.y)).toEqual([0, 100, 268, 184]);
    // Nothing in the way: nothing moves.
    const again = makeNode(doc, 'Dropout', { x: 600, y: 0 });
    insertOnEdge(doc, 'e_input_flat', again);
    makeRoomFor(doc, again.id, { width: 180, height: 60 });
    expect(doc.graph.nodes.map((n) => n.position.y)).toEqual([0, 100, 268, 184, 0]);
  });
});
