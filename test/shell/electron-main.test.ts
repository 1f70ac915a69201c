import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';
import { waitFor } from './wait-for';
import { createFakeElectron, FakeBrowserWindow, FakeWebContents, loadWithFakeElectron } from './fake-electron';

// The built main-process bundle, run against a recording stand-in for Electron:
// what the real app would do, checked without an Electron binary.

const repo = process.cwd();
let harness: string;
let userData: string;

beforeAll(async () => {
  mkdirSync(path.join(repo, '.tmp'), { recursive: true });
  // Inside the repository, so that the bundle's external packages resolve from node_modules.
  harness = mkdtempSync(path.join(repo, '.tmp', 'electron-harness-'));
  userData = path.join(harness, 'user-data');
  mkdirSync(path.join(harness, 'renderer'), { recursive: true });
  writeFileSync(path.join(harness, 'renderer', 'index.html'), '<!doctype html><title>harness page</title>');
  writeFileSync(path.join(harness, 'secret.txt'), 'TOP SECRET');
  writeFileSync(path.join(harness, 'launch.netweave'), '{}');
  writeFileSync(path.join(harness, 'second.netweave'), '{}');
  // @ts-expect-error: a plain ES module of the build scripts, without type declarations
  const { buildElectron } = await import('../../scripts/lib/build-steps.mjs');
  await buildElectron({ force: true, log: () => undefined, outDir: path.join(harness, 'electron') });
});

afterAll(() => {
  if (harness) rmSync(harness, { recursive: true, force: true });
});

interface Started {
  fake: FakeElectron;
  window: FakeBrowserWindow;
  call: (name: string, input: unknown, event?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  trusted: () => unknown;
}

async function startMain(args: string[]): Promise<Started> {
  const bundle = path.join(harness, 'electron', 'main.cjs');
  delete (await import('node:module')).createRequire(bundle).cache[bundle];
  const fake = createFakeElectron();
  const before = FakeBrowserWindow.created.length;
  const argv = process.argv;
  process.argv = [process.execPath, bundle, `--user-data-dir=${userData}`, ...args];
  try {
    loadWithFakeElectron(bundle, fake);
  } finally {
    process.argv = argv;
  }
  expect(fake.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  fake.app.ready();
  await waitFor(() => FakeBrowserWindow.created.length > before && FakeBrowserWindow.created.at(-1)!.loadedUrl !== undefined, 'the window to load', 30_000);
  const window = FakeBrowserWindow.created.at(-1)!;
  const trusted = () => ({ sender: window.webContents, senderFrame: { url: 'app://netweave/index.html', parent: null } });
  const handler = fake.ipcHandlers.get('netweave:call')!;
  return {
    fake,
    window,
    trusted,
    call: async (name, input, event = trusted()) => (await handler(event, name, input)) as never,
  };
}

const eventsSent = (window: FakeBrowserWindow, event: string) =>
  window.webContents.sent.filter((s) => s.channel === 'netweave:event' && (s.message as { event: string }).event === event).map((s) => (s.message as { payload: unknown }).payload);

describe('Electron main process (built bundle, stand-in Electron)', () => {
  let app: Started;
  beforeAll(async () => {
    app = await startMain([path.join(harness, 'launch.netweave')]);
  });

  it('uses the user data folder given on the command line', () => {
    expect(app.fake.app.paths.userData).toBe(userData);
  });

  it('opens one window with the secure settings, loading the app from its own scheme', () => {
    const prefs = app.window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
    expect(prefs.preload).toBe(path.join(harness, 'electron', 'preload.cjs'));
    expect(existsSync(prefs.preload as string)).toBe(true);
    expect(app.window.loadedUrl).toBe('app://netweave/index.html');
  });

  it('blocks navigation, new windows and webviews in every web contents, and refuses permissions', () => {
    const contents = new FakeWebContents();
    app.fake.app.emit('web-contents-created', {}, contents);
    let navigationPrevented = false;
    contents.emit('will-navigate', { preventDefault: () => (navigationPrevented = true) }, 'https://evil.example/');
    expect(navigationPrevented).toBe(true);
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) }, {}, {});
    expect(webviewPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const answers: boolean[] = [];
    app.fake.permissionRequestHandler!(contents, 'media', (granted) => answers.push(granted));
    app.fake.permissionRequestHandler!(contents, 'notifications', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(app.fake.permissionCheckHandler!(contents, 'clipboard-read')).toBe(false);
  });

  it('serves the renderer on app://netweave with the Content-Security-Policy, and nothing outside it', async () => {
    const serve = app.fake.protocolHandlers.get('app')!;
    const page = await serve(new Request('app://netweave/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('harness page');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const url of ['app://netweave/../secret.txt', 'app://netweave/%2e%2e/secret.txt', 'app://other/index.html']) {
      const reply = await serve(new Request(url));
      expect(reply.status, url).toBe(404);
      expect(await reply.text()).not.toContain('TOP SECRET');
    }
    const headers = await new Promise<Record<string, string[]>>((resolve) => app.fake.headersHandler!({ responseHeaders: {} }, (r) => resolve(r.responseHeaders)));
    expect(headers['Content-Security-Policy']![0]).toContain("object-src 'none'");
  });

  it('answers calls only from the app window’s own top frame', async () => {
    expect(await app.call('host.info', {})).toMatchObject({ ok: true, value: { host: 'electron', nativeDialogs: true } });
    const foreignPage = { sender: app.window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    const subFrame = { sender: app.window.webContents, senderFrame: { url: 'app://netweave/index.html', parent: {} } };
    const otherContents = { sender: new FakeWebContents(), senderFrame: { url: 'app://netweave/index.html', parent: null } };
    const noFrame = { sender: app.window.webContents, senderFrame: null };
    for (const event of [foreignPage, subFrame, otherContents, noFrame]) {
      expect(await app.call('host.info', {}, event)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    }
  });

  it('validates payloads before use', async () => {
    const target = path.join(harness, 'never.netweave');
    expect(await app.call('project.save', { handle: target, document: { format: 'netweave.graph' } })).toMatchObject({ ok: false, error: { code: 'payload-invalid' } });
    expect(existsSync(target)).toBe(false);
    expect(await app.call('shell.openExternal', {})).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });

  it('holds files from the command line until the page listens, then forwards later launches’ files', async () => {
    expect(eventsSent(app.window, 'app.openFile')).toEqual([]);
    app.fake.ipcListeners.get('netweave:listening')!(app.trusted(), 'app.openFile');
    // The page gets a handle for each file, and the path only to show it.
    expect(eventsSent(app.window, 'app.openFile')).toEqual([{ handle: expect.stringMatching(/^nwh-[0-9a-f]{32}$/), path: path.join(harness, 'launch.netweave') }]);
    app.fake.app.emit('second-instance', {}, ['/opt/netweave/netweave', '--flag', 'second.netweave'], harness);
    await vi.waitFor(() => expect(eventsSent(app.window, 'app.openFile').at(-1)).toEqual({ handle: expect.stringMatching(/^nwh-/), path: path.join(harness, 'second.netweave') }));
  });

  it('sends menu commands to the page and lists saved projects under Open Recent', async () => {
    const fileMenu = () => (app.fake.menuTemplates.at(-1) as { label?: string; submenu?: { label?: string; click?: () => void; submenu?: { label?: string }[] }[] }[]).find((m) => m.label === '&File')!;
    fileMenu().submenu!.find((i) => i.label === 'Save')!.click!();
    expect(eventsSent(app.window, 'app.command').at(-1)).toEqual({ command: 'save' });
    const document = ((await app.call('project.fromTemplate', { templateId: 'mlp-xor' })) as { value: unknown }).value;
    const file = path.join(harness, 'recent-one.netweave');
    // A path from the page is refused; the file the user picks in the Save dialog is written.
    expect(await app.call('project.save', { handle: file, document })).toMatchObject({ ok: false, error: { code: 'handle-unknown' } });
    app.fake.saveDialogAnswers.push(file);
    expect(await app.call('project.saveAs', { document })).toMatchObject({ ok: true });
    const recent = fileMenu().submenu!.find((i) => i.label === 'Open Recent')!.submenu!;
    expect(recent[0]!.label).toContain('recent-one.netweave');
    expect(app.fake.app.recentDocuments).toContain(file);
  });

  it('turns a dropped .netweave into a handle that opens, and refuses other files, folders and foreign senders with a code', async () => {
    const drop = (file: unknown, event: unknown = app.trusted()) =>
      app.fake.ipcHandlers.get('netweave:drop')!(event, file) as Promise<{ ok: boolean; value?: { handle: string; path: string; kind: string }; error?: { code: string; message: string } }>;
    const document = ((await app.call('project.fromTemplate', { templateId: 'mlp-xor' })) as { value: { name: string } }).value;
    const dropped = path.join(harness, 'dropped.netweave');
    writeFileSync(dropped, JSON.stringify(document));
    const granted = await drop(dropped);
    expect(granted).toEqual({ ok: true, value: { handle: expect.stringMatching(/^nwh-[0-9a-f]{32}$/), path: dropped, kind: 'project' } });
    const opened = (await app.call('project.open', { handle: granted.value!.handle })) as { ok: boolean; value: { document: { name: string }; path: string } };
    expect(opened).toMatchObject({ ok: true, value: { path: dropped, document: { name: document.name } } });

    // A link named like a project is judged by what it points to.
    const link = path.join(harness, 'passwd.netweave');
    symlinkSync('/etc/passwd', link);
    const folder = path.join(harness, 'folder.netweave');
    mkdirSync(folder);
    const foreignPage = { sender: app.window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    const refusals: [unknown, string, unknown?][] = [
      ['/etc/passwd', 'drop-kind-unsupported'],
      [link, 'drop-kind-unsupported'],
      [folder, 'drop-not-a-file'],
      [harness, 'drop-not-a-file'],
      [path.join(harness, 'missing.netweave'), 'drop-not-a-file'],
      ['', 'drop-not-a-file'],
      ['dropped.netweave', 'drop-not-a-file'],
      [{ path: dropped }, 'drop-not-a-file'],
      [dropped, 'sender-refused', foreignPage],
    ];
    for (const [file, code, event] of refusals) {
      const answer = await drop(file, event ?? app.trusted());
      expect(answer, String(file)).toMatchObject({ ok: false, error: { code } });
      expect(answer.error!.message).not.toContain('root:');
    }
  });

  it('never lets a handle from a drop export, save a model or overwrite a file other than the project dropped', async () => {
    const drop = (file: string) => app.fake.ipcHandlers.get('netweave:drop')!(app.trusted(), file) as Promise<{ ok: boolean; value: { handle: string; kind: string } }>;
    const document = ((await app.call('project.fromTemplate', { templateId: 'mlp-xor' })) as { value: unknown }).value;
    const projectFile = path.join(harness, 'kept.netweave');
    writeFileSync(projectFile, JSON.stringify(document));
    const modelFile = path.join(harness, 'model.json');
    writeFileSync(modelFile, '{"format":"not-ours"}');
    const project = (await drop(projectFile)).value.handle;
    const model = await drop(modelFile);
    expect(model.value.kind).toBe('model');
    const before = readFileSync(projectFile, 'utf8');
    for (const [name, input] of [
      ['export.save', { document, target: 'ts', handle: project }],
      ['export.save', { document, target: 'keras', handle: model.value.handle }],
      ['model.save', { runId: 'run-1', handle: project }],
      ['project.save', { document, handle: model.value.handle }],
      ['project.save', { document, handle: model.value.handle, overwrite: true }],
      ['project.open', { handle: model.value.handle }],
      ['project.import', { handle: project }],
    ] as const) {
      expect(await app.call(name, input), name).toMatchObject({ ok: false, error: { code: 'access-refused' } });
    }
    expect(readFileSync(projectFile, 'utf8')).toBe(before);
    expect(readFileSync(modelFile, 'utf8')).toBe('{"format":"not-ours"}');
    // The model's handle reaches the importer (which refuses this file as no model it knows, by code).
    const imported = (await app.call('project.import', { handle: model.value.handle })) as { ok: boolean; error?: { code: string } };
    expect(imported.ok).toBe(false);
    expect(imported.error!.code).not.toMatch(/^(access-refused|handle-unknown|payload-invalid|unknown-call)$/);
    // The dropped project itself is saved back in place, as one opened from the dialog would be.
    expect(await app.call('project.save', { document, handle: project })).toMatchObject({ ok: true, value: { path: projectFile } });
  });

  it('trains in a worker started from the bundled training-worker.cjs and forwards its events to the page', async () => {
    const document = ((await app.call('project.fromTemplate', { templateId: 'mlp-xor' })) as { value: unknown }).value;
    const started = (await app.call('training.start', { document, epochs: 2, engine: 'cpu' })) as { ok: boolean; value: { runId: string } };
    expect(started.ok).toBe(true);
    const events = () => eventsSent(app.window, 'training.event') as { type: string; runId: string }[];
    await waitFor(() => events().some((e) => e.type === 'finished' || e.type === 'error'), 'the run to end', 120_000);
    const mine = events().filter((e) => e.runId === started.value.runId);
    expect(mine.at(-1)).toMatchObject({ type: 'finished' });
    expect(mine.map((e) => e.type)).toContain('started');
    expect(mine.filter((e) => e.type === 'epoch')).toHaveLength(2);
  }, 180_000);

  it('asks before closing a window with unsaved changes; Cancel keeps it, Save saves first and then closes', async () => {
    await app.call('app.documentState', { dirty: true, title: 'XOR net' });
    expect(app.window.title).toContain('XOR net');
    expect(app.window.documentEdited).toBe(true);
    app.fake.messageBoxAnswers.push(2);
    app.window.close();
    await expect.poll(() => app.fake.messageBoxes.length).toBe(1);
    expect(app.window.isDestroyed()).toBe(false);
    app.fake.messageBoxAnswers.push(0);
    app.window.close();
    await expect.poll(() => eventsSent(app.window, 'app.command').some((p) => (p as { command: string }).command === 'saveAndClose')).toBe(true);
    expect(app.window.isDestroyed()).toBe(false);
    await app.call('app.documentState', { dirty: false, title: 'XOR net' });
    expect(app.window.isDestroyed()).toBe(true);
    // The window's place is remembered for the next launch.
    await expect.poll(() => existsSync(path.join(userData, 'window-state.json'))).toBe(true);
    const state = JSON.parse(readFileSync(path.join(userData, 'window-state.json'), 'utf8'));
    expect(state.bounds).toMatchObject({ width: expect.any(Number), height: expect.any(Number) });
  });

  it('on “Don’t Save”, closes without saving and drops the recovery file', async () => {
    const second = await startMain([]);
    const document = ((await second.call('project.fromTemplate', { templateId: 'mlp-xor' })) as { value: unknown }).value;
    const written = (await second.call('recovery.write', { document })) as { value: { path: string } };
    expect(existsSync(written.value.path)).toBe(true);
    await second.call('app.documentState', { dirty: true });
    second.fake.messageBoxAnswers.push(1);
    second.window.close();
    await expect.poll(() => second.window.isDestroyed()).toBe(true);
    expect(existsSync(written.value.path)).toBe(false);
    // A closed window's page can no longer call main.
    expect(await second.call('host.info', {})).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
  });

  it('restores the remembered window size on the next launch', async () => {
    writeFileSync(path.join(userData, 'window-state.json'), JSON.stringify({ bounds: { x: 40, y: 30, width: 1000, height: 700 }, maximized: false }));
    const third = await startMain([]);
    expect(third.window.options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700 });
  });
});
