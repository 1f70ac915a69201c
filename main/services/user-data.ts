import os from 'node:os';
import path from 'node:path';

/**
 * Where the app keeps its own files (recent list, recovery file, window state).
 * `--user-data-dir DIR` / `--user-data-dir=DIR` wins, then NETWEAVE_USER_DATA, then the platform default.
 */
export function userDataDirFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--user-data-dir=')) return path.resolve(arg.slice('--user-data-dir='.length));
    if (arg === '--user-data-dir' && argv[i + 1]) return path.resolve(argv[i + 1]!);
  }
  const fromEnv = env.NETWEAVE_USER_DATA;
  return fromEnv ? path.resolve(fromEnv) : undefined;
}

/** The platform's per-user configuration folder for Netweave (what Electron's userData would be). */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Netweave');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Netweave');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Netweave');
}
