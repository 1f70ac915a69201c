import type { NetweaveDocument } from '../document';
import type { ExportLayer, ExportModel } from './export-model';
import { prepareExport } from './export-model';
import { toIdentifier } from './identifiers';
import { emitKeras } from './keras-emitter';
import { emitPytorch } from './pytorch-emitter';
import type { ActivationTable, TargetTable } from '../target-table';
import { activationEntry, isUnsupported, unsupportedReason } from '../target-table';
import { tfjsActivations, tfjsRefusal } from '../tfjs-workarounds';
import { kerasActivations, kerasTable } from './keras-table';
import { torchActivations, torchTable } from './torch-layers';
import { typescriptTable } from './typescript-table';
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

/** Per target, its kind table and its activation table: the export gates read nothing else. */
const targetTables: Record<CodeTarget, { kinds: TargetTable<unknown>; activations: ActivationTable<unknown> }> = {
  ts: { kinds: typescriptTable, activations: tfjsActivations },
  pytorch: { kinds: torchTable, activations: torchActivations },
  keras: { kinds: kerasTable, activations: kerasActivations },
};

/** A parameter a target cannot express although it knows the layer kind; null when it can. */
function targetLimit(target: CodeTarget, layer: ExportLayer): string | null {
  // Exported TypeScript code trains, so it is held to what TensorFlow.js can train.
  if (target === 'ts') return tfjsRefusal({ kind: layer.kind, config: layer.config, outputShape: layer.outputShape })?.message ?? null;
  return null;
}

/** The first layer a target cannot express, as an error naming the node and the target; null when all can be. */
export function findUnsupported(model: ExportModel, target: CodeTarget, options: ExportCodeOptions = {}): ExportError | null {
  const tables = targetTables[target];
  for (const layer of model.layers) {
    const where = layer.block ? `layer "${layer.name}" of block "${layer.block.label}"` : `layer "${layer.name}"`;
    const reason = unsupportedReason(tables.kinds, layer.kind);
    if (reason !== null) {
      return {
        code: 'export-unsupported',
        nodeId: layer.nodeId,
        message: `The ${targetNames[target]} export cannot express ${where} (${layer.kind}) of node ${layer.nodeId}: ${reason} Replace it, or export to another target.`,
      };
    }
    const activation = layer.params.activation;
    if (typeof activation === 'string') {
      const entry = activationEntry(tables.activations, activation);
      if (isUnsupported(entry)) {
        return {
          code: 'export-unsupported',
          nodeId: layer.nodeId,
          message: `The ${targetNames[target]} export has no activation "${activation}" (${where}, node ${layer.nodeId}): ${entry.unsupported} Pick another activation.`,
        };
      }
    }
    const limit = targetLimit(target, layer);
    if (limit) {
      return { code: 'export-unsupported', nodeId: layer.nodeId, message: `The ${targetNames[target]} export cannot express ${where} of node ${layer.nodeId}: ${limit}` };
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
