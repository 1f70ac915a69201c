import type { Diagnostic } from './diagnostics';
import type { NetweaveDocument } from './document';
import { currentDocumentVersion, documentFormat, documentSchema } from './document';
import { migrations } from './migrations';
import type { Migration } from './migrations';
import { resolveParams } from './params';
import { getLayerDef } from './registry';

export interface LoadError {
  code: 'parse-error' | 'format-unknown' | 'version-too-new' | 'version-invalid' | 'document-invalid';
  message: string;
}

export type LoadResult =
  | { ok: true; document: NetweaveDocument; warnings: Diagnostic[]; migratedFrom?: number }
  | { ok: false; error: LoadError };

function describeJsonError(text: string, err: unknown): string {
  // The parser quotes the offending text, which may hold line breaks: keep the message on one line.
  const reason = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  if (text.trim().length === 0) return 'The file is empty.';
  return `The file is not valid JSON (${reason}). It may be truncated or hand-edited; restore it from a backup or the recovery file.`;
}

/**
 * parse → check the format → migrate step by step → validate → document plus warnings.
 * Never throws: every failure is a value with a stable code.
 */
export function loadDocument(text: string, stepMigrations: readonly Migration[] = migrations): LoadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: { code: 'parse-error', message: describeJsonError(text, err) } };
  }
  return loadDocumentValue(raw, stepMigrations);
}

export function loadDocumentValue(raw: unknown, stepMigrations: readonly Migration[] = migrations): LoadResult {
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
  const warnings = checkDocument(document);
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
export function checkDocument(document: NetweaveDocument): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const node of document.graph.nodes) {
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
    for (const name of resolved.unknown) {
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
      })),
      edges: document.graph.edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort })),
    },
    training: sortKeys(document.training),
    view: sortKeys(document.view),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
