import type { Graph } from '../document';
import { getLayerDef } from '../registry';

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** True when `to` can be reached from `from` by following edges forward. */
export function reaches(graph: Graph, from: string, to: string): boolean {
  const outgoing = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = outgoing.get(e.source);
    if (list) list.push(e.target);
    else outgoing.set(e.source, [e.target]);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const next of outgoing.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/**
 * Whether a new edge source → target is allowed, and why not. Checked while the
 * user drags a connection, so the reason reads as advice.
 */
export function checkConnection(graph: Graph, source: string, target: string): ConnectionCheck {
  const sourceNode = graph.nodes.find((n) => n.id === source);
  const targetNode = graph.nodes.find((n) => n.id === target);
  if (!sourceNode || !targetNode) return { ok: false, reason: 'Layers inside an expanded block cannot be rewired; connect to the block itself.' };
  if (source === target) return { ok: false, reason: 'A layer cannot feed itself.' };
  const targetDef = getLayerDef(targetNode.kind);
  const targetLabel = targetDef?.label ?? targetNode.kind;
  if (targetDef && targetDef.inputs.max === 0) return { ok: false, reason: `${targetLabel} is where data enters; it takes no inputs.` };
  if (graph.edges.some((e) => e.source === source && e.target === target)) return { ok: false, reason: 'These layers are already connected.' };
  const incoming = graph.edges.filter((e) => e.target === target).length;
  if (targetDef && incoming >= targetDef.inputs.max) {
    return {
      ok: false,
      reason:
        targetDef.inputs.max === 1
          ? `${targetLabel} takes one input and already has one. Delete that edge first, or merge the branches with Add or Concatenate.`
          : `${targetLabel} takes at most ${targetDef.inputs.max} inputs.`,
    };
  }
  if (reaches(graph, target, source)) return { ok: false, reason: 'This edge would close a cycle: data would flow back into itself.' };
  return { ok: true };
}

/**
 * The layer that "connect to the next" joins `source` to: the nearest layer after it
 * in the layout direction (below for top to bottom, to the right for left to right)
 * that may take an edge from it. Null when there is none.
 */
export function nextConnectable(graph: Graph, source: string, direction: 'TB' | 'LR' = 'TB'): string | null {
  const from = graph.nodes.find((n) => n.id === source);
  if (!from) return null;
  const along = (p: { x: number; y: number }) => (direction === 'LR' ? p.x : p.y);
  const across = (p: { x: number; y: number }) => (direction === 'LR' ? p.y : p.x);
  let best: { id: string; score: number } | null = null;
  for (const n of graph.nodes) {
    const ahead = along(n.position) - along(from.position);
    if (n.id === source || ahead <= 0 || !checkConnection(graph, source, n.id).ok) continue;
    // Mostly the distance ahead; sideways distance counts half, so a layer straight below wins.
    const score = ahead + Math.abs(across(n.position) - across(from.position)) / 2;
    if (!best || score < best.score) best = { id: n.id, score };
  }
  return best?.id ?? null;
}
