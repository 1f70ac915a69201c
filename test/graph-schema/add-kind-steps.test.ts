import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Follows README's "Adding a layer kind" steps 1–2 in a copy of the sources, then checks step 3:
// the type checker points at every target table, and only there.
const root = path.resolve(__dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'netweave-add-kind-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Files of the copied tree that declare a target table (found by what they declare, not by a list). */
function targetTableFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return targetTableFiles(full, base);
    return name.endsWith('.ts') && /export const \w+: TargetTable</.test(readFileSync(full, 'utf8')) ? [path.relative(base, full)] : [];
  });
}

describe('adding a layer kind by the documented steps', () => {
  it('makes each target table a type error until it says how or why not', () => {
    cpSync(path.join(root, 'graph-schema'), path.join(scratch, 'graph-schema'), { recursive: true });
    cpSync(path.join(root, 'main/compile'), path.join(scratch, 'main/compile'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    // Step 1: the kind file.
    writeFileSync(
      path.join(scratch, 'graph-schema/kinds/throwaway.ts'),
      `import { defineLayer } from '../layer-def';
import { defineParams } from '../params';

export const throwawayLayer = defineLayer({
  kind: 'Throwaway',
  label: 'Throwaway',
  category: 'core',
  summary: 'Passes its input through.',
  params: defineParams({ gain: { type: 'float', default: 1, label: 'Gain' } }),
  inputs: { min: 1, max: 1 },
  describe: (p) => \`× \${p.gain}\`,
  inferShape: ([input]) => ({ shape: input! }),
  paramCount: () => ({ trainable: 0, nonTrainable: 0 }),
  keras: (p) => ({ className: 'Throwaway', config: { gain: p.gain } }),
  tfjsFactory: 'throwaway',
});
`,
    );
    // Step 2: one name and one line in the registry.
    const registryFile = path.join(scratch, 'graph-schema/registry.ts');
    const registry = readFileSync(registryFile, 'utf8');
    const edited = registry
      .replace("import type { LayerDef } from './layer-def';", "import type { LayerDef } from './layer-def';\nimport { throwawayLayer } from './kinds/throwaway';")
      .replace("  'Input',\n", "  'Input',\n  'Throwaway',\n")
      .replace('  Input: inputLayer,\n', '  Input: inputLayer,\n  Throwaway: throwawayLayer,\n');
    expect(edited.match(/throwaway/gi)?.length, 'the registry no longer reads as README describes').toBe(5);
    writeFileSync(registryFile, edited);
    const original = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: original.compilerOptions, include: ['graph-schema', 'main/compile'] }));
    let output = '';
    try {
      execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: scratch, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    const files = new Set(errors.map((line) => line.slice(0, line.indexOf('('))));
    const tables = [...targetTableFiles(path.join(scratch, 'graph-schema'), scratch), ...targetTableFiles(path.join(scratch, 'main/compile'), scratch)];
    expect(tables).toEqual(expect.arrayContaining(['main/compile/tfjs-compile-table.ts', 'graph-schema/export/typescript-table.ts', 'graph-schema/export/torch-layers.ts', 'graph-schema/export/keras-table.ts']));
    expect([...files].sort(), output).toEqual(tables.sort());
    for (const line of errors) expect(line).toMatch(/Throwaway/);
  }, 120_000);
});
