import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

interface CompareJson {
  runs: { graph: string; testAccuracy: number; testLoss: number; gradientNorms: { nodeId: string; depth: number; norm: number }[] }[];
}

describe('netweave compare on data resized to the graph', () => {
  it('trains plain-20 / resnet-20 (32×32×3 input) on the built-in 28×28×1 digits, saying they were resized', async () => {
    // 100 digits, one epoch: enough to show the data reach both nets; the lesson-sized figures are in README.
    const run = await runCli(['compare', 'plain-20', 'resnet-20', '--data', 'mnist', '--epochs', '1', '--limit', '100', '--seed', '1', '--engine', 'wasm', '--json'], { timeoutMs: 280_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/plain-20: data MNIST \(10,000 digits\), resized 28×28×1 → 32×32×3; 90 training, 100 test/);
    expect(run.stderr).toMatch(/resnet-20: data MNIST \(10,000 digits\), resized 28×28×1 → 32×32×3/);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as CompareJson;
    expect(last.runs.map((r) => r.graph)).toEqual(['plain-20', 'resnet-20']);
    for (const r of last.runs) {
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(r.testLoss)).toBe(true);
      expect(r.gradientNorms[0]!.nodeId).toBe('conv1');
      expect(r.gradientNorms.at(-1)!.nodeId).toBe('predictions');
      expect(r.gradientNorms.every((g) => Number.isFinite(g.norm) && g.norm > 0)).toBe(true);
    }
    // resnet-20 has the two 1×1 projection shortcuts that plain-20 lacks, each a conv and its batch norm: four more weighted layers.
    expect(last.runs[1]!.gradientNorms.length - last.runs[0]!.gradientNorms.length).toBe(4);
  }, 300_000);
});
