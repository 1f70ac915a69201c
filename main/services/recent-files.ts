import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-store';

export const maxRecentFiles = 10;

const recentFileSchema = z.object({ files: z.array(z.string().min(1)) });

/**
 * The most recently opened or saved projects, newest first, kept in recent-files.json.
 * The same list, under another name, holds the data sets the user picked (dataset-grants.json).
 */
export class RecentFiles {
  private readonly file: string;
  // Writes are chained so that two quick saves never interleave their updates.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    userDataDir: string,
    fileName = 'recent-files.json',
    private readonly max = maxRecentFiles,
  ) {
    this.file = path.join(userDataDir, fileName);
  }

  async list(): Promise<string[]> {
    await this.queue.catch(() => undefined);
    return this.read();
  }

  add(file: string): Promise<string[]> {
    const absolute = path.resolve(file);
    const next = this.queue.then(async () => {
      const files = [absolute, ...(await this.read()).filter((f) => f !== absolute)].slice(0, this.max);
      await writeJsonFile(this.file, { files });
      return files;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  remove(file: string): Promise<string[]> {
    const absolute = path.resolve(file);
    const next = this.queue.then(async () => {
      const files = (await this.read()).filter((f) => f !== absolute);
      await writeJsonFile(this.file, { files });
      return files;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  clear(): Promise<string[]> {
    const next = this.queue.then(async () => {
      await writeJsonFile(this.file, { files: [] });
      return [] as string[];
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<string[]> {
    const parsed = recentFileSchema.safeParse(await readJsonFile(this.file));
    return parsed.success ? parsed.data.files.slice(0, this.max) : [];
  }
}
