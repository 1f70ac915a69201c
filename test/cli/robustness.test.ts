import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument, runMigrations } from '../../graph-schema/load-save';
import { runCli } from '../support/run-cli';

const dir = mkdtempSync(path.join(tmpdir(), 'netweave-robust-'));

function expectOneCodedLine(stderr: string, code: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`\\[${code}\\]$`));
}

describe('bad input on the command line', () => {
  it.each([
    [['bogus'], 'usage-error'],
    [['export', 'lenet5', '--to', 'bogus', '-o', 'x.ts'], 'usage-error'],
    [['export', 'lenet5', '--to', 'ts'], 'usage-error'],
    [['new', 'nosuch', '-o', 'n.netweave'], 'template-unknown'],
    [['train', 'mlp-xor', '--data', 'xor', '--epochs', '0'], 'option-invalid'],
  ])('%j fails on one line with a code and exit 2', async (args, code) => {
    const run = await runCli(args, { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCodedLine(run.stderr, code);
  });

  it('refuses to export over a folder, leaving no temporary file', async () => {
    const target = path.join(dir, 'a-folder');
    mkdirSync(target);
    const run = await runCli(['export', 'mlp-xor', '--to', 'ts', '-o', target]);
    expect(run.code).toBe(2);
    expectOneCodedLine(run.stderr, 'file-unwritable');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses weights trained from another graph before writing anything', async () => {
    const model = path.join(dir, 'xor-model');
    expect((await runCli(['train', 'mlp-xor', '--data', 'xor', '--epochs', '1', '--out', model])).code).toBe(0);
    const out = path.join(dir, 'mnist.py');
    const run = await runCli(['export', 'mlp-mnist', '--to', 'pytorch', '--weights', model, '-o', out]);
    expect(run.code).toBe(2);
    expectOneCodedLine(run.stderr, 'weights-mismatch');
    expect(readdirSync(dir).filter((f) => f.startsWith('mnist'))).toEqual([]);
  });

  it('reports an absurd input size as an error diagnostic instead of an infinite count', async () => {
    const file = path.join(dir, 'huge.netweave');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'netweave.graph',
        version: 1,
        appVersion: '0.1.0',
        graph: {
          nodes: [
            { id: 'in', kind: 'Input', params: { shape: [1e308] } },
            { id: 'd', kind: 'Dense', params: { units: 2 } },
          ],
          edges: [{ id: 'e', source: 'in', target: 'd' }],
        },
      }),
    );
    const run = await runCli(['summary', file, '--json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { totals: { total: number }; diagnostics: { code: string; nodeId?: string }[] };
    expect(Number.isFinite(out.totals.total)).toBe(true);
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ code: 'param-out-of-range', nodeId: 'in' }));
  });
});

describe('document loading never throws', () => {
  it('turns a failing migration step into a value', () => {
    const result = runMigrations({ version: 1 }, 1, 2, [
      {
        from: 1,
        describe: 'broken',
        migrate: () => {
          throw new Error('boom');
        },
      },
    ]);
    expect(!result.ok && result.error.code).toBe('document-invalid');
    expect(!result.ok && result.error.message).toContain('boom');
  });

  it('keeps a parse error message on one line', () => {
    const result = loadDocument('not json\nat all');
    expect(!result.ok && result.error.message.includes('\n')).toBe(false);
  });
});
