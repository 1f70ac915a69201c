#!/usr/bin/env node
// `npm run serve [-- --port N --user-data-dir DIR]`: the app on a loopback web host.
// Builds the renderer first when its sources changed (skip with --no-build).
import { register } from 'tsx/esm/api';
import { ensureRendererBuilt } from './lib/build-steps.mjs';

const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  try {
    ensureRendererBuilt();
  } catch (error) {
    console.error(`netweave serve: ${error.message}`);
    process.exit(1);
  }
}
register();
const { runServe } = await import('../main/web-host/serve-cli.ts');
await runServe(args);
