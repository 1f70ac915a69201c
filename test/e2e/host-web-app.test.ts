import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { defineAppSpecs } from './support/app-specs';
import { browserMissingReason, launchChromium } from './support/browser';
import type { RunningHost } from './support/web-host-process';
import { startWebHostProcess } from './support/web-host-process';

// The real editor, built by Vite, served by the real web host, driven in Chromium.

const skipReason = browserMissingReason();
if (skipReason) console.log(skipReason);

describe.skipIf(!!skipReason)('editor on the web host', () => {
  let browser: Browser;
  let host: RunningHost;
  let page: Page;
  let scratchDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // @ts-expect-error: a plain ES module of the build scripts, without type declarations
    const { ensureRendererBuilt } = await import('../../scripts/lib/build-steps.mjs');
    ensureRendererBuilt({ log: () => undefined });
    scratchDir = mkdtempSync(path.join(os.tmpdir(), 'netweave-e2e-files-'));
    [host, browser] = await Promise.all([startWebHostProcess(), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The app must run under its own Content-Security-Policy without tripping it.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    await page.goto(host.url);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (host) await host.stop();
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
    // Uncaught errors and CSP violations in the page fail the run even when every step passed.
    expect(pageErrors).toEqual([]);
  });

  defineAppSpecs(() => ({
    page,
    host: 'web',
    scratchDir,
    answerSaveDialog: async () => undefined,
    answerOpenDialog: async () => undefined,
    screenshotPrefix: 'editor-web-host',
  }));
});
