import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DroppedFile } from '../../shared/channels';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import type { FileAccess } from './file-access';
import { projectExtension } from './project-files';
import { isModelFile } from './project-import';

/**
 * A file dropped on the window (Electron). The preload turns the page's File into its path with
 * webUtils.getPathForFile and sends only that; the page gets a handle back, never the path to use.
 * Main does not trust the path — a compromised page can send any string on the channel — so it
 * grants only what a drop may carry: one regular file, a project or a model file the importer
 * reads, checked after symlinks are followed. The handle reads; it is not a Save dialog's consent
 * to replace anything (overwriteConfirmed stays false).
 */

const refuseKind = (shown: string): Result<never> =>
  err(
    'drop-kind-unsupported',
    `${shown} is not a Netweave project (${projectExtension}) or a model file (model.json, .keras, .h5, .onnx); drop one of those, or use File › Open.`,
  );

export async function grantDroppedFile(access: FileAccess, given: unknown): Promise<Result<DroppedFile>> {
  if (access.mode !== 'handles') return err('drop-unavailable', 'Dropped files are opened by the page itself in this host.');
  // A File made by script (not dropped) has no path: getPathForFile answers ''.
  if (typeof given !== 'string' || given.length === 0 || given.length > 4096 || given.includes('\0') || !path.isAbsolute(given)) {
    return err('drop-not-a-file', 'Only a file dropped from the computer can be opened this way: drop the file again or use File › Open.');
  }
  const shown = path.basename(given);
  let real: string;
  try {
    real = await fs.realpath(given);
  } catch {
    return err('drop-not-a-file', `${shown} cannot be found or read; drop the file again or use File › Open.`);
  }
  const stat = await fs.stat(real).catch(() => undefined);
  if (!stat?.isFile()) {
    return err('drop-not-a-file', `${shown} is not a file${stat?.isDirectory() ? ' but a folder' : ''}: drop a single ${projectExtension} or model file.`);
  }
  // What is read decides, not the name the link had: a `x.netweave` link to /etc/passwd is refused.
  const ext = path.extname(real).toLowerCase();
  if (ext === projectExtension) return ok({ handle: access.grant(real, 'project'), path: real, kind: 'project' });
  if (isModelFile(real)) return ok({ handle: access.grant(real, 'model-file'), path: real, kind: 'model' });
  return refuseKind(shown);
}
