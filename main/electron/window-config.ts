import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../services/content-security-policy';
import type { WindowBounds } from '../services/window-state-store';
import { defaultWindowSize, minimumWindowSize } from '../services/window-state-store';

/**
 * The security settings of the app's window, kept free of any runtime import
 * of electron so that tests can read exactly what the main process uses.
 */

/** The renderer is served from a privileged custom scheme, never from file:// or the network. */
export const appScheme = 'app';
export const appHost = 'netweave';
export const appOrigin = `${appScheme}://${appHost}`;
export const rendererEntryUrl = `${appOrigin}/index.html`;

export const electronContentSecurityPolicy = contentSecurityPolicy();

/** The window's constructor: Electron's BrowserWindow in the app, a recorder in tests. */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Creates the app's one window. The options are written out here, in one
 * literal, so that reviewers and static checkers (Electronegativity) see the
 * exact settings the window gets.
 */
export function createSecureWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string, bounds?: WindowBounds): W {
  return new BrowserWindow({
    ...(bounds ?? defaultWindowSize),
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    title: 'Netweave',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      // Electronegativity's PRELOAD_JS_CHECK asks for a review of any preload. Reviewed: the preload runs
      // sandboxed with context isolation, exposes only the contract's `call` and `on` (never ipcRenderer,
      // Node or Electron objects), accepts only known event names, and main checks every sender and payload.
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // A middle click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/** The options createSecureWindow passes, for checks. */
export function mainWindowOptions(preloadPath: string, bounds?: WindowBounds): BrowserWindowConstructorOptions {
  let captured: BrowserWindowConstructorOptions | undefined;
  class Recorder {
    constructor(options: BrowserWindowConstructorOptions) {
      captured = options;
    }
  }
  createSecureWindow(Recorder, preloadPath, bounds);
  return captured!;
}

/** True for a URL of the app's own pages (the only ones that may navigate, call main or be trusted as senders). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}

/** Project files named on a command line (first launch, second launch, file association). */
export function projectFilesInArgs(argv: readonly string[]): string[] {
  return argv.filter((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith('.netweave'));
}
