import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { templates } from '../../graph-schema/templates/index';
import { browserMissingReason, launchChromium } from './support/browser';
import type { RunningHost } from './support/web-host-process';
import { startWebHostProcess } from './support/web-host-process';

/** One editor session on the real web host: a built renderer, the host process, Chromium. */
export interface EditorSession {
  page: Page;
  host: RunningHost;
  browser: Browser;
  scratchDir: string;
  pageErrors: string[];
  close(): Promise<void>;
}

export const editorSkipReason = browserMissingReason();

/** `root`: the web host's workspace folder (default: the file-system root). */
export async function openEditorSession(viewport = { width: 1440, height: 900 }, options: { root?: string } = {}): Promise<EditorSession> {
  // @ts-expect-error: a plain ES module of the build scripts, without type declarations
  const { ensureRendererBuilt } = await import('../../scripts/lib/build-steps.mjs');
  ensureRendererBuilt({ log: () => undefined });
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'netweave-editor-e2e-'));
  const [host, browser] = await Promise.all([startWebHostProcess(options.root ? { root: options.root } : {}), launchChromium()]);
  const page = await (await browser.newContext({ viewport, acceptDownloads: true })).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host.url);
  await page.getByTestId('app').waitFor({ timeout: 30_000 });
  return {
    page,
    host,
    browser,
    scratchDir,
    pageErrors,
    close: async () => {
      await browser.close();
      await host.stop();
      rmSync(scratchDir, { recursive: true, force: true });
    },
  };
}

/** Drags a palette item onto the canvas at a point relative to the canvas' top-left corner. */
export async function dropLayer(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-item-${kind}`).dragTo(page.getByTestId('canvas'), { targetPosition: at });
}

/** Drags from one layer's output handle to another's input handle. */
export async function connectHandles(page: Page, from: string, to: string): Promise<void> {
  const s = await page.getByTestId(`handle-out-${from}`).boundingBox();
  const t = await page.getByTestId(`handle-in-${to}`).boundingBox();
  if (!s || !t) throw new Error(`handles of ${from} or ${to} are not on screen`);
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move((s.x + t.x) / 2 + 30, (s.y + t.y) / 2, { steps: 4 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 6 });
  await page.mouse.up();
}

export async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

/** Polls until `read` returns something `accept` likes; the last value is in the error. */
export async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Clicks an empty spot of the canvas, so that keyboard shortcuts go to the canvas and not to a field. */
export async function focusCanvas(page: Page): Promise<void> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width - 60, box.y + 40);
}

/** Opens a template from the New dialog, discarding unsaved changes when asked. */
export async function openTemplate(s: EditorSession, id: string): Promise<void> {
  const name = templates.find((t) => t.id === id)!.name;
  await s.page.getByTestId('toolbar-new').click();
  await s.page.getByTestId(`template-${id}`).click();
  await s.page.getByTestId('template-gallery').waitFor({ state: 'detached' });
  // Unsaved changes are asked about first.
  await waitUntil(
    async () => ((await s.page.getByTestId('confirm-dialog').count()) > 0 ? 'ask' : await textOf(s.page, 'doc-title')),
    (v) => v === 'ask' || v === name,
    `opening ${id}`,
  );
  if (await s.page.getByTestId('confirm-dialog').count()) await s.page.getByTestId('confirm-ok').click();
  await waitUntil(() => textOf(s.page, 'doc-title'), (v) => v === name, `title of ${id}`);
}

/**
 * Registers one editor session for the enclosing describe block, with a scratch folder for
 * project files inside the folder the web host serves (it writes only under its workspace).
 * The page must not have thrown by the end.
 */
export function sharedEditorSession(prefix: string): { session: () => EditorSession; files: () => string } {
  let session: EditorSession | undefined;
  let folder = '';
  beforeAll(async () => {
    mkdirSync(path.join(process.cwd(), '.tmp'), { recursive: true });
    folder = mkdtempSync(path.join(process.cwd(), '.tmp', prefix));
    session = await openEditorSession();
  }, 600_000);
  afterAll(async () => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    await session?.close();
    expect(session?.pageErrors ?? []).toEqual([]);
  });
  return { session: () => session!, files: () => folder };
}
