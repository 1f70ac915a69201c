import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The renderer users are served is React's production build, even when built from a test run (NODE_ENV=test).

describe('renderer build mode', () => {
  it('builds in production mode under NODE_ENV=test, records the mode, and rebuilds when it differs', async () => {
    // @ts-expect-error: a plain ES module of the build scripts, without type declarations
    const steps = await import('../../scripts/lib/build-steps.mjs');
    expect(process.env.NODE_ENV).toBe('test');
    steps.ensureRendererBuilt({ log: () => undefined });
    expect(steps.builtRendererMode()).toBe('production');
    expect(steps.rendererIsStale()).toBe(false);
    const assets = path.join(steps.rendererOutDir, 'assets');
    const bundle = readdirSync(assets)
      .filter((f: string) => f.endsWith('.js'))
      .map((f: string) => readFileSync(path.join(assets, f), 'utf8'))
      .join('\n');
    // A warning only React's development build carries.
    expect(bundle).not.toContain('Each child in a list should have a unique');
    // A build recorded in another mode counts as stale, whatever the modification times say.
    const info = path.join(steps.rendererOutDir, 'build-info.json');
    const recorded = readFileSync(info, 'utf8');
    try {
      writeFileSync(info, JSON.stringify({ mode: 'development' }));
      expect(steps.rendererIsStale()).toBe(true);
    } finally {
      writeFileSync(info, recorded);
    }
    expect(steps.rendererIsStale()).toBe(false);
  }, 300_000);
});
