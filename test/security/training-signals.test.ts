import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../shared/escape-control';
import { loadDataset } from '../../main/datasets/index';
import { crossEntropySaturation, learningWarnings } from '../../main/training/learning-check';
import { useTempDirs } from '../shell/temp-dirs';

const tempDir = useTempDirs();

describe('control bytes are shown, never sent to the terminal', () => {
  it('escapes C0, C1, DEL and bidi overrides; keeps text and (optionally) line breaks', () => {
    const hostile = 'a\u001b[2J\u001b]0;owned\u0007b\u009b31m\u007f\u202ec\td\ne';
    const shown = escapeControl(hostile);
    expect(shown).toBe('a\\x1b[2J\\x1b]0;owned\\x07b\\x9b31m\\x7f\\u202ec\td\ne');
    expect(escapeControl('x\ny\tz', false)).toBe('x\\x0ay\\x09z');
    expect(escapeControl('Ünïcode ✓ 名前')).toBe('Ünïcode ✓ 名前');
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(shown)).toBe(false);
  });

  it('a crafted CSV does not reach the terminal raw through the CLI error line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'evil.csv');
    writeFileSync(file, 'a,label\n1,x\n2,x\n');
    const { code, stderr } = await runCli(['train', 'perceptron', '--data', `csv:${file}#label=\u001b]0;owned\u0007`, '--epochs', '1'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('\\x1b]0;owned\\x07');
    expect(stderr).not.toMatch(/\u001b\]0;/);
  }, 60_000);
});

describe('non-finite CSV cells are refused, naming row and column', () => {
  it('refuses 1e400 (Infinity) and 1e39 (past float32), and accepts ordinary numbers', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'inf.csv'), 'a,b,label\n1,2,x\n3,1e400,y\n');
    await expect(loadDataset(`csv:${path.join(dir, 'inf.csv')}`)).rejects.toMatchObject({ code: 'dataset-corrupt', message: expect.stringMatching(/line 3, column 2 \('b'\).*infinite/) });
    writeFileSync(path.join(dir, 'big.csv'), 'a,b,label\n1e39,2,x\n3,1,y\n');
    await expect(loadDataset(`csv:${path.join(dir, 'big.csv')}`)).rejects.toMatchObject({ code: 'dataset-corrupt', message: expect.stringMatching(/line 2, column 1 \('a'\)/) });
    writeFileSync(path.join(dir, 'secret.csv'), 'a,label\nTOPSECRET,x\n3,y\n');
    const error = (await loadDataset(`csv:${path.join(dir, 'secret.csv')}`).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('TOPSECRET');
    writeFileSync(path.join(dir, 'ok.csv'), 'a,b,label\n1e30,-2.5,x\n3,.5,y\n');
    expect((await loadDataset(`csv:${path.join(dir, 'ok.csv')}`)).numClasses).toBe(2);
  });
});

describe('a run that does not learn is named', () => {
  const options = { numClasses: 10, loss: 'categoricalCrossentropy', learningRate: 1e30 };
  it('warns on a loss pinned at saturation with accuracy at chance, after one epoch', () => {
    const [warning] = learningWarnings([{ epoch: 1, loss: 16.1181, accuracy: 0.098 }], options);
    expect(crossEntropySaturation).toBeCloseTo(16.1181, 3);
    expect(warning).toMatch(/not learning.*16\.1181.*chance \(9\.8% with 10 classes\).*learning rate \(now 1e\+30\)/);
  });
  it('warns on a flat loss at chance, and on a loss that is not a number', () => {
    expect(learningWarnings([{ epoch: 1, loss: 2.3026, accuracy: 0.1 }, { epoch: 2, loss: 2.3026, accuracy: 0.1 }], options)).toHaveLength(1);
    expect(learningWarnings([{ epoch: 1, loss: Number.NaN, accuracy: 0.1 }], options)[0]).toMatch(/diverged/);
  });
  it('stays quiet while the model learns', () => {
    expect(learningWarnings([{ epoch: 1, loss: 0.9, accuracy: 0.7 }], options)).toEqual([]);
    expect(learningWarnings([{ epoch: 1, loss: 2.31, accuracy: 0.1 }, { epoch: 2, loss: 2.1, accuracy: 0.1 }], options)).toEqual([]);
    expect(learningWarnings([{ epoch: 1, loss: 16.1181, accuracy: 0.6 }], options)).toEqual([]);
  });
});

function runCli(args: string[], cwd: string, onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [path.resolve('bin/netweave.mjs'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => {
      const text = c.toString();
      stdout += text;
      for (const line of text.split('\n')) if (line) onLine?.(line, (s) => proc.kill(s));
    });
    proc.stderr.on('data', (c: Buffer) => {
      const text = c.toString();
      stderr += text;
      for (const line of text.split('\n')) if (line) onLine?.(line, (s) => proc.kill(s));
    });
    proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('Ctrl-C before the first epoch', () => {
  it('says that no epoch finished and saves nothing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'model');
    let sent = false;
    const result = await runCli(['train', 'mlp-mnist', '--data', 'mnist', '--batch', '1', '--limit', '20000', '--epochs', '1', '--engine', 'cpu', '--json', '--out', out], dir, (line, kill) => {
      if (!sent && line.includes('"type":"started"')) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(result.stderr).toContain('no epoch has finished yet');
    expect(result.code).toBe(130);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(result.stdout).toContain('"epochsCompleted":0');
  }, 120_000);

  it('a second Ctrl-C ends the process at once, by the signal, saving nothing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'model');
    let sent = 0;
    const result = await runCli(['train', 'mlp-mnist', '--data', 'mnist', '--batch', '1', '--limit', '20000', '--epochs', '1', '--engine', 'cpu', '--json', '--out', out], dir, (line, kill) => {
      if (sent === 0 && line.includes('"type":"started"')) {
        sent = 1;
        kill('SIGINT');
      } else if (sent === 1 && line.includes('Stopping:')) {
        // The first Ctrl-C was handled: the second must not wait for the run to wind down.
        sent = 2;
        kill('SIGINT');
      }
    });
    expect(sent).toBe(2);
    expect(result.signal).toBe('SIGINT');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
