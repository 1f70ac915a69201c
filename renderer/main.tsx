import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppCommand } from '../shared/channels';
import { analyzeGraph } from '../graph-schema/infer';
import { App } from './app';
import { setApi } from './api';
import { connectNetweave } from './bridge/connect';
import { installShortcuts, runCommand } from './commands';
import { openProject, refreshRecent, saveProject } from './documents/document-commands';
import { startTheme } from './ui/theme';
import { offerRecovery, startAutosave, trackDocumentState } from './documents/session';
import { installFileDrop } from './documents/file-drop';
import { isDirty } from './store/editor-store';
import { useUi } from './store/ui-store';
import { editorStore } from './store/use-editor';
import { startLab } from './lab/lab-wiring';
import { testHooks } from './test-hooks';
import { applyTrainingEvent, useRuns, useTraining } from './training/training-store';

declare global {
  interface Window {
    netweaveEditor?: {
      store: typeof editorStore;
      training: typeof useTraining;
      runs?: typeof useRuns;
      runCommand: typeof runCommand;
      getCode(): string;
      analyze: typeof analyzeGraph;
    };
  }
}

function handleAppCommand(command: AppCommand): void {
  if (command === 'saveAndClose') {
    // The host closes the window once the document reports itself clean.
    void saveProject();
    return;
  }
  runCommand(command);
}

function ConnectionFailed({ message }: { message: string }) {
  return (
    <div className="nw-fatal" role="alert" data-testid="connection-failed">
      <div className="nw-fatal-title">Netweave cannot reach its host</div>
      <div>
        <span className="nw-diag-code">host-unreachable</span> {message}
      </div>
      <button className="nw-button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  root.render(<div className="nw-splash">Netweave</div>);
  let api;
  try {
    api = await connectNetweave();
  } catch (error) {
    root.render(<ConnectionFailed message={error instanceof Error ? error.message : String(error)} />);
    return;
  }
  setApi(api);
  const info = await api.call('host.info', {}).catch(() => null);
  if (info?.ok) useUi.getState().set({ host: info.value });
  api.on('training.event', applyTrainingEvent);
  startLab(api);
  api.on('app.command', ({ command }) => handleAppCommand(command));
  api.on('app.openFile', ({ handle }) => void openProject(handle));

  window.netweaveEditor = { store: editorStore, training: useTraining, runs: useRuns, runCommand, getCode: () => testHooks.getCode(), analyze: analyzeGraph };
  installShortcuts();
  startAutosave();
  // A .netweave dropped on the window opens in the app (through a handle in Electron).
  installFileDrop();
  trackDocumentState();
  if (info?.ok && info.value.host === 'web') {
    window.addEventListener('beforeunload', (event) => {
      if (isDirty(editorStore.getState())) event.preventDefault();
    });
  }
  startTheme();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  void refreshRecent();
  await offerRecovery();
}

void start();
