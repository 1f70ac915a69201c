import { EventEmitter } from 'node:events';
import Module from 'node:module';

/**
 * A stand-in for the 'electron' module that records what the main process
 * asks of it, so the built main bundle can run (and be checked) where no
 * Electron binary exists.
 */

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; message: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  title = '';
  loadedUrl: string | undefined;
  destroyed = false;
  documentEdited = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setDocumentEdited(edited: boolean): void {
    this.documentEdited = edited;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    const o = this.options as { x?: number; y?: number; width: number; height: number };
    return { x: o.x ?? 10, y: o.y ?? 20, width: o.width, height: o.height };
  }
  maximize(): void {}
  restore(): void {}
  focus(): void {}
  show(): void {}
  /** Like Electron: 'close' may be prevented; otherwise the window goes. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

export interface FakeElectron {
  module: Record<string, unknown>;
  app: EventEmitter & { paths: Record<string, string>; recentDocuments: string[]; quitCalls: number; ready: () => void };
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  ipcListeners: Map<string, (event: unknown, ...args: unknown[]) => void>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  privilegedSchemes: unknown[];
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  headersHandler: ((details: { responseHeaders: Record<string, string[]> }, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
  menuTemplates: unknown[][];
  messageBoxAnswers: number[];
  /** Paths the Save dialog answers with, in order; cancelled when empty. */
  saveDialogAnswers: string[];
  messageBoxes: unknown[];
  errors: string[];
}

export function createFakeElectron(): FakeElectron {
  let resolveReady!: () => void;
  const whenReady = new Promise<void>((r) => (resolveReady = r));
  const app = Object.assign(new EventEmitter(), {
    paths: {} as Record<string, string>,
    recentDocuments: [] as string[],
    quitCalls: 0,
    isPackaged: false,
    ready: () => resolveReady(),
    setPath(name: string, value: string) {
      app.paths[name] = value;
    },
    getPath(name: string) {
      return app.paths[name] ?? `/nonexistent/${name}`;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => whenReady,
    addRecentDocument(file: string) {
      app.recentDocuments.push(file);
    },
    quit() {
      app.quitCalls++;
    },
    exit() {
      app.quitCalls++;
    },
  });
  const fake: FakeElectron = {
    module: {},
    app,
    ipcHandlers: new Map(),
    ipcListeners: new Map(),
    protocolHandlers: new Map(),
    privilegedSchemes: [],
    permissionRequestHandler: undefined,
    permissionCheckHandler: undefined,
    headersHandler: undefined,
    menuTemplates: [],
    messageBoxAnswers: [],
    saveDialogAnswers: [],
    messageBoxes: [],
    errors: [],
  };
  fake.module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => fake.ipcHandlers.set(channel, handler),
      on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => fake.ipcListeners.set(channel, listener),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => fake.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: FakeElectron['permissionRequestHandler']) => (fake.permissionRequestHandler = h),
        setPermissionCheckHandler: (h: FakeElectron['permissionCheckHandler']) => (fake.permissionCheckHandler = h),
        webRequest: { onHeadersReceived: (h: FakeElectron['headersHandler']) => (fake.headersHandler = h) },
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    Menu: {
      buildFromTemplate: (template: unknown[]) => (fake.menuTemplates.push(template), { template }),
      setApplicationMenu: () => undefined,
    },
    dialog: {
      showMessageBox: async (_window: unknown, options: unknown) => {
        fake.messageBoxes.push(options);
        return { response: fake.messageBoxAnswers.shift() ?? 2 };
      },
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => {
        const filePath = fake.saveDialogAnswers.shift();
        return filePath === undefined ? { canceled: true } : { canceled: false, filePath };
      },
      showErrorBox: (title: string, message: string) => fake.errors.push(`${title}: ${message}`),
    },
  };
  return fake;
}

/** Loads a CommonJS bundle with require('electron') answered by the fake. */
export function loadWithFakeElectron(bundle: string, fake: FakeElectron): void {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request, parent, isMain) {
    if (request === 'electron') return fake.module;
    return original.call(this, request, parent, isMain);
  };
  try {
    Module.createRequire(bundle)(bundle);
  } finally {
    loader._load = original;
  }
}
