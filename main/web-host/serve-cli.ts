import path from 'node:path';
import { defaultUserDataDir, userDataDirFromArgs } from '../services/user-data';
import { loadTrainingPort } from '../services/training-loader';
import { findAppBrowser, hasDisplay, openAppBrowser } from './app-browser';
import { startWebHost } from './web-host';

export interface ServeArgs {
  port: number;
  rendererDir: string;
  userDataDir: string;
  /** The workspace root: the only folder the page may read or write. */
  root: string;
}

export class UsageError extends Error {}

export function parseServeArgs(argv: readonly string[], cwd: string = process.cwd()): ServeArgs {
  let port = 0;
  let rendererDir = path.join(cwd, 'dist', 'renderer');
  let root = cwd;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--port') {
      const text = value();
      port = Number(text);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${text}".`);
    } else if (flag === '--renderer-dir') rendererDir = path.resolve(cwd, value());
    else if (flag === '--root') root = path.resolve(cwd, value());
    else if (flag === '--user-data-dir') value();
    else if (flag === '--no-build') continue;
    else throw new UsageError(`Unknown option "${argv[i]}". Options: --port N, --root DIR, --user-data-dir DIR, --renderer-dir DIR.`);
  }
  return { port, rendererDir, root, userDataDir: userDataDirFromArgs(argv) ?? defaultUserDataDir() };
}

export interface ServeOptions {
  /** Open the app in the installed Chromium as an app window (npm start without Electron); stop when it closes. */
  openBrowser?: boolean;
}

/** `npm run serve`: starts the web host, prints its URL on a line of its own, serves until SIGINT/SIGTERM. */
export async function runServe(argv: readonly string[], options: ServeOptions = {}): Promise<void> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`netweave serve: ${error.message}`);
    process.exit(2);
  }
  let host;
  try {
    host = await startWebHost({ ...args, training: await loadTrainingPort() });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `netweave serve: port ${args.port} is in use. Pick another with --port, or leave it out for a free one.`
        : code === 'ENOENT' || code === 'ENOTDIR'
          ? `netweave serve: the workspace folder ${args.root} does not exist. Pass an existing folder with --root DIR.`
          : `netweave serve: cannot start: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  console.log('Netweave is running. Open this address in a browser on this machine (Ctrl+C stops it):');
  console.log(host.url);
  console.log(`Workspace folder (the page reads and writes only here; --root DIR changes it): ${host.root}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal})…`);
    host.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (options.openBrowser) {
    const browser = findAppBrowser();
    if (!browser) console.log('No Chromium or Chrome found: open the address above in a browser.');
    else if (!hasDisplay()) console.log('No display: open the address above in a browser.');
    else {
      const child = openAppBrowser(browser, host.url, path.join(args.userDataDir, 'app-browser-profile'));
      child.on('error', (error) => console.log(`Could not open ${browser} (${error.message}): open the address above in a browser.`));
      child.on('exit', () => stop('app window closed'));
    }
  }
}
