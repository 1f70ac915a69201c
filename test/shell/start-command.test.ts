import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appBrowserArgs, findAppBrowser, hasDisplay } from '../../main/web-host/app-browser';
import { useTempDirs } from './temp-dirs';
import { waitFor } from './wait-for';

const tempDir = useTempDirs();

function start(args: string[], env: Record<string, string | undefined>) {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, ELECTRON_OVERRIDE_DIST_PATH: undefined, CHROME_PATH: undefined, ...env };
  for (const key of Object.keys(cleanEnv)) if (cleanEnv[key] === undefined) delete cleanEnv[key];
  const child = spawn(process.execPath, ['scripts/start.mjs', '--no-build', ...args], { env: cleanEnv });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

/** A stand-in executable that writes its arguments to a file, then exits. */
function recordingExecutable(dir: string, name: string, record: string, exitAfterMs = 0): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n${exitAfterMs ? `sleep ${exitAfterMs / 1000}\n` : ''}exit 0\n`);
  chmodSync(file, 0o755);
  return file;
}

function renderer(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'index.html'), '<title>start page</title>');
  return dir;
}

const urlLine = /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m;

describe.skipIf(process.platform === 'win32')('npm start', () => {
  it('without Electron, says so in one line and serves the app; without a display it prints the URL only', async () => {
    const run = start(['--renderer-dir', renderer(), '--user-data-dir', tempDir()], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    await waitFor(() => urlLine.test(run.output()), 'the URL line', 60_000);
    const lines = run.output().split('\n');
    expect(lines.filter((l) => l.startsWith('No Electron binary'))).toHaveLength(1);
    expect(run.output()).toContain('No display');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('with a display, opens the URL in the browser as an app window and stops when that window closes', async () => {
    const dir = tempDir();
    const record = path.join(dir, 'browser-args.txt');
    const browser = recordingExecutable(dir, 'chromium', record, 500);
    const userData = tempDir();
    const run = start(['--renderer-dir', renderer(), '--user-data-dir', userData], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', DISPLAY: ':99', CHROME_PATH: browser });
    expect(await run.exit).toBe(0);
    const url = run.output().match(urlLine)![0];
    const args = readFileSync(record, 'utf8').trim().split('\n');
    expect(args).toContain(`--app=${url}`);
    expect(args).toContain(`--user-data-dir=${path.join(userData, 'app-browser-profile')}`);
    expect(run.output()).toContain('app window closed');
  });

  it('with an Electron binary, builds main and preload and launches Electron on the project', async () => {
    const dir = tempDir();
    const record = path.join(dir, 'electron-args.txt');
    recordingExecutable(dir, 'electron', record);
    const run = start(['--user-data-dir', '/tmp/some-profile'], { ELECTRON_OVERRIDE_DIST_PATH: dir });
    expect(await run.exit).toBe(0);
    expect(run.output()).not.toContain('No Electron binary');
    const args = readFileSync(record, 'utf8').trim().split('\n');
    expect(args).toEqual([process.cwd(), '--user-data-dir', '/tmp/some-profile']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(existsSync(pkg.main)).toBe(true);
    expect(existsSync('dist/electron/preload.cjs')).toBe(true);
  });
});

describe('app browser lookup', () => {
  it('prefers CHROME_PATH, then the usual places, and needs a display on Linux only', () => {
    const exists = (p: string) => p === '/usr/bin/chromium' || p === '/opt/chrome';
    expect(findAppBrowser({ CHROME_PATH: '/opt/chrome' }, 'linux', exists)).toBe('/opt/chrome');
    expect(findAppBrowser({}, 'linux', exists)).toBe('/usr/bin/chromium');
    expect(findAppBrowser({}, 'linux', () => false)).toBeUndefined();
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
    expect(appBrowserArgs('http://127.0.0.1:1/?token=t', '/p')).toEqual(expect.arrayContaining(['--app=http://127.0.0.1:1/?token=t', '--user-data-dir=/p']));
  });
});
