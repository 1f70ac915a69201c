import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netweave-import-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('netweave import', () => {
  it('lenet5 → tfjs-model → import → summary gives 61,706, with the weights beside the project', async () => {
    const model = path.join(dir, 'lenet5-model');
    expect((await runCli(['export', 'lenet5', '--to', 'tfjs-model', '-o', model], { timeoutMs: 60_000 })).code).toBe(0);
    const project = path.join(dir, 'lenet5.netweave');
    const run = await runCli(['import', path.join(model, 'model.json'), '-o', project], { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(await readFile(project, 'utf8'));
    expect(doc.weights).toEqual({ format: 'netweave.weights', path: 'lenet5.weights' });
    expect(existsSync(path.join(dir, 'lenet5.weights', 'weights.bin'))).toBe(true);
    const summary = await runCli(['summary', project, '--json']);
    expect(JSON.parse(summary.stdout).totals).toEqual({ trainable: 61_706, nonTrainable: 0, total: 61_706 });
  }, 120_000);

  it('imports a .keras file (hand-written in Keras 3 format, see test/fixtures/keras) and refuses to overwrite', async () => {
    execFileSync('/usr/bin/python3', [fileURLToPath(new URL('../fixtures/keras/write-keras-fixtures.py', import.meta.url)), dir]);
    const project = path.join(dir, 'small.netweave');
    expect((await runCli(['import', path.join(dir, 'small.keras'), '-o', project], { timeoutMs: 60_000 })).code).toBe(0);
    const summary = JSON.parse((await runCli(['summary', project, '--json'])).stdout);
    expect(summary.totals.nonTrainable).toBe(63);
    const again = await runCli(['import', path.join(dir, 'small.keras'), '-o', project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/\[file-exists\]/);
  }, 120_000);

  it('reports a file it cannot read with a code, not a crash', async () => {
    const run = await runCli(['import', path.join(dir, 'missing.json'), '-o', path.join(dir, 'x.netweave')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\[import-not-found\]/);
  });
});
