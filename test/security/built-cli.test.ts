import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations
import { buildNode, nodeBuildIsStale, nodeOutDir } from '../../scripts/lib/node-build.mjs';
import { useTempDirs } from '../shell/temp-dirs';

const tempDir = useTempDirs();

/** The files an entry loads before running: its static imports, followed through the chunks. */
function staticImports(file: string, seen = new Set<string>()): { files: Set<string>; packages: Set<string> } {
  const packages = new Set<string>();
  const visit = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(f), spec));
      else packages.add(spec);
    }
  };
  visit(file);
  return { files: seen, packages };
}

/** Children of a process (Linux /proc), with their command lines. */
function childrenOf(pid: number): string[] {
  const out: string[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const ids = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const id of ids) out.push(readFileSync(`/proc/${id}/cmdline`, 'utf8').replace(/\0/g, ' '));
  }
  return out;
}

describe('the CLI, web host and worker run from JavaScript built at install time', () => {
  beforeAll(async () => {
    await buildNode();
  }, 120_000);

  it('has a current build of all three entries', () => {
    expect(nodeBuildIsStale()).toBe(false);
    for (const entry of ['cli.mjs', 'serve-cli.mjs', 'training-worker.mjs']) expect(existsSync(path.join(nodeOutDir, entry)), entry).toBe(true);
  });

  it('`summary` loads neither TensorFlow.js nor a transpiler', () => {
    const { packages } = staticImports(path.join(nodeOutDir, 'cli.mjs'));
    expect([...packages].filter((p) => /tensorflow|tsx|esbuild/.test(p))).toEqual([]);
    const bin = readFileSync('bin/netweave.mjs', 'utf8');
    expect(bin).toContain("builtEntry('cli')");
  });

  it('trains with no esbuild or tsx child process', async () => {
    const dir = tempDir();
    const proc = spawn(process.execPath, [path.resolve('bin/netweave.mjs'), 'train', 'mlp-xor', '--data', 'xor', '--epochs', '3', '--engine', 'cpu', '--json', '--out', path.join(dir, 'm')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let children: string[] | undefined;
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.stdout.on('data', (c: Buffer) => {
      if (children === undefined && c.toString().includes('"type":"started"')) children = childrenOf(proc.pid!);
    });
    const code = await new Promise((resolve) => proc.on('exit', resolve));
    expect(stderr).not.toContain('[build-stale]');
    expect(code).toBe(0);
    expect(children).toBeDefined();
    expect(children!.filter((c) => /esbuild|tsx/.test(c))).toEqual([]);
  }, 120_000);
});
