import type { NetweaveDocument } from '../document';
import type { ExportLayer, ExportModel } from './export-model';
import { prepareExport } from './export-model';
import { toIdentifier } from './identifiers';
import { emitKeras } from './keras-emitter';
import { emitPytorch } from './pytorch-emitter';
import { torchSupportedKinds } from './torch-layers';
import type { TorchWeightEntry } from './torch-weights-plan';
import { emitTypescript } from './typescript-emitter';

export const codeTargets = ['ts', 'pytorch', 'keras'] as const;
export type CodeTarget = (typeof codeTargets)[number];

export interface ExportCodeOptions {
  /** Add compile/fit code with the project's training settings and a data loader. */
  includeTraining?: boolean;
}

export type ExportErrorCode = 'export-unsupported' | 'graph-invalid';

export interface ExportError {
  code: ExportErrorCode;
  message: string;
  nodeId?: string;
}

export type ExportCodeResult = { ok: true; code: string; fileName: string } | { ok: false; error: ExportError };

/** PyTorch code plus where each TensorFlow.js weight lands in the module's state dict. */
export type PytorchExportResult = { ok: true; code: string; fileName: string; weights: TorchWeightEntry[] } | { ok: false; error: ExportError };

const targetNames: Record<CodeTarget, string> = { ts: 'TypeScript (TensorFlow.js)', pytorch: 'PyTorch', keras: 'Python Keras' };

// Every primitive kind TensorFlow.js and Keras build from the same class name and config.
const kerasKinds: ReadonlySet<string> = new Set([...torchSupportedKinds]);
const activations: ReadonlySet<string> = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softmax', 'swish']);

/** A parameter a target cannot express although it knows the layer kind; null when it can. */
function targetLimit(target: CodeTarget, layer: ExportLayer): string | null {
  const dilation = layer.params.dilationRate as [number, number] | undefined;
  if (target === 'ts' && layer.kind === 'DepthwiseConv2D' && dilation && (dilation[0] > 1 || dilation[1] > 1)) {
    // tf.layers.depthwiseConv2d accepts dilationRate but neither computes nor infers with it.
    return 'TensorFlow.js depthwise convolutions ignore the dilation rate. Set the dilation to 1, or use a Separable Conv 2D.';
  }
  if (target === 'ts' && layer.kind === 'BatchNormalization') {
    const rank = layer.outputShape.length;
    const axis = layer.params.axis as number;
    // tf.layers.batchNormalization infers with wrong statistics unless the feature axis is the last one.
    if ((axis < 0 ? rank + axis : axis) !== rank - 1) return `TensorFlow.js computes batch normalization wrongly on axis ${axis}; only the last axis (−1) works. Use axis −1.`;
  }
  return null;
}

/** The first layer a target cannot express, as an error naming the node and the target; null when all can be. */
export function findUnsupported(model: ExportModel, target: CodeTarget, options: ExportCodeOptions = {}): ExportError | null {
  const kinds = target === 'pytorch' ? torchSupportedKinds : kerasKinds;
  for (const layer of model.layers) {
    const where = layer.block ? `layer "${layer.name}" of block "${layer.block.label}"` : `layer "${layer.name}"`;
    if (!kinds.has(layer.kind)) {
      return {
        code: 'export-unsupported',
        nodeId: layer.nodeId,
        message: `The ${targetNames[target]} export cannot express ${where} (${layer.kind}) of node ${layer.nodeId}. Replace it, or export to another target.`,
      };
    }
    const limit = targetLimit(target, layer);
    if (limit) {
      return { code: 'export-unsupported', nodeId: layer.nodeId, message: `The ${targetNames[target]} export cannot express ${where} of node ${layer.nodeId}: ${limit}` };
    }
    const activation = layer.params.activation;
    if (typeof activation === 'string' && !activations.has(activation)) {
      return {
        code: 'export-unsupported',
        nodeId: layer.nodeId,
        message: `The ${targetNames[target]} export has no activation "${activation}" (${where}, node ${layer.nodeId}). Pick another activation.`,
      };
    }
  }
  if (options.includeTraining) {
    const extra = model.inputs.length > 1 ? model.inputs[1]! : model.outputs.length > 1 ? model.outputs[1]! : null;
    if (extra !== null) {
      const nodeId = model.byName.get(extra)!.nodeId;
      return {
        code: 'export-unsupported',
        nodeId,
        message: `Training code for ${targetNames[target]} needs a model with one input and one output; node ${nodeId} is an extra one. Export without training code, or merge the branches.`,
      };
    }
  }
  return null;
}

export function exportFileName(document: NetweaveDocument, target: CodeTarget): string {
  const base = toIdentifier(document.name || 'model');
  return target === 'ts' ? `${base}.ts` : target === 'pytorch' ? `${base}.py` : `${base}_keras.py`;
}

function prepared(document: NetweaveDocument, target: CodeTarget, options: ExportCodeOptions): { ok: true; model: ExportModel } | { ok: false; error: ExportError } {
  const result = prepareExport(document);
  if (!result.ok) return result;
  const unsupported = findUnsupported(result.model, target, options);
  return unsupported ? { ok: false, error: unsupported } : result;
}

/**
 * Generates code that builds the document's network for a target. A pure
 * function of the document, cheap enough to run on every edit.
 */
export function exportCode(document: NetweaveDocument, target: CodeTarget, options: ExportCodeOptions = {}): ExportCodeResult {
  if (target === 'pytorch') {
    const result = exportPytorch(document, options);
    return result.ok ? { ok: true, code: result.code, fileName: result.fileName } : result;
  }
  const ready = prepared(document, target, options);
  if (!ready.ok) return ready;
  const includeTraining = options.includeTraining === true;
  const code = target === 'ts' ? emitTypescript(ready.model, includeTraining) : emitKeras(ready.model, includeTraining);
  return { ok: true, code, fileName: exportFileName(document, target) };
}

export function exportPytorch(document: NetweaveDocument, options: ExportCodeOptions = {}): PytorchExportResult {
  const ready = prepared(document, 'pytorch', options);
  if (!ready.ok) return ready;
  const result = emitPytorch(ready.model, options.includeTraining === true);
  return { ok: true, code: result.code, fileName: exportFileName(document, 'pytorch'), weights: result.weights };
}
