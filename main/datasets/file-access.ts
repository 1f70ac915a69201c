import { readFile, readdir, stat } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DatasetError } from './dataset-error';

const gunzipAsync = promisify(gunzip);

/** Reads a whole file, turning file-system failures into DatasetErrors that name the file. */
export async function readDatasetFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw fileSystemError(error, file, 'file');
  }
}

/** Lists a folder's entries, failing with 'dataset-not-found' when it is missing or is not a folder. */
export async function listFolder(dir: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]> {
  await requireFolder(dir);
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() }));
  } catch (error) {
    throw fileSystemError(error, dir, 'folder');
  }
}

export async function requireFolder(dir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    throw fileSystemError(error, dir, 'folder');
  }
  if (!isDirectory) throw new DatasetError('dataset-not-found', `${dir} is a file, not a folder: give the folder that holds the data set's files.`);
}

export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Unpacks gzip data off the main thread; a cut-short archive is 'dataset-truncated', anything else unreadable 'dataset-corrupt'. */
export async function gunzipDatasetFile(bytes: Buffer, file: string): Promise<Buffer> {
  if (!looksGzipped(bytes)) {
    throw new DatasetError(
      'dataset-corrupt',
      `${file} is not a gzip file (it does not start with the gzip signature 1f 8b): unpack it or download it again, or drop the .gz ending if it is already unpacked.`,
    );
  }
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/unexpected end of file/i.test(reason)) {
      throw new DatasetError('dataset-truncated', `${file} is a gzip archive that is cut short (${bytes.length} bytes read): download it again.`);
    }
    throw new DatasetError('dataset-corrupt', `${file} is a damaged gzip archive (${reason}): download it again.`);
  }
}

function fileSystemError(error: unknown, target: string, what: 'file' | 'folder'): DatasetError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DatasetError('dataset-not-found', `The ${what} ${target} does not exist: check the path of the data set.`);
  }
  if (code === 'EISDIR') return new DatasetError('dataset-not-found', `${target} is a folder, not a file: give the path of the data file itself.`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new DatasetError('dataset-not-found', `The ${what} ${target} cannot be read (permission denied): check its permissions.`);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DatasetError('dataset-not-found', `The ${what} ${target} cannot be read (${reason}).`);
}
