import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A folder holding a tiny page that loads the real renderer bridge (bundled
 * with esbuild), for tests of the host protocol that need no editor UI.
 * Built inside the repository's .tmp so that packages resolve.
 */
export async function buildBridgeProbePage(): Promise<string> {
  mkdirSync(path.join(process.cwd(), '.tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(process.cwd(), '.tmp', 'bridge-probe-'));
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(process.cwd(), 'test', 'e2e', 'support', 'bridge-probe-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: path.join(dir, 'assets', 'probe.js'),
    logLevel: 'warning',
  });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>bridge probe</title><script type="module" src="./assets/probe.js"></script></head><body></body></html>');
  return dir;
}
