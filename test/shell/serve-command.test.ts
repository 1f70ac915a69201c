import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function serve(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--no-build', ...args], { cwd: process.cwd() });
  children.push(child);
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => http.get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
}

const urlLine = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]+$/m;

describe('npm run serve', () => {
  it('prints the URL on a line of its own, serves on the asked port, and stops cleanly on SIGTERM', async () => {
    const renderer = tempDir();
    writeFileSync(path.join(renderer, 'index.html'), 'served page');
    const port = await freePort();
    const run = serve(['--port', String(port), '--renderer-dir', renderer, '--user-data-dir', tempDir()]);
    await expect.poll(() => urlLine.test(run.output()), { timeout: 30_000 }).toBe(true);
    const url = run.output().match(urlLine)![0];
    expect(Number(url.match(urlLine)![1])).toBe(port);
    expect(await get(url)).toBe(303);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe(401);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    await expect(get(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('stops cleanly on SIGINT too, on a free port of its own choosing', async () => {
    const run = serve(['--renderer-dir', tempDir(), '--user-data-dir', tempDir()]);
    await expect.poll(() => urlLine.test(run.output()), { timeout: 30_000 }).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('exits 2 on an unknown option and 1 when the port is taken, saying why', async () => {
    const bad = serve(['--colour', 'blue']);
    expect(await bad.exit).toBe(2);
    expect(bad.output()).toContain('Unknown option "--colour"');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const taken = serve(['--port', String(port), '--renderer-dir', tempDir(), '--user-data-dir', tempDir()]);
      expect(await taken.exit).toBe(1);
      expect(taken.output()).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });
});
