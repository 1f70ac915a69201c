import { stat } from 'node:fs/promises';
import path from 'node:path';
import { layOutDocument } from '../../graph-schema/layout/elk-bundled';
import { writeProjectFile } from '../services/project-files';
import { importKerasFile, importKerasH5 } from './import-keras';
import { importOnnxFile } from './import-onnx';
import { importTfjsModel } from './import-tfjs';
import type { ImportedModel } from './imported-model';
import { ImportError } from './imported-model';
import { writeNodeWeights } from './weights-store';

/** Reads a model file by its kind: a TensorFlow.js model.json (or its folder), a Keras 3 .keras, a Keras 2 .h5 or an ONNX model. */
export async function importModelFile(file: string): Promise<ImportedModel> {
  let target = file;
  const info = await stat(file).catch(() => null);
  if (!info) throw new ImportError('import-not-found', `${file} does not exist.`);
  if (info.isDirectory()) target = path.join(file, 'model.json');
  const ext = path.extname(target).toLowerCase();
  if (ext === '.json') return importTfjsModel(target);
  if (ext === '.keras') return importKerasFile(target);
  if (ext === '.h5' || ext === '.hdf5') return importKerasH5(target);
  if (ext === '.onnx') return importOnnxFile(target);
  throw new ImportError('import-format-unknown', `${file} is not a model this can import (a TensorFlow.js model.json or its folder, .keras, .h5 or .onnx).`);
}

/** Where the weights of a project go: beside it, `<name>.weights/`. */
export function weightsDirFor(projectFile: string): string {
  return projectFile.replace(/\.netweave$/i, '') + '.weights';
}

/**
 * Lays the imported graph out, writes its weights beside the project (when it has any) and the project
 * itself, which names the weights folder relative to itself.
 */
export async function writeImportedProject(imported: ImportedModel, projectFile: string): Promise<{ projectFile: string; weightsDir?: string }> {
  const placed = await layOutDocument(imported.document, { direction: 'TB', aspectRatio: 1.6 });
  if (imported.weights.size === 0) {
    await writeProjectFile(projectFile, placed);
    return { projectFile };
  }
  const dir = weightsDirFor(projectFile);
  await writeNodeWeights(dir, imported.weights);
  await writeProjectFile(projectFile, { ...placed, weights: { format: 'netweave.weights', path: path.basename(dir) } });
  return { projectFile, weightsDir: dir };
}
