import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanStaleTemp, tempPathFor, writeFileAtomic } from '../../main/services/atomic-write';
import { readProjectFile } from '../../main/services/project-files';
import { useTempDirs } from '../shell/temp-dirs';

const tempDir = useTempDirs();

/** Version n of the file: self-describing, so a torn write cannot pass for a whole one. */
function version(n: number): string {
  const pad = String(n % 10).repeat(200_000 + (n % 7) * 50_000);
  return JSON.stringify({ n, length: pad.length, pad });
}

function isWhole(text: string): boolean {
  try {
    const value = JSON.parse(text) as { n: number; length: number; pad: string };
    return value.pad.length === value.length && text === version(value.n);
  } catch {
    return false;
  }
}

describe('one atomic-write helper', () => {
  it('uses one predictable temp name per target, and the next save or open removes a stale one', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'p.netweave');
    expect(tempPathFor(target)).toBe(path.join(dir, '.p.netweave.netweave-tmp'));
    // A crash mid-write leaves the temp file: simulated by writing it by hand.
    writeFileSync(tempPathFor(target), 'half a file');
    await writeFileAtomic(target, version(1));
    expect(readdirSync(dir)).toEqual(['p.netweave']);
    writeFileSync(tempPathFor(target), 'half a file');
    await readProjectFile(target).catch(() => undefined);
    await cleanStaleTemp(target);
    expect(readdirSync(dir)).toEqual(['p.netweave']);
    // Concurrent saves to one target share the temp name without tearing.
    await Promise.all([2, 3, 4, 5].map((n) => writeFileAtomic(target, version(n))));
    expect(readFileSync(target, 'utf8')).toBe(version(5));
    expect(readdirSync(dir)).toEqual(['p.netweave']);
  });

  it('refuses to write over a folder and leaves nothing behind', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'x'));
    await expect(writeFileAtomic(path.join(dir, 'x'), 'text')).rejects.toMatchObject({ code: 'file-unwritable' });
    expect(readdirSync(dir)).toEqual(['x']);
  });
});

describe('kill -9 while saving', () => {
  let child = '';
  beforeAll(async () => {
    // The helper, bundled once, so each killed process starts in milliseconds.
    const dir = tempDir('netweave-kill-');
    child = path.join(dir, 'saver.mjs');
    const entry = path.join(dir, 'saver-entry.ts');
    writeFileSync(
      entry,
      `import { writeFileAtomic } from ${JSON.stringify(path.resolve('main/services/atomic-write.ts'))};
${version.toString()}
const [target, first] = process.argv.slice(2);
let n = Number(first);
process.stdout.write('ready\\n');
for (;;) {
  await writeFileAtomic(target, version(++n));
  process.stdout.write('saved\\n');
}
`,
    );
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'silent' });
  });

  it('leaves every file the complete old or new version, and at most the one temp file, which the next save removes', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'project.netweave');
    await writeFileAtomic(target, version(0));
    let n = 0;
    const iterations = 50;
    const seen = new Set<number>();
    for (let i = 0; i < iterations; i++) {
      const proc = spawn(process.execPath, [child, target, String(n * 1000)], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Kill it without warning after a varying number of finished saves (0–4): mid-way through the next one.
      const wanted = 1 + (i % 5);
      await new Promise<void>((resolve) => {
        let lines = 0;
        proc.stdout.on('data', (chunk: Buffer) => {
          lines += chunk.toString().split('\n').length - 1;
          if (lines >= wanted) resolve();
        });
      });
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGKILL');
      await exited;
      const text = readFileSync(target, 'utf8');
      expect(isWhole(text), `iteration ${i}`).toBe(true);
      seen.add((JSON.parse(text) as { n: number }).n);
      const names = readdirSync(dir).filter((f) => f !== 'project.netweave');
      expect(names.every((f) => f === '.project.netweave.netweave-tmp'), names.join(', ')).toBe(true);
      n++;
    }
    // The kills landed at different moments: many different versions survived.
    expect(seen.size).toBeGreaterThan(10);
    await writeFileAtomic(target, version(1));
    expect(readdirSync(dir)).toEqual(['project.netweave']);
    expect(existsSync(tempPathFor(target))).toBe(false);
  }, 60_000);
});
