import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectron, launchElectronApp } from './support/electron-app';
import type { RunningElectron } from './support/electron-app';
import { defineAppSpecs } from './support/app-specs';

// The same user-level specs as the web host's, against the Electron app.
// They need the Electron binary, which is downloaded on first launch.

const binary = await findElectron();
const skipReason = binary
  ? undefined
  : 'No Electron binary (node_modules/electron has no dist/; it is downloaded on first launch, which needs the internet): the Electron end-to-end specs are skipped. The same specs run against the web host.';
if (skipReason) console.log(skipReason);

describe.skipIf(!!skipReason)('Electron app', () => {
  let running: RunningElectron;
  beforeAll(async () => {
    running = await launchElectronApp(binary!);
  });
  afterAll(async () => {
    await running?.close();
  });

  it('exposes exactly the contract on window.netweave, and no Node', async () => {
    const page: Page = running.page;
    const shape = await page.evaluate(() => ({
      keys: Object.keys(window.netweave ?? {}).sort(),
      node: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(shape).toEqual({ keys: ['call', 'on'], node: 'undefined', process: 'undefined' });
    const info = await page.evaluate(() => window.netweave!.call('host.info', {}));
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', nativeDialogs: true } });
  });

  it('opens no new windows', async () => {
    await running.page.evaluate(() => window.open('https://example.com/'));
    await new Promise((r) => setTimeout(r, 300));
    expect(running.app.windows()).toHaveLength(1);
  });

  defineAppSpecs(() => ({
    page: running.page,
    host: 'electron',
    scratchDir: path.join(running.userDataDir, 'files'),
    screenshotPrefix: 'editor-electron',
    // Native dialogs cannot be clicked by a test: answer them from the main process.
    answerSaveDialog: async (file: string) => {
      await running.app.evaluate(({ dialog }, chosen) => {
        dialog.showSaveDialog = (async () => ({ canceled: false, filePath: chosen })) as typeof dialog.showSaveDialog;
      }, file);
    },
    answerOpenDialog: async (file: string) => {
      await running.app.evaluate(({ dialog }, chosen) => {
        dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as typeof dialog.showOpenDialog;
      }, file);
    },
  }));
});
