import { useEffect, useRef, useState } from 'react';
import { exportCode } from '../../graph-schema/export/export-code';
import type { CodeTarget } from '../../graph-schema/export/export-code';
import { callConfirmingOverwrite } from '../api';
import { centerOnNode } from '../canvas/flow-instance';
import { documentForSaving } from '../documents/document-commands';
import { askForPath, useUi } from '../store/ui-store';
import { editorStore, useEditor } from '../store/use-editor';
import { showInfo, showSuccess } from '../ui/toast-store';
import { testHooks } from '../test-hooks';
import { exportOnnx, trainedRunForExport } from '../documents/onnx-export';
import { useRuns, useTraining } from '../training/training-store';
import { monaco } from './monaco-setup';

const targets: { id: CodeTarget; label: string; language: string }[] = [
  { id: 'ts', label: 'TypeScript', language: 'typescript' },
  { id: 'pytorch', label: 'PyTorch', language: 'python' },
  { id: 'keras', label: 'Keras', language: 'python' },
];

type Generated = { ok: true; code: string; fileName: string } | { ok: false; code: string; message: string; nodeId?: string };

/** The latest generated code, for end-to-end tests. */
let latestCode = '';
testHooks.getCode = () => latestCode;

/** Read-only Monaco view of the graph exported as code; regenerated shortly after each edit. */
export default function CodeView() {
  const document = useEditor((s) => s.document);
  const [target, setTarget] = useState<CodeTarget>('ts');
  const [generated, setGenerated] = useState<Generated | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<CodeTarget, monaco.editor.ITextModel>());
  const runId = useTraining((s) => s.runId);
  const status = useTraining((s) => s.status);
  const runName = useRuns((s) => (runId ? s.runs[runId]?.name : undefined));
  const trainedRun = trainedRunForExport({ runId, status }) ? { name: runName ?? 'the last run' } : null;

  useEffect(() => {
    editor.current = monaco.editor.create(host.current!, {
      value: '',
      language: 'typescript',
      readOnly: true,
      theme: 'netweave-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12.5,
      lineHeight: 19,
      fontFamily: "'JetBrains Mono', 'Cascadia Code', Menlo, Consolas, monospace",
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      padding: { top: 10 },
      domReadOnly: true,
    });
    const owned = models.current;
    return () => {
      editor.current?.dispose();
      editor.current = null;
      for (const m of owned.values()) m.dispose();
      owned.clear();
    };
  }, []);

  // Debounced: typing in the inspector must not regenerate on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      let result: Generated;
      try {
        const out = exportCode(document, target);
        result = out.ok ? { ok: true, code: out.code, fileName: out.fileName } : { ok: false, code: out.error.code, message: out.error.message, ...(out.error.nodeId ? { nodeId: out.error.nodeId } : {}) };
      } catch (error) {
        result = { ok: false, code: 'export-failed', message: `The exporter failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      setGenerated(result);
      if (result.ok) {
        latestCode = result.code;
        const language = targets.find((t) => t.id === target)!.language;
        let model = models.current.get(target);
        if (!model) {
          model = monaco.editor.createModel(result.code, language);
          models.current.set(target, model);
        } else if (model.getValue() !== result.code) {
          // Keep the scroll position: replace the text in place.
          model.pushEditOperations([], [{ range: model.getFullModelRange(), text: result.code }], () => null);
        }
        if (editor.current && editor.current.getModel() !== model) editor.current.setModel(model);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [document, target]);

  const copy = async () => {
    if (!generated?.ok) return;
    try {
      await navigator.clipboard.writeText(generated.code);
    } catch {
      const area = window.document.createElement('textarea');
      area.value = generated.code;
      window.document.body.appendChild(area);
      area.select();
      window.document.execCommand('copy');
      area.remove();
    }
    showInfo('Code copied', `${generated.code.split('\n').length} lines`);
  };

  const save = async () => {
    if (!generated?.ok) return;
    let path: string | undefined;
    if (!useUi.getState().host?.nativeDialogs) {
      const typed = await askForPath({ mode: 'export', title: `Save ${targets.find((t) => t.id === target)!.label} code`, initial: generated.fileName, confirmLabel: 'Save' });
      if (typed === null) return;
      path = typed;
    }
    const saved = await callConfirmingOverwrite('export.save', { document: documentForSaving(), target, ...(path ? { handle: path } : {}) }, 'Could not save the code');
    if (saved) showSuccess('Code saved', saved.path);
  };

  return (
    <div className="nw-code" data-testid="code-view" data-target={target} data-ok={generated ? String(generated.ok) : 'pending'}>
      <div className="nw-code-bar">
        <div className="nw-tabs small">
          {targets.map((t) => (
            <button key={t.id} className={`nw-tab${t.id === target ? ' is-active' : ''}`} onClick={() => setTarget(t.id)} data-testid={`code-target-${t.id}`}>
              {t.label}
            </button>
          ))}
        </div>
        <span className="nw-code-spacer" />
        <button className="nw-button small" onClick={() => void copy()} disabled={!generated?.ok} data-testid="code-copy">
          Copy
        </button>
        <button className="nw-button small" onClick={() => void save()} disabled={!generated?.ok} data-testid="code-save">
          Save…
        </button>
        <button className="nw-button small" onClick={() => void exportOnnx(false)} data-testid="code-save-onnx" title="Save the network as an ONNX model (IR 8, opset 13) with its initial weights">
          ONNX…
        </button>
        {trainedRun && (
          <button
            className="nw-button small"
            onClick={() => void exportOnnx(true)}
            data-testid="code-save-onnx-trained"
            title={`Save the network as an ONNX model (IR 8, opset 13) with the weights trained in “${trainedRun.name}”`}
          >
            ONNX, trained…
          </button>
        )}
      </div>
      <div className="nw-code-file nw-muted nw-small" data-testid="code-file-name">
        {generated?.ok ? `${generated.fileName} · ${generated.code.split('\n').length} lines · read-only, follows the graph` : ' '}
      </div>
      {generated && !generated.ok && (
        <div className="nw-diag is-error nw-code-error" data-testid="code-error">
          <span className="nw-diag-code">{generated.code}</span> {generated.message}
          {generated.nodeId && (
            <button
              className="nw-link"
              onClick={() => {
                editorStore.getState().selectOnly([generated.nodeId!]);
                centerOnNode(generated.nodeId!);
              }}
            >
              Show the layer
            </button>
          )}
        </div>
      )}
      <div ref={host} className="nw-code-editor" data-testid="code-editor" style={{ visibility: generated?.ok ? 'visible' : 'hidden' }} />
    </div>
  );
}
