#!/usr/bin/env node
// The `netweave` command: the JavaScript built at install time (dist/node/cli.mjs), rebuilt
// first when the sources are newer; NETWEAVE_FROM_SOURCE=1 runs the TypeScript through tsx.
import { pathToFileURL } from 'node:url';
import { builtEntry } from '../scripts/lib/node-build.mjs';

let built;
try {
  built = await builtEntry('cli');
} catch (error) {
  process.stderr.write(`netweave: ${error.message} [build-stale]\n`);
  process.exit(2);
}
if (built) await import(pathToFileURL(built).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../main/cli/index.ts');
}
