import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { maxDocumentDepth, maxDocumentNodes } from '../../graph-schema/document-limits';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument, loadDocumentValue, runMigrations, saveDocument } from '../../graph-schema/load-save';
import { templates } from '../../graph-schema/templates/index';
import { layerKindNames } from '../../graph-schema/registry';
import { buildSummary, formatSummaryTable } from '../../main/cli/summary-command';
import { seededRandom as seeded } from '../export/random-graph';

const prototypeNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];
const strange: unknown[] = [
  null, true, false, 0, -1, 1, 2, 3, 1e6, 1e9, 1e18, 1e308, -1e308, 2 ** 53, 0.5, -0, '', 'x', '\u0000\u001b[2J', 'same',
  [], [0], [1e6, 1e6, 1e6], [-5, 3], [1, 2, 3, 4, 5], [null], {}, { a: 1 }, 'Dense', 'Input', 'relu', 'valid', 'same', 'out', 'in',
  ...prototypeNames,
];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/** All containers of a value, with the key that leads to each child. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const stack = [root];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      item.forEach((child, i) => {
        out.push([item, i]);
        stack.push(child);
      });
      continue;
    }
    for (const key of Object.keys(item)) {
      out.push([item as Record<string, unknown>, key]);
      stack.push((item as Record<string, unknown>)[key]);
    }
  }
  return out;
}

function mutate(base: unknown, rnd: () => number): unknown {
  const doc = structuredClone(base) as Record<string, unknown>;
  const steps = 1 + Math.floor(rnd() * 4);
  for (let s = 0; s < steps; s++) {
    const all = slots(doc);
    if (all.length === 0) break;
    const [parent, key] = pick(rnd, all);
    const op = rnd();
    const set = (v: unknown) => ((parent as Record<string | number, unknown>)[key] = v);
    // Copies: the constants are shared by all rounds, and a later step may mutate what it placed.
    if (op < 0.35) set(structuredClone(pick(rnd, strange)));
    else if (op < 0.45) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
    }
    else if (op < 0.55 && !Array.isArray(parent)) Object.defineProperty(parent, pick(rnd, prototypeNames), { value: structuredClone(pick(rnd, strange)), enumerable: true, configurable: true, writable: true });
    else if (op < 0.65) set(pick(rnd, layerKindNames));
    else if (op < 0.72) {
      if (Array.isArray(parent)) parent.push(structuredClone(pick(rnd, parent)));
      else set(structuredClone(doc.graph));
    }
    else if (op < 0.8) {
      // Rewire: an edge to a random node, or a node's id taken by another.
      const graph = doc.graph as { nodes?: { id?: unknown }[]; edges?: { source?: unknown; target?: unknown }[] } | undefined;
      const nodes = Array.isArray(graph?.nodes) ? graph!.nodes : [];
      const edges = Array.isArray(graph?.edges) ? graph!.edges : [];
      if (nodes.length > 0 && edges.length > 0) {
        const edge = pick(rnd, edges);
        if (edge && typeof edge === 'object') edge[rnd() < 0.5 ? 'source' : 'target'] = pick(rnd, nodes)?.id;
      }
    } else if (op < 0.86) {
      let deep: unknown = 1;
      const depth = Math.floor(rnd() * 90);
      for (let d = 0; d < depth; d++) deep = rnd() < 0.5 ? [deep] : { k: deep };
      set(deep);
    } else if (op < 0.93) set(Math.floor(rnd() * 2 ** 31) * (rnd() < 0.5 ? 1 : 1e6));
    else set(Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => Math.floor(rnd() * 1e7)));
  }
  return doc;
}

function mutateText(text: string, rnd: () => number): string {
  const op = rnd();
  const at = Math.floor(rnd() * text.length);
  if (op < 0.3) return text.slice(0, at);
  if (op < 0.6) return text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 128)) + text.slice(at + 1);
  if (op < 0.8) return `\uFEFF${text}`;
  return text.slice(0, at) + pick(rnd, ['{', '[', '"', '}', ']', ',', '\\', '1e999', 'null']) + text.slice(at);
}

/** Everything that runs on an accepted document: validation, inference, summary, saving and loading again. */
function exercise(text: string): boolean {
  const loaded = loadDocument(text);
  if (!loaded.ok) {
    if (typeof loaded.error.code !== 'string' || loaded.error.message.length === 0) throw new Error('an error without code or message');
    return false;
  }
  analyzeGraph(loaded.document.graph);
  formatSummaryTable(loaded.document, buildSummary(loaded.document, loaded.warnings));
  const again = loadDocument(saveDocument(loaded.document));
  if (!again.ok) throw new Error(`an accepted document does not load after saving: ${again.error.code}`);
  return true;
}

describe('the loader never throws', () => {
  // Small templates keep 10,000 rounds quick; together they hold every common kind and a block.
  const bases = templates
    .map((t) => ({ t, built: t.build() }))
    .filter(({ built }) => built.graph.nodes.length <= 16)
    .map(({ t, built }) => JSON.parse(saveDocument(createDocument(built.graph, t.name, built.training))) as unknown);

  it('10,000 seeded mutated documents: no exception escapes the loader or inference, none takes over a second', () => {
    const rnd = seeded(20261201);
    let accepted = 0;
    let slowest = 0;
    const failures: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const base = bases[i % bases.length]!;
      let text = JSON.stringify(mutate(base, rnd));
      if (rnd() < 0.2) text = mutateText(text, rnd);
      const started = performance.now();
      try {
        if (exercise(text)) accepted++;
      } catch (error) {
        if (failures.length < 5) failures.push(`#${i}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    expect(failures).toEqual([]);
    expect(slowest).toBeLessThan(1000);
    // The mutations must leave many documents loadable, or the test would prove little about inference.
    expect(accepted).toBeGreaterThan(1500);
  });

  it('refuses deep nesting with a coded error, in text, in values and in migrations', () => {
    const deepText = `{"format":"netweave.graph","version":1,"graph":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(loadDocument(deepText)).toMatchObject({ ok: false, error: { code: 'document-too-deep' } });
    let deep: unknown = 1;
    for (let d = 0; d < 5000; d++) deep = { k: deep };
    expect(loadDocumentValue({ format: 'netweave.graph', version: 1, graph: deep })).toMatchObject({ ok: false, error: { code: 'document-too-deep' } });
    // A document an old version wrote goes through the migrations only after the check.
    const steps = [{ from: 0, describe: 'test', migrate: (d: Record<string, unknown>) => d }];
    expect(loadDocumentValue({ format: 'netweave.graph', version: 1, x: deep }, steps)).toMatchObject({ ok: false, error: { code: 'document-too-deep' } });
    expect(runMigrations({ a: 1 }, 1, 1, steps)).toMatchObject({ ok: true });
    const justInside = `{"a":${'['.repeat(maxDocumentDepth - 1)}${']'.repeat(maxDocumentDepth - 1)}}`;
    expect(loadDocument(justInside)).toMatchObject({ ok: false, error: { code: 'format-unknown' } });
  });

  it('accepts a UTF-8 byte order mark', () => {
    const built = templates[0]!.build();
    const text = saveDocument(createDocument(built.graph, 'bom', built.training));
    expect(loadDocument(`\uFEFF${text}`)).toMatchObject({ ok: true });
  });

  it('warns the same way about every unknown param, prototype names included', () => {
    const names = ['unitz', ...prototypeNames.filter((n) => n !== 'prototype')];
    const params = `{"units":4,${names.map((n, i) => `"${n}":${i}`).join(',')}}`;
    const text = `{"format":"netweave.graph","version":1,"appVersion":"0.1.0","name":"p","graph":{"nodes":[{"id":"in","kind":"Input","params":{"shape":[4]}},{"id":"d","kind":"Dense","params":${params}}],"edges":[{"id":"e","source":"in","target":"d"}]},"training":{}}`;
    const loaded = loadDocument(text);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const unknown = loaded.warnings.filter((w) => w.code === 'param-unknown');
    expect(unknown.map((w) => w.param).sort()).toEqual([...names].sort());
    expect(new Set(unknown.map((w) => w.severity))).toEqual(new Set(['warning']));
  });

  it('refuses a graph above the node limit with a coded error, fast', () => {
    const nodes = Array.from({ length: maxDocumentNodes + 1 }, (_, i) => ({ id: `n${i}`, kind: 'Dense', params: {} }));
    const text = JSON.stringify({ format: 'netweave.graph', version: 1, appVersion: '0.1.0', name: 'big', graph: { nodes, edges: [] }, training: {} });
    const started = performance.now();
    expect(loadDocument(text)).toMatchObject({ ok: false, error: { code: 'document-too-large' } });
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('graphs that cannot be built are refused with a diagnostic naming the node', () => {
  const at = { x: 0, y: 0 };
  it('an unconnected layer: every export refuses naming it, never a TypeError', async () => {
    const { exportCode } = await import('../../graph-schema/export/export-code');
    const graph = {
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [4] }, position: at },
        { id: 'd', kind: 'Dense', params: { units: 3, activation: 'softmax' }, position: at },
        { id: 'lonely', kind: 'Dense', params: { units: 3 }, position: at },
      ],
      edges: [{ id: 'e', source: 'in', sourcePort: 'out', target: 'd', targetPort: 'in' }],
    };
    const doc = createDocument(graph as never, 'unconnected');
    for (const target of ['ts', 'pytorch', 'keras'] as const) {
      const result = exportCode(doc, target);
      expect(result.ok, target).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatchObject({ code: 'graph-invalid', nodeId: 'lonely' });
      expect(result.error.message).toContain('not connected');
    }
  });

  it('sizes past 2^53 get a size-overflow diagnostic instead of inexact figures', () => {
    const graph = {
      nodes: [
        { id: 'in', kind: 'Input', params: { shape: [1e6, 1e6, 1e6] }, position: at },
        { id: 'f', kind: 'Flatten', params: {}, position: at },
        { id: 'd', kind: 'Dense', params: { units: 1e6 }, position: at },
      ],
      edges: [
        { id: 'e1', source: 'in', sourcePort: 'out', target: 'f', targetPort: 'in' },
        { id: 'e2', source: 'f', sourcePort: 'out', target: 'd', targetPort: 'in' },
      ],
    };
    const analysis = analyzeGraph(graph as never);
    expect(analysis.diagnostics).toContainEqual(expect.objectContaining({ code: 'size-overflow', severity: 'error', nodeId: 'in' }));
    expect(Number.isSafeInteger(analysis.totals.total)).toBe(true);
  });

  it('a summary table of a very large graph does not overflow the stack', () => {
    const count = 200_000;
    const summary = { nodes: Array.from({ length: count }, (_, i) => ({ id: `n${i}`, kind: 'Dense', outputShape: [null, 4], params: { trainable: 1, nonTrainable: 0 } })), totals: { trainable: count, nonTrainable: 0, total: count }, diagnostics: [] };
    const doc = createDocument({ nodes: [], edges: [] }, 'big');
    expect(formatSummaryTable(doc, summary as never).split('\n').length).toBeGreaterThan(count);
  });
});
