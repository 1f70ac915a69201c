import { promises as fs } from 'node:fs';
import { AtomicWriteError, writeFileAtomic as writeAtomic } from './atomic-write';
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

/** Writes text atomically (see atomic-write.ts), as a ProjectFileError when it cannot. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  try {
    await writeAtomic(file, text);
  } catch (err) {
    if (err instanceof AtomicWriteError) throw new ProjectFileError('file-unwritable', `Cannot save ${err.file}: ${err.reason}. Choose another place.`);
    throw err;
  }
}

export async function writeProjectFile(file: string, document: NetweaveDocument): Promise<void> {
  await writeFileAtomic(file, saveDocument(document));
}
