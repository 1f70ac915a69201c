#!/usr/bin/env node
// `npm run build [renderer|electron|node]`: the renderer (Vite), the Electron main process and preload, and
// the CLI / web host / training worker as JavaScript (esbuild), always rebuilt.
import { buildElectron, ensureRendererBuilt } from './lib/build-steps.mjs';
import { buildNode } from './lib/node-build.mjs';

const only = process.argv[2];
try {
  if (only === undefined || only === 'renderer') ensureRendererBuilt({ force: true });
  if (only === undefined || only === 'electron') await buildElectron({ force: true });
  if (only === undefined || only === 'node') await buildNode({ force: true, log: console.log });
} catch (error) {
  console.error(`netweave build: ${error.message}`);
  process.exit(1);
}
