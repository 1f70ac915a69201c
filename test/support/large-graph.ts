import type { Graph } from '../../graph-schema/document';

/**
 * A valid graph of about `count` nodes: a conv trunk of residual units
 * (conv → batch-norm → relu → conv → add with the unit's input) with
 * occasional two-branch concatenations, ending in pooling and a classifier.
 */
export function generateLargeGraph(count = 1000): Graph {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  let y = 0;
  const add = (kind: string, params: Record<string, unknown>, x = 0): string => {
    const id = `n${nodes.length}`;
    nodes.push({ id, kind, params, position: { x, y: (y += 90) } });
    return id;
  };
  const link = (source: string, target: string): void => {
    edges.push({ id: `e${edges.length}`, source, target, sourcePort: 'out', targetPort: 'in' });
  };
  let last = add('Input', { shape: [32, 32, 16] });
  const conv = { filters: 16, kernelSize: [3, 3], padding: 'same' };
  let unit = 0;
  while (nodes.length < count - 4) {
    if (unit % 5 === 4) {
      const a = add('Conv2D', { ...conv, filters: 8 }, -200);
      const b = add('Conv2D', { ...conv, filters: 8, kernelSize: [1, 1] }, 200);
      const cat = add('Concatenate', {});
      link(last, a);
      link(last, b);
      link(a, cat);
      link(b, cat);
      last = cat;
    } else {
      const c1 = add('Conv2D', conv);
      const bn = add('BatchNormalization', {});
      const act = add('Activation', { activation: 'relu' });
      const c2 = add('Conv2D', conv);
      const sum = add('Add', {});
      link(last, c1);
      link(c1, bn);
      link(bn, act);
      link(act, c2);
      link(c2, sum);
      link(last, sum);
      last = sum;
    }
    unit++;
  }
  const pool = add('GlobalAveragePooling2D', {});
  const out = add('Dense', { units: 10, activation: 'softmax' });
  link(last, pool);
  link(pool, out);
  return { nodes, edges };
}
