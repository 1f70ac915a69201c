// The CLI, the web host and the training worker as plain JavaScript, built by scripts/install.sh
// (and `npm run build`), so that running them starts no transpiler: no tsx, no esbuild child.
// A build older than its sources is rebuilt before use; where it cannot be, the command says why.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { newestMtime, repoRoot } from './build-steps.mjs';

export const nodeOutDir = path.join(repoRoot, 'dist', 'node');
const entries = { cli: 'main/cli/index.ts', 'serve-cli': 'main/web-host/serve-cli.ts', 'training-worker': 'main/training/training-worker.ts' };
const sources = ['main', 'shared', 'graph-schema', 'package.json'];

function builtMtime() {
  let oldest = Infinity;
  for (const name of Object.keys(entries)) {
    try {
      oldest = Math.min(oldest, statSync(path.join(nodeOutDir, `${name}.mjs`)).mtimeMs);
    } catch {
      return -1;
    }
  }
  return oldest;
}

export function nodeBuildIsStale() {
  return builtMtime() < newestMtime(sources);
}

/**
 * Bundles the three entries with esbuild into dist/node/*.mjs (ESM, npm packages external).
 * Written beside the output and renamed into place file by file, so a command starting
 * meanwhile reads the old or the new file, never half of one.
 */
export async function buildNode({ force = false, log = () => undefined } = {}) {
  if (!force && !nodeBuildIsStale()) return;
  log('Building the command-line tools (esbuild)…');
  const esbuild = await import('esbuild');
  mkdirSync(path.dirname(nodeOutDir), { recursive: true });
  const staging = mkdtempSync(path.join(path.dirname(nodeOutDir), '.node-build-'));
  try {
    await esbuild.build({
      entryPoints: entries,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      // Shared code and the lazily loaded commands go to chunks, so `summary` never loads TensorFlow.js.
      // Chunks sit beside the entries: code that finds files by import.meta.url (the training
      // worker beside the training service) sees the same folder wherever esbuild put it.
      splitting: true,
      chunkNames: 'chunk-[name]-[hash]',
      logLevel: 'warning',
      absWorkingDir: repoRoot,
      // Bundled ESM has no require: give CommonJS-only code paths one.
      banner: { js: "import { createRequire as __nwCreateRequire } from 'node:module'; const require = __nwCreateRequire(import.meta.url);" },
    });
    // Chunks first (their names carry a hash, so old entries keep theirs), then the entries;
    // chunks no entry imports any more are removed.
    mkdirSync(nodeOutDir, { recursive: true });
    const written = readdirSync(staging);
    for (const file of written.filter((f) => f.startsWith('chunk-'))) renameSync(path.join(staging, file), path.join(nodeOutDir, file));
    for (const file of written.filter((f) => !f.startsWith('chunk-'))) renameSync(path.join(staging, file), path.join(nodeOutDir, file));
    for (const file of readdirSync(nodeOutDir)) if (!written.includes(file)) rmSync(path.join(nodeOutDir, file), { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await esbuild.stop?.();
  }
}

/**
 * The built module of an entry, rebuilt first when stale. With NETWEAVE_FROM_SOURCE=1 (development),
 * null: the caller runs the TypeScript through tsx instead.
 */
export async function builtEntry(name, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (process.env.NETWEAVE_FROM_SOURCE === '1') return null;
  if (nodeBuildIsStale()) {
    const hadBuild = existsSync(path.join(nodeOutDir, `${name}.mjs`));
    try {
      await buildNode({ force: true, log: hadBuild ? () => undefined : log });
    } catch (error) {
      throw new Error(
        `the built JavaScript in ${nodeOutDir} is ${hadBuild ? 'older than its sources' : 'missing'} and could not be rebuilt (${error instanceof Error ? error.message.split('\n')[0] : String(error)}). Run scripts/install.sh or npm run build, or set NETWEAVE_FROM_SOURCE=1 to run from the sources.`,
      );
    }
  }
  return path.join(nodeOutDir, `${name}.mjs`);
}
