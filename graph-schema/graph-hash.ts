import type { Graph } from './document';

/**
 * A fingerprint of what a graph computes: node ids, kinds and parameters, and
 * the edges with their ports in input order. Positions, labels, collapsed
 * state and edge ids are left out, so moving or renaming things on the canvas
 * keeps the hash; any change to the network changes it. A run records the
 * hash of the graph it trained, so a result can be marked stale after an edit.
 */
export function graphHash(graph: Graph): string {
  const nodes = [...graph.nodes]
    .sort((a, b) => compare(a.id, b.id))
    .map((n) => [n.id, n.kind, canonical(n.params ?? {})]);
  // Only the order of edges into the same target port matters (it is the input order of Add, Concatenate …).
  const edges = graph.edges
    .map((e, i) => ({ e, i }))
    .sort((a, b) => compare(a.e.target, b.e.target) || compare(a.e.targetPort ?? 'in', b.e.targetPort ?? 'in') || a.i - b.i)
    .map(({ e }) => [e.source, e.sourcePort ?? 'out', e.target, e.targetPort ?? 'in']);
  return hash64(JSON.stringify([nodes, edges]));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON-ready value with object keys sorted, so that key order never changes the hash. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/** Two independent 32-bit FNV-1a style hashes of the UTF-16 code units, as 16 hex digits (pure JS: graph-schema has no Node APIs). */
function hash64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
