import type { Graph, GraphEdge, GraphNode } from '../../graph-schema/document';

/** Terse graph construction for tests: chain('in', 'a', 'b') adds edges in→a→b. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];

  node(id: string, kind: string, params: Record<string, unknown> = {}): this {
    this.nodes.push({ id, kind, params, position: { x: 0, y: this.nodes.length * 80 } });
    return this;
  }

  edge(source: string, target: string, id = `${source}->${target}#${this.edges.length}`): this {
    this.edges.push({ id, source, target, sourcePort: 'out', targetPort: 'in' });
    return this;
  }

  chain(...ids: string[]): this {
    for (let i = 1; i < ids.length; i++) this.edge(ids[i - 1]!, ids[i]!);
    return this;
  }

  build(): Graph {
    return { nodes: [...this.nodes], edges: [...this.edges] };
  }
}
