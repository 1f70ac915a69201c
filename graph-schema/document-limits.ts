/**
 * Limits a document must keep before any work is done on it, checked up front
 * so that nothing later (parse, migrations, validation, inference, saving) can
 * run out of stack or time. SQLite's JSON functions cap nesting the same way.
 */

/** Bytes of a project file or payload. */
export const maxDocumentBytes = 64 * 1024 * 1024;
/** Nesting of arrays and objects anywhere in the document. A real project needs about 8. */
export const maxDocumentDepth = 64;
/** Nesting inside one node's params. */
export const maxParamDepth = 16;
/** Nodes and edges of a graph: past these, editing and analysis are no longer interactive. */
export const maxDocumentNodes = 50_000;
export const maxDocumentEdges = 100_000;

/** Deepest nesting of [ and { in JSON text, outside strings; stops counting past `limit`. Linear, no recursion. */
export function jsonTextDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** Deepest nesting of a value (arrays and objects); stops past `limit`. Iterative, so any depth is safe to measure. */
export function valueDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  const stack: [unknown, number][] = [[value, 1]];
  let deepest = 0;
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    seen.add(item);
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const key of Object.keys(item)) {
      const child = (item as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * JSON.parse reviver: every object gets a null prototype, so keys such as
 * "__proto__", "constructor" or "toString" are plain own keys, never inherited names.
 */
export function nullPrototypeReviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}
