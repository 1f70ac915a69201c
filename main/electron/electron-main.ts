// The Electron main process: one secure window on the app's own scheme, the
// contract's calls over IPC from that window only, native menus and dialogs.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow as BrowserWindowType, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { app, BrowserWindow, dialog, ipcMain, screen, session } from 'electron';
import type { AppCommand } from '../../shared/channels';
import { callChannel, dropChannel, eventChannel, eventNames, listeningChannel } from '../../shared/channels';
import type { EventName, EventPayloads } from '../../shared/contract';
import { err } from '../../shared/result';
import type { AppServices } from '../services/app-services';
import { createAppServices } from '../services/app-services';
import { grantDroppedFile } from '../services/dropped-file';
import { loadTrainingPort } from '../services/training-loader';
import { userDataDirFromArgs } from '../services/user-data';
import { readWindowState, restorableBounds, writeWindowState } from '../services/window-state-store';
import type { WindowState } from '../services/window-state-store';
import { installAppMenu } from './app-menu';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { nativeDialogs } from './native-dialogs';
import { createSecureWindow, electronContentSecurityPolicy, isAppUrl, projectFilesInArgs, rendererEntryUrl } from './window-config';

const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');
const trainingWorkerPath = path.join(__dirname, 'training-worker.cjs');

registerAppScheme();
const requestedUserData = userDataDirFromArgs(process.argv);
if (requestedUserData) app.setPath('userData', requestedUserData);

let window: BrowserWindowType | undefined;
let services: AppServices | undefined;
let document = { dirty: false, title: 'Untitled' };
let closeAfterSave = false;
let allowClose = false;
let pendingStateSave: Promise<void> = Promise.resolve();
/** Events the page has subscribed to since it last loaded; app.openFile waits in `queued` until then. */
const listening = new Set<string>();
const queued: { event: EventName; payload: unknown }[] = [];

function send<E extends EventName>(event: E, payload: EventPayloads[E]): void {
  if (!window || window.isDestroyed() || (event === 'app.openFile' && !listening.has(event))) {
    if (event === 'app.openFile') queued.push({ event, payload });
    return;
  }
  window.webContents.send(eventChannel, { event, payload });
}

function flushQueued(): void {
  for (let i = 0; i < queued.length; ) {
    const item = queued[i]!;
    if (listening.has(item.event) && window && !window.isDestroyed()) {
      queued.splice(i, 1);
      window.webContents.send(eventChannel, item);
    } else i++;
  }
}

/** Only the app's own top frame may call main: not an iframe, not a page it was tricked into loading. */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url) && !!window && event.sender === window.webContents;
}

function sendCommand(command: AppCommand): void {
  send('app.command', { command });
}

function updateTitle(): void {
  if (!window || window.isDestroyed()) return;
  window.setTitle(`${document.dirty ? '• ' : ''}${document.title} — Netweave`);
  window.setDocumentEdited(document.dirty);
}

function rebuildMenu(recent: readonly string[]): void {
  installAppMenu(recent, {
    command: sendCommand,
    openRecent: (file) => void openProjectFile(file),
    clearRecent: () => {
      void services?.recent.clear().then(rebuildMenu);
    },
  });
}

async function askToSave(target: BrowserWindowType): Promise<void> {
  const { response } = await dialog.showMessageBox(target, {
    type: 'warning',
    buttons: ['Save', 'Don’t Save', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    message: `Save the changes to “${document.title}” before closing?`,
    detail: 'Your changes are lost if you close without saving.',
  });
  if (response === 0) {
    // The page saves, then reports a clean document; onDocumentState closes the window.
    closeAfterSave = true;
    sendCommand('saveAndClose');
  } else if (response === 1) {
    allowClose = true;
    await services?.call('recovery.clear', {});
    target.close();
  }
}

function windowState(target: BrowserWindowType): WindowState {
  return { bounds: target.getNormalBounds(), maximized: target.isMaximized() };
}

async function createWindow(): Promise<void> {
  const userData = app.getPath('userData');
  const saved = await readWindowState(userData);
  const bounds = restorableBounds(saved?.bounds, screen.getAllDisplays().map((d) => d.workArea));
  const created = createSecureWindow(BrowserWindow, preloadPath, bounds);
  window = created;
  if (saved?.maximized && bounds) created.maximize();
  created.once('ready-to-show', () => created.show());
  created.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) listening.clear();
  });
  created.on('close', (event) => {
    if (document.dirty && !allowClose) {
      event.preventDefault();
      void askToSave(created);
      return;
    }
    const state = windowState(created);
    pendingStateSave = writeWindowState(userData, state).catch(() => undefined);
  });
  created.on('closed', () => {
    if (window === created) window = undefined;
    resetWindowFlags();
  });
  updateTitle();
  await created.loadURL(rendererEntryUrl);
}

function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    // The app is one page: it never navigates, opens windows or embeds other content.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function resetWindowFlags(): void {
  closeAfterSave = false;
  allowClose = false;
  document = { dirty: false, title: 'Untitled' };
}

/** Files named on the command line or by the OS before the services exist wait here. */
const pendingFiles: string[] = [];

/** A project main was given (recent menu, command line, file association): the page gets a handle, never the path to use. */
async function openProjectFile(file: string): Promise<void> {
  if (!services) {
    pendingFiles.push(file);
    return;
  }
  const ref = await services.projectRef(file);
  if (ref) send('app.openFile', ref);
  else dialog.showErrorBox('Cannot open the project', `${file} is not a file that can be opened.`);
}

function openFromArgs(argv: readonly string[], cwd: string): void {
  for (const file of projectFilesInArgs(argv)) void openProjectFile(path.resolve(cwd, file));
}

async function start(): Promise<void> {
  hardenWebContents();
  app.on('second-instance', (_event, argv, workingDirectory) => {
    openFromArgs(argv.slice(1), workingDirectory);
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  // macOS delivers double-clicked files this way, possibly before the app is ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    void openProjectFile(file);
  });
  openFromArgs(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd());

  await app.whenReady();
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Electronegativity's CSP_GLOBAL_CHECK reports "Failed to parse CSP" here because the policy is a
  // constant, not a string literal it can read. The policy is parsed and checked directive by directive
  // in test/shell (content-security-policy, electron-main): default-src 'self', script-src 'self', no
  // objects, frames, base-uri or form actions.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [electronContentSecurityPolicy] } });
  });
  serveRenderer(rendererDir);

  services = createAppServices({
    host: 'electron',
    userDataDir: app.getPath('userData'),
    dialogs: nativeDialogs(() => window),
    emit: send,
    training: await loadTrainingPort(pathToFileURL(trainingWorkerPath)),
    onRecentChanged: (files) => {
      rebuildMenu(files);
      if (files[0]) app.addRecentDocument(files[0]);
    },
    onDocumentState: ({ dirty, title }) => {
      document = { dirty, title: title ?? document.title };
      updateTitle();
      if (closeAfterSave) {
        closeAfterSave = false;
        if (!dirty && window) {
          allowClose = true;
          window.close();
        }
      }
    },
  });
  const ready = services;
  for (const file of pendingFiles.splice(0)) void openProjectFile(file);
  ipcMain.handle(callChannel, async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return err('sender-refused', 'Only the Netweave window may call the app.');
    return ready.call(name, input);
  });
  // A file dropped on the window: the preload sends its path, main checks it and answers a handle.
  ipcMain.handle(dropChannel, async (event, file: unknown) => {
    if (!isTrustedSender(event)) return err('sender-refused', 'Only the Netweave window may call the app.');
    return grantDroppedFile(ready.access, file);
  });
  ipcMain.on(listeningChannel, (event, name: unknown) => {
    if (!isTrustedSender(event) || typeof name !== 'string' || !(eventNames as readonly string[]).includes(name)) return;
    listening.add(name);
    flushQueued();
  });
  rebuildMenu(await ready.recent.list());
  await createWindow();

  // macOS: clicking the dock icon with no window open brings one back.
  app.on('activate', () => {
    if (!window) void createWindow();
  });
  app.on('window-all-closed', () => {
    void pendingStateSave.then(() => app.quit());
  });
  app.on('will-quit', () => {
    void ready.dispose();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Netweave is running: it received our files through 'second-instance'.
  app.quit();
} else {
  start().catch((error: unknown) => {
    dialog.showErrorBox('Netweave cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
