import type { Diagnostic } from './diagnostics';
import type { NetweaveDocument } from './document';
import { currentDocumentVersion, documentFormat, documentSchema } from './document';
import { jsonTextDepth, maxDocumentBytes, maxDocumentDepth, maxDocumentEdges, maxDocumentNodes, nullPrototypeReviver, valueDepth } from './document-limits';
import { migrations } from './migrations';
import type { Migration } from './migrations';
import { resolveParams } from './params';
import { getLayerDef } from './registry';

export interface LoadError {
  code: 'parse-error' | 'format-unknown' | 'version-too-new' | 'version-invalid' | 'document-invalid' | 'document-too-large' | 'document-too-deep';
  message: string;
}

export type LoadResult =
  | { ok: true; document: NetweaveDocument; warnings: Diagnostic[]; migratedFrom?: number }
  | { ok: false; error: LoadError };

function describeJsonError(text: string, err: unknown): string {
  if (text.trim().length === 0) return 'The file is empty.';
  // The parser's own message quotes the file; only the place is said, never the contents.
  const position = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  let where = '';
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    where = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  } else if (/end of JSON|Unterminated/i.test(err instanceof Error ? err.message : '')) where = ' (it ends too early)';
  return `The file is not valid JSON${where}. It may be truncated or hand-edited; restore it from a backup or the recovery file.`;
}

/**
 * parse → check the format → migrate step by step → validate → document plus warnings.
 * Never throws: every failure is a value with a stable code.
 */
export function loadDocument(text: string, stepMigrations: readonly Migration[] = migrations): LoadResult {
  // A UTF-8 byte order mark (some editors write one) is not part of the JSON.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length > maxDocumentBytes) {
    return { ok: false, error: { code: 'document-too-large', message: `The project is ${body.length} characters long; projects are at most ${maxDocumentBytes} bytes.` } };
  }
  if (jsonTextDepth(body, maxDocumentDepth) > maxDocumentDepth) return tooDeep();
  let raw: unknown;
  try {
    raw = JSON.parse(body, nullPrototypeReviver);
  } catch (err) {
    return { ok: false, error: { code: 'parse-error', message: describeJsonError(body, err) } };
  }
  return loadDocumentValue(raw, stepMigrations);
}

function tooDeep(): { ok: false; error: LoadError } {
  return {
    ok: false,
    error: { code: 'document-too-deep', message: `The project nests lists or objects more than ${maxDocumentDepth} levels deep; a Netweave project never does. The file is damaged or not a project.` },
  };
}

function countProblem(raw: Record<string, unknown>): LoadError | null {
  const graph = raw.graph as { nodes?: unknown; edges?: unknown } | null | undefined;
  if (graph === null || typeof graph !== 'object') return null;
  const nodes = Array.isArray(graph.nodes) ? graph.nodes.length : 0;
  const edges = Array.isArray(graph.edges) ? graph.edges.length : 0;
  if (nodes <= maxDocumentNodes && edges <= maxDocumentEdges) return null;
  return {
    code: 'document-too-large',
    message: `The graph has ${nodes} nodes and ${edges} edges; a project holds at most ${maxDocumentNodes} nodes and ${maxDocumentEdges} edges. Split it, or group layers into blocks.`,
  };
}

/** The param names each node has in the file, before validation (which drops names such as "__proto__"). */
function storedParamNames(raw: Record<string, unknown>): string[][] {
  const nodes = (raw.graph as { nodes?: unknown } | null | undefined)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.map((n) => {
    const params = n !== null && typeof n === 'object' ? (n as { params?: unknown }).params : undefined;
    return params !== null && typeof params === 'object' && !Array.isArray(params) ? Object.keys(params) : [];
  });
}

export function loadDocumentValue(raw: unknown, stepMigrations: readonly Migration[] = migrations): LoadResult {
  if (valueDepth(raw, maxDocumentDepth) > maxDocumentDepth) return tooDeep();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { format?: unknown }).format !== documentFormat) {
    return { ok: false, error: { code: 'format-unknown', message: `This is not a Netweave project (expected "format": "${documentFormat}").` } };
  }
  const version = (raw as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, error: { code: 'version-invalid', message: 'The project has no valid "version" number; the file is damaged.' } };
  }
  if (version > currentDocumentVersion) {
    const writer = (raw as { appVersion?: unknown }).appVersion;
    return {
      ok: false,
      error: {
        code: 'version-too-new',
        message: `This project was saved by a newer Netweave${typeof writer === 'string' ? ` (${writer})` : ''} in format version ${version}; this app reads up to version ${currentDocumentVersion}. Update Netweave to open it.`,
      },
    };
  }
  const tooMany = countProblem(raw as Record<string, unknown>);
  if (tooMany) return { ok: false, error: tooMany };
  const migrated = runMigrations(raw as Record<string, unknown>, version, currentDocumentVersion, stepMigrations);
  if (!migrated.ok) return migrated;
  const current = migrated.document;
  const parsed = documentSchema.safeParse(current);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the document';
    return {
      ok: false,
      error: {
        code: 'document-invalid',
        message: `The project is damaged at ${where}: ${issue.message}.${parsed.error.issues.length > 1 ? ` (${parsed.error.issues.length - 1} more problem(s))` : ''}`,
      },
    };
  }
  const document = parsed.data;
  const warnings = checkDocument(document, storedParamNames(current));
  return { ok: true, document, warnings, ...(version !== currentDocumentVersion ? { migratedFrom: version } : {}) };
}

/** Applies the steps from `from` up to `to`, one version at a time, on a copy. */
export function runMigrations(
  raw: Record<string, unknown>,
  from: number,
  to: number,
  steps: readonly Migration[],
): { ok: true; document: Record<string, unknown> } | { ok: false; error: LoadError } {
  let current = structuredClone(raw);
  for (let at = from; at < to; at++) {
    const step = steps.find((m) => m.from === at);
    if (!step) {
      return { ok: false, error: { code: 'version-invalid', message: `No migration from format version ${at}; the file cannot be upgraded.` } };
    }
    try {
      current = step.migrate(current);
    } catch (err) {
      return { ok: false, error: { code: 'document-invalid', message: `The upgrade from format version ${at} failed (${err instanceof Error ? err.message : String(err)}); the file may be damaged.` } };
    }
    current.version = at + 1;
  }
  return { ok: true, document: current };
}

/** Problems that leave the document loadable: reported per node or edge, nothing dropped silently. */
export function checkDocument(document: NetweaveDocument, storedNames: readonly (readonly string[])[] = []): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const [index, node] of document.graph.nodes.entries()) {
    if (ids.has(node.id)) {
      warnings.push({ code: 'duplicate-id', severity: 'error', message: `Two nodes share the id "${node.id}". Delete or rename one.`, nodeId: node.id });
    }
    ids.add(node.id);
    const def = getLayerDef(node.kind);
    if (!def) {
      warnings.push({
        code: 'unknown-kind',
        severity: 'error',
        message: `Node "${node.label ?? node.id}" has unknown layer kind "${node.kind}"; it is kept as it is. Replace it with a known layer.`,
        nodeId: node.id,
      });
      continue;
    }
    const resolved = resolveParams(def.params, node.params);
    for (const p of resolved.typeProblems) warnings.push({ code: p.code, severity: 'error', message: p.message, nodeId: node.id, param: p.param });
    // Names the validation dropped ("__proto__") get the same warning as every other unknown name.
    const unknownNames = new Set(resolved.unknown);
    for (const name of storedNames[index] ?? []) if (!Object.prototype.hasOwnProperty.call(def.params, name)) unknownNames.add(name);
    for (const name of unknownNames) {
      warnings.push({ code: 'param-unknown', severity: 'warning', message: `${def.label} has no parameter "${name}"; it is ignored.`, nodeId: node.id, param: name });
    }
  }
  const edgeIds = new Set<string>();
  for (const edge of document.graph.edges) {
    if (edgeIds.has(edge.id)) warnings.push({ code: 'duplicate-id', severity: 'error', message: `Two edges share the id "${edge.id}".`, edgeId: edge.id });
    edgeIds.add(edge.id);
    for (const end of [edge.source, edge.target]) {
      if (!ids.has(end)) {
        warnings.push({ code: 'dangling-edge', severity: 'error', message: `Edge "${edge.id}" refers to missing node "${end}". Delete the edge.`, edgeId: edge.id });
      }
    }
  }
  return warnings;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Current version, fixed key order for the envelope and sorted keys inside, so files diff well. */
export function saveDocument(document: NetweaveDocument): string {
  const ordered = {
    format: documentFormat,
    version: currentDocumentVersion,
    appVersion: document.appVersion,
    name: document.name,
    graph: {
      nodes: document.graph.nodes.map((n) => ({
        id: n.id,
        kind: n.kind,
        ...(n.label !== undefined ? { label: n.label } : {}),
        params: sortKeys(n.params),
        position: { x: n.position.x, y: n.position.y },
        ...(n.collapsed !== undefined ? { collapsed: n.collapsed } : {}),
        // Only a frozen node says so: absent means trainable.
        ...(n.trainable === false ? { trainable: false } : {}),
      })),
      edges: document.graph.edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort })),
    },
    training: sortKeys(document.training),
    view: sortKeys(document.view),
    // Training runs kept with the project (teaching lab); absent when there are none.
    ...(document.runs && document.runs.length > 0 ? { runs: document.runs } : {}),
    // Weights kept beside an imported project.
    ...(document.weights ? { weights: document.weights } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
