import type { Graph, NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';

// The large graph of the editor benchmark (and of the large-graph e2e test).

/** A residual MLP of about `count` layers: Dense → Dense → Add(skip), laid out in columns. */
export function generatedGraph(count: number): NetweaveDocument {
  const graph: Graph = { nodes: [], edges: [] };
  const perColumn = 40;
  const place = () => {
    const i = graph.nodes.length;
    return { x: Math.floor(i / perColumn) * 320, y: (i % perColumn) * 110 };
  };
  const node = (id: string, kind: string, params: Record<string, unknown> = {}) => graph.nodes.push({ id, kind, params, position: place() });
  const edge = (source: string, target: string) => graph.edges.push({ id: `e_${source}_${target}`, source, target, sourcePort: 'out', targetPort: 'in' });
  node('input', 'Input', { shape: [64] });
  node('stem', 'Dense', { units: 64, activation: 'relu' });
  edge('input', 'stem');
  let previous = 'stem';
  for (let i = 0; graph.nodes.length + 3 <= count - 1; i++) {
    node(`a${i}`, 'Dense', { units: 64, activation: 'relu' });
    node(`b${i}`, 'Dense', { units: 64 });
    node(`add${i}`, 'Add');
    edge(previous, `a${i}`);
    edge(`a${i}`, `b${i}`);
    edge(`b${i}`, `add${i}`);
    edge(previous, `add${i}`);
    previous = `add${i}`;
  }
  node('head', 'Dense', { units: 10, activation: 'softmax' });
  edge(previous, 'head');
  return createDocument(graph, `Generated ${graph.nodes.length} layers`);
}
