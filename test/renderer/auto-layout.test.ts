import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import type { LayoutEngine } from '../../graph-schema/layout/auto-layout';
import { layoutPositions } from '../../graph-schema/layout/auto-layout';

describe('auto-layout', () => {
  it('lays a branching graph out top to bottom without overlaps', async () => {
    const t = getTemplate('googlenet')!.build();
    const doc = createDocument(t.graph, 'g', t.training);
    // A residual skip and two parallel branches on top of the template's chain.
    const edge = (source: string, target: string) => ({ id: `x_${source}_${target}`, source, target, sourcePort: 'out', targetPort: 'in' });
    const first = doc.graph.nodes[1]!.id;
    const node = (id: string, kind: string) => ({ id, kind, params: {}, position: { x: 0, y: 0 } });
    doc.graph.nodes.push(node('side_a', 'Conv2D'), node('side_b', 'Conv2D'), node('merge', 'Add'), node('after', 'Conv2D'));
    doc.graph.edges.push(edge(first, 'side_a'), edge(first, 'side_b'), edge('side_a', 'merge'), edge('side_b', 'merge'), edge('merge', 'after'), edge(first, 'after'));
    // Scramble the positions so the layout has real work to do.
    doc.graph.nodes.forEach((n, i) => (n.position = { x: (i * 37) % 500, y: (i * 53) % 300 }));
    const size = { width: 220, height: 80 };
    const positions = await layoutPositions(new ELK() as unknown as LayoutEngine, doc, () => size);
    expect(positions.size).toBe(doc.graph.nodes.length);
    for (const e of doc.graph.edges) expect(positions.get(e.target)!.y).toBeGreaterThan(positions.get(e.source)!.y);
    const boxes = [...positions.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = Math.abs(a.x - b.x) < size.width && Math.abs(a.y - b.y) < size.height;
        expect(overlap).toBe(false);
      }
    }
  });
});
