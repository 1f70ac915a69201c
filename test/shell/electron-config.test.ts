import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appCommands } from '../../shared/channels';
import { parseContentSecurityPolicy } from '../../main/services/content-security-policy';
import { restorableBounds } from '../../main/services/window-state-store';
import { menuCommands } from '../../main/electron/menu-commands';
import { electronContentSecurityPolicy, isAppUrl, mainWindowOptions, projectFilesInArgs } from '../../main/electron/window-config';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|tsx|mts)$/.test(name) ? [full] : [];
  });
}

describe('Electron window settings', () => {
  it('isolates the page: context isolation and sandbox on, Node off, web security on', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('has a CSP that allows only the app’s own scripts and no remote content', () => {
    const csp = parseContentSecurityPolicy(electronContentSecurityPolicy);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
    for (const [directive, sources] of csp) {
      for (const source of sources) {
        expect(source, directive).not.toMatch(/^(https?:|wss?:|\*|'unsafe-eval'|'wasm-unsafe-eval')/);
        if (directive !== 'style-src') expect(source, directive).not.toBe("'unsafe-inline'");
      }
    }
  });

  it('trusts only its own scheme and host', () => {
    expect(isAppUrl('app://netweave/index.html')).toBe(true);
    expect(isAppUrl('app://netweave/assets/x.js')).toBe(true);
    for (const url of ['app://evil/index.html', 'file:///work/main/dist/renderer/index.html', 'http://127.0.0.1:3000/', 'https://netweave/', 'javascript:alert(1)', '', 'not a url']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('picks project files out of a command line', () => {
    expect(projectFilesInArgs(['--inspect', 'a.netweave', 'notes.txt', 'B.NETWEAVE', '--x=y.netweave'])).toEqual(['a.netweave', 'B.NETWEAVE']);
  });

  it('restores a remembered window only where a display still shows it', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restorableBounds({ x: 100, y: 100, width: 1000, height: 700 }, screen)).toEqual({ x: 100, y: 100, width: 1000, height: 700 });
    expect(restorableBounds({ x: 5000, y: 100, width: 1000, height: 700 }, screen)).toBeUndefined();
    expect(restorableBounds({ x: 0, y: 0, width: 100, height: 100 }, screen)).toEqual({ x: 0, y: 0, width: 800, height: 560 });
    expect(restorableBounds(undefined, screen)).toBeUndefined();
  });
});

describe('Electron menu', () => {
  it('has the usual shortcuts, each once, for commands the renderer knows', () => {
    const byCommand = new Map(menuCommands.map((c) => [c.command, c.accelerator]));
    expect(byCommand.get('new')).toBe('CmdOrCtrl+N');
    expect(byCommand.get('open')).toBe('CmdOrCtrl+O');
    expect(byCommand.get('save')).toBe('CmdOrCtrl+S');
    expect(byCommand.get('saveAs')).toBe('CmdOrCtrl+Shift+S');
    expect(byCommand.get('undo')).toBe('CmdOrCtrl+Z');
    expect(byCommand.get('zoomReset')).toBe('CmdOrCtrl+0');
    for (const c of ['export', 'redo', 'zoomIn', 'zoomOut', 'train', 'stop'] as const) expect(byCommand.has(c), c).toBe(true);
    const accelerators = menuCommands.map((c) => c.accelerator);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    for (const c of menuCommands) expect(appCommands).toContain(c.command);
  });
});

describe('where electron may be imported', () => {
  it('only main/electron imports electron, and window-config only its types', () => {
    const offenders: string[] = [];
    for (const folder of ['main', 'shared', 'renderer', 'graph-schema']) {
      for (const file of sourceFiles(folder)) {
        if (file.startsWith(path.join('main', 'electron') + path.sep)) continue;
        if (/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/.test(readFileSync(file, 'utf8'))) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
    const windowConfig = readFileSync('main/electron/window-config.ts', 'utf8');
    const electronImports = windowConfig.split('\n').filter((line) => /from\s+['"]electron['"]/.test(line));
    expect(electronImports.length).toBeGreaterThan(0);
    for (const line of electronImports) expect(line).toMatch(/^import type /);
  });
});
