import type { BrowserWindow } from 'electron';
import { dialog } from 'electron';
import type { HostDialogs } from '../services/host-dialogs';

const projectFilter = { name: 'Netweave project', extensions: ['netweave'] };
// What the importer reads; a model file picked in Open is imported.
const modelFilter = { name: 'Model (TensorFlow.js, Keras, ONNX)', extensions: ['json', 'keras', 'h5', 'hdf5', 'onnx'] };

/** The HostDialogs of the app's services, as native dialogs attached to the window. */
export function nativeDialogs(window: () => BrowserWindow | undefined): HostDialogs {
  const parent = (): BrowserWindow | undefined => {
    const w = window();
    return w && !w.isDestroyed() ? w : undefined;
  };
  const open = async (options: Electron.OpenDialogOptions): Promise<string | null> => {
    const w = parent();
    const result = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const save = async (options: Electron.SaveDialogOptions): Promise<string | null> => {
    const w = parent();
    const result = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
  return {
    openProject: () => open({ title: 'Open Project', filters: [projectFilter, modelFilter, { name: 'All files', extensions: ['*'] }], properties: ['openFile'] }),
    openModel: () => open({ title: 'Import Model', filters: [modelFilter, { name: 'All files', extensions: ['*'] }], properties: ['openFile'] }),
    saveProject: (suggestedName) => save({ title: 'Save Project', defaultPath: suggestedName, filters: [projectFilter] }),
    pickDataset: (kind) =>
      kind === 'csv'
        ? open({ title: 'Choose a CSV data set', filters: [{ name: 'CSV', extensions: ['csv'] }], properties: ['openFile'] })
        : open({ title: kind === 'folder' ? 'Choose a folder of class sub-folders' : `Choose the ${kind === 'idx' ? 'IDX' : 'CIFAR-10'} folder`, properties: ['openDirectory'] }),
    saveExport: (suggestedName, kind) =>
      kind === 'folder'
        ? open({ title: 'Choose a folder for the model', defaultPath: suggestedName, properties: ['openDirectory', 'createDirectory'] })
        : save({ title: 'Export', defaultPath: suggestedName }),
  };
}
