import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const config = load(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses?: Record<string, boolean> };

describe('Electron fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and --inspect, and load only the checked asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('names only fuses electron-builder knows (its FuseOptionsV1)', () => {
    const types = readFileSync('node_modules/app-builder-lib/out/configuration.d.ts', 'utf8');
    const block = types.slice(types.indexOf('export interface FuseOptionsV1'));
    const known = new Set([...block.slice(0, block.indexOf('\n}')).matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]));
    for (const name of Object.keys(config.electronFuses ?? {})) expect(known.has(name), name).toBe(true);
  });
});
