import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImportDiagnostic } from '../../graph-schema/import/keras-model-graph';
import { kerasModelToGraph } from '../../graph-schema/import/keras-model-graph';
import type { ImportedModel } from './imported-model';
import { ImportError, attachWeights } from './imported-model';

/**
 * A TensorFlow.js layers model as tf.LayersModel.save writes it: model.json (modelTopology +
 * weightsManifest) and the binary weight files its manifest names, beside it.
 */

interface ManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[];
}

export async function importTfjsModel(modelJsonFile: string): Promise<ImportedModel> {
  let json: { modelTopology?: Record<string, unknown>; weightsManifest?: ManifestGroup[] };
  try {
    json = JSON.parse(await readFile(modelJsonFile, 'utf8'));
  } catch (err) {
    throw new ImportError('import-unreadable', `Cannot read ${modelJsonFile} as a TensorFlow.js model.json: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const topology = json.modelTopology;
  if (!topology || typeof topology !== 'object') throw new ImportError('import-unreadable', `${modelJsonFile} has no modelTopology: it is not a TensorFlow.js layers model (a graph model cannot be imported).`);
  // tf.LayersModel.save nests the model under model_config; a Keras-converted one may not.
  const model = ('model_config' in topology ? topology.model_config : topology) as Record<string, unknown>;
  const imported = kerasModelToGraph(model, path.basename(path.dirname(path.resolve(modelJsonFile))));
  const diagnostics: ImportDiagnostic[] = [...imported.diagnostics];
  const byLayer = new Map<string, { shape: number[]; values: Float32Array }[]>();
  const dir = path.dirname(modelJsonFile);
  for (const group of json.weightsManifest ?? []) {
    const parts = await Promise.all(group.paths.map((p) => readFile(path.resolve(dir, p))));
    const buffer = Buffer.concat(parts);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const bytes = w.dtype === 'float32' || w.dtype === 'int32' ? 4 : w.dtype === 'bool' ? 1 : 4;
      if (w.quantization !== undefined || w.dtype !== 'float32') {
        throw new ImportError('import-weights-unsupported', `Weight ${w.name} is ${w.quantization ? 'quantized' : w.dtype}; only float32 weights can be imported.`);
      }
      if (offset + count * bytes > buffer.length) throw new ImportError('import-weights-short', `The weight files of ${modelJsonFile} end before ${w.name}.`);
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = buffer.readFloatLE(offset + i * 4);
      offset += count * bytes;
      const layer = w.name.includes('/') ? w.name.slice(0, w.name.lastIndexOf('/')) : w.name;
      byLayer.set(layer, [...(byLayer.get(layer) ?? []), { shape: w.shape, values }]);
    }
  }
  const weights = attachWeights(imported.weightNodes, byLayer, diagnostics);
  return { document: imported.document, diagnostics, weights, format: 'tfjs-layers' };
}
