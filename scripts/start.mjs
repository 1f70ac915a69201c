#!/usr/bin/env node
// `npm start`: builds what changed, then launches the Electron app. Where no
// Electron binary is present it says so and serves the same app on a loopback
// web host, opened in Chromium as an app window (or printed, without a display).
import { spawn } from 'node:child_process';
import { buildElectron, ensureRendererBuilt, findElectronBinary, repoRoot, tryDownloadElectron } from './lib/build-steps.mjs';

const args = process.argv.slice(2);

try {
  // --no-build: use dist/renderer as it is (the web host then explains what is missing).
  if (!args.includes('--no-build')) ensureRendererBuilt();
} catch (error) {
  console.error(`netweave: ${error.message}`);
  process.exit(1);
}

// --web: skip Electron and use the web host even where Electron is present.
let electron = args.includes('--web') ? null : findElectronBinary();
let missing = 'it was not asked for (--web)';
if (!electron && !args.includes('--web')) {
  const attempt = tryDownloadElectron({ log: () => undefined });
  electron = attempt.binary;
  missing = `it is not in node_modules/electron and ${attempt.reason}`;
}
const passOn = args.filter((a) => a !== '--no-build' && a !== '--web');
if (electron) {
  await buildElectron();
  const child = spawn(electron, [repoRoot, ...passOn], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
} else {
  console.log(`No Electron binary (${missing}): running Netweave on a local web host instead.`);
  const { register } = await import('tsx/esm/api');
  register();
  const { runServe } = await import('../main/web-host/serve-cli.ts');
  await runServe(passOn, { openBrowser: true });
}
