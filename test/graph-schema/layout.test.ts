import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { checkConnection } from '../../graph-schema/edit/connection-rules';
import { makeEdge, makeNode, addNodes } from '../../graph-schema/edit/document-edits';
import { layOutDocument } from '../../graph-schema/layout/elk-bundled';
import { getTemplate } from '../../graph-schema/templates/index';

function chainDocument(length: number) {
  const doc = createDocument({ nodes: [], edges: [] }, 'chain');
  let previous: string | null = null;
  for (let i = 0; i < length; i++) {
    const node = makeNode(doc, i === 0 ? 'Input' : 'Dense', { x: 0, y: 0 });
    addNodes(doc, [node], previous ? [makeEdge(doc, previous, node.id)] : []);
    previous = node.id;
  }
  return doc;
}

describe('shared auto-layout and edits (no renderer, no worker)', () => {
  it('edits a plain document and checks connections outside the editor', () => {
    const doc = chainDocument(3);
    const [a, , c] = doc.graph.nodes.map((n) => n.id);
    expect(doc.graph.edges).toHaveLength(2);
    expect(checkConnection(doc.graph, c!, a!)).toEqual({ ok: false, reason: expect.stringContaining('') });
    expect(checkConnection(doc.graph, a!, c!).ok).toBe(false); // Dense takes one input and has one
  });

  it('lays a template out top to bottom and left to right', async () => {
    const t = getTemplate('lenet5')!.build();
    const doc = createDocument(t.graph, 'lenet', t.training);
    const tb = await layOutDocument(doc, { direction: 'TB' });
    const lr = await layOutDocument(doc, { direction: 'LR' });
    const at = (d: typeof doc, id: string) => d.graph.nodes.find((n) => n.id === id)!.position;
    for (const e of doc.graph.edges) {
      expect(at(tb, e.target).y).toBeGreaterThan(at(tb, e.source).y);
      expect(at(lr, e.target).x).toBeGreaterThan(at(lr, e.source).x);
    }
    expect(doc.graph.nodes.every((n, i) => n.position === doc.graph.nodes[i]!.position)).toBe(true); // input left as it was
  });

  it('wraps a long chain to the aspect ratio asked for, and not without one', async () => {
    const doc = chainDocument(60);
    const span = (d: typeof doc) => {
      const xs = d.graph.nodes.map((n) => n.position.x);
      const ys = d.graph.nodes.map((n) => n.position.y);
      return { width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
    };
    const straight = span(await layOutDocument(doc, { direction: 'TB' }));
    const wrapped = span(await layOutDocument(doc, { direction: 'TB', aspectRatio: 1.6 }));
    expect(straight.width).toBe(0);
    expect(wrapped.height).toBeLessThan(straight.height / 3);
    expect(wrapped.width).toBeGreaterThan(0);
  });
});
