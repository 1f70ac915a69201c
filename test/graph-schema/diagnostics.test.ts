import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../graph-schema/diagnostics';
import { analyzeGraph } from '../../graph-schema/infer';
import { GraphBuilder } from '../support/graph-builder';

const at = (ds: Diagnostic[], code: string): string[] => ds.filter((d) => d.code === code).map((d) => d.nodeId ?? d.edgeId ?? '(graph)');

function image(b: GraphBuilder, size = 28, channels = 1): GraphBuilder {
  return b.node('in', 'Input', { shape: [size, size, channels] });
}

describe('graph diagnostics, each on the node or edge at fault', () => {
  it('a valid chain has none and shapes flow along edges', () => {
    const a = analyzeGraph(image(new GraphBuilder()).node('c', 'Conv2D', { filters: 4 }).node('f', 'Flatten').node('d', 'Dense', { units: 2 }).chain('in', 'c', 'f', 'd').build());
    expect(a.diagnostics).toEqual([]);
    expect([...a.edgeShapes.values()]).toEqual([
      [null, 28, 28, 1],
      [null, 26, 26, 4],
      [null, 2704, ],
    ].map((s) => s));
    expect(a.outputs).toEqual(['d']);
    expect(a.order).toEqual(['in', 'c', 'f', 'd']);
  });

  it('cycle: every node on the loop, not the ones before it', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4] }).node('a', 'Dense').node('b', 'Dense').node('m', 'Add');
    g.chain('in', 'm', 'a', 'b').edge('b', 'm');
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'cycle').sort()).toEqual(['a', 'b', 'm']);
    expect(a.diagnostics.every((d) => d.code !== 'cycle' || d.severity === 'error')).toBe(true);
  });

  it('cycle: a self-loop', () => {
    const a = analyzeGraph(new GraphBuilder().node('in', 'Input', { shape: [4] }).node('m', 'Add').chain('in', 'm').edge('m', 'm').build());
    expect(at(a.diagnostics, 'cycle')).toEqual(['m']);
  });

  it('missing input on a layer with too few inputs', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4] }).node('m', 'Add').node('d', 'Dense').chain('in', 'm', 'd');
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'missing-input')).toEqual(['m']);
    expect(a.nodes.get('d')!.outputShape).toBeNull();
  });

  it('a dense layer that feeds others but has no input', () => {
    const a = analyzeGraph(new GraphBuilder().node('in', 'Input', { shape: [4] }).node('x', 'Dense').node('y', 'Dense').chain('in', 'y').chain('x', 'y').build());
    expect(at(a.diagnostics, 'missing-input')).toEqual(['x']);
    expect(at(a.diagnostics, 'too-many-inputs')).toEqual(['y']);
  });

  it('unused node: isolated layer and an Input that feeds nothing', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4] }).node('d', 'Dense').node('lonely', 'Dropout').node('in2', 'Input', { shape: [3] }).chain('in', 'd');
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'unused-node').sort()).toEqual(['in2', 'lonely']);
    expect(a.diagnostics.filter((d) => d.code === 'unused-node').every((d) => d.severity === 'warning')).toBe(true);
    expect(a.outputs).toEqual(['d']);
  });

  it('wrong number of inputs: an edge into an Input', () => {
    const a = analyzeGraph(new GraphBuilder().node('a', 'Input', { shape: [4] }).node('b', 'Input', { shape: [4] }).node('d', 'Dense').chain('a', 'b', 'd').build());
    expect(at(a.diagnostics, 'too-many-inputs')).toEqual(['b']);
  });

  it('Add with unequal shapes names both shapes', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [8] }).node('a', 'Dense', { units: 3 }).node('b', 'Dense', { units: 5 }).node('m', 'Add');
    g.chain('in', 'a', 'm').chain('in', 'b', 'm');
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'add-shape-mismatch')).toEqual(['m']);
    expect(a.diagnostics.find((d) => d.code === 'add-shape-mismatch')!.message).toContain('(None, 3) and (None, 5)');
  });

  it('Concatenate mismatch on a non-axis dimension', () => {
    const g = image(new GraphBuilder(), 8)
      .node('a', 'Conv2D', { filters: 2, padding: 'same' })
      .node('b', 'Conv2D', { filters: 2, padding: 'valid' })
      .node('m', 'Concatenate');
    g.chain('in', 'a', 'm').chain('in', 'b', 'm');
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'concat-mismatch')).toEqual(['m']);
  });

  it('Concatenate of matching branches sums channels', () => {
    const g = image(new GraphBuilder(), 8).node('a', 'Conv2D', { filters: 2, padding: 'same' }).node('b', 'Conv2D', { filters: 3, padding: 'same' }).node('m', 'Concatenate');
    g.chain('in', 'a', 'm').chain('in', 'b', 'm');
    expect(analyzeGraph(g.build()).nodes.get('m')!.outputShape).toEqual([null, 8, 8, 5]);
  });

  it('spatial size that shrinks to zero or below', () => {
    const a = analyzeGraph(image(new GraphBuilder(), 4).node('c', 'Conv2D', { kernelSize: [5, 5] }).node('f', 'Flatten').chain('in', 'c', 'f').build());
    expect(at(a.diagnostics, 'spatial-underflow')).toEqual(['c']);
    expect(a.diagnostics[0]!.message).toMatch(/5×5.*4×4/);
  });

  it('spatial underflow through a pooling chain', () => {
    const a = analyzeGraph(image(new GraphBuilder(), 3).node('p1', 'MaxPooling2D').node('p2', 'MaxPooling2D').chain('in', 'p1', 'p2').build());
    expect(at(a.diagnostics, 'spatial-underflow')).toEqual(['p2']);
  });

  it('parameter out of range and wrong parameter type name the parameter', () => {
    const a = analyzeGraph(
      new GraphBuilder().node('in', 'Input', { shape: [4] }).node('d', 'Dense', { units: 0 }).node('e', 'Dense', { units: 'ten' }).chain('in', 'd', 'e').build(),
    );
    expect(a.diagnostics.find((d) => d.code === 'param-out-of-range')).toMatchObject({ nodeId: 'd', param: 'units' });
    expect(a.diagnostics.find((d) => d.code === 'param-invalid')).toMatchObject({ nodeId: 'e', param: 'units' });
  });

  it('strides > 1 with dilation > 1 is refused like Keras does', () => {
    const a = analyzeGraph(image(new GraphBuilder()).node('c', 'Conv2D', { strides: [2, 2], dilationRate: [2, 2] }).chain('in', 'c').build());
    expect(a.diagnostics.find((d) => d.nodeId === 'c')).toMatchObject({ code: 'param-out-of-range', param: 'dilationRate' });
  });

  it('rank mismatch: a convolution on a vector', () => {
    const a = analyzeGraph(new GraphBuilder().node('in', 'Input', { shape: [784] }).node('c', 'Conv2D').chain('in', 'c').build());
    expect(at(a.diagnostics, 'rank-mismatch')).toEqual(['c']);
  });

  it('no output when every layer feeds another in a loop; no input when there is no Input', () => {
    const a = analyzeGraph(new GraphBuilder().node('d', 'Dense').node('e', 'Dense').chain('d', 'e', 'd').build());
    expect(at(a.diagnostics, 'no-input')).toEqual(['(graph)']);
    expect(at(a.diagnostics, 'no-output')).toEqual(['(graph)']);
  });

  it('no output when the Input is alone with a layer feeding back into nothing', () => {
    const a = analyzeGraph(new GraphBuilder().node('in', 'Input', { shape: [3] }).build());
    expect(at(a.diagnostics, 'no-output')).toEqual(['(graph)']);
  });

  it('multiple outputs are flagged as a warning on each', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [3] }).node('a', 'Dense').node('b', 'Dense').chain('in', 'a').chain('in', 'b');
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'multiple-outputs').sort()).toEqual(['a', 'b']);
  });

  it('unknown kind, duplicate ids and dangling edges do not throw', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [3] }).node('q', 'Quantum').node('q', 'Dense').chain('in', 'q').edge('q', 'ghost', 'e-ghost');
    g.edges.push({ ...g.edges[0]! });
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'unknown-kind')).toEqual(['q']);
    expect(at(a.diagnostics, 'duplicate-id').sort()).toEqual(['in->q#0', 'q']);
    expect(at(a.diagnostics, 'dangling-edge')).toEqual(['e-ghost']);
  });

  it('an edge on a port no layer has is reported on the edge and ignored', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [3] }).node('d', 'Dense').chain('in', 'd');
    g.edges.push({ id: 'odd', source: 'in', sourcePort: 'out', target: 'd', targetPort: 'zzz' });
    const a = analyzeGraph(g.build());
    expect(at(a.diagnostics, 'unknown-port')).toEqual(['odd']);
    expect(a.nodes.get('d')!.outputShape).toEqual([null, 64]);
  });

  it('an empty graph has no diagnostics and zero totals', () => {
    const a = analyzeGraph({ nodes: [], edges: [] });
    expect(a.diagnostics).toEqual([]);
    expect(a.totals).toEqual({ trainable: 0, nonTrainable: 0, total: 0, macs: 0 });
  });

  it('every diagnostic message says something actionable', () => {
    const g = new GraphBuilder().node('in', 'Input', { shape: [4] }).node('m', 'Add').node('d', 'Dense', { units: -1 }).chain('in', 'm', 'd');
    for (const d of analyzeGraph(g.build()).diagnostics) expect(d.message).toMatch(/\.\s*[A-Z].*|Use|Add|Connect|Set|Remove|Make|must/);
  });
});
