import type { CSSProperties } from 'react';
import { useMemo, useState } from 'react';
import { getLayerDef } from '../../graph-schema/registry';
import { blockInputIndex, categoryLabels } from '../../graph-schema/layer-def';
import type { Shape } from '../../graph-schema/shape';
import { formatShape, formatShapeCompact } from '../../graph-schema/shape';
import { colorOf } from '../canvas/categories';
import { centerOnNode } from '../canvas/flow-instance';
import { formatBytes, formatCount } from '../format';
import { expandBlockView, isInnerNodeId } from '../../graph-schema/layout/block-geometry';
import { selectedDocumentNodes } from '../store/editor-store';
import { editorStore, useEditor } from '../store/use-editor';
import { alignSelection } from '../canvas/align-toolbar';
import { ParamField } from './param-field';
import { ConvLessonLink, convLessonKinds } from '../lab/conv-lesson-link';
import { workedFormulas } from './worked-formulas';

export function Inspector() {
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const ids = [...selectedNodes];
  return (
    <div className="nw-inspector" data-testid="inspector">
      {ids.length === 1 ? (
        isInnerNodeId(ids[0]!) ? (
          <InnerLayerInspector id={ids[0]!} />
        ) : (
          <NodeInspector key={ids[0]} id={ids[0]!} />
        )
      ) : ids.length > 1 ? (
        <MultiInspector count={ids.length} />
      ) : selectedEdges.size === 1 ? (
        <EdgeInspector id={[...selectedEdges][0]!} />
      ) : (
        <DocumentInspector />
      )}
    </div>
  );
}

function ShapeLine({ label, shape, testId }: { label: string; shape: Shape | null | undefined; testId?: string }) {
  return (
    <div className="nw-kv">
      <span className="nw-kv-key">{label}</span>
      <span className="nw-kv-value nw-mono" data-testid={testId} title={formatShape(shape)}>
        {formatShapeCompact(shape)}
      </span>
    </div>
  );
}

function NodeInspector({ id }: { id: string }) {
  const node = useEditor((s) => s.document.graph.nodes.find((n) => n.id === id));
  const info = useEditor((s) => s.analysis.nodes.get(id));
  const diagnostics = useEditor((s) => s.analysis.diagnostics);
  const [baseline, setBaseline] = useState<{ shape: string; total: number } | null>(null);
  const def = node ? getLayerDef(node.kind) : undefined;
  const inputShapes = info?.inputShapes;
  const inputShape = inputShapes?.[0] ?? null;
  const expansion = useMemo(() => (node && def?.expand ? expandBlockView(node.kind, node.params, inputShape, inputShapes?.length ? inputShapes : [inputShape]) : null), [node, def, inputShape, inputShapes]);
  if (!node) return null;
  const own = diagnostics.filter((d) => d.nodeId === id);
  const total = (info?.paramCount.trainable ?? 0) + (info?.paramCount.nonTrainable ?? 0);
  const shapeText = formatShapeCompact(info?.outputShape);
  const worked = info && def ? workedFormulas(node.kind, info.params, info.inputShapes, info.outputShape, info.paramCount) : {};
  const paramErrors = new Map(own.filter((d) => d.param && d.severity === 'error').map((d) => [d.param!, d.message]));
  const store = editorStore.getState();
  const onFocus = (focused: boolean) => setBaseline(focused ? { shape: shapeText, total } : null);
  const changed = baseline && (baseline.shape !== shapeText || baseline.total !== total);
  return (
    <div style={{ '--cat': colorOf(def?.category ?? 'unknown') } as CSSProperties}>
      <header className="nw-inspector-head">
        <div className="nw-inspector-kind">
          <span className="nw-palette-dot" />
          {def?.label ?? node.kind}
          <span className="nw-muted"> · {def ? categoryLabels[def.category] : 'unknown kind'}</span>
        </div>
        <input
          className="nw-input nw-inspector-name"
          value={node.label ?? ''}
          placeholder={node.id}
          onChange={(e) => store.setLabel(id, e.target.value)}
          data-testid="node-label-input"
          spellCheck={false}
          aria-label="Layer name"
        />
        {def && <p className="nw-inspector-summary">{def.summary}</p>}
      </header>

      <section className="nw-section">
        {info?.inputShapes.map((s, i) => <ShapeLine key={i} label={info.inputShapes.length > 1 ? `Input ${i + 1}` : 'Input'} shape={s} />)}
        <ShapeLine label="Output" shape={info?.outputShape} testId="inspector-shape" />
        <div className="nw-kv">
          <span className="nw-kv-key">Parameters</span>
          <span className="nw-kv-value nw-mono" data-testid="inspector-params" data-count={total}>
            {formatCount(total)}
          </span>
        </div>
        {(info?.paramCount.nonTrainable ?? 0) > 0 && (
          <div className="nw-kv nw-kv-sub">
            <span className="nw-kv-key">trainable / non-trainable</span>
            <span className="nw-kv-value nw-mono">
              {formatCount(info!.paramCount.trainable)} / {formatCount(info!.paramCount.nonTrainable)}
            </span>
          </div>
        )}
        {info && info.macs > 0 && (
          <div className="nw-kv nw-kv-sub">
            <span className="nw-kv-key">Multiply-adds</span>
            <span className="nw-kv-value nw-mono">{formatCount(info.macs)}</span>
          </div>
        )}
        {changed && (
          <div className="nw-effect" data-testid="inspector-effect">
            {baseline.shape !== shapeText && (
              <div>
                Output {baseline.shape} → <strong>{shapeText}</strong>
              </div>
            )}
            {baseline.total !== total && (
              <div>
                Params {formatCount(baseline.total)} → <strong>{formatCount(total)}</strong> ({total >= baseline.total ? '+' : '−'}
                {formatCount(Math.abs(total - baseline.total))})
              </div>
            )}
          </div>
        )}
      </section>

      {own.length > 0 && (
        <section className="nw-section">
          {own.map((d, i) => (
            <div key={i} className={`nw-diag is-${d.severity}`} data-testid="inspector-diagnostic">
              <span className="nw-diag-code">{d.code}</span> {d.message}
            </div>
          ))}
        </section>
      )}

      {def && Object.keys(def.params).length > 0 && (
        <section className="nw-section" data-testid="inspector-params-form">
          <div className="nw-section-title">Parameters</div>
          {Object.entries(def.params).map(([name, spec]) => (
            <ParamField
              key={name}
              name={name}
              spec={spec}
              value={info?.params[name] ?? node.params[name] ?? spec.default}
              onChange={(v) => store.setParam(id, name, v)}
              onFocusChange={onFocus}
              graphError={paramErrors.get(name) ?? null}
              tip={{ layer: def.label, formulas: def.formulas, worked }}
            />
          ))}
        </section>
      )}

      {def?.expand && (
        <section className="nw-section">
          <div className="nw-section-title">
            Block layers
            <button className="nw-button small" onClick={() => store.setExpanded(id, node.collapsed !== false ? true : false)} data-testid="inspector-toggle-expand">
              {node.collapsed === false ? 'Collapse' : 'Expand'}
            </button>
          </div>
          {expansion && (
            <table className="nw-table" data-testid="inspector-block-layers">
              <tbody>
                {expansion.layers.map((l) => (
                  <tr key={l.localId}>
                    <td>{l.label}</td>
                    <td className="nw-mono">{formatShapeCompact(l.outputShape)}</td>
                    <td className="nw-mono nw-right">{formatCount(l.paramCount.trainable + l.paramCount.nonTrainable)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {def?.formulas && (
        <section className="nw-section nw-formulas" data-testid="inspector-formulas">
          <div className="nw-section-title">How it is computed</div>
          {def.formulas.output && (
            <div className="nw-formula">
              <div className="nw-formula-label">Output size</div>
              <div className="nw-mono">{def.formulas.output}</div>
              {worked.output && (
                <div className="nw-mono nw-formula-worked" data-testid="inspector-formula-output">
                  {worked.output}
                </div>
              )}
            </div>
          )}
          {def.formulas.params && (
            <div className="nw-formula">
              <div className="nw-formula-label">Parameters</div>
              <div className="nw-mono">{def.formulas.params}</div>
              {worked.params && (
                <div className="nw-mono nw-formula-worked" data-testid="inspector-formula-params">
                  {worked.params}
                </div>
              )}
            </div>
          )}
          {convLessonKinds.has(node.kind) && <ConvLessonLink />}
        </section>
      )}
    </div>
  );
}

function InnerLayerInspector({ id }: { id: string }) {
  const [blockId, localId] = id.split('::') as [string, string];
  const node = useEditor((s) => s.document.graph.nodes.find((n) => n.id === blockId));
  const info = useEditor((s) => s.analysis.nodes.get(blockId));
  const inputShapes = info?.inputShapes;
  const inputShape = inputShapes?.[0] ?? null;
  const view = useMemo(() => (node ? expandBlockView(node.kind, node.params, inputShape, inputShapes?.length ? inputShapes : [inputShape]) : null), [node, inputShape, inputShapes]);
  const layer = view?.layers.find((l) => l.localId === localId);
  if (!node || !layer) return null;
  const def = getLayerDef(layer.kind);
  const inputs = layer.inputs.map((i) => {
    const index = blockInputIndex(i);
    return index !== null ? (inputShapes?.[index] ?? null) : (view!.layers.find((l) => l.localId === i)?.outputShape ?? null);
  });
  const worked = layer.outputShape ? workedFormulas(layer.kind, layer.params, inputs, layer.outputShape, layer.paramCount) : {};
  return (
    <div style={{ '--cat': colorOf(def?.category ?? 'unknown') } as CSSProperties}>
      <header className="nw-inspector-head">
        <div className="nw-inspector-kind">
          <span className="nw-palette-dot" />
          {def?.label ?? layer.kind}
        </div>
        <div className="nw-inspector-title">{layer.label}</div>
        <p className="nw-inspector-summary">
          Part of block <button className="nw-link" onClick={() => (editorStore.getState().selectOnly([blockId]), centerOnNode(blockId))}>{node.label ?? blockId}</button>; edit the block’s parameters to change it.
        </p>
      </header>
      <section className="nw-section">
        {inputs.map((s, i) => <ShapeLine key={i} label={inputs.length > 1 ? `Input ${i + 1}` : 'Input'} shape={s} />)}
        <ShapeLine label="Output" shape={layer.outputShape} testId="inspector-shape" />
        <div className="nw-kv">
          <span className="nw-kv-key">Parameters</span>
          <span className="nw-kv-value nw-mono" data-testid="inspector-params">
            {formatCount(layer.paramCount.trainable + layer.paramCount.nonTrainable)}
          </span>
        </div>
      </section>
      {def && (
        <section className="nw-section">
          {Object.entries(def.params).map(([name, spec]) => (
            <ParamField key={name} name={name} spec={spec} value={layer.params[name]} readOnly onChange={() => undefined} />
          ))}
        </section>
      )}
      {(worked.output || worked.params) && (
        <section className="nw-section nw-formulas">
          {worked.output && <div className="nw-mono nw-formula-worked">{worked.output}</div>}
          {worked.params && <div className="nw-mono nw-formula-worked">{worked.params}</div>}
        </section>
      )}
    </div>
  );
}

function EdgeInspector({ id }: { id: string }) {
  const edge = useEditor((s) => s.document.graph.edges.find((e) => e.id === id));
  const shape = useEditor((s) => s.analysis.edgeShapes.get(id));
  if (!edge) return null;
  return (
    <div>
      <header className="nw-inspector-head">
        <div className="nw-inspector-kind">Connection</div>
        <div className="nw-inspector-title nw-mono">
          {edge.source} → {edge.target}
        </div>
      </header>
      <section className="nw-section">
        <ShapeLine label="Carries" shape={shape} testId="inspector-edge-shape" />
        <button className="nw-button" onClick={() => editorStore.getState().deleteSelection()} data-testid="inspector-delete-edge">
          Delete connection
        </button>
      </section>
    </div>
  );
}

function MultiInspector({ count }: { count: number }) {
  const docCount = useEditor((s) => selectedDocumentNodes(s).size);
  return (
    <div>
      <header className="nw-inspector-head">
        <div className="nw-inspector-title">{count} layers selected</div>
      </header>
      <section className="nw-section nw-button-row">
        <button className="nw-button" onClick={() => alignSelection('center-x')} disabled={docCount < 2}>
          Align in a column
        </button>
        <button className="nw-button" onClick={() => alignSelection('center-y')} disabled={docCount < 2}>
          Align in a row
        </button>
        <button className="nw-button" onClick={() => editorStore.getState().duplicateSelection()}>
          Duplicate
        </button>
        <button className="nw-button danger" onClick={() => editorStore.getState().deleteSelection()}>
          Delete
        </button>
      </section>
    </div>
  );
}

function DocumentInspector() {
  const name = useEditor((s) => s.document.name);
  const nodes = useEditor((s) => s.document.graph.nodes.length);
  const edges = useEditor((s) => s.document.graph.edges.length);
  const totals = useEditor((s) => s.analysis.totals);
  return (
    <div>
      <header className="nw-inspector-head">
        <div className="nw-inspector-kind">Project</div>
        <input
          className="nw-input nw-inspector-name"
          value={name}
          onChange={(e) => editorStore.getState().edit('Rename project', (d) => void (d.name = e.target.value), 'doc-name')}
          data-testid="document-name-input"
          aria-label="Project name"
          spellCheck={false}
        />
      </header>
      <section className="nw-section">
        <div className="nw-kv">
          <span className="nw-kv-key">Layers / connections</span>
          <span className="nw-kv-value nw-mono">
            {nodes} / {edges}
          </span>
        </div>
        <div className="nw-kv">
          <span className="nw-kv-key">Parameters</span>
          <span className="nw-kv-value nw-mono">{formatCount(totals.total)}</span>
        </div>
        <div className="nw-kv">
          <span className="nw-kv-key">Weights in memory</span>
          <span className="nw-kv-value nw-mono">{formatBytes(totals.total * 4)}</span>
        </div>
      </section>
      <section className="nw-section nw-muted nw-help">
        <p>Select a layer to edit its parameters. Drag from a layer’s bottom handle to another layer’s top handle to connect them.</p>
        <p>
          Press <kbd>?</kbd> for all keyboard shortcuts.
        </p>
      </section>
    </div>
  );
}
