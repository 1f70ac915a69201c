import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { _electron } from 'playwright-core';

/** The Electron binary, without triggering electron's own download-on-require; undefined when absent. */
export async function findElectron(): Promise<string | undefined> {
  // @ts-expect-error: a plain ES module of the build scripts, without type declarations
  const { findElectronBinary } = await import('../../../scripts/lib/build-steps.mjs');
  return (findElectronBinary() as string | null) ?? undefined;
}

export interface RunningElectron {
  app: ElectronApplication;
  page: Page;
  userDataDir: string;
  close(): Promise<void>;
}

/** Builds main, preload and renderer when stale, then launches the app with a fresh user-data folder. */
export async function launchElectronApp(binary: string): Promise<RunningElectron> {
  // @ts-expect-error: a plain ES module of the build scripts, without type declarations
  const { buildElectron, ensureRendererBuilt, repoRoot } = await import('../../../scripts/lib/build-steps.mjs');
  ensureRendererBuilt();
  await buildElectron();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'netweave-e2e-electron-'));
  const app = await _electron.launch({ executablePath: binary, args: [repoRoot as string, `--user-data-dir=${userDataDir}`], env: { ...process.env, NETWEAVE_USER_DATA: userDataDir } });
  const page = await app.firstWindow();
  return {
    app,
    page,
    userDataDir,
    close: async () => {
      await app.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
