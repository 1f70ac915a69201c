import type { NetweaveDocument } from '../document';

/**
 * Freezing is a per-node flag (`trainable: false`); these edits mutate a plain document (the editor runs
 * them inside its immer recipes). Unfreezing removes the flag, so a trainable node stays as it was saved.
 */

export function setTrainable(document: NetweaveDocument, ids: Iterable<string>, trainable: boolean): number {
  const wanted = new Set(ids);
  let changed = 0;
  for (const node of document.graph.nodes) {
    if (!wanted.has(node.id) || (node.trainable !== false) === trainable) continue;
    if (trainable) delete node.trainable;
    else node.trainable = false;
    changed++;
  }
  return changed;
}

/** The node and every node whose output reaches it: "freeze everything up to here" for transfer learning. */
export function nodesUpTo(document: NetweaveDocument, id: string): string[] {
  const incoming = new Map<string, string[]>();
  for (const e of document.graph.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const seen = new Set<string>([id]);
  const stack = [id];
  while (stack.length > 0) {
    for (const source of incoming.get(stack.pop()!) ?? []) {
      if (seen.has(source)) continue;
      seen.add(source);
      stack.push(source);
    }
  }
  return document.graph.nodes.filter((n) => seen.has(n.id)).map((n) => n.id);
}

export function freezeUpTo(document: NetweaveDocument, id: string): number {
  return setTrainable(document, nodesUpTo(document, id), false);
}
