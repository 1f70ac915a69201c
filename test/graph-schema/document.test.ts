import { describe, expect, it } from 'vitest';
import { createDocument, currentDocumentVersion, documentFormat } from '../../graph-schema/document';
import type { Graph } from '../../graph-schema/document';
import { loadDocument, runMigrations, saveDocument } from '../../graph-schema/load-save';
import type { Migration } from '../../graph-schema/migrations';

const graph: Graph = {
  nodes: [
    { id: 'in', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } },
    { id: 'd', kind: 'Dense', label: 'hidden', params: { units: 3, activation: 'relu' }, position: { x: 10, y: 100 } },
  ],
  edges: [{ id: 'e1', source: 'in', sourcePort: 'out', target: 'd', targetPort: 'in' }],
};

function envelope(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { format: documentFormat, version: currentDocumentVersion, appVersion: '0.1.0', name: 'probe', graph, ...extra };
}

describe('document load', () => {
  it('round-trips through save and load unchanged', () => {
    const doc = createDocument(graph, 'probe', { epochs: 3 });
    const text = saveDocument(doc);
    const loaded = loadDocument(text);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.warnings).toEqual([]);
    expect(loaded.document).toEqual(doc);
    expect(saveDocument(loaded.document)).toBe(text);
  });

  it('saves with a stable key order regardless of insertion order', () => {
    const a = createDocument({ ...graph, nodes: [{ ...graph.nodes[1]!, params: { activation: 'relu', units: 3 } }, graph.nodes[0]!] });
    const b = createDocument({ ...graph, nodes: [{ ...graph.nodes[1]!, params: { units: 3, activation: 'relu' } }, graph.nodes[0]!] });
    expect(saveDocument(a)).toBe(saveDocument(b));
    const text = saveDocument(a);
    expect(text.indexOf('"format"')).toBeLessThan(text.indexOf('"version"'));
    expect(text.indexOf('"version"')).toBeLessThan(text.indexOf('"graph"'));
    expect(text.indexOf('"activation"')).toBeLessThan(text.indexOf('"units"'));
    expect(text.endsWith('\n')).toBe(true);
  });

  it('fills defaults for missing optional sections', () => {
    const loaded = loadDocument(JSON.stringify(envelope()));
    expect(loaded.ok && loaded.document.training.optimizer).toBe('adam');
    expect(loaded.ok && loaded.document.view).toEqual({});
  });

  it.each([
    ['empty file', '', 'parse-error'],
    ['truncated file', JSON.stringify(envelope()).slice(0, 60), 'parse-error'],
    ['not JSON', 'hello', 'parse-error'],
    ['a JSON array', '[]', 'format-unknown'],
    ['another format', JSON.stringify({ format: 'other', version: 1 }), 'format-unknown'],
    ['no version', JSON.stringify({ format: documentFormat }), 'version-invalid'],
    ['fractional version', JSON.stringify({ format: documentFormat, version: 1.5 }), 'version-invalid'],
    ['newer version', JSON.stringify(envelope({ version: currentDocumentVersion + 1, appVersion: '9.0.0' })), 'version-too-new'],
    ['nodes not an array', JSON.stringify(envelope({ graph: { nodes: {}, edges: [] } })), 'document-invalid'],
    ['node without id', JSON.stringify(envelope({ graph: { nodes: [{ kind: 'Dense' }], edges: [] } })), 'document-invalid'],
    ['edge without target', JSON.stringify(envelope({ graph: { nodes: [], edges: [{ id: 'e', source: 'a' }] } })), 'document-invalid'],
    ['bad training value', JSON.stringify(envelope({ training: { batchSize: -3 } })), 'document-invalid'],
  ])('refuses %s with a stable code and a message', (_name, text, code) => {
    const result = loadDocument(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(10);
  });

  it('names the newer app version when refusing a newer file', () => {
    const result = loadDocument(JSON.stringify(envelope({ version: 99, appVersion: '9.0.0' })));
    expect(!result.ok && result.error.message).toMatch(/9\.0\.0.*version 99/);
  });

  it('names the place of a structural problem', () => {
    const result = loadDocument(JSON.stringify(envelope({ graph: { nodes: [{ id: 'a', kind: 'Dense', position: { x: 'left', y: 0 } }], edges: [] } })));
    expect(!result.ok && result.error.message).toContain('graph.nodes.0.position.x');
  });

  it('keeps unknown kinds, dangling edges and wrong param types, reporting each', () => {
    const text = JSON.stringify(
      envelope({
        graph: {
          nodes: [
            { id: 'in', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } },
            { id: 'x', kind: 'Quantum', params: {}, position: { x: 0, y: 0 } },
            { id: 'd', kind: 'Dense', params: { units: 'many', colour: 'red' }, position: { x: 0, y: 0 } },
          ],
          edges: [
            { id: 'e1', source: 'in', target: 'd' },
            { id: 'e2', source: 'd', target: 'ghost' },
          ],
        },
      }),
    );
    const result = loadDocument(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.graph.nodes.map((n) => n.id)).toEqual(['in', 'x', 'd']);
    expect(result.document.graph.nodes[2]!.params.units).toBe('many');
    const codes = result.warnings.map((w) => `${w.code}:${w.nodeId ?? w.edgeId}`);
    expect(codes).toEqual(expect.arrayContaining(['unknown-kind:x', 'param-invalid:d', 'param-unknown:d', 'dangling-edge:e2']));
  });

  it('reports duplicate node and edge ids', () => {
    const dup = { ...graph, nodes: [...graph.nodes, graph.nodes[1]!], edges: [...graph.edges, graph.edges[0]!] };
    const result = loadDocument(JSON.stringify(envelope({ graph: dup })));
    expect(result.ok && result.warnings.filter((w) => w.code === 'duplicate-id').length).toBe(2);
  });
});

describe('migrations', () => {
  // The format's history starts at version 1; these steps exercise the machinery with a fictitious older history.
  const renameLinks: Migration = {
    from: 1,
    describe: 'links → edges',
    migrate: (d) => {
      const g = d.graph as { nodes: unknown[]; links?: unknown[] };
      const { links, ...rest } = g;
      return { ...d, graph: { ...rest, edges: links ?? [] } };
    },
  };
  const addName: Migration = { from: 2, describe: 'add name', migrate: (d) => ({ ...d, name: d.name ?? 'migrated' }) };

  it('runs each step in order and stamps each version', () => {
    const old = { format: documentFormat, version: 1, graph: { nodes: [], links: [{ id: 'e' }] } };
    const result = runMigrations(old, 1, 3, [addName, renameLinks]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document).toEqual({ format: documentFormat, version: 3, name: 'migrated', graph: { nodes: [], edges: [{ id: 'e' }] } });
    expect(old.graph.links).toHaveLength(1); // the input is not mutated
  });

  it('reports a missing step instead of guessing', () => {
    const result = runMigrations({ version: 1 }, 1, 3, [addName]);
    expect(!result.ok && result.error.code).toBe('version-invalid');
    expect(!result.ok && result.error.message).toContain('version 1');
  });

  it('refuses version 0', () => {
    const result = loadDocument(JSON.stringify(envelope({ version: 0 })));
    expect(!result.ok && result.error.code).toBe('version-invalid');
  });
});
