import { centerOnNode } from '../canvas/flow-instance';
import { formatBytes, formatCompact, formatCount } from '../format';
import { useUi } from '../store/ui-store';
import { editorStore, useEditor } from '../store/use-editor';

/** Selects the node a diagnostic is about and brings it into view. */
export function revealDiagnostic(nodeId: string | undefined, edgeId: string | undefined): void {
  if (nodeId) {
    editorStore.getState().selectOnly([nodeId]);
    centerOnNode(nodeId);
  } else if (edgeId) {
    editorStore.getState().selectOnly([], [edgeId]);
  }
}

export function StatusBar() {
  const totals = useEditor((s) => s.analysis.totals);
  const diagnostics = useEditor((s) => s.analysis.diagnostics);
  const nodeCount = useEditor((s) => s.document.graph.nodes.length);
  const open = useUi((s) => s.diagnosticsOpen);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <footer className="nw-status" data-testid="status-bar">
      <span className="nw-status-item" title="Trainable + non-trainable parameters">
        <span className="nw-status-key">Params</span>
        <span className="nw-mono" data-testid="status-total" data-count={totals.total}>
          {formatCount(totals.total)}
        </span>
      </span>
      <span className="nw-status-item">
        <span className="nw-status-key">Trainable</span>
        <span className="nw-mono" data-testid="status-trainable" data-count={totals.trainable}>
          {formatCount(totals.trainable)}
        </span>
      </span>
      <span className="nw-status-item">
        <span className="nw-status-key">Non-trainable</span>
        <span className="nw-mono" data-testid="status-nontrainable" data-count={totals.nonTrainable}>
          {formatCount(totals.nonTrainable)}
        </span>
      </span>
      <span className="nw-status-item" title="Multiply-adds of one forward pass for one example">
        <span className="nw-status-key">MACs</span>
        <span className="nw-mono" data-testid="status-macs" data-count={totals.macs}>
          {formatCompact(totals.macs)}
        </span>
      </span>
      <span className="nw-status-item" title="Parameters × 4 bytes (float32)">
        <span className="nw-status-key">Weights</span>
        <span className="nw-mono" data-testid="status-memory">
          {formatBytes(totals.total * 4)}
        </span>
      </span>
      <span className="nw-status-item nw-muted">{nodeCount} layers</span>
      <span className="nw-status-spacer" />
      <button
        className={`nw-status-diag${errors > 0 ? ' has-errors' : warnings > 0 ? ' has-warnings' : ' is-ok'}`}
        onClick={() => useUi.getState().set({ diagnosticsOpen: !open })}
        data-testid="status-diagnostics"
        data-errors={errors}
        data-warnings={warnings}
        title="Show the problems list"
      >
        {errors === 0 && warnings === 0 ? '✓ No problems' : `${errors} error${errors === 1 ? '' : 's'} · ${warnings} warning${warnings === 1 ? '' : 's'}`}
      </button>
    </footer>
  );
}

export function DiagnosticsPanel() {
  const diagnostics = useEditor((s) => s.analysis.diagnostics);
  const open = useUi((s) => s.diagnosticsOpen);
  if (!open) return null;
  const sorted = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <div className="nw-diagnostics" data-testid="diagnostics-panel">
      <div className="nw-diagnostics-head">
        <span>Problems</span>
        <button className="nw-icon-button" onClick={() => useUi.getState().set({ diagnosticsOpen: false })} title="Close" data-testid="diagnostics-close">
          ×
        </button>
      </div>
      {sorted.length === 0 && <div className="nw-muted nw-pad">The graph has no problems.</div>}
      <ul>
        {sorted.map((d, i) => (
          <li key={`${d.code}-${d.nodeId ?? d.edgeId ?? ''}-${i}`}>
            <button
              className={`nw-diag is-${d.severity}`}
              onClick={() => revealDiagnostic(d.nodeId, d.edgeId)}
              data-testid={`diagnostic-item-${i}`}
              data-node-id={d.nodeId ?? ''}
              data-code={d.code}
            >
              <span className="nw-diag-icon">{d.severity === 'error' ? '●' : '▲'}</span>
              <span className="nw-diag-where nw-mono">{d.nodeId ?? d.edgeId ?? 'graph'}</span>
              <span className="nw-diag-message">{d.message}</span>
              <span className="nw-diag-code">{d.code}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
