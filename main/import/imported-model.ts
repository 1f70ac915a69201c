import type { ErrorCode } from '../../shared/error-codes';
import type { ImportDiagnostic } from '../../graph-schema/import/keras-model-graph';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { NodeWeights, StoredArray } from './weights-store';

export type ImportFormat = 'tfjs-layers' | 'keras' | 'keras-h5' | 'onnx';

/** What every importer returns: the graph (not yet laid out), what it could not map, the weights by node. */
export interface ImportedModel {
  document: NetweaveDocument;
  diagnostics: ImportDiagnostic[];
  weights: NodeWeights;
  format: ImportFormat;
}

export class ImportError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/**
 * Weights by Keras layer name → weights by node. A weight name may carry scopes before the layer
 * name (`model/dense/kernel`): the longest layer name it ends with wins. Weights of no known layer are reported.
 */
export function attachWeights(weightNodes: ReadonlyMap<string, string>, byLayer: ReadonlyMap<string, StoredArray[]>, diagnostics: ImportDiagnostic[]): NodeWeights {
  const out: NodeWeights = new Map();
  for (const [layer, arrays] of byLayer) {
    let node = weightNodes.get(layer);
    if (!node) {
      const scoped = [...weightNodes.keys()].filter((name) => layer.endsWith(`/${name}`) || layer.startsWith(`${name}/`)).sort((a, b) => b.length - a.length)[0];
      node = scoped === undefined ? undefined : weightNodes.get(scoped);
    }
    if (!node) {
      diagnostics.push({ code: 'import-weights-orphan', severity: 'warning', message: `Weights of "${layer}" belong to no imported layer and were left out.` });
      continue;
    }
    out.set(node, [...(out.get(node) ?? []), ...arrays]);
  }
  return out;
}
