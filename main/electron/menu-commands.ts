import type { AppCommand } from '../../shared/channels';

/**
 * The menu's commands and their shortcuts; each is sent to the renderer as
 * 'app.command'. Kept apart from the Electron menu so that tests can read it.
 */
export interface MenuCommand {
  menu: 'file' | 'edit' | 'view' | 'train';
  command: AppCommand;
  label: string;
  accelerator: string;
}

export const menuCommands: readonly MenuCommand[] = [
  { menu: 'file', command: 'new', label: 'New Project', accelerator: 'CmdOrCtrl+N' },
  { menu: 'file', command: 'open', label: 'Open…', accelerator: 'CmdOrCtrl+O' },
  { menu: 'file', command: 'import', label: 'Import Model…', accelerator: 'CmdOrCtrl+Shift+O' },
  { menu: 'file', command: 'save', label: 'Save', accelerator: 'CmdOrCtrl+S' },
  { menu: 'file', command: 'saveAs', label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S' },
  { menu: 'file', command: 'export', label: 'Export…', accelerator: 'CmdOrCtrl+E' },
  { menu: 'edit', command: 'undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z' },
  { menu: 'edit', command: 'redo', label: 'Redo', accelerator: process.platform === 'win32' ? 'Ctrl+Y' : 'CmdOrCtrl+Shift+Z' },
  { menu: 'view', command: 'zoomIn', label: 'Zoom In', accelerator: 'CmdOrCtrl+=' },
  { menu: 'view', command: 'zoomOut', label: 'Zoom Out', accelerator: 'CmdOrCtrl+-' },
  { menu: 'view', command: 'zoomReset', label: 'Actual Size', accelerator: 'CmdOrCtrl+0' },
  { menu: 'view', command: 'fitView', label: 'Fit Graph to Window', accelerator: 'CmdOrCtrl+Shift+F' },
  { menu: 'train', command: 'train', label: 'Train', accelerator: 'F5' },
  { menu: 'train', command: 'stop', label: 'Stop Training', accelerator: 'Shift+F5' },
];
