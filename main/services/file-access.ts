import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';

/**
 * What the page may name. The page is not trusted with paths: in Electron it holds
 * opaque handles that main issued for files and folders the user picked (dialogs,
 * recent files, the command line, a file association); in the web host it names
 * paths, but only inside the workspace root chosen at launch, checked after every
 * symlink is followed.
 */

/** What a reference is good for: a handle from the Save dialog cannot be opened as a data set; a model file (`model-file`: dropped, or picked to import) is only read by project.import. */
export type AccessKind = 'project' | 'export-file' | 'export-folder' | 'dataset-file' | 'dataset-folder' | 'model-file';

export interface Granted {
  /** Absolute path, symlinks resolved. */
  path: string;
  /** The user already confirmed replacing what is there (the native Save dialog asks). */
  overwriteConfirmed: boolean;
}

export interface FileAccess {
  readonly mode: 'handles' | 'root';
  /** The folder every path is confined to (web host). */
  readonly root?: string;
  /** A reference from the page → what it grants, or a coded error (`access-refused`, `handle-unknown`). */
  resolve(ref: string, kind: AccessKind, intent: 'read' | 'write'): Promise<Result<Granted>>;
  /** A reference for a path main chose itself (dialog, recent list, command line). */
  grant(file: string, kind: AccessKind, overwriteConfirmed?: boolean): string;
  /** What the page shows for a reference (a path the user picked, never more). */
  label(ref: string): string;
}

const handlePattern = /^nwh-[0-9a-f]{32}$/;

/** Electron: opaque handles, one per pick, kept in memory for the session. */
export function createHandleAccess(): FileAccess {
  const table = new Map<string, { path: string; kind: AccessKind; overwriteConfirmed: boolean }>();
  const byPath = new Map<string, string>();
  return {
    mode: 'handles',
    grant(file, kind, overwriteConfirmed = false) {
      const absolute = path.resolve(file);
      const key = `${kind}\0${absolute}\0${overwriteConfirmed}`;
      const existing = byPath.get(key);
      if (existing) return existing;
      const handle = `nwh-${randomBytes(16).toString('hex')}`;
      table.set(handle, { path: absolute, kind, overwriteConfirmed });
      byPath.set(key, handle);
      return handle;
    },
    async resolve(ref, kind) {
      const entry = handlePattern.test(ref) ? table.get(ref) : undefined;
      if (!entry) return err('handle-unknown', 'That file was not chosen in this session: choose it again with the app’s Open or Save dialog.');
      if (entry.kind !== kind) {
        return err('access-refused', `That file was chosen for another purpose (${entry.kind}); choose it again for this one.`);
      }
      return ok({ path: entry.path, overwriteConfirmed: entry.overwriteConfirmed });
    },
    label(ref) {
      return table.get(ref)?.path ?? ref;
    },
  };
}

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The nearest existing ancestor of `target`, resolved, with the rest of the path appended. */
async function resolveLeniently(target: string): Promise<string> {
  const missing: string[] = [];
  let at = target;
  for (;;) {
    try {
      const real = await fs.realpath(at);
      return path.join(real, ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling symlink: its target is unknown, so it cannot be shown to stay inside.
      // A name too long to exist is treated as missing, so writing it fails with that reason, not as "outside".
      if ((code !== 'ENOENT' && code !== 'ENAMETOOLONG') || (await fs.lstat(at).then((s) => s.isSymbolicLink(), () => false))) throw error;
      const parent = path.dirname(at);
      if (parent === at) throw error;
      missing.push(path.basename(at));
      at = parent;
    }
  }
}

/** Web host: every path is confined to `root` (already resolved with realpath by the caller). */
export function createRootAccess(root: string): FileAccess {
  const refused = (ref: string): Result<Granted> =>
    err('access-refused', `${ref} is outside the workspace folder ${root}: the web host only reads and writes there. Restart it with --root DIR to work elsewhere.`);
  return {
    mode: 'root',
    root,
    // The page may name any path below the root; what main hands back is the absolute one.
    grant(file) {
      return path.resolve(root, file);
    },
    async resolve(ref) {
      if (ref.includes('\0')) return refused(ref.replace(/\0/g, '\\0'));
      const target = path.resolve(root, ref);
      if (!inside(root, target)) return refused(ref);
      let real: string;
      try {
        real = await resolveLeniently(target);
      } catch {
        return refused(ref);
      }
      if (!inside(root, real)) return refused(ref);
      return ok({ path: real, overwriteConfirmed: false });
    },
    label(ref) {
      return ref;
    },
  };
}

/** The workspace root for the web host: an existing folder, resolved. */
export async function workspaceRoot(dir: string): Promise<string> {
  const real = await fs.realpath(path.resolve(dir));
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a folder.`);
  return real;
}
