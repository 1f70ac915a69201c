import { readFile, readdir, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetError } from './dataset-error';

/** A data set file (raw, or unpacked from gzip) is read whole: at most this many bytes. */
export const maxDatasetFileBytes = 2 * 1024 * 1024 * 1024;
/** One image of an image folder, as stored. */
export const maxImageFileBytes = 64 * 1024 * 1024;

/** Reads a whole file, at most `cap` bytes, turning file-system failures into DatasetErrors that name the file. */
export async function readDatasetFile(file: string, cap: number = maxDatasetFileBytes): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw fileSystemError(error, file, 'file');
  }
  if (size > cap) throw new DatasetError('dataset-too-large', `${file} is ${size} bytes; a data set file may be at most ${cap} bytes. Use a smaller file or --limit on a subset.`);
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

/**
 * Unpacks gzip data, streaming, and stops as soon as the output passes its limit: the smaller of
 * `maxDatasetFileBytes` and what `limitFor` says once it has seen the start of the output (an IDX
 * header announces its size). A cut-short archive is 'dataset-truncated', anything else unreadable
 * 'dataset-corrupt', too much output 'dataset-too-large'.
 */
export async function gunzipDatasetFile(bytes: Buffer, file: string, limitFor?: (head: Buffer) => number | undefined): Promise<Buffer> {
  if (!looksGzipped(bytes)) {
    throw new DatasetError(
      'dataset-corrupt',
      `${file} is not a gzip file (it does not start with the gzip signature 1f 8b): unpack it or download it again, or drop the .gz ending if it is already unpacked.`,
    );
  }
  return new Promise<Buffer>((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let limit = maxDatasetFileBytes;
    let limitKnown = limitFor === undefined;
    let failed = false;
    const fail = (error: DatasetError): void => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      reject(error);
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (!limitKnown) {
        // Asked again with each chunk until the start of the output is enough to say.
        const announced = limitFor!(chunks.length === 1 ? chunk : Buffer.concat(chunks));
        if (announced !== undefined) {
          limitKnown = true;
          limit = Math.min(limit, announced);
        }
      }
      if (total > limit) {
        fail(
          new DatasetError(
            'dataset-too-large',
            limit < maxDatasetFileBytes
              ? `${file} unpacks to more than the ${limit} bytes its header announces: the file is damaged or not what it claims. Download it again.`
              : `${file} unpacks to more than ${limit} bytes, the most a data set file may hold.`,
          ),
        );
      }
    });
    gunzip.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, total));
    });
    gunzip.on('error', (error) => {
      const reason = error instanceof Error ? error.message : String(error);
      if (/unexpected end of file/i.test(reason)) {
        fail(new DatasetError('dataset-truncated', `${file} is a gzip archive that is cut short (${bytes.length} bytes read): download it again.`));
      } else fail(new DatasetError('dataset-corrupt', `${file} is a damaged gzip archive (${reason}): download it again.`));
    });
    gunzip.end(bytes);
  });
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
