import { describe, expect, it } from 'vitest';
import type { Graph } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, params, position: { x: 0, y: 0 } });
const edge = (source: string, target: string) => ({ id: `e_${source}_${target}`, source, sourcePort: 'out', target, targetPort: 'in' });

describe('diagnostics downstream of a cycle', () => {
  it('reports the cycle and the layers after it, never a false "no output"', () => {
    // input → a ⇄ b (a cycle through an Add) → out (a final layer behind the cycle)
    const graph: Graph = {
      nodes: [node('input', 'Input', { shape: [8] }), node('a', 'Add'), node('b', 'Dense', { units: 8 }), node('out', 'Dense', { units: 2 })],
      edges: [edge('input', 'a'), edge('a', 'b'), edge('b', 'a'), edge('b', 'out')],
    };
    const codes = analyzeGraph(graph).diagnostics.map((d) => `${d.code}:${d.nodeId ?? ''}`);
    expect(codes).toContain('cycle:a');
    expect(codes).toContain('cycle:b');
    expect(codes).toContain('after-cycle:out');
    expect(codes.some((c) => c.startsWith('no-output'))).toBe(false);
  });

  it('still says "no output" when every layer feeds another and none is behind a cycle', () => {
    const graph: Graph = { nodes: [node('input', 'Input', { shape: [8] })], edges: [] };
    expect(analyzeGraph(graph).diagnostics.map((d) => d.code)).toContain('no-output');
  });
});
