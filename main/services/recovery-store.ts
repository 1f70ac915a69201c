import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import { loadDocumentValue, saveDocument } from '../../graph-schema/load-save';
import { writeFileAtomic } from './project-files';

/**
 * The autosave of the open document, so that a crash or a killed window loses
 * little work. One file, replaced atomically on every write.
 */
export class RecoveryStore {
  readonly file: string;

  constructor(userDataDir: string) {
    this.file = path.join(userDataDir, 'recovery', 'recovery.netweave.json');
  }

  /** `savedAs`: the project file the document belongs to (absolute), so that recovery keeps it. */
  async write(document: NetweaveDocument, now: Date = new Date(), savedAs?: string): Promise<string> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const file = savedAs === undefined ? '' : `"file":${JSON.stringify(savedAs)},`;
    const envelope = `{"savedAt":${JSON.stringify(now.toISOString())},${file}"document":${saveDocument(document)}}\n`;
    await writeFileAtomic(this.file, envelope);
    return this.file;
  }

  /** The saved document, or null when there is none or it cannot be read back (a damaged file is not worth an error). */
  async read(): Promise<{ document: NetweaveDocument; savedAt: string; file?: string } | null> {
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return null;
    }
    if (typeof raw !== 'object' || raw === null) return null;
    const { savedAt, document, file } = raw as { savedAt?: unknown; document?: unknown; file?: unknown };
    if (typeof savedAt !== 'string') return null;
    const loaded = loadDocumentValue(document);
    if (!loaded.ok) return null;
    return typeof file === 'string' && path.isAbsolute(file) ? { document: loaded.document, savedAt, file } : { document: loaded.document, savedAt };
  }

  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}
