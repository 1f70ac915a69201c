/**
 * Native file pickers. Electron provides them; the web host has none, so
 * there the renderer must pass a path in the call itself.
 * Every method resolves to null when the user cancels.
 */
export interface HostDialogs {
  openProject(): Promise<string | null>;
  /** A model file to import (TensorFlow.js model.json, .keras, .h5, .onnx); optional for hosts without one. */
  openModel?(): Promise<string | null>;
  saveProject(suggestedName: string): Promise<string | null>;
  /** A folder (idx, cifar10, folder) or a CSV file. */
  pickDataset(kind: 'idx' | 'cifar10' | 'csv' | 'folder'): Promise<string | null>;
  /** A code file to export to, or a folder for a saved model. */
  saveExport(suggestedName: string, kind: 'file' | 'folder'): Promise<string | null>;
}
