import path from 'node:path';
import { layOutDocument } from '../../graph-schema/layout/elk-bundled';
import type { ImportedProject } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import { importModelFile } from '../import/import-model';
import { ImportError } from '../import/imported-model';
import type { ImportedWeights } from './imported-weights';

/** What the importer reads (the common entry decides the format); anything else opens as a project. */
const modelExtensions = ['.json', '.keras', '.h5', '.hdf5', '.onnx'];

export function isModelFile(file: string): boolean {
  return modelExtensions.includes(path.extname(file).toLowerCase());
}

/**
 * A model file → an unsaved, laid-out document for the page. Its weights are staged by main and the
 * document names them by reference (see imported-weights.ts). Import failures come back as values.
 */
export async function importIntoDocument(file: string, shown: string, weights: ImportedWeights): Promise<Result<ImportedProject>> {
  let imported;
  try {
    imported = await importModelFile(file);
  } catch (error) {
    if (error instanceof ImportError) return err(error.code, `${shown}: ${error.message}`);
    return err('import-failed', `${shown} could not be imported: ${error instanceof Error ? error.message : String(error)}. Check that it is a complete model file (a model.json needs its weight files beside it).`);
  }
  const placed = await layOutDocument(imported.document, { direction: 'TB', aspectRatio: 1.6 });
  const document =
    imported.weights.size === 0
      ? placed
      : { ...placed, weights: { format: 'netweave.weights' as const, path: await weights.stage(imported.weights) } };
  return ok({ kind: 'import', path: shown, format: imported.format, document, diagnostics: imported.diagnostics });
}
