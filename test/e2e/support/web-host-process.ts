import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningHost {
  /** The URL with the token, as printed by the host. */
  url: string;
  origin: string;
  port: number;
  userDataDir: string;
  output(): string;
  stop(): Promise<number | null>;
}

const urlLine = /^(http:\/\/127\.0\.0\.1:(\d+))\/\?token=[A-Za-z0-9_-]+$/m;

/**
 * Starts the real web host the way a user does (`npm run serve`, here without
 * the build step) on a free port with a fresh user-data folder, and waits for
 * the URL it prints.
 */
export async function startWebHostProcess(options: { rendererDir?: string; env?: Record<string, string>; root?: string } = {}): Promise<RunningHost> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'netweave-e2e-user-'));
  // The tests' scratch folders lie in the temp folder and in the repository's .tmp: by default the
  // workspace root spans both (test/security checks the confinement itself).
  const root = options.root ?? path.parse(process.cwd()).root;
  const args = ['scripts/serve.mjs', '--no-build', '--port', '0', '--root', root, '--user-data-dir', userDataDir, ...(options.rendererDir ? ['--renderer-dir', options.rendererDir] : [])];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, { cwd: process.cwd(), env: { ...process.env, ...options.env } });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!urlLine.test(text)) {
    if (child.exitCode !== null) throw new Error(`The web host exited (${child.exitCode}) before printing its URL:\n${text}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The web host printed no URL within 60 s:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const match = text.match(urlLine)!;
  return {
    url: match[0],
    origin: match[1]!,
    port: Number(match[2]),
    userDataDir,
    output: () => text,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      rmSync(userDataDir, { recursive: true, force: true });
      return code;
    },
  };
}
