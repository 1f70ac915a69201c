// Build steps shared by `npm start`, `npm run serve` and `npm run dist`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererOutDir = path.join(repoRoot, 'dist', 'renderer');
export const electronOutDir = path.join(repoRoot, 'dist', 'electron');

/** Newest modification time of the files under the given paths (0 when none exist). */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules' && !entry.startsWith('.')) visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) visit(path.join(repoRoot, p));
  return newest;
}

function outputMtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const rendererSources = ['renderer', 'shared', 'graph-schema', 'vite.config.ts', 'package.json'];

/** The mode every renderer build uses, whatever NODE_ENV the caller runs under (a test run sets `test`). */
export const rendererBuildMode = 'production';
const rendererBuildInfo = path.join(rendererOutDir, 'build-info.json');

/** The mode recorded with the renderer build, or null when there is none (an old or partial build). */
export function builtRendererMode() {
  try {
    return JSON.parse(readFileSync(rendererBuildInfo, 'utf8')).mode ?? null;
  } catch {
    return null;
  }
}

export function rendererIsStale() {
  if (builtRendererMode() !== rendererBuildMode) return true;
  return outputMtime(path.join(rendererOutDir, 'index.html')) < newestMtime(rendererSources);
}

/** Builds the renderer with Vite, in production mode, when its sources are newer than dist/renderer or its mode differs. */
export function ensureRendererBuilt({ force = false, log = console.log } = {}) {
  if (!force && !rendererIsStale()) return;
  log('Building the app’s pages (vite build, production)…');
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--mode', rendererBuildMode, '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
    // React picks its development build from NODE_ENV; users always get the production one.
    env: { ...process.env, NODE_ENV: rendererBuildMode },
  });
  if (result.status !== 0) throw new Error('The renderer build failed (see the messages above).');
  writeFileSync(rendererBuildInfo, `${JSON.stringify({ mode: rendererBuildMode, builtAt: new Date().toISOString() })}\n`);
}

const electronSources = ['main', 'shared', 'graph-schema', 'package.json'];

export function electronIsStale() {
  const built = Math.min(...['main.cjs', 'preload.cjs', 'training-worker.cjs'].map((f) => outputMtime(path.join(electronOutDir, f))));
  return built < newestMtime(electronSources);
}

/**
 * Bundles the Electron main process and its preload with esbuild into
 * dist/electron/. The preload is CommonJS with nothing but 'electron' left to
 * require, as a sandboxed preload must be. npm packages stay external in main
 * (they ship in node_modules, native and wasm files included).
 */
export async function buildElectron({ force = false, log = console.log, outDir = electronOutDir } = {}) {
  if (!force && !electronIsStale()) return;
  log('Building the Electron main process and preload (esbuild)…');
  const esbuild = await import('esbuild');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: repoRoot };
  await esbuild.build({
    ...common,
    // The training worker is its own entry: worker threads load it from a file beside main.cjs.
    entryPoints: { main: 'main/electron/electron-main.ts', 'training-worker': 'main/training/training-worker.ts' },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    packages: 'external',
    // import.meta.url has no meaning in CommonJS: give modules that locate files by it the bundle's own URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  await esbuild.build({
    ...common,
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    platform: 'browser',
    external: ['electron'],
  });
}

/**
 * Where the Electron binary would be, without triggering electron's own
 * download-on-require: null when it is not there.
 */
export function findElectronBinary() {
  const pkg = path.join(repoRoot, 'node_modules', 'electron');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const dir = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const names = process.platform === 'win32' ? ['electron.exe'] : process.platform === 'darwin' ? ['Electron.app/Contents/MacOS/Electron'] : ['electron'];
    for (const name of names) if (existsSync(path.join(dir, name))) return path.join(dir, name);
    return null;
  }
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  let relative;
  try {
    relative = readFileSync(pathFile, 'utf8').trim();
  } catch {
    return null;
  }
  const binary = path.join(pkg, 'dist', relative);
  return relative && existsSync(binary) ? binary : null;
}

/**
 * Electron 42 fetches its binary on first launch rather than at install.
 * Tries that download once (quietly; it fails fast offline) and returns the
 * binary, or null with the reason.
 */
export function tryDownloadElectron({ log = console.log } = {}) {
  const installer = path.join(repoRoot, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return { binary: null, reason: 'the electron package is not installed' };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { binary: null, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  log('Fetching the Electron binary (first launch)…');
  const result = spawnSync(process.execPath, [installer], { cwd: repoRoot, encoding: 'utf8', timeout: 10 * 60_000 });
  const binary = findElectronBinary();
  if (binary) return { binary, reason: null };
  const lastLine = `${result.stderr ?? ''}`.split('\n').find((l) => /error|fail/i.test(l))?.trim();
  return { binary: null, reason: `its download failed${lastLine ? ` (${lastLine.slice(0, 160)})` : ''}` };
}
