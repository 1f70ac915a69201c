import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The one way main writes a file that must survive a crash: the bytes go to one
 * predictable temp file beside the target, are flushed, renamed over the target,
 * and the folder is flushed so the rename itself is durable. A crash leaves the
 * old or the new file, plus at most that one temp file, which the next save or
 * open of the same target removes (as SQLite does with its journal).
 */

export class AtomicWriteError extends Error {
  readonly code = 'file-unwritable';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Cannot write ${file}: ${reason}.`);
    this.name = 'AtomicWriteError';
  }
}

const tempSuffix = '.netweave-tmp';

// Most file systems allow 255 bytes per name: a temp name must fit wherever its target's name does.
const maxTempNameBytes = 255;

/** The temp file of a target: the same name every time, so a crash cannot pile them up. */
export function tempPathFor(file: string): string {
  const target = path.resolve(file);
  let base = path.basename(target);
  // A long target name is shortened (the same way each time), so the temp name alone never fails.
  while (Buffer.byteLength(`.${base}${tempSuffix}`) > maxTempNameBytes && base.length > 1) base = base.slice(0, -1);
  return path.join(path.dirname(target), `.${base}${tempSuffix}`);
}

/** Removes the temp file an interrupted write of `file` left behind; never throws. */
export async function cleanStaleTemp(file: string): Promise<void> {
  await fs.rm(tempPathFor(file), { force: true }).catch(() => undefined);
}

/** Removes every temp file our writes left in `dir` (a model folder, a project folder); never throws. */
export async function cleanStaleTemps(dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith('.') && n.endsWith(tempSuffix)).map((n) => fs.rm(path.join(dir, n), { force: true }).catch(() => undefined)));
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or flush a folder; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// Writes to one target within this process are queued, so two saves never share the temp file.
const queues = new Map<string, Promise<unknown>>();

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'the folder does not exist';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENAMETOOLONG') return 'the file name is too long (at most 255 bytes)';
  if (code === 'EROFS') return 'the disk is read-only';
  if (code === 'EBUSY' || code === 'ETXTBSY') return 'the file is in use by another program';
  if (code === 'EDQUOT') return 'the disk quota is exceeded';
  if (code === 'EMFILE' || code === 'ENFILE') return 'too many files are open';
  // Node's own message names the temp file, which the user never chose: give the code only.
  return code ? `the system refused (${code})` : error instanceof Error ? error.message.replace(/'[^']*'/g, '').trim() : String(error);
}

/** Replaces `file` with `data` atomically and durably; throws AtomicWriteError. */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { makeDir?: boolean } = {}): Promise<void> {
  const target = path.resolve(file);
  const run = async (): Promise<void> => {
    const dir = path.dirname(target);
    const temp = tempPathFor(target);
    let handle: fs.FileHandle | undefined;
    try {
      if (options.makeDir) await fs.mkdir(dir, { recursive: true });
      const existing = await fs.stat(target).catch(() => undefined);
      if (existing?.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
      handle = await fs.open(temp, 'w', 0o644);
      await handle.writeFile(data);
      await handle.sync();
      await handle.close();
      handle = undefined;
      await fs.rename(temp, target);
      await syncDir(dir);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw new AtomicWriteError(target, reasonOf(error));
    }
  };
  const previous = queues.get(target) ?? Promise.resolve();
  const next = previous.then(run, run);
  const settled = next.catch(() => undefined);
  queues.set(target, settled);
  void settled.then(() => {
    if (queues.get(target) === settled) queues.delete(target);
  });
  return next;
}
