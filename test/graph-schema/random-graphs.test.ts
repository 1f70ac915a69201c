import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import type { Graph } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument, saveDocument } from '../../graph-schema/load-save';
import { layerKindNames, layerRegistry } from '../../graph-schema/registry';

// Parameter values drawn from the right type, the wrong type, and out of range, to shake every path.
const anyParamValue = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.boolean(),
  fc.constantFrom('valid', 'same', 'relu', 'softmax', 'bogus', 'basic', 'bottleneck'),
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })),
  fc.array(fc.integer({ min: -1, max: 40 }), { minLength: 0, maxLength: 4 }),
  fc.constant(null),
);

const kindArb = fc.oneof(fc.constantFrom(...layerKindNames), fc.constant('NotAKind'));

const randomGraph: fc.Arbitrary<Graph> = fc
  .record({
    nodes: fc.array(
      fc.record({
        kind: kindArb,
        params: fc.dictionary(fc.constantFrom('units', 'filters', 'kernelSize', 'strides', 'padding', 'shape', 'rate', 'axis', 'poolSize', 'targetShape', 'activation', 'variant', 'junk'), anyParamValue, { maxKeys: 4 }),
      }),
      { minLength: 0, maxLength: 14 },
    ),
    edges: fc.array(fc.tuple(fc.nat(16), fc.nat(16)), { maxLength: 24 }),
  })
  .map(({ nodes, edges }) => ({
    nodes: nodes.map((n, i) => ({ id: `n${i}`, kind: n.kind, params: n.params as Record<string, unknown>, position: { x: 0, y: i } })),
    edges: edges.map(([s, t], i) => ({ id: `e${i}`, source: `n${s}`, target: `n${t}`, sourcePort: 'out', targetPort: 'in' })),
  }));

describe('inference on random graphs', () => {
  it('never throws, and its figures are self-consistent', () => {
    fc.assert(
      fc.property(randomGraph, (graph) => {
        const a = analyzeGraph(graph);
        const ids = new Set(graph.nodes.map((n) => n.id));
        const edgeIds = new Set(graph.edges.map((e) => e.id));
        let trainable = 0;
        let nonTrainable = 0;
        for (const info of a.nodes.values()) {
          trainable += info.paramCount.trainable;
          nonTrainable += info.paramCount.nonTrainable;
          expect(info.paramCount.trainable).toBeGreaterThanOrEqual(0);
          if (info.hasError) expect(info.outputShape).toBeNull();
        }
        expect(a.totals.trainable).toBe(trainable);
        expect(a.totals.nonTrainable).toBe(nonTrainable);
        for (const d of a.diagnostics) {
          if (d.nodeId !== undefined) expect(ids.has(d.nodeId)).toBe(true);
          if (d.edgeId !== undefined) expect(edgeIds.has(d.edgeId)).toBe(true);
          expect(d.message.length).toBeGreaterThan(0);
        }
        // A node in topological order comes after each of its sources.
        const position = new Map(a.order.map((id, i) => [id, i]));
        for (const e of graph.edges) {
          if (position.has(e.source) && position.has(e.target) && e.source !== e.target) {
            expect(position.get(e.source)!).toBeLessThan(position.get(e.target)!);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('survives a save/load round trip with identical analysis', () => {
    fc.assert(
      fc.property(randomGraph, (graph) => {
        const text = saveDocument(createDocument(graph));
        const loaded = loadDocument(text);
        expect(loaded.ok).toBe(true);
        if (!loaded.ok) return;
        const before = analyzeGraph(graph);
        const after = analyzeGraph(loaded.document.graph);
        expect(after.totals).toEqual(before.totals);
        expect(after.diagnostics.map((d) => d.code)).toEqual(before.diagnostics.map((d) => d.code));
      }),
      { numRuns: 150 },
    );
  });
});

// Valid random conv nets: every shape must follow the formulas, with no diagnostics.
const convStep = fc.record({
  filters: fc.integer({ min: 1, max: 8 }),
  kernel: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 2 }),
  padding: fc.constantFrom('valid', 'same'),
});

describe('random valid conv chains', () => {
  it('have no diagnostics and follow the Conv2D formulas', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 40 }), fc.array(convStep, { minLength: 1, maxLength: 4 }), (size, steps) => {
        const nodes: Graph['nodes'] = [{ id: 'in', kind: 'Input', params: { shape: [size, size, 3] }, position: { x: 0, y: 0 } }];
        const edges: Graph['edges'] = [];
        let n = size;
        let c = 3;
        let expectedParams = 0;
        steps.forEach((s, i) => {
          // A valid window must fit; fall back to same padding where it would not.
          const padding = s.padding === 'valid' && n < s.kernel ? 'same' : s.padding;
          nodes.push({ id: `c${i}`, kind: 'Conv2D', params: { filters: s.filters, kernelSize: [s.kernel, s.kernel], strides: [s.stride, s.stride], padding }, position: { x: 0, y: 0 } });
          edges.push({ id: `e${i}`, source: i === 0 ? 'in' : `c${i - 1}`, target: `c${i}`, sourcePort: 'out', targetPort: 'in' });
          n = padding === 'same' ? Math.ceil(n / s.stride) : Math.floor((n - s.kernel) / s.stride) + 1;
          expectedParams += s.kernel * s.kernel * c * s.filters + s.filters;
          c = s.filters;
        });
        const a = analyzeGraph({ nodes, edges });
        expect(a.diagnostics).toEqual([]);
        expect(a.nodes.get(`c${steps.length - 1}`)!.outputShape).toEqual([null, n, n, c]);
        expect(a.totals.trainable).toBe(expectedParams);
      }),
      { numRuns: 200 },
    );
  });
});

it('the registry holds a definition for every listed kind', () => {
  for (const kind of layerKindNames) expect(layerRegistry[kind]?.kind).toBe(kind);
});
