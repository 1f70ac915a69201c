import type { Diagnostic } from '../../graph-schema/diagnostics';
import type { NetweaveDocument } from '../../graph-schema/document';
import { getLayerDef } from '../../graph-schema/registry';
import { analyzeGraph } from '../../graph-schema/infer';
import { formatShape } from '../../graph-schema/shape';

export interface SummaryJson {
  nodes: { id: string; kind: string; outputShape: (number | null)[] | null; params: { trainable: number; nonTrainable: number } }[];
  totals: { trainable: number; nonTrainable: number; total: number };
  diagnostics: Pick<Diagnostic, 'code' | 'severity' | 'message' | 'nodeId' | 'edgeId'>[];
}

export function buildSummary(document: NetweaveDocument, loadWarnings: Diagnostic[] = []): SummaryJson {
  const analysis = analyzeGraph(document.graph);
  const ordered = [...analysis.order, ...document.graph.nodes.map((n) => n.id).filter((id) => !analysis.nodes.has(id))];
  const kindOf = new Map(document.graph.nodes.map((n) => [n.id, n.kind]));
  const seen = new Set<string>();
  const diagnostics = [...loadWarnings, ...analysis.diagnostics].filter((d) => {
    // The loader and the analysis both see some problems (unknown kinds, dangling edges); report each once.
    const key = `${d.code}|${d.nodeId ?? ''}|${d.edgeId ?? ''}|${d.param ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    nodes: [...new Set(ordered)].map((id) => {
      const info = analysis.nodes.get(id);
      return {
        id,
        kind: kindOf.get(id) ?? info?.kind ?? '?',
        outputShape: info?.outputShape ? [...info.outputShape] : null,
        params: { trainable: info?.paramCount.trainable ?? 0, nonTrainable: info?.paramCount.nonTrainable ?? 0 },
      };
    }),
    totals: { trainable: analysis.totals.trainable, nonTrainable: analysis.totals.nonTrainable, total: analysis.totals.total },
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...(d.nodeId !== undefined ? { nodeId: d.nodeId } : {}),
      ...(d.edgeId !== undefined ? { edgeId: d.edgeId } : {}),
    })),
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** A Keras-like table: node, kind, output shape, params; then totals and diagnostics. */
export function formatSummaryTable(document: NetweaveDocument, summary: SummaryJson): string {
  const labels = new Map(document.graph.nodes.map((n) => [n.id, n.label]));
  const rows = summary.nodes.map((n) => {
    const label = labels.get(n.id);
    const def = getLayerDef(n.kind);
    return [
      label && label !== n.id ? `${n.id} (${label})` : n.id,
      def?.expand ? `${n.kind} [block]` : n.kind,
      n.outputShape ? formatShape(n.outputShape) : '—',
      fmt(n.params.trainable + n.params.nonTrainable),
    ];
  });
  const header = ['Node', 'Kind', 'Output shape', 'Params'];
  // A loop, not Math.max(...rows): spreading a large graph's rows overflows the stack.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const out = [`Model: ${document.name}`, rule, line(header), rule, ...rows.map(line), rule];
  out.push(`Total params: ${fmt(summary.totals.total)}`);
  out.push(`Trainable params: ${fmt(summary.totals.trainable)}`);
  out.push(`Non-trainable params: ${fmt(summary.totals.nonTrainable)}`);
  if (summary.diagnostics.length > 0) {
    out.push('', 'Diagnostics:');
    for (const d of summary.diagnostics) {
      const where = d.nodeId ? ` [node ${d.nodeId}]` : d.edgeId ? ` [edge ${d.edgeId}]` : '';
      out.push(`  ${d.severity}  ${d.code}${where}: ${d.message}`);
    }
  }
  return out.join('\n');
}
