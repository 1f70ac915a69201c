import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../graph-schema/infer';

describe('smoke', () => {
  it('infers a tiny conv net', () => {
    const a = analyzeGraph({
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [28, 28, 1] }, position: { x: 0, y: 0 } },
        { id: 'c', kind: 'Conv2D', params: { filters: 6, kernelSize: [5, 5], padding: 'same', activation: 'relu' }, position: { x: 0, y: 0 } },
        { id: 'p', kind: 'MaxPooling2D', params: {}, position: { x: 0, y: 0 } },
        { id: 'f', kind: 'Flatten', params: {}, position: { x: 0, y: 0 } },
        { id: 'd', kind: 'Dense', params: { units: 10 }, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'c', sourcePort: 'out', targetPort: 'in' },
        { id: 'e2', source: 'c', target: 'p', sourcePort: 'out', targetPort: 'in' },
        { id: 'e3', source: 'p', target: 'f', sourcePort: 'out', targetPort: 'in' },
        { id: 'e4', source: 'f', target: 'd', sourcePort: 'out', targetPort: 'in' },
      ],
    });
    expect(a.diagnostics).toEqual([]);
    expect(a.nodes.get('c')!.paramCount.trainable).toBe(156);
    expect(a.nodes.get('d')!.outputShape).toEqual([null, 10]);
    expect(a.totals.trainable).toBe(156 + 14 * 14 * 6 * 10 + 10);
  });
});
