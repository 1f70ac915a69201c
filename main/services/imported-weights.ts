import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import { weightsDirFor } from '../import/import-model';
import { readNodeWeights, weightsManifestName, writeNodeWeights } from '../import/weights-store';
import type { NodeWeights } from '../import/weights-store';
import { ProjectFileError } from './project-files';

/**
 * The weights of an imported model, in the app. On disk a project names its weights folder relative
 * to itself (`<name>.weights/`); in the page `document.weights.path` is instead a reference main issued
 * (`nww-…`) for a folder it knows: the staging copy an import wrote under the user-data folder, or the
 * folder beside a project that was opened or saved. The page never names a weights folder itself: a
 * reference main did not issue is refused, so a document cannot make training read an arbitrary path.
 * Saving copies the weights beside the project (unless they already are there) and writes the relative path.
 */

const refPattern = /^nww-[0-9a-f]{24}$/;

/** Replaces only a weights folder Netweave wrote (or an empty one): anything else beside the project stays. */
async function refuseForeignFolder(target: string): Promise<void> {
  const stat = await fs.lstat(target).catch(() => undefined);
  if (!stat) return;
  const entries = stat.isDirectory() ? await fs.readdir(target) : undefined;
  if (entries && (entries.length === 0 || entries.includes(weightsManifestName))) return;
  throw new ProjectFileError('file-unwritable', `Cannot save the imported weights: ${target} already exists and is not a weights folder that Netweave wrote. Save the project under another name.`);
}

export class ImportedWeights {
  private readonly dirs = new Map<string, string>();
  private readonly refs = new Map<string, string>();

  constructor(private readonly stagingRoot: string) {}

  private issue(dir: string): string {
    const absolute = path.resolve(dir);
    const known = this.refs.get(absolute);
    if (known) return known;
    const ref = `nww-${randomBytes(12).toString('hex')}`;
    this.dirs.set(ref, absolute);
    this.refs.set(absolute, ref);
    return ref;
  }

  private cleaned = false;

  /**
   * Staging folders of earlier sessions: their references died with that session, so nothing can
   * name them any more. Those older than a day go (a younger one may belong to another running app).
   */
  private async cleanStale(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    const entries = await fs.readdir(this.stagingRoot).catch(() => [] as string[]);
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const name of entries.filter((e) => e.startsWith('import-'))) {
      const dir = path.join(this.stagingRoot, name);
      const stat = await fs.stat(dir).catch(() => undefined);
      if (stat?.isDirectory() && stat.mtimeMs < dayAgo) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Writes an import's weights to a fresh staging folder; the reference the document carries until it is saved. */
  async stage(weights: NodeWeights): Promise<string> {
    await this.cleanStale();
    const dir = path.join(this.stagingRoot, `import-${Date.now()}-${randomBytes(4).toString('hex')}`);
    await writeNodeWeights(dir, weights);
    return this.issue(dir);
  }

  /** The folder a reference stands for, when main issued it and the folder still holds weights. */
  async folderOf(ref: string): Promise<string | undefined> {
    const dir = refPattern.test(ref) ? this.dirs.get(ref) : undefined;
    if (!dir) return undefined;
    const manifest = await fs.stat(path.join(dir, weightsManifestName)).catch(() => undefined);
    return manifest?.isFile() ? dir : undefined;
  }

  /**
   * A document read from `projectFile` → the page's copy: its relative weights path replaced by a
   * reference (when the folder is there and beside the project; otherwise the entry is left as it is
   * and training reports it).
   */
  async forPage(projectFile: string, document: NetweaveDocument): Promise<NetweaveDocument> {
    if (!document.weights || path.isAbsolute(document.weights.path)) return document;
    const folder = path.dirname(path.resolve(projectFile));
    const dir = path.resolve(folder, document.weights.path);
    if (path.relative(folder, dir).startsWith('..')) return document;
    const manifest = await fs.stat(path.join(dir, weightsManifestName)).catch(() => undefined);
    if (!manifest?.isFile()) return document;
    return { ...document, weights: { ...document.weights, path: this.issue(dir) } };
  }

  /**
   * The page's document → what is written to `projectFile`: weights that main knows are copied beside
   * the project when they live elsewhere, and the path becomes relative. Returns the document to
   * write; an entry main does not know is written unchanged (a project read by the page itself).
   */
  async forFile(projectFile: string, document: NetweaveDocument): Promise<NetweaveDocument> {
    if (!document.weights) return document;
    const source = await this.folderOf(document.weights.path);
    if (!source) return document;
    const target = weightsDirFor(path.resolve(projectFile));
    if (path.resolve(source) !== path.resolve(target)) {
      await refuseForeignFolder(target);
      await writeNodeWeights(target, await readNodeWeights(source));
    }
    this.issue(target);
    return { ...document, weights: { ...document.weights, path: path.basename(target) } };
  }
}
