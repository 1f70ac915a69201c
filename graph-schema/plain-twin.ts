import type { Graph, GraphEdge, NetweaveDocument } from './document';

export interface PlainTwinResult {
  document: NetweaveDocument;
  /** Residual blocks set to shortcut 'none'. */
  blocks: string[];
  /** Add nodes removed (their main path takes their place) or left with fewer inputs. */
  adds: string[];
}

/**
 * The same network without its skip connections (the "plain" net of He et al.
 * 2016): every ResidualBlock gets shortcut 'none', and an Add one of whose
 * inputs is an earlier layer of another input's path loses that input; an Add
 * left with one input is removed and its main path feeds what it fed. Nodes
 * keep their ids, so the layers both nets share get the same seeded weights.
 */
export function makePlainTwinDetailed(document: NetweaveDocument): PlainTwinResult {
  const graph: Graph = structuredClone(document.graph);
  const blocks: string[] = [];
  for (const node of graph.nodes) {
    if (node.kind === 'ResidualBlock' && node.params.shortcut !== 'none') {
      node.params = { ...node.params, shortcut: 'none' };
      blocks.push(node.id);
    }
  }
  const adds: string[] = [];
  let edges = graph.edges;
  const removed = new Set<string>();
  for (const add of graph.nodes.filter((n) => n.kind === 'Add')) {
    const incoming = edges.filter((e) => e.target === add.id);
    const sources = incoming.map((e) => e.source);
    // A skip input is an ancestor of another input: the other one is the longer (main) path.
    const skips = incoming.filter((e) => sources.some((s) => s !== e.source && isAncestor(edges, e.source, s)));
    if (skips.length === 0) continue;
    adds.push(add.id);
    const kept = incoming.filter((e) => !skips.includes(e));
    edges = edges.filter((e) => !skips.includes(e));
    if (kept.length === 1) {
      const main = kept[0]!;
      removed.add(add.id);
      edges = edges
        .filter((e) => e !== main)
        .map((e): GraphEdge => (e.source === add.id ? { ...e, id: `${e.id}_plain`, source: main.source, sourcePort: main.sourcePort } : e));
    }
  }
  graph.edges = edges;
  graph.nodes = graph.nodes.filter((n) => !removed.has(n.id));
  const name = / \(plain\)$/.test(document.name) ? document.name : `${document.name} (plain)`;
  return { document: { ...structuredClone(document), name, graph }, blocks, adds };
}

export function makePlainTwin(document: NetweaveDocument): NetweaveDocument {
  return makePlainTwinDetailed(document).document;
}

/** Whether `ancestor` reaches `node` along the edges (ancestor ≠ node). */
function isAncestor(edges: readonly GraphEdge[], ancestor: string, node: string): boolean {
  const parents = new Map<string, string[]>();
  for (const e of edges) {
    const list = parents.get(e.target);
    if (list) list.push(e.source);
    else parents.set(e.target, [e.source]);
  }
  const seen = new Set<string>();
  const stack = [...(parents.get(node) ?? [])];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current === ancestor) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...(parents.get(current) ?? []));
  }
  return false;
}

/** Whether the document has anything makePlainTwin would remove (the "Make plain twin" command is enabled). */
export function hasSkipConnections(document: NetweaveDocument): boolean {
  const twin = makePlainTwinDetailed(document);
  return twin.blocks.length > 0 || twin.adds.length > 0;
}
