import { z } from 'zod';
import { documentSchema, trainingSettingsSchema } from '../graph-schema/document';
import type { NetweaveDocument } from '../graph-schema/document';
import type { Diagnostic } from '../graph-schema/diagnostics';
import type { Result } from './result';
import type { EngineName, Evaluation, TrainingEvent } from './training-types';
import { enginePreferences } from './training-types';
import type { AppCommand } from './channels';
import type { LabActivations, LabEvent, LabFilters, LabSamples } from './lab-types';

/**
 * The one contract between the renderer and main. Every call takes plain data
 * and resolves to a Result; main re-validates each payload with these schemas.
 * The Electron preload and the web host expose exactly this.
 */

/**
 * A file or folder the page names. Electron: an opaque handle main issued for something the
 * user picked (never a path). Web host: a path inside the workspace root (relative to it, or
 * absolute below it). Main resolves and checks it on every call.
 */
const fileRef = z.string().min(1).max(4096);
/** The user confirmed replacing an existing file that Netweave did not write (else `overwrite-refused`). */
const overwrite = z.boolean().optional();
const documentPayload = documentSchema;

export const exportTargets = ['ts', 'pytorch', 'keras', 'tfjs-model', 'onnx'] as const;
export type ExportTarget = (typeof exportTargets)[number];

export const callSchemas = {
  'host.info': z.object({}),
  'templates.list': z.object({}),
  'project.fromTemplate': z.object({ templateId: z.string().min(1).max(100) }),
  /**
   * Without a handle, Electron shows the native dialog (a model file picked there is imported: the
   * result is an ImportedProject); the web host answers 'dialog-unavailable'.
   */
  'project.open': z.object({ handle: fileRef.optional() }),
  /**
   * Reads a model file (TensorFlow.js model.json, Keras .keras/.h5, ONNX) into a new, unsaved document.
   * Without a handle, Electron shows the native dialog; the web host answers 'dialog-unavailable'.
   */
  'project.import': z.object({ handle: fileRef.optional() }),
  'project.save': z.object({ handle: fileRef, document: documentPayload, overwrite }),
  /** Always the native dialog (Electron); the web host saves with project.save and a typed path. */
  'project.saveAs': z.object({ document: documentPayload, suggestedName: z.string().max(255).optional() }),
  'project.recent': z.object({}),
  /** `handle`: the file the document was opened from or saved to, so that recovery restores it. */
  'recovery.write': z.object({ document: documentPayload, handle: fileRef.optional() }),
  'recovery.read': z.object({}),
  'recovery.clear': z.object({}),
  'graph.summary': z.object({ document: documentPayload }),
  'training.start': z.object({
    document: documentPayload,
    dataset: z.string().min(1).max(4200).optional(),
    limit: z.number().int().positive().max(10_000_000).optional(),
    engine: z.enum(enginePreferences).optional(),
    epochs: z.number().int().positive().max(100_000).optional(),
    batchSize: z.number().int().positive().max(65_536).optional(),
    // The rest of the document's training settings may be overridden per run, with the same limits.
    optimizer: trainingSettingsSchema.shape.optimizer.unwrap().optional(),
    learningRate: trainingSettingsSchema.shape.learningRate.unwrap().optional(),
    loss: trainingSettingsSchema.shape.loss.unwrap().optional(),
    validationSplit: trainingSettingsSchema.shape.validationSplit.unwrap().optional(),
    shuffle: z.boolean().optional(),
    seed: trainingSettingsSchema.shape.seed.unwrap().optional(),
    imageSize: z.tuple([z.number().int().min(1).max(4096), z.number().int().min(1).max(4096), z.number().int().min(1).max(4)]).optional(),
    /** Teaching lab: the run's name, start paused, measure gradient norms (default true). */
    name: z.string().max(200).optional(),
    startPaused: z.boolean().optional(),
    instrument: z.boolean().optional(),
  }),
  'training.pause': z.object({ runId: z.string().min(1).max(100) }),
  'training.resume': z.object({ runId: z.string().min(1).max(100) }),
  /** Only while paused: trains exactly one batch and emits its 'batch' event (with gradient norms). */
  'training.step': z.object({ runId: z.string().min(1).max(100) }),
  /** Frees a finished run's model kept for the lab calls. */
  'training.dispose': z.object({ runId: z.string().min(1).max(100) }),
  'lab.samples': z.object({ runId: z.string().min(1).max(100), count: z.number().int().positive().max(1000).optional() }),
  'lab.activations': z.object({ runId: z.string().min(1).max(100), sampleIndex: z.number().int().min(0).max(10_000_000) }),
  'lab.filters': z.object({ runId: z.string().min(1).max(100), nodeId: z.string().min(1).max(200), layer: z.string().min(1).max(300).optional() }),
  'lab.landscape': z.object({
    runId: z.string().min(1).max(100),
    grid: z.number().int().min(3).max(51).optional(),
    span: z.number().positive().max(10).optional(),
    batch: z.number().int().positive().max(4096).optional(),
  }),
  'lab.cancel': z.object({ taskId: z.string().min(1).max(100) }),
  'training.stop': z.object({ runId: z.string().min(1).max(100) }),
  'training.evaluate': z.object({ runId: z.string().min(1).max(100) }),
  'model.save': z.object({ runId: z.string().min(1).max(100), handle: fileRef.optional(), overwrite }),
  'export.code': z.object({ document: documentPayload, target: z.enum(['ts', 'pytorch', 'keras']) }),
  'export.save': z.object({ document: documentPayload, target: z.enum(exportTargets), handle: fileRef.optional(), runId: z.string().max(100).optional(), overwrite }),
  /** Electron shows a native picker; the web host needs `handle` (the path the user typed). */
  'dataset.pick': z.object({ kind: z.enum(['idx', 'cifar10', 'csv', 'folder']), handle: fileRef.optional() }),
  'dataset.builtin': z.object({}),
  /** The renderer reports unsaved changes (for the close prompt) and the document's name (for the window title). */
  'app.documentState': z.object({ dirty: z.boolean(), title: z.string().max(300).optional() }),
} as const;

export type CallName = keyof typeof callSchemas;

export interface HostInfo {
  host: 'electron' | 'web';
  appVersion: string;
  platform: string;
  /** Native open/save dialogs exist (Electron); otherwise the renderer asks for a path itself. */
  nativeDialogs: boolean;
  /** Every training engine: whether its package is installed here, and if not, how to get it. */
  engines?: EngineAvailability[];
}

export interface EngineAvailability {
  name: EngineName;
  present: boolean;
  /** When absent: what to install (a sentence for a tooltip or a line under the list). */
  missing?: string;
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
}

export interface OpenedProject {
  /** Absent or 'project'; an ImportedProject says 'import'. */
  kind?: 'project';
  /** What later calls pass to save it again. */
  handle: string;
  /** What to show: the path the user picked. */
  path: string;
  document: NetweaveDocument;
  warnings: Diagnostic[];
}

/** A model read into a document (project.import, or a model file picked in Open's dialog). */
export interface ImportedProject {
  kind: 'import';
  /** What to show: the model file read. */
  path: string;
  format: 'tfjs-layers' | 'keras' | 'keras-h5' | 'onnx';
  /**
   * Laid out, not saved. Its `weights.path` (when the model had weights) is a reference main issued
   * for the imported weights: training starts from them, and saving copies them beside the project.
   */
  document: NetweaveDocument;
  /** Every layer that could not be mapped (on its placeholder node), weights left out, shared layers. */
  diagnostics: { code: string; severity: 'error' | 'warning'; message: string; nodeId?: string }[];
}

export interface SummaryResult {
  nodes: { id: string; kind: string; outputShape: (number | null)[] | null; params: { trainable: number; nonTrainable: number } }[];
  totals: { trainable: number; nonTrainable: number; total: number };
  diagnostics: { code: string; severity: string; message: string; nodeId?: string; edgeId?: string }[];
}

export interface CallResults {
  'host.info': HostInfo;
  'templates.list': TemplateInfo[];
  'project.fromTemplate': NetweaveDocument;
  /** null when the user cancelled the dialog. */
  'project.open': OpenedProject | ImportedProject | null;
  /** null when the user cancelled the dialog. */
  'project.import': ImportedProject | null;
  'project.save': { handle: string; path: string };
  'project.saveAs': { handle: string; path: string } | null;
  /** Handles (Electron) or workspace paths (web host), newest first; each re-checked by main. */
  'project.recent': string[];
  'recovery.write': { path: string };
  /** `file`: where the recovered document was saved before (a fresh handle and the path to show). */
  'recovery.read': { document: NetweaveDocument; savedAt: string; file?: { handle: string; path: string } } | null;
  'recovery.clear': Record<string, never>;
  'graph.summary': SummaryResult;
  'training.start': { runId: string };
  'training.pause': { paused: boolean };
  'training.resume': { resumed: boolean };
  'training.step': { epoch: number; batch: number; loss: number };
  'training.dispose': Record<string, never>;
  'lab.samples': LabSamples;
  'lab.activations': LabActivations;
  'lab.filters': LabFilters;
  'lab.landscape': { taskId: string };
  'lab.cancel': { cancelled: boolean };
  'training.stop': { stopped: boolean };
  'training.evaluate': Evaluation;
  'model.save': { dir: string; files: string[] } | null;
  'export.code': { code: string; fileName: string; language: 'typescript' | 'python' };
  'export.save': { path: string } | null;
  'dataset.pick': { ref: string } | null;
  'dataset.builtin': { ref: string; name: string; description: string }[];
  'app.documentState': Record<string, never>;
}

export type CallInput<N extends CallName> = z.input<(typeof callSchemas)[N]>;

/** Events from main to the renderer. */
export interface EventPayloads {
  'training.event': TrainingEvent;
  /** Teaching-lab tasks (loss landscape) report here. */
  'lab.event': LabEvent;
  /** A menu command or accelerator handled by the renderer (see appCommands in ./channels). */
  'app.command': { command: AppCommand };
  /** A project to open (recent menu, second launch, file association): a handle and the path to show. */
  'app.openFile': { handle: string; path: string };
}

export type EventName = keyof EventPayloads;

/** What the renderer sees, whichever host serves it. */
export interface NetweaveApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallResults[N]>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** A payload after validation: defaults filled in, unknown keys dropped. */
export type CallPayload<N extends CallName> = z.output<(typeof callSchemas)[N]>;

/** One handler per call; a missing or mistyped handler is a type error. */
export type CallHandlers = { [N in CallName]: (input: CallPayload<N>) => Promise<Result<CallResults[N]>> };

export const callNames = Object.keys(callSchemas) as CallName[];
