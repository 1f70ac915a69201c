#!/usr/bin/env node
// `npm run dist`: builds everything, then the installers of this platform with
// electron-builder (electron-builder.yml). electron-builder downloads Electron
// and its packaging tools; offline, pass `--dir` with ELECTRON_DIST pointing at
// an unpacked Electron to get the unpacked app only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildElectron, ensureRendererBuilt, repoRoot } from './lib/build-steps.mjs';

try {
  ensureRendererBuilt({ force: true });
  await buildElectron({ force: true });
} catch (error) {
  console.error(`netweave dist: ${error.message}`);
  process.exit(1);
}
const platformFlag = { linux: '--linux', darwin: '--mac', win32: '--win' }[process.platform];
if (!platformFlag) {
  console.error(`netweave dist: no installer targets for ${process.platform}.`);
  process.exit(1);
}
const extra = process.argv.slice(2);
const electronDist = process.env.ELECTRON_DIST ? [`--config.electronDist=${process.env.ELECTRON_DIST}`] : [];
const builder = path.join(repoRoot, 'node_modules', 'electron-builder', 'cli.js');
const result = spawnSync(process.execPath, [builder, platformFlag, ...electronDist, ...extra], { cwd: repoRoot, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('netweave dist: electron-builder failed. It downloads Electron and its packaging tools: check the network, or see the messages above.');
  process.exit(result.status ?? 1);
}
