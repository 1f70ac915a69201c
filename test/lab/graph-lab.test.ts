import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { graphHash } from '../../graph-schema/graph-hash';
import { analyzeGraph } from '../../graph-schema/infer';
import { hasSkipConnections, makePlainTwin, makePlainTwinDetailed } from '../../graph-schema/plain-twin';
import { getTemplate } from '../../graph-schema/templates/index';
import { buildSummary } from '../../main/cli/summary-command';
import { GraphBuilder } from '../support/graph-builder';

const templateDoc = (id: string) => {
  const built = getTemplate(id)!.build();
  return createDocument(built.graph, id, built.training);
};

describe('graphHash', () => {
  const graph = templateDoc('deep-mlp-residual').graph;
  it('ignores positions, labels, collapsed state, edge ids and edge listing order across targets', () => {
    const moved = structuredClone(graph);
    moved.nodes.forEach((n, i) => {
      n.position = { x: i * 7, y: -i };
      n.label = `label ${i}`;
      n.collapsed = true;
    });
    // Regrouped by target (a stable sort keeps each merge's input order).
    moved.edges = moved.edges.map((e) => ({ ...e, id: `x${e.id}` })).sort((a, b) => (a.target < b.target ? 1 : a.target > b.target ? -1 : 0));
    expect(moved.edges.map((e) => e.target)).not.toEqual(graph.edges.map((e) => e.target));
    moved.nodes.reverse();
    expect(graphHash(moved)).toBe(graphHash(graph));
  });
  it('changes with a parameter, a kind, an edge or the input order of a merge', () => {
    const base = graphHash(graph);
    const param = structuredClone(graph);
    param.nodes.find((n) => n.id === 'dense2')!.params.units = 33;
    const kind = structuredClone(graph);
    kind.nodes.find((n) => n.id === 'dense2')!.params = { activation: 'tanh', units: 32 };
    const edge = structuredClone(graph);
    edge.edges.pop();
    const order = structuredClone(graph);
    const intoAdd = order.edges.filter((e) => e.target === 'add3');
    const [a, b] = [order.edges.indexOf(intoAdd[0]!), order.edges.indexOf(intoAdd[1]!)];
    [order.edges[a], order.edges[b]] = [order.edges[b]!, order.edges[a]!];
    const hashes = [param, kind, edge, order].map(graphHash);
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(4);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('makePlainTwin', () => {
  it('turns deep-mlp-residual into deep-mlp-plain (same nodes, no Adds, same hash)', () => {
    const twin = makePlainTwinDetailed(templateDoc('deep-mlp-residual'));
    expect(twin.adds).toHaveLength(14);
    expect(twin.document.graph.nodes.some((n) => n.kind === 'Add')).toBe(false);
    expect(graphHash(twin.document.graph)).toBe(graphHash(templateDoc('deep-mlp-plain').graph));
    expect(twin.document.name).toBe('deep-mlp-residual (plain)');
    expect(analyzeGraph(twin.document.graph).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('sets every residual block to shortcut none: resnet-20 becomes plain-20', () => {
    const twin = makePlainTwinDetailed(templateDoc('resnet-20'));
    expect(twin.blocks).toHaveLength(9);
    expect(graphHash(twin.document.graph)).toBe(graphHash(templateDoc('plain-20').graph));
    expect(hasSkipConnections(twin.document)).toBe(false);
    expect(hasSkipConnections(templateDoc('resnet-20'))).toBe(true);
  });
  it('keeps an Add of two parallel branches (no skip) and drops only the skip of a three-input Add', () => {
    const graph = new GraphBuilder()
      .node('in', 'Input', { shape: [8] })
      .node('a', 'Dense', { units: 8 })
      .node('b', 'Dense', { units: 8 })
      .node('sum', 'Add')
      .node('c', 'Dense', { units: 8 })
      .node('sum3', 'Add')
      .edge('in', 'a')
      .edge('in', 'b')
      .edge('a', 'sum')
      .edge('b', 'sum')
      .edge('sum', 'c')
      .edge('c', 'sum3')
      .edge('sum', 'sum3')
      .edge('b', 'sum3')
      .build();
    const twin = makePlainTwin(createDocument(graph, 'g'));
    expect(twin.graph.nodes.map((n) => n.id)).toContain('sum');
    // sum3 had c (main path), sum and b (both earlier than c): only c is left, so sum3 goes and c feeds nothing more.
    expect(twin.graph.nodes.map((n) => n.id)).not.toContain('sum3');
    expect(twin.graph.edges.filter((e) => e.target === 'sum')).toHaveLength(2);
  });
});

describe('ResidualBlock shortcut', () => {
  const block = (params: Record<string, unknown>, inputShape: number[]) => {
    const graph = new GraphBuilder()
      .node('in', 'Input', { shape: inputShape })
      .node('block', 'ResidualBlock', params)
      .chain('in', 'block')
      .build();
    return buildSummary(createDocument(graph, 'b')).nodes.find((n) => n.id === 'block')!;
  };
  // Counts by hand: conv 9·Cin·f (+ f bias), BN 4·f (2·f trainable), projection Cin·f (+ BN) only with shortcut auto and a shape change.
  const cases: { name: string; params: Record<string, unknown>; input: number[]; shape: number[]; trainable: number; nonTrainable: number }[] = [
    { name: 'identity, auto', params: { filters: 16, strides: 1 }, input: [8, 8, 16], shape: [8, 8, 16], trainable: 2 * 9 * 16 * 16 + 2 * 2 * 16, nonTrainable: 2 * 2 * 16 },
    { name: 'identity, none', params: { filters: 16, strides: 1, shortcut: 'none' }, input: [8, 8, 16], shape: [8, 8, 16], trainable: 2 * 9 * 16 * 16 + 2 * 2 * 16, nonTrainable: 2 * 2 * 16 },
    { name: 'projection, auto', params: { filters: 32, strides: 2 }, input: [8, 8, 16], shape: [4, 4, 32], trainable: 9 * 16 * 32 + 9 * 32 * 32 + 16 * 32 + 3 * 2 * 32, nonTrainable: 3 * 2 * 32 },
    { name: 'projection, none', params: { filters: 32, strides: 2, shortcut: 'none' }, input: [8, 8, 16], shape: [4, 4, 32], trainable: 9 * 16 * 32 + 9 * 32 * 32 + 2 * 2 * 32, nonTrainable: 2 * 2 * 32 },
    { name: 'bottleneck, none', params: { variant: 'bottleneck', filters: 4, shortcut: 'none' }, input: [8, 8, 8], shape: [8, 8, 16], trainable: 8 * 4 + 9 * 4 * 4 + 4 * 16 + 2 * (4 + 4 + 16), nonTrainable: 2 * (4 + 4 + 16) },
  ];
  it.each(cases)('$name', ({ params, input, shape, trainable, nonTrainable }) => {
    const node = block(params, input);
    expect(node.outputShape).toEqual([null, ...shape]);
    expect(node.params).toEqual({ trainable, nonTrainable });
  });
});

describe('lesson templates', () => {
  it('resnet-20 and plain-20 have the counts of He et al. 2016 §4.2 (0.27M)', () => {
    const resnet = buildSummary(templateDoc('resnet-20')).totals;
    const plain = buildSummary(templateDoc('plain-20')).totals;
    // Plain-20 (= ResNet-20 with zero-padding shortcuts): 3×3 stem 432, 9 blocks, dense 650, BN 2 per channel.
    const convs = 432 + 3 * 2 * 9 * 16 * 16 + (9 * 16 * 32 + 9 * 32 * 32 + 2 * 2 * 9 * 32 * 32) + (9 * 32 * 64 + 9 * 64 * 64 + 2 * 2 * 9 * 64 * 64);
    const bn = 2 * (16 + 6 * 16 + 6 * 32 + 6 * 64);
    expect(plain.trainable).toBe(convs + bn + 650);
    expect(plain.trainable).toBe(269_722);
    expect(Math.round(plain.trainable / 10_000) / 100).toBe(0.27);
    // The two projection shortcuts (1×1 conv + BN) are the only difference.
    expect(resnet.trainable - plain.trainable).toBe(16 * 32 + 2 * 32 + 32 * 64 + 2 * 64);
    expect(resnet.total).toBe(274_042);
  });
  it('the deep MLP pair has the same parameters, 14 Adds in the residual one', () => {
    const plain = templateDoc('deep-mlp-plain');
    const residual = templateDoc('deep-mlp-residual');
    expect(buildSummary(plain).totals).toEqual(buildSummary(residual).totals);
    expect(residual.graph.nodes.filter((n) => n.kind === 'Add')).toHaveLength(14);
    expect(plain.graph.nodes.filter((n) => n.kind === 'Dense')).toHaveLength(31);
  });
});
