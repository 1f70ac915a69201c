import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The installed Chromium or Chrome, or undefined. CHROME_PATH wins when set. */
export function findAppBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): string | undefined {
  const candidates = [
    env.CHROME_PATH,
    ...(platform === 'darwin'
      ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
      : platform === 'win32'
        ? [
            path.join(env.PROGRAMFILES ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
            path.join(env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google', 'Chrome', 'Application', 'chrome.exe'),
          ]
        : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium']),
  ];
  return candidates.find((c): c is string => !!c && exists(c));
}

/** A window can be shown: always on macOS and Windows, on Linux only with an X11 or Wayland display. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Arguments for an app window (no tabs, no address bar) on its own profile,
 * so the browser runs as its own process and the host can stop when it closes.
 */
export function appBrowserArgs(url: string, profileDir: string): string[] {
  return [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check', '--disable-sync', '--window-size=1280,820'];
}

export function openAppBrowser(browser: string, url: string, profileDir: string): ChildProcess {
  return spawn(browser, appBrowserArgs(url, profileDir), { stdio: 'ignore' });
}
