#!/usr/bin/env node
// `npm run build`: the renderer (Vite) and the Electron main process and preload (esbuild), always rebuilt.
import { buildElectron, ensureRendererBuilt } from './lib/build-steps.mjs';

const only = process.argv[2];
try {
  if (only !== 'electron') ensureRendererBuilt({ force: true });
  if (only !== 'renderer') await buildElectron({ force: true });
} catch (error) {
  console.error(`netweave build: ${error.message}`);
  process.exit(1);
}
