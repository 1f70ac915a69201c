import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { engineNames } from '../../shared/training-types';
import type { EditorSession } from './editor-support';
import { dropLayer, editorSkipReason, focusCanvas, openTemplate, sharedEditorSession, textOf, waitUntil } from './editor-support';

// Recovery keeps the file, titles follow the file name, save errors name the user's file, engines offered are installed.

if (editorSkipReason) console.log(editorSkipReason);

const state = <T>(page: Page, read: string) => page.evaluate(`((s) => ${read})(window.netweaveEditor.store.getState())`) as Promise<T>;

describe.skipIf(!!editorSkipReason)('editor: files and engines a user can trust', () => {
  const shared = sharedEditorSession('editor-files-');
  // Read when each test runs (the session starts in beforeAll).
  let s: EditorSession;
  let files: string;
  beforeEach(() => {
    s = shared.session();
    files = shared.files();
  });

  async function saveAs(page: Page, file: string): Promise<void> {
    await page.getByTestId('toolbar-save-as').click();
    await page.getByTestId('path-input').fill(file);
    await page.getByTestId('path-confirm').click();
  }

  it('after Save as, the title and the window title follow the file name unless the user named the project', async () => {
    await openTemplate(s, 'mlp-mnist');
    const file = path.join(files, 'mycnn.netweave');
    await saveAs(s.page, file);
    await waitUntil(async () => existsSync(file), (v) => v, 'saved file');
    await waitUntil(() => textOf(s.page, 'doc-title'), (v) => v === 'mycnn', 'title after Save as');
    await waitUntil(() => s.page.title(), (v) => v === 'mycnn — Netweave', 'window title');
    // A name the user typed wins over the file name.
    await s.page.getByTestId('tab-inspector').click().catch(() => undefined);
    await s.page.getByTestId('document-name-input').fill('My classifier');
    await waitUntil(() => textOf(s.page, 'doc-title'), (v) => v === 'My classifier', 'user-given title');
    await waitUntil(() => s.page.title(), (v) => v.includes('My classifier'), 'window title with the user name');
  });

  it('a save error names the file the user chose and why, never the temporary file', async () => {
    await openTemplate(s, 'mlp-mnist');
    // A name longer than any file system allows: the write fails.
    const file = path.join(files, `${'n'.repeat(300)}.netweave`);
    await saveAs(s.page, file);
    const toast = s.page.getByTestId('toast-error');
    await toast.waitFor({ timeout: 15_000 });
    const text = (await toast.textContent()) ?? '';
    expect(text).not.toContain('netweave-tmp');
    expect(text).toContain('n'.repeat(300));
    expect(text).toMatch(/too long/);
    expect(text).not.toMatch(/outside the workspace/);
    await s.page.locator('[role="dialog"]').count().then(async (n) => n && s.page.keyboard.press('Escape'));
  });

  it('recovery from autosave keeps the file path and the unsaved state; Save writes that file', async () => {
    await openTemplate(s, 'mlp-mnist');
    const file = path.join(files, 'recovered.netweave');
    await saveAs(s.page, file);
    await waitUntil(async () => existsSync(file), (v) => v, 'saved file');
    await waitUntil(() => textOf(s.page, 'doc-path'), (v) => v.includes('recovered.netweave'), 'path shown');
    const before = await state<number>(s.page, 's.document.graph.nodes.length');
    await dropLayer(s.page, 'Dense', { x: 260, y: 120 });
    await waitUntil(() => state<number>(s.page, 's.document.graph.nodes.length'), (n) => n === before + 1, 'layer added');
    const recoveryFile = path.join(s.host.userDataDir, 'recovery', 'recovery.netweave.json');
    await waitUntil(
      async () => (existsSync(recoveryFile) ? (JSON.parse(readFileSync(recoveryFile, 'utf8')) as { file?: string; document: { graph: { nodes: unknown[] } } }) : null),
      (v) => v !== null && v.document.graph.nodes.length === before + 1,
      'autosave written',
    );
    // The window goes away without saving (as in a crash); a new one offers the recovery.
    const context = s.page.context();
    await s.page.close({ runBeforeUnload: false });
    s.page = await context.newPage();
    s.page.on('pageerror', (error) => s.pageErrors.push(error.message));
    await s.page.goto(s.host.url);
    await s.page.getByTestId('confirm-dialog').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('confirm-ok').click();
    await waitUntil(() => state<number>(s.page, 's.document.graph.nodes.length'), (n) => n === before + 1, 'recovered layers');
    expect(await textOf(s.page, 'doc-path')).toContain('recovered.netweave');
    expect(await s.page.getByTestId('dirty-marker').count()).toBe(1);
    expect(await textOf(s.page, 'doc-title')).toBe('recovered');
    // Ctrl+S saves to the same file without asking for a path.
    await s.page.keyboard.press('Control+s');
    await waitUntil(() => s.page.getByTestId('dirty-marker').count(), (n) => n === 0, 'saved after recovery');
    expect(await s.page.getByTestId('save-dialog').count()).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).graph.nodes.length).toBe(before + 1);
  });

  it('a light theme follows the system, switches from the toolbar and with Shift+T, and is remembered', async () => {
    const theme = () => s.page.evaluate(() => document.documentElement.dataset.theme ?? '');
    const background = () => s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await s.page.evaluate(() => window.localStorage.removeItem('netweave.theme'));
    await s.page.emulateMedia({ colorScheme: 'dark' });
    await waitUntil(theme, (v) => v === 'dark', 'dark system theme');
    const darkBackground = await background();
    await s.page.emulateMedia({ colorScheme: 'light' });
    await waitUntil(theme, (v) => v === 'light', 'light system theme');
    expect(await background()).not.toBe(darkBackground);
    await openTemplate(s, 'lenet5');
    mkdirSync(path.join(process.cwd(), 'test-results'), { recursive: true });
    await s.page.screenshot({ path: path.join(process.cwd(), 'test-results', 'light-theme-1440x900.png') });
    // Shift+T on the canvas picks dark; the pick outlives a reload although the system says light.
    await focusCanvas(s.page);
    await s.page.keyboard.press('Shift+T');
    await waitUntil(theme, (v) => v === 'dark', 'dark after Shift+T');
    await s.page.reload();
    await s.page.getByTestId('app').waitFor();
    if (await s.page.getByTestId('confirm-dialog').count()) await s.page.getByTestId('confirm-cancel').click();
    expect(await theme()).toBe('dark');
    await s.page.getByTestId('toolbar-theme').click();
    await waitUntil(theme, (v) => v === 'light', 'light after the toolbar button');
    expect(await s.page.evaluate(() => window.localStorage.getItem('netweave.theme'))).toBe('light');
    // Listed in `?` with its key.
    await s.page.getByTestId('toolbar-help').click();
    await waitUntil(() => s.page.locator('[role="dialog"]').innerText(), (t) => /theme/i.test(t) && t.includes('Shift+T'), 'theme in the shortcut list');
    await s.page.keyboard.press('Escape');
  });

  it('the engine list offers only installed engines and says what to install for the others', async () => {
    const resolve = createRequire(path.join(process.cwd(), 'package.json')).resolve;
    const pkg: Record<string, string> = {
      'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
      tensorflow: '@tensorflow/tfjs-node',
      'onnxruntime-gpu': 'onnxruntime-node',
      onnxruntime: 'onnxruntime-node',
      wasm: '@tensorflow/tfjs-backend-wasm',
    };
    const installed = (name: string) => {
      if (!pkg[name]) return true;
      try {
        resolve(pkg[name]);
        return true;
      } catch {
        return false;
      }
    };
    await s.page.getByTestId('tab-training').click();
    const select = s.page.getByTestId('training-engine-choice');
    await select.waitFor();
    const offered = await select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(['auto', ...engineNames.filter(installed)]);
    for (const name of engineNames.filter((n) => !installed(n))) {
      const line = s.page.getByTestId(`engine-missing-${name}`);
      expect(await line.textContent()).toContain(`install ${pkg[name]}`);
      expect(await line.getAttribute('title')).toContain(pkg[name]);
    }
    // On this machine the GPU build of TensorFlow is what users most often lack; when it is, it must not be offered.
    if (!installed('tensorflow-gpu')) expect(offered).not.toContain('tensorflow-gpu');
  });
});
