import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeModel, OnnxDecodeError } from '../../graph-schema/import/onnx-decode';
import { onnxModelToGraph } from '../../graph-schema/import/onnx-model-graph';
import type { ImportedModel } from './imported-model';
import { ImportError } from './imported-model';

/** An .onnx file (weights inside it) → a project graph with NHWC layers and the weights by node. */
export async function importOnnxFile(file: string): Promise<ImportedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ImportError('import-unreadable', `Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}.`);
  }
  let model;
  try {
    model = decodeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    if (err instanceof OnnxDecodeError) throw new ImportError(err.code, `${file} is not a readable ONNX model: ${err.message}`);
    throw err;
  }
  if (model.graph.nodes.length === 0) throw new ImportError('import-onnx-malformed', `${file} is an ONNX model without any node.`);
  const imported = onnxModelToGraph(model, path.basename(file, path.extname(file)));
  return { document: imported.document, diagnostics: imported.diagnostics, weights: imported.weights, format: 'onnx' };
}
