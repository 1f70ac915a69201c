#!/usr/bin/env node
// `npm run serve [-- --port N --user-data-dir DIR]`: the app on a loopback web host.
// Builds the renderer first when its sources changed (skip with --no-build).
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { ensureRendererBuilt } from './lib/build-steps.mjs';
import { builtEntry } from './lib/node-build.mjs';

const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  try {
    ensureRendererBuilt();
  } catch (error) {
    console.error(`netweave serve: ${error.message}`);
    process.exit(1);
  }
}
// The web host and its training workers run from the JavaScript built at install time (no transpiler children).
let built;
try {
  built = await builtEntry('serve-cli', { log: console.log });
} catch (error) {
  console.error(`netweave serve: ${error.message}`);
  process.exit(1);
}
if (!built) register();
const { runServe } = await import(built ? pathToFileURL(built).href : '../main/web-host/serve-cli.ts');
await runServe(args);
