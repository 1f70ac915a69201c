import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('netweave compare and landscape', () => {
  it('compare trains both graphs with the same seed and ends with one JSON line of runs and norms by depth', async () => {
    const run = await runCli(['compare', 'deep-mlp-plain', 'deep-mlp-residual', '--data', 'mnist', '--epochs', '1', '--limit', '300', '--seed', '1', '--engine', 'wasm', '--json'], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { runs: { name: string; graph: string; testAccuracy: number; testLoss: number; gradientNorms: { nodeId: string; depth: number; norm: number }[] }[] };
    expect(last.runs.map((r) => r.graph)).toEqual(['deep-mlp-plain', 'deep-mlp-residual']);
    for (const r of last.runs) {
      expect(r.gradientNorms).toHaveLength(31);
      expect(r.gradientNorms.map((g) => g.depth)).toEqual([...Array(31).keys()]);
      expect(r.gradientNorms[0]!.nodeId).toBe('dense1');
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(r.testLoss)).toBe(true);
    }
    // Even after one short epoch the plain net's first layer gets far less gradient than the residual one's.
    const [plain, residual] = last.runs;
    expect(plain!.gradientNorms[0]!.norm * 10).toBeLessThan(residual!.gradientNorms[0]!.norm);
  }, 150_000);

  it('compare needs two graphs, landscape prints a grid for a saved model', async () => {
    const one = await runCli(['compare', 'mlp-xor', '--data', 'xor']);
    expect(one.code).not.toBe(0);
    const dir = await mkdtemp(path.join(tmpdir(), 'netweave-landscape-'));
    dirs.push(dir);
    const out = path.join(dir, 'model');
    const train = await runCli(['train', 'mlp-xor', '--epochs', '5', '--batch', '4', '--engine', 'wasm', '--out', out, '--json']);
    expect(train.code, train.stderr).toBe(0);
    const json = await runCli(['landscape', out, '--data', 'xor', '--grid', '5', '--engine', 'wasm', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const grid = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { alphas: number[]; betas: number[]; losses: number[][] };
    expect(grid.alphas).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(grid.losses).toHaveLength(5);
    expect(grid.losses.every((row) => row.length === 5 && row.every(Number.isFinite))).toBe(true);
    const text = await runCli(['landscape', out, '--data', 'xor', '--grid', '3', '--engine', 'wasm']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('rows α, columns β');
  }, 120_000);
});
