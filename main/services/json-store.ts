import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './project-files';

/** Reads a small JSON file of the app's own; a missing or damaged file reads as undefined. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
