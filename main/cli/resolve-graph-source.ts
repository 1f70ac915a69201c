import type { ErrorCode } from '../../shared/error-codes';
import { existsSync } from 'node:fs';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import type { Diagnostic } from '../../graph-schema/diagnostics';
import { getTemplate, templateIds } from '../../graph-schema/templates/index';
import { ProjectFileError, readProjectFile } from '../services/project-files';

/** A failure to read the input at all: the CLI prints the message on one line and exits 2. */
export class InputError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function documentFromTemplate(id: string): NetweaveDocument | undefined {
  const template = getTemplate(id);
  if (!template) return undefined;
  const built = template.build();
  return createDocument(built.graph, template.name, built.training);
}

/** A project file path or a template id. */
export async function resolveGraphSource(source: string): Promise<{ document: NetweaveDocument; warnings: Diagnostic[]; from: 'file' | 'template' }> {
  if (existsSync(source)) {
    let result;
    try {
      result = await readProjectFile(source);
    } catch (err) {
      if (err instanceof ProjectFileError) throw new InputError(err.code, err.message);
      throw err;
    }
    if (!result.ok) throw new InputError(result.error.code, `${source}: ${result.error.message}`);
    return { document: result.document, warnings: result.warnings, from: 'file' };
  }
  const fromTemplate = documentFromTemplate(source);
  if (fromTemplate) return { document: fromTemplate, warnings: [], from: 'template' };
  throw new InputError('file-not-found', `No such file or template: "${source}". Templates: ${templateIds.join(', ')}.`);
}
