import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';

/**
 * User-level specs of the editor, shared by the web host and the Electron
 * runs: each step is what a person does (click, type) and what they see.
 * They run in order and build on each other, like one working session.
 */

export interface AppSpecContext {
  page: Page;
  host: 'web' | 'electron';
  /** A folder for the files the session saves. */
  scratchDir: string;
  /** Where the next native save/open dialog should answer (Electron); the web host asks in the page instead. */
  answerSaveDialog(file: string): Promise<void>;
  answerOpenDialog(file: string): Promise<void>;
  /** Screenshots go to test-results/<prefix>-<step>.png. */
  screenshotPrefix: string;
}

/** Keras "same"/"valid" output size, computed here from the published formula rather than read from the app. */
function convOutput(n: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - kernel) / stride) + 1;
}

async function numbersOf(page: Page, testId: string): Promise<number[]> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  return [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** Fills the app's own path dialog (web host) or arms the native dialog (Electron), around `action`. */
async function withPath(ctx: AppSpecContext, kind: 'save' | 'open', file: string, action: () => Promise<void>): Promise<void> {
  if (ctx.host === 'electron') {
    await (kind === 'save' ? ctx.answerSaveDialog(file) : ctx.answerOpenDialog(file));
    await action();
    return;
  }
  await action();
  const input = ctx.page.getByTestId('path-input');
  await input.waitFor();
  await input.fill(file);
  await ctx.page.getByTestId('path-confirm').click();
  await input.waitFor({ state: 'detached' });
}

async function waitForAttribute(page: Page, testId: string, attribute: string, accept: (value: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = (await page.getByTestId(testId).getAttribute(attribute)) ?? '';
    if (accept(value)) return value;
    // A training error shown in the panel ends the wait at once, with the app's own words.
    const shownError = (await page.getByTestId('training-error').count()) > 0 ? await page.getByTestId('training-error').textContent() : null;
    if (shownError || Date.now() > deadline) {
      throw new Error(`${testId}[${attribute}] is still "${value}"${shownError ? `; the app says: ${shownError}` : ''}`);
    }
    await page.waitForTimeout(100);
  }
}

export function defineAppSpecs(get: () => AppSpecContext): void {
  const projectFile = () => path.join(get().scratchDir, 'lenet-session.netweave');

  it('opens a template from the New Project gallery', async () => {
    const { page } = get();
    await page.getByTestId('app').waitFor();
    await page.getByTestId('toolbar-new').click();
    await page.getByTestId('template-lenet5').click();
    for (const id of ['input', 'conv1', 'pool1', 'conv2', 'fc1', 'output']) await page.getByTestId(`node-${id}`).waitFor();
    expect(await page.getByTestId('doc-title').textContent()).toContain('LeNet-5');
  });

  it('shows the tensor shape each edge carries', async () => {
    const { page } = get();
    const afterConv1 = convOutput(28, 5, 1, 'same');
    const afterPool1 = convOutput(afterConv1, 2, 2, 'valid');
    const afterConv2 = convOutput(afterPool1, 5, 1, 'valid');
    expect(await numbersOf(page, 'edge-label-e_conv1_pool1')).toEqual([afterConv1, afterConv1, 6]);
    expect(await numbersOf(page, 'edge-label-e_pool1_conv2')).toEqual([afterPool1, afterPool1, 6]);
    expect(await numbersOf(page, 'edge-label-e_conv2_pool2')).toEqual([afterConv2, afterConv2, 16]);
    expect(await numbersOf(page, 'edge-label-e_fc2_output')).toEqual([84]);
  });

  it('saves the project to a file and opens it again', async () => {
    const ctx = get();
    const { page } = ctx;
    mkdirSync(ctx.scratchDir, { recursive: true });
    const file = projectFile();
    await withPath(ctx, 'save', file, () => page.getByTestId('toolbar-save').click());
    await waitForText(page, 'doc-path', file);
    expect(existsSync(file)).toBe(true);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; graph: { nodes: { id: string }[] } };
    expect(saved.format).toBe('netweave.graph');
    expect(saved.graph.nodes.map((n) => n.id)).toContain('conv2');

    // Another project replaces it on the canvas …
    await page.getByTestId('toolbar-new').click();
    await page.getByTestId('template-mlp-xor').click();
    await page.getByTestId('node-hidden').waitFor();
    expect(await page.getByTestId('node-conv1').count()).toBe(0);
    // … and opening the file brings it back.
    await withPath(ctx, 'open', file, () => page.getByTestId('toolbar-open').click());
    await page.getByTestId('node-conv1').waitFor();
    await waitForText(page, 'doc-path', file);
    expect(await page.getByTestId('dirty-marker').count()).toBe(0);
  });

  it('trains for one short epoch with progress arriving, then starts again and stops', async () => {
    const { page } = get();
    await page.getByTestId('tab-training').click();
    await page.getByTestId('training-limit').fill('640');
    await page.getByTestId('training-epochs').fill('1');
    await page.getByTestId('training-start').click();
    await waitForAttribute(page, 'training-progress', 'data-batch', (v) => Number(v) > 0);
    await waitForAttribute(page, 'training-status', 'data-status', (v) => v === 'finished', 120_000);
    expect(Number(await page.getByTestId('training-progress').getAttribute('data-fraction'))).toBe(1);
    expect(await page.getByTestId('training-engine').textContent()).toMatch(/engine:/);

    await page.getByTestId('training-epochs').fill('50');
    await page.getByTestId('training-start').click();
    await waitForAttribute(page, 'training-progress', 'data-batch', (v) => Number(v) > 0);
    await page.getByTestId('training-stop').click();
    await waitForAttribute(page, 'training-status', 'data-status', (v) => v === 'stopped', 60_000);
    expect(Number(await page.getByTestId('training-progress').getAttribute('data-fraction'))).toBeLessThan(1);
    await screenshot(get(), 'training');
  }, 300_000);

  it('exports the graph as TypeScript and saves the code', async () => {
    const ctx = get();
    const { page } = ctx;
    await page.getByTestId('tab-code').click();
    await page.getByTestId('code-target-ts').click();
    await waitForAttribute(page, 'code-view', 'data-ok', (v) => v === 'true');
    await page.locator('[data-testid="code-editor"] .view-lines').waitFor();
    // Monaco draws spaces as no-break spaces.
    const shown = ((await page.locator('[data-testid="code-editor"] .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(shown).toContain("import * as tf from '@tensorflow/tfjs'");
    const file = path.join(ctx.scratchDir, 'lenet.ts');
    await withPath(ctx, 'save', file, () => page.getByTestId('code-save').click());
    for (let i = 0; i < 50 && !existsSync(file); i++) await page.waitForTimeout(100);
    const code = readFileSync(file, 'utf8');
    expect(code).toContain("import * as tf from '@tensorflow/tfjs'");
    expect(code).toContain('conv2');
    await screenshot(ctx, 'code');
  });
}

async function waitForText(page: Page, testId: string, expected: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await page.getByTestId(testId).textContent()) ?? '';
    if (text.includes(expected)) return;
    if (Date.now() > deadline) throw new Error(`${testId} shows "${text}", not "${expected}"`);
    await page.waitForTimeout(100);
  }
}

async function screenshot(ctx: AppSpecContext, step: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  await ctx.page.screenshot({ path: path.join('test-results', `${ctx.screenshotPrefix}-${step}.png`) });
}
