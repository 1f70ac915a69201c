import { alignSelection } from './canvas/align-toolbar';
import type { NetweaveDocument } from '../graph-schema/document';
import { freezeUpTo, setTrainable } from '../graph-schema/edit/freeze-edits';
import { canvasAspectRatio, fitView, sizeOf, zoomBy, zoomReset } from './canvas/flow-instance';
import { importModel, openProject, saveProject, saveProjectAs } from './documents/document-commands';
import { exportPng, exportSvg } from './documents/image-export';
import { exportOnnx } from './documents/onnx-export';
import { labCommands } from './lab/lab-commands';
import { documentNodeBoxes, layoutPositions } from '../graph-schema/layout/auto-layout';
import { nextConnectable } from '../graph-schema/edit/connection-rules';
import { elkEngine } from './layout/elk-engine';
import { selectedDocumentNodes } from './store/editor-store';
import { showPanel, useUi } from './store/ui-store';
import { toggleMinimap, togglePalette, toggleSidePanel } from './store/panel-prefs';
import { editorStore } from './store/use-editor';
import { startTraining, stopTraining } from './training/training-actions';
import { toggleTheme } from './ui/theme';
import { focusFirstNode } from './canvas/focus-graph';
import { showError, showInfo } from './ui/toast-store';

export interface CommandDef {
  id: string;
  label: string;
  group: 'File' | 'Edit' | 'Canvas' | 'View' | 'Train';
  /** Shortcuts, e.g. "Ctrl+Shift+Z"; Ctrl means Cmd on macOS as well. */
  keys: string[];
  /** Runs even while a text field has the focus. */
  global?: boolean;
  run(): void | Promise<unknown>;
}

function isTyping(): boolean {
  const el = document.activeElement as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

function undo(): void {
  if (isTyping()) {
    document.execCommand('undo');
    return;
  }
  const label = editorStore.getState().undo();
  if (label === null) showInfo('Nothing to undo');
}

function redo(): void {
  if (isTyping()) {
    document.execCommand('redo');
    return;
  }
  const label = editorStore.getState().redo();
  if (label === null) showInfo('Nothing to redo');
}

let layoutRunning: Promise<void> | null = null;

/** Layered layout of the whole graph in the document's direction, as one undo step; a second request waits for the first. */
export async function autoLayout(): Promise<void> {
  while (layoutRunning) await layoutRunning;
  layoutRunning = runLayout();
  try {
    await layoutRunning;
  } finally {
    layoutRunning = null;
  }
}

async function runLayout(): Promise<void> {
  const { document } = editorStore.getState();
  if (document.graph.nodes.length === 0) return;
  try {
    const boxes = documentNodeBoxes(document, sizeOf);
    const direction = document.view.layoutDirection ?? 'TB';
    const positions = await layoutPositions(elkEngine(), document, boxes.sizeOf, boxes.frameOffset, { direction, aspectRatio: canvasAspectRatio() });
    if (editorStore.getState().document !== document) return; // edited meanwhile: drop the stale layout
    editorStore.getState().applyPositions('Auto-layout', positions);
    requestAnimationFrame(() => fitView());
  } catch (error) {
    showError('Auto-layout failed', { code: 'layout-failed', message: `${error instanceof Error ? error.message : String(error)}. The graph was left as it was.` });
  }
}

/** Flips the document's layout direction (remembered in the file) and lays the graph out again. */
async function toggleLayoutDirection(): Promise<void> {
  const next = (editorStore.getState().document.view.layoutDirection ?? 'TB') === 'TB' ? 'LR' : 'TB';
  editorStore.getState().edit(next === 'LR' ? 'Layout left to right' : 'Layout top to bottom', (d) => {
    d.view.layoutDirection = next;
  });
  await autoLayout();
  showInfo(next === 'LR' ? 'Layout: left to right' : 'Layout: top to bottom');
}

function connectNext(): void {
  const state = editorStore.getState();
  const [source] = [...selectedDocumentNodes(state)];
  if (!source || state.selectedNodes.size !== 1) {
    showInfo('Select one layer to connect it to the next');
    return;
  }
  const target = nextConnectable(state.document.graph, source, state.document.view.layoutDirection ?? 'TB');
  if (!target) {
    showInfo('No layer after this one can take its output');
    return;
  }
  state.connect(source, target);
  state.selectOnly([target]);
}

function copy(): void {
  const n = editorStore.getState().copySelection();
  if (n > 0) showInfo(`Copied ${n} layer${n === 1 ? '' : 's'}`);
}

function toggleExpand(): void {
  const state = editorStore.getState();
  const ids = [...selectedDocumentNodes(state)];
  const blocks = state.document.graph.nodes.filter((n) => ids.includes(n.id) && n.collapsed !== undefined);
  for (const b of blocks) editorStore.getState().setExpanded(b.id, b.collapsed !== false);
}

/** Freeze / unfreeze the selected layers (imported models: keep their weights while a new head trains). */
function setSelectionTrainable(trainable: boolean): void {
  const state = editorStore.getState();
  const ids = [...selectedDocumentNodes(state)];
  if (ids.length === 0) return showInfo('Select the layers to ' + (trainable ? 'unfreeze' : 'freeze') + ' first');
  state.edit(trainable ? `Unfreeze ${ids.length} layer${ids.length === 1 ? '' : 's'}` : `Freeze ${ids.length} layer${ids.length === 1 ? '' : 's'}`, (d) => {
    setTrainable(d as NetweaveDocument, ids, trainable);
  });
}

function freezeUpToSelection(): void {
  const state = editorStore.getState();
  const ids = [...selectedDocumentNodes(state)];
  if (ids.length !== 1) return showInfo('Select one layer: it and everything before it will be frozen');
  state.edit('Freeze everything up to here', (d) => {
    freezeUpTo(d as NetweaveDocument, ids[0]!);
  });
}

export const commands: CommandDef[] = [
  { id: 'new', label: 'New project from a template', group: 'File', keys: ['Ctrl+N'], global: true, run: () => useUi.getState().set({ galleryOpen: true }) },
  { id: 'open', label: 'Open project…', group: 'File', keys: ['Ctrl+O'], global: true, run: () => openProject() },
  { id: 'import', label: 'Import model… (TensorFlow.js, Keras, ONNX)', group: 'File', keys: ['Ctrl+Shift+O'], global: true, run: () => importModel() },
  { id: 'save', label: 'Save', group: 'File', keys: ['Ctrl+S'], global: true, run: () => saveProject() },
  { id: 'saveAs', label: 'Save as…', group: 'File', keys: ['Ctrl+Shift+S'], global: true, run: () => saveProjectAs() },
  { id: 'export', label: 'Export code', group: 'File', keys: ['Ctrl+E'], global: true, run: () => showPanel('code') },
  { id: 'exportPng', label: 'Export diagram as PNG', group: 'File', keys: ['Alt+Shift+P'], run: () => exportPng() },
  { id: 'exportSvg', label: 'Export diagram as SVG', group: 'File', keys: ['Alt+Shift+V'], run: () => exportSvg() },
  { id: 'exportOnnx', label: 'Export ONNX model with the initial weights…', group: 'File', keys: ['Alt+Shift+O'], run: () => exportOnnx(false) },
  { id: 'exportOnnxTrained', label: 'Export ONNX model with the trained weights of the last run…', group: 'File', keys: ['Alt+Shift+T'], run: () => exportOnnx(true) },
  { id: 'undo', label: 'Undo', group: 'Edit', keys: ['Ctrl+Z'], run: undo },
  { id: 'redo', label: 'Redo', group: 'Edit', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], run: redo },
  { id: 'copy', label: 'Copy', group: 'Edit', keys: ['Ctrl+C'], run: copy },
  { id: 'paste', label: 'Paste', group: 'Edit', keys: ['Ctrl+V'], run: () => editorStore.getState().paste() },
  { id: 'duplicate', label: 'Duplicate', group: 'Edit', keys: ['Ctrl+D'], run: () => editorStore.getState().duplicateSelection() },
  { id: 'delete', label: 'Delete selection', group: 'Edit', keys: ['Delete', 'Backspace'], run: () => editorStore.getState().deleteSelection() },
  { id: 'freeze', label: 'Freeze selected layers (weights stay fixed in training)', group: 'Edit', keys: [], run: () => setSelectionTrainable(false) },
  { id: 'unfreeze', label: 'Unfreeze selected layers', group: 'Edit', keys: [], run: () => setSelectionTrainable(true) },
  { id: 'freezeUpTo', label: 'Freeze everything up to here', group: 'Edit', keys: [], run: freezeUpToSelection },
  { id: 'selectAll', label: 'Select all', group: 'Edit', keys: ['Ctrl+A'], run: () => editorStore.getState().selectAll() },
  { id: 'deselect', label: 'Clear selection / close', group: 'Edit', keys: ['Escape'], run: () => editorStore.getState().selectOnly([]) },
  { id: 'layout', label: 'Auto-layout (in the direction chosen for this document)', group: 'Canvas', keys: ['Ctrl+L'], run: autoLayout },
  { id: 'layoutDirection', label: 'Switch layout: top to bottom / left to right', group: 'Canvas', keys: ['Ctrl+Shift+L'], run: toggleLayoutDirection },
  { id: 'connectNext', label: 'Connect the selected layer to the next one', group: 'Canvas', keys: ['J'], run: connectNext },
  { id: 'expand', label: 'Expand / collapse selected blocks', group: 'Canvas', keys: ['E'], run: toggleExpand },
  { id: 'expandAll', label: 'Expand all blocks', group: 'Canvas', keys: ['Shift+E'], run: () => editorStore.getState().setAllExpanded(true) },
  { id: 'collapseAll', label: 'Collapse all blocks', group: 'Canvas', keys: ['Shift+C'], run: () => editorStore.getState().setAllExpanded(false) },
  { id: 'alignColumn', label: 'Align selected in a column', group: 'Canvas', keys: ['Alt+Shift+C'], run: () => alignSelection('center-x') },
  { id: 'alignRow', label: 'Align selected in a row', group: 'Canvas', keys: ['Alt+Shift+R'], run: () => alignSelection('center-y') },
  { id: 'alignLeft', label: 'Align left edges of the selected', group: 'Canvas', keys: ['Alt+Shift+W'], run: () => alignSelection('left') },
  { id: 'alignRight', label: 'Align right edges of the selected', group: 'Canvas', keys: ['Alt+Shift+E'], run: () => alignSelection('right') },
  { id: 'alignTop', label: 'Align top edges of the selected', group: 'Canvas', keys: ['Alt+Shift+N'], run: () => alignSelection('top') },
  { id: 'alignBottom', label: 'Align bottom edges of the selected', group: 'Canvas', keys: ['Alt+Shift+S'], run: () => alignSelection('bottom') },
  { id: 'distributeX', label: 'Space the selected evenly across', group: 'Canvas', keys: ['Alt+Shift+H'], run: () => alignSelection('distribute-x') },
  { id: 'distributeY', label: 'Space the selected evenly down', group: 'Canvas', keys: ['Alt+Shift+D'], run: () => alignSelection('distribute-y') },
  { id: 'fitView', label: 'Fit the whole graph to the window', group: 'View', keys: ['F', 'Ctrl+Shift+F'], run: () => fitView() },
  { id: 'fitSelection', label: 'Fit the selection to the window', group: 'View', keys: ['Shift+F'], run: () => fitView([...editorStore.getState().selectedNodes]) },
  { id: 'zoomIn', label: 'Zoom in', group: 'View', keys: ['Ctrl+=', '+'], run: () => zoomBy(1.2) },
  { id: 'zoomOut', label: 'Zoom out', group: 'View', keys: ['Ctrl+-', '-'], run: () => zoomBy(1 / 1.2) },
  { id: 'zoomReset', label: 'Actual size', group: 'View', keys: ['Ctrl+0'], run: zoomReset },
  { id: 'panelInspector', label: 'Show inspector', group: 'View', keys: ['Alt+1'], global: true, run: () => showPanel('inspector') },
  { id: 'panelCode', label: 'Show code', group: 'View', keys: ['Alt+2'], global: true, run: () => showPanel('code') },
  { id: 'panelTraining', label: 'Show training', group: 'View', keys: ['Alt+3'], global: true, run: () => showPanel('training') },
  { id: 'togglePalette', label: 'Show / hide the layers palette (remembered)', group: 'View', keys: ['Ctrl+B'], global: true, run: togglePalette },
  { id: 'toggleSidePanel', label: 'Show / hide the side panel (remembered)', group: 'View', keys: ['Ctrl+Alt+B'], global: true, run: toggleSidePanel },
  { id: 'toggleMinimap', label: 'Show / hide the minimap (remembered)', group: 'View', keys: ['M'], run: toggleMinimap },
  { id: 'focusGraph', label: 'Go to the first layer of the graph (keyboard)', group: 'View', keys: ['Alt+G'], global: true, run: () => focusFirstNode() },
  { id: 'problems', label: 'Show problems list', group: 'View', keys: ['Ctrl+Shift+M'], global: true, run: () => useUi.getState().set({ diagnosticsOpen: !useUi.getState().diagnosticsOpen }) },
  { id: 'theme', label: 'Switch light / dark theme (remembered)', group: 'View', keys: ['Shift+T'], run: () => void toggleTheme() },
  { id: 'help', label: 'Keyboard shortcuts', group: 'View', keys: ['?'], run: () => useUi.getState().set({ shortcutsOpen: true }) },
  { id: 'train', label: 'Start training', group: 'Train', keys: ['F5'], global: true, run: () => startTraining() },
  { id: 'stop', label: 'Stop training', group: 'Train', keys: ['Shift+F5'], global: true, run: () => stopTraining() },
  ...labCommands,
];

const byId = new Map(commands.map((c) => [c.id, c]));

export function runCommand(id: string): boolean {
  const command = byId.get(id);
  if (!command) return false;
  void Promise.resolve(command.run()).catch((error: unknown) =>
    showError(command.label, { code: 'command-failed', message: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}

interface ParsedKey {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

function parseKeys(spec: string): ParsedKey {
  const parts = spec.split('+');
  // "Ctrl+=" and "+" keep their plus.
  const key = spec.endsWith('++') || spec === '+' ? '+' : parts[parts.length - 1]!;
  const mods = new Set(parts.slice(0, spec === '+' ? 0 : -1));
  return { ctrl: mods.has('Ctrl'), shift: mods.has('Shift'), alt: mods.has('Alt'), key: key.toLowerCase() };
}

const parsed = commands.flatMap((c) => c.keys.map((k) => ({ command: c, key: parseKeys(k) })));

/** Printable keys whose character already says whether Shift was held. */
const shiftInKey = new Set(['?', '+']);

export function matchShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'code'>): CommandDef | null {
  const ctrl = event.ctrlKey || event.metaKey;
  // With Alt held, event.key may be a special character; the code names the physical key.
  let key = event.key.toLowerCase();
  if (event.altKey && /^Digit\d$/.test(event.code)) key = event.code.slice(5);
  if (event.altKey && /^Key[A-Z]$/.test(event.code)) key = event.code.slice(3).toLowerCase();
  for (const { command, key: k } of parsed) {
    if (k.key !== key || k.ctrl !== ctrl || k.alt !== event.altKey) continue;
    if (!shiftInKey.has(k.key) && k.shift !== event.shiftKey) continue;
    return command;
  }
  return null;
}

/** Window-level shortcuts; text fields keep their own keys except for the global commands. */
export function installShortcuts(): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented) return;
    const command = matchShortcut(event);
    if (!command) return;
    const typing = isTyping();
    if (typing && !command.global) return;
    if (useUi.getState().pathRequest || useUi.getState().confirmRequest) return;
    if (command.id === 'deselect' && (useUi.getState().shortcutsOpen || useUi.getState().galleryOpen)) {
      useUi.getState().set({ shortcutsOpen: false, galleryOpen: false });
      event.preventDefault();
      return;
    }
    event.preventDefault();
    runCommand(command.id);
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
