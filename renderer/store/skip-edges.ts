/**
 * Skip connections, drawn apart from the main path:
 * - into an Add: the shorter of the branches that fork from one layer and meet
 *   again at the Add (an identity shortcut, or a projection shortcut with its
 *   layers), every edge of it;
 * - into a Concatenate: an edge whose source also reaches the merge through
 *   other layers (parallel branches, as in an inception module, are not skips).
 */

export interface SimpleEdge {
  id: string;
  source: string;
  target: string;
}

export function findSkipEdges(edges: readonly SimpleEdge[], kindOf: (id: string) => string | undefined): Set<string> {
  const outgoing = new Map<string, SimpleEdge[]>();
  const incoming = new Map<string, SimpleEdge[]>();
  const nodes = new Set<string>();
  for (const e of edges) {
    nodes.add(e.source);
    nodes.add(e.target);
    const out = outgoing.get(e.source);
    if (out) out.push(e);
    else outgoing.set(e.source, [e]);
    const ins = incoming.get(e.target);
    if (ins) ins.push(e);
    else incoming.set(e.target, [e]);
  }
  const skips = new Set<string>();
  const merges = [...incoming].filter(([target, ins]) => ins.length >= 2 && (kindOf(target) === 'Add' || kindOf(target) === 'Concatenate'));
  if (merges.length === 0) return skips;
  const depth = longestDepth(nodes, incoming, outgoing);

  for (const [target, ins] of merges) {
    if (kindOf(target) === 'Concatenate') {
      const sources = new Set(ins.map((e) => e.source));
      for (const edge of ins) {
        const others = new Set([...sources].filter((s) => s !== edge.source));
        if (reachesAny(edge.source, others, target, outgoing)) skips.add(edge.id);
      }
      continue;
    }
    // Add: the deepest input is the main path; a shallower one that forks from it is the shortcut.
    const main = ins.reduce((best, e) => ((depth.get(e.source) ?? 0) > (depth.get(best.source) ?? 0) ? e : best));
    const mainDepth = depth.get(main.source) ?? 0;
    for (const edge of ins) {
      if (edge === main || (depth.get(edge.source) ?? 0) >= mainDepth) continue;
      const chain = [edge.id];
      let current = edge.source;
      let forked = false;
      for (let guard = 0; guard < nodes.size; guard++) {
        if (reachesAny(current, new Set([main.source]), target, outgoing)) {
          forked = true;
          break;
        }
        const into = incoming.get(current) ?? [];
        if (into.length !== 1 || (outgoing.get(current) ?? []).length !== 1) break;
        chain.push(into[0]!.id);
        current = into[0]!.source;
      }
      if (forked) chain.forEach((id) => skips.add(id));
    }
  }
  return skips;
}

/** Longest distance from a source node, by Kahn's order; nodes on cycles keep 0. */
function longestDepth(nodes: ReadonlySet<string>, incoming: ReadonlyMap<string, SimpleEdge[]>, outgoing: ReadonlyMap<string, SimpleEdge[]>): Map<string, number> {
  const depth = new Map<string, number>();
  const pending = new Map<string, number>();
  const queue: string[] = [];
  for (const id of nodes) {
    const n = incoming.get(id)?.length ?? 0;
    pending.set(id, n);
    depth.set(id, 0);
    if (n === 0) queue.push(id);
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const e of outgoing.get(id) ?? []) {
      depth.set(e.target, Math.max(depth.get(e.target)!, depth.get(id)! + 1));
      const left = pending.get(e.target)! - 1;
      pending.set(e.target, left);
      if (left === 0) queue.push(e.target);
    }
  }
  return depth;
}

/** Breadth-first search from `start` (itself included) for any of `goals`, never walking past `stop`. */
function reachesAny(start: string, goals: ReadonlySet<string>, stop: string, outgoing: ReadonlyMap<string, SimpleEdge[]>): boolean {
  if (goals.size === 0) return false;
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const e of outgoing.get(queue[head]!) ?? []) {
      const next = e.target;
      if (next === stop || seen.has(next)) continue;
      if (goals.has(next)) return true;
      seen.add(next);
      queue.push(next);
    }
  }
  return false;
}
