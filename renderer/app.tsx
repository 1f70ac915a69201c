import { ReactFlowProvider } from '@xyflow/react';
import './ui/panels.css';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { Suspense, lazy, useCallback, useRef, useState } from 'react';
import { Canvas } from './canvas/canvas';
import { Palette } from './canvas/palette';
import { runCommand } from './commands';
import { ConfirmDialog, PathDialog, ShortcutsHelp, TemplateGallery } from './documents/dialogs';
import { Inspector } from './inspector/inspector';
import { DiagnosticsPanel, StatusBar } from './status/status-bar';
import { isDirty } from './store/editor-store';
import type { SidePanel } from './store/ui-store';
import { showPanel, useUi } from './store/ui-store';
import { toggleSidePanel, usePanels, useWindowWidth } from './store/panel-prefs';
import { focusFirstNode } from './canvas/focus-graph';
import { useEditor } from './store/use-editor';
import { LabPanel } from './lab/lab-panel';
import { TwinPane } from './lab/twin-pane';
import { TrainingPanel } from './training/training-panel';
import { isActive, useRuns, useTraining } from './training/training-store';
import { trainedRunForExport } from './documents/onnx-export';
import { ErrorBoundary } from './ui/error-boundary';
import { Toasts } from './ui/toasts';
import { documentTitle, shownFilePath } from './documents/doc-title';

const CodeView = lazy(() => import('./code-view/code-view'));

function ToolButton({ command, label, title, testId, disabled }: { command: string; label: string; title: string; testId: string; disabled?: boolean }) {
  return (
    <button className="nw-tool" onClick={() => runCommand(command)} title={title} data-testid={testId} data-command={command} disabled={disabled}>
      {label}
    </button>
  );
}

function ExportMenu() {
  // Where the list opens: fixed to the window, since the toolbar scrolls sideways and would clip it.
  const [open, setOpen] = useState<{ top: number; right: number } | null>(null);
  const runId = useTraining((s) => s.runId);
  const status = useTraining((s) => s.status);
  const runName = useRuns((s) => (runId ? s.runs[runId]?.name : undefined));
  const trainedRun = trainedRunForExport({ runId, status }) ? { name: runName ?? 'the last run' } : null;
  const pick = (command: string) => {
    setOpen(null);
    runCommand(command);
  };
  const toggle = (button: HTMLElement) => {
    const box = button.getBoundingClientRect();
    setOpen(open ? null : { top: box.bottom + 4, right: Math.max(0, window.innerWidth - box.right) });
  };
  return (
    <div className="nw-menu" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node) && setOpen(null)}>
      <button className="nw-tool" onClick={(e) => toggle(e.currentTarget)} data-testid="toolbar-export" title="Export the diagram, the code or an ONNX model">
        Export ▾
      </button>
      {open && (
        <div className="nw-menu-list" role="menu" style={{ position: 'fixed', top: open.top, right: open.right }}>
          <button role="menuitem" onClick={() => pick('exportPng')} data-testid="export-png" data-command="exportPng">
            Diagram as PNG
          </button>
          <button role="menuitem" onClick={() => pick('exportSvg')} data-testid="export-svg" data-command="exportSvg">
            Diagram as SVG
          </button>
          <button role="menuitem" onClick={() => pick('export')} data-testid="export-code" data-command="export">
            Code (TypeScript, PyTorch, Keras)…
          </button>
          <button
            role="menuitem"
            onClick={() => pick('exportOnnxTrained')}
            disabled={!trainedRun}
            data-testid="export-onnx-trained"
            data-command="exportOnnxTrained"
            title={trainedRun ? `ONNX model (IR 8, opset 13) with the weights trained in “${trainedRun.name}”` : 'Train the graph first (F5): then its trained weights can be exported'}
          >
            ONNX model, trained weights{trainedRun ? ` of “${trainedRun.name}”` : ''}…
          </button>
          <button role="menuitem" onClick={() => pick('exportOnnx')} data-testid="export-onnx-initial" data-command="exportOnnx" title="ONNX model (IR 8, opset 13) with the seeded initial weights">
            ONNX model, initial weights…
          </button>
        </div>
      )}
    </div>
  );
}

function TopBar() {
  const dirty = useEditor(isDirty);
  const handle = useEditor((s) => s.filePath);
  const name = useEditor((s) => documentTitle(s.document.name, s.filePath));
  const path = shownFilePath(handle);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const hasBlocks = useEditor((s) => s.document.graph.nodes.some((n) => n.collapsed !== undefined));
  const training = useTraining((s) => isActive(s.status));
  const hasSelection = useEditor((s) => s.selectedNodes.size > 0);
  const layoutDirection = useEditor((s) => s.document.view.layoutDirection ?? 'TB');
  return (
    <header className="nw-topbar">
      <div className="nw-brand">
        <span className="nw-logo">◇</span> Netweave
      </div>
      <div className="nw-doc" title={path ?? 'Not saved yet'}>
        <span className="nw-doc-name" data-testid="doc-title">
          {name}
        </span>
        {dirty && (
          <span className="nw-dirty" data-testid="dirty-marker" title="Unsaved changes">
            ●
          </span>
        )}
        <span className="nw-doc-path nw-muted" data-testid="doc-path">
          {path ?? 'not saved'}
        </span>
      </div>
      <nav className="nw-tools">
        <ToolButton command="new" label="New" title="New project from a template (Ctrl+N)" testId="toolbar-new" />
        <ToolButton command="open" label="Open" title="Open a project (Ctrl+O)" testId="toolbar-open" />
        <ToolButton command="import" label="Import" title="Import model… (TensorFlow.js model.json, Keras .keras/.h5, ONNX) (Ctrl+Shift+O)" testId="toolbar-import" />
        <ToolButton command="save" label="Save" title="Save (Ctrl+S)" testId="toolbar-save" />
        <ToolButton command="saveAs" label="Save as" title="Save as (Ctrl+Shift+S)" testId="toolbar-save-as" />
        <span className="nw-tool-sep" />
        <ToolButton command="undo" label="↶" title="Undo (Ctrl+Z)" testId="toolbar-undo" disabled={!canUndo} />
        <ToolButton command="redo" label="↷" title="Redo (Ctrl+Shift+Z)" testId="toolbar-redo" disabled={!canRedo} />
        <span className="nw-tool-sep" />
        <ToolButton command="layout" label="Layout" title="Auto-layout (Ctrl+L)" testId="toolbar-layout" />
        <ToolButton
          command="layoutDirection"
          label={layoutDirection === 'LR' ? '→' : '↓'}
          title={`Layout direction: ${layoutDirection === 'LR' ? 'left to right' : 'top to bottom'}; switch (Ctrl+Shift+L)`}
          testId="toolbar-layout-direction"
        />
        <ToolButton command="fitView" label="Fit" title="Fit the whole graph to the window (F)" testId="toolbar-fit" />
        <ToolButton command="fitSelection" label="Fit sel." title="Fit the selection to the window (Shift+F)" testId="toolbar-fit-selection" disabled={!hasSelection} />
        {hasBlocks && <ToolButton command="expandAll" label="Expand all" title="Expand every block (Shift+E)" testId="toolbar-expand-all" />}
        {hasBlocks && <ToolButton command="collapseAll" label="Collapse all" title="Collapse every block (Shift+C)" testId="toolbar-collapse-all" />}
        <span className="nw-tool-sep" />
        <ExportMenu />
        <ToolButton command={training ? 'stop' : 'train'} label={training ? '■ Stop' : '▶ Train'} title={training ? 'Stop training (Shift+F5)' : 'Train (F5)'} testId="toolbar-train" />
        <ToolButton command="theme" label="◐" title="Switch light / dark theme (Shift+T)" testId="toolbar-theme" />
        <ToolButton command="help" label="?" title="Keyboard shortcuts (?)" testId="toolbar-help" />
      </nav>
    </header>
  );
}

const tabs: { id: SidePanel; label: string; command: string; keys: string }[] = [
  { id: 'inspector', label: 'Inspector', command: 'panelInspector', keys: 'Alt+1' },
  { id: 'code', label: 'Code', command: 'panelCode', keys: 'Alt+2' },
  { id: 'training', label: 'Training', command: 'panelTraining', keys: 'Alt+3' },
  { id: 'lab', label: 'Lab', command: 'panelLab', keys: 'Alt+4' },
];

/** The canvas keeps at least this much width beside an open side panel, so opening Code or Training never squeezes the graph away. */
const minCanvasWidth = 400;

/** The folded side panel: one button per tab, to open it again where it was. */
function SideRail() {
  return (
    <aside className="nw-side-rail" data-testid="side-rail">
      <button className="nw-icon-button nw-panel-toggle" onClick={toggleSidePanel} data-testid="side-panel-toggle" data-command="toggleSidePanel" title="Show the side panel (Ctrl+Alt+B)" aria-label="Show the side panel (Ctrl+Alt+B)">
        «
      </button>
      {tabs.map((t) => (
        <button key={t.id} className="nw-rail-tab" onClick={() => showPanel(t.id)} data-testid={`rail-${t.id}`} data-command={t.command} title={`${t.label} (${t.keys})`}>
          {t.label}
        </button>
      ))}
    </aside>
  );
}

function SidePanelView() {
  const panel = useUi((s) => s.panel);
  const open = useUi((s) => s.panelOpen);
  const windowWidth = useWindowWidth();
  const paletteWidth = usePanels((s) => (s.paletteOpen ? 216 : 32));
  // Each tab keeps its own width: code and charts want more room than the inspector.
  const [widths, setWidths] = useState<Record<SidePanel, number>>({ inspector: 380, code: 600, training: 520, lab: 560 });
  const width = Math.max(300, Math.min(widths[panel], windowWidth - paletteWidth - minCanvasWidth));
  const setWidth = (w: number) => setWidths((all) => ({ ...all, [panel]: w }));
  const drag = useRef<{ x: number; width: number } | null>(null);
  const onPointerDown = useCallback(
    (e: ReactPointerEvent) => {
      drag.current = { x: e.clientX, width };
      (e.target as Element).setPointerCapture(e.pointerId);
    },
    [width],
  );
  const onPointerMove = (e: ReactPointerEvent) => {
    if (!drag.current) return;
    setWidth(Math.max(300, Math.min(window.innerWidth - 480, drag.current.width + drag.current.x - e.clientX)));
  };
  if (!open) return <SideRail />;
  return (
    <aside className="nw-side" style={{ width }} data-testid="side-panel" data-panel={panel}>
      <div className="nw-side-resize" onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={() => (drag.current = null)} title="Drag to resize" />
      <div className="nw-tabs">
        {tabs.map((t) => (
          <button key={t.id} className={`nw-tab${t.id === panel ? ' is-active' : ''}`} onClick={() => showPanel(t.id)} data-testid={`tab-${t.id}`} data-command={t.command} title={`${t.label} (${t.keys})`}>
            {t.label}
          </button>
        ))}
        <button className="nw-icon-button nw-panel-toggle nw-side-collapse" onClick={toggleSidePanel} data-testid="side-panel-toggle" data-command="toggleSidePanel" title="Hide the side panel (Ctrl+Alt+B)" aria-label="Hide the side panel (Ctrl+Alt+B)">
          »
        </button>
      </div>
      <div className="nw-side-body">
        <ErrorBoundary area={`the ${panel} panel`}>
          {panel === 'inspector' && <Inspector />}
          {panel === 'code' && (
            <Suspense fallback={<div className="nw-muted nw-pad">Loading the code editor…</div>}>
              <CodeView />
            </Suspense>
          )}
          {panel === 'training' && <TrainingPanel />}
          {panel === 'lab' && <LabPanel />}
        </ErrorBoundary>
      </div>
    </aside>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <div className="nw-app" data-testid="app">
        {/* The first Tab stop: straight to the graph's first layer, past every tool and palette item. */}
        <a
          className="nw-skip-link"
          href="#graph"
          data-testid="skip-to-graph"
          onClick={(e) => {
            e.preventDefault();
            focusFirstNode();
          }}
        >
          Skip to the graph (Alt+G)
        </a>
        <TopBar />
        <div className="nw-main">
          <ErrorBoundary area="the palette">
            <Palette />
          </ErrorBoundary>
          <main className="nw-center">
            <ErrorBoundary area="the canvas">
              <Canvas />
            </ErrorBoundary>
            <DiagnosticsPanel />
          </main>
          <ErrorBoundary area="the twin view">
            <TwinPane />
          </ErrorBoundary>
          <SidePanelView />
        </div>
        <StatusBar />
        <TemplateGallery />
        <PathDialog />
        <ConfirmDialog />
        <ShortcutsHelp />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}
