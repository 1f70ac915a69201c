import { describe, expect, it } from 'vitest';
import { isLayerKind, layerKindNames } from '../../graph-schema/registry';
import { notGenerated, randomDocument } from './random-graph';

describe('random graphs cover the registry', () => {
  it('hold every registered kind, except those listed with a reason', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 400; seed++) for (const node of randomDocument(seed).graph.nodes) seen.add(node.kind);
    const missing = layerKindNames.filter((k) => !seen.has(k) && !(k in notGenerated));
    expect(missing, 'registered kinds the random graphs never build: add them to the generator or to notGenerated with a reason').toEqual([]);
    for (const [kind, reason] of Object.entries(notGenerated)) {
      expect(isLayerKind(kind), `notGenerated lists ${kind}, which is not registered`).toBe(true);
      expect(reason.length).toBeGreaterThan(10);
    }
  });
});
