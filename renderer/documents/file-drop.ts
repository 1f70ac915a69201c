import { maxDocumentBytes } from '../../graph-schema/document-limits';
import { loadDocument } from '../../graph-schema/load-save';
import type { DropBridge } from '../../shared/channels';
import { dropBridgeKey } from '../../shared/channels';
import { confirmDiscard, importModel, loadNewDocument, openProject, refreshRecent } from './document-commands';
import { showError, showInfo } from '../ui/toast-store';

/**
 * A file dropped on the window opens in the app. In Electron the preload turns the File into a
 * handle that main checked (a regular .netweave or model file) and the project opens through
 * project.open like any other; the page never holds the path. A browser has no paths: the page
 * reads the dropped file's text itself, and the project is unsaved until the user saves it.
 */

const projectPattern = /\.netweave$/i;
const modelPattern = /\.(json|keras|h5|hdf5|onnx)$/i;

function dropBridge(): DropBridge | undefined {
  return (window as unknown as Record<string, DropBridge | undefined>)[dropBridgeKey];
}

/** True when a drag carries files from the computer (not a palette item or text). */
export function dragHasFiles(dataTransfer: DataTransfer): boolean {
  return Array.from(dataTransfer.types).includes('Files');
}

/** Opens the first dropped file. True when a project was opened. */
export async function openDroppedFile(file: File): Promise<boolean> {
  const bridge = dropBridge();
  if (bridge) {
    const granted = await bridge.handleFor(file);
    if (!granted.ok) {
      showError('Cannot open the dropped file', granted.error);
      return false;
    }
    // Both ask about unsaved changes first; a model becomes a new, unsaved project.
    return granted.value.kind === 'model' ? importModel(granted.value.handle) : openProject(granted.value.handle);
  }
  return openDroppedText(file);
}

async function openDroppedText(file: File): Promise<boolean> {
  if (!projectPattern.test(file.name)) {
    const model = modelPattern.test(file.name);
    showError('Cannot open the dropped file', {
      code: model ? 'import-unavailable' : 'drop-kind-unsupported',
      message: model
        ? `${file.name} is a model file; the browser gives the page its contents, not its path. Use Import and type its path inside the workspace folder.`
        : `${file.name} is not a Netweave project (.netweave); drop a project, or use Open.`,
    });
    return false;
  }
  // Checked before reading: a huge file is refused without holding it in memory.
  if (file.size > maxDocumentBytes) {
    showError('Cannot open the dropped file', { code: 'document-too-large', message: `${file.name} is ${file.size} bytes; projects are at most ${maxDocumentBytes} bytes.` });
    return false;
  }
  const loaded = loadDocument(await file.text());
  if (!loaded.ok) {
    showError('Cannot open the dropped file', { code: loaded.error.code, message: `${file.name}: ${loaded.error.message}` });
    return false;
  }
  if (!(await confirmDiscard('Open another project'))) return false;
  // No path: the browser gave only the contents, so Save asks where to write it.
  loadNewDocument(loaded.document, null);
  if (loaded.warnings.length > 0) showInfo('Opened with warnings', `${loaded.warnings.length} problem${loaded.warnings.length === 1 ? '' : 's'} in the file.`);
  await refreshRecent();
  return true;
}

/**
 * Files dropped anywhere on the window open in the app instead of the browser's raw view of them.
 * Listens on the window, after the page's own handlers: a drop a component already handled (a palette
 * layer on the canvas, or a component's own file drop) has called preventDefault and is left alone.
 */
export function installFileDrop(target: Window = window): () => void {
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer || !dragHasFiles(event.dataTransfer)) return;
    // Without this the drop is not delivered to the page; the browser would open the file itself.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer || !dragHasFiles(event.dataTransfer)) return;
    const handled = event.defaultPrevented;
    event.preventDefault();
    if (handled) return;
    const file = event.dataTransfer.files[0];
    if (file) void openDroppedFile(file);
  };
  target.addEventListener('dragover', onDragOver);
  target.addEventListener('drop', onDrop);
  return () => {
    target.removeEventListener('dragover', onDragOver);
    target.removeEventListener('drop', onDrop);
  };
}
