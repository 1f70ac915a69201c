import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { LoadResult } from '../../graph-schema/load-save';
import { loadDocument, saveDocument } from '../../graph-schema/load-save';

export const projectExtension = '.netweave';

export class ProjectFileError extends Error {
  constructor(
    readonly code: 'file-not-found' | 'file-unreadable' | 'file-unwritable' | 'file-too-large',
    message: string,
  ) {
    super(message);
    this.name = 'ProjectFileError';
  }
}

const maxProjectBytes = 64 * 1024 * 1024;

export async function readProjectFile(file: string): Promise<LoadResult> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new ProjectFileError('file-not-found', `No such file: ${file}`);
  }
  if (!stat.isFile()) throw new ProjectFileError('file-unreadable', `${file} is not a file.`);
  if (stat.size > maxProjectBytes) throw new ProjectFileError('file-too-large', `${file} is ${stat.size} bytes; projects are at most ${maxProjectBytes} bytes.`);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ProjectFileError('file-unreadable', `Cannot read ${file}: ${(err as Error).message}`);
  }
  return loadDocument(text);
}

/** Writes text atomically: a temp file beside the target, flushed, then renamed over it. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx');
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new ProjectFileError('file-unwritable', `Cannot save ${file}: ${(err as Error).message}`);
  }
}

export async function writeProjectFile(file: string, document: NetweaveDocument): Promise<void> {
  await writeFileAtomic(file, saveDocument(document));
}
