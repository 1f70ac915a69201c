import { z } from 'zod';
import { documentSchema, trainingSettingsSchema } from '../graph-schema/document';
import type { NetweaveDocument } from '../graph-schema/document';
import type { Diagnostic } from '../graph-schema/diagnostics';
import type { Result } from './result';
import type { Evaluation, TrainingEvent } from './training-types';
import type { AppCommand } from './channels';

/**
 * The one contract between the renderer and main. Every call takes plain data
 * and resolves to a Result; main re-validates each payload with these schemas.
 * The Electron preload and the web host expose exactly this.
 */

const path = z.string().min(1).max(4096);
const documentPayload = documentSchema;

export const exportTargets = ['ts', 'pytorch', 'keras', 'tfjs-model'] as const;
export type ExportTarget = (typeof exportTargets)[number];

export const callSchemas = {
  'host.info': z.object({}),
  'templates.list': z.object({}),
  'project.fromTemplate': z.object({ templateId: z.string().min(1).max(100) }),
  /** Without a path, Electron shows the native dialog; the web host answers 'dialog-unavailable'. */
  'project.open': z.object({ path: path.optional() }),
  'project.save': z.object({ path, document: documentPayload }),
  'project.saveAs': z.object({ document: documentPayload, suggestedName: z.string().max(255).optional(), path: path.optional() }),
  'project.recent': z.object({}),
  'recovery.write': z.object({ document: documentPayload }),
  'recovery.read': z.object({}),
  'recovery.clear': z.object({}),
  'graph.summary': z.object({ document: documentPayload }),
  'training.start': z.object({
    document: documentPayload,
    dataset: z.string().min(1).max(4200).optional(),
    limit: z.number().int().positive().max(10_000_000).optional(),
    engine: z.enum(['auto', 'tensorflow', 'tensorflow-gpu', 'wasm', 'cpu']).optional(),
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
    fromModelDir: path.optional(),
  }),
  'training.stop': z.object({ runId: z.string().min(1).max(100) }),
  'training.evaluate': z.object({ runId: z.string().min(1).max(100) }),
  'model.save': z.object({ runId: z.string().min(1).max(100), dir: path.optional() }),
  'export.code': z.object({ document: documentPayload, target: z.enum(['ts', 'pytorch', 'keras']) }),
  'export.save': z.object({ document: documentPayload, target: z.enum(exportTargets), path: path.optional(), runId: z.string().max(100).optional() }),
  /** Electron shows a native picker; the web host needs `path` (what the user typed). */
  'dataset.pick': z.object({ kind: z.enum(['idx', 'cifar10', 'csv', 'folder']), path: path.optional() }),
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
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
}

export interface OpenedProject {
  path: string;
  document: NetweaveDocument;
  warnings: Diagnostic[];
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
  'project.open': OpenedProject | null;
  'project.save': { path: string };
  'project.saveAs': { path: string } | null;
  'project.recent': string[];
  'recovery.write': { path: string };
  'recovery.read': { document: NetweaveDocument; savedAt: string } | null;
  'recovery.clear': Record<string, never>;
  'graph.summary': SummaryResult;
  'training.start': { runId: string };
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
  /** A menu command or accelerator handled by the renderer (see appCommands in ./channels). */
  'app.command': { command: AppCommand };
  /** A project path to open (second launch, file association). */
  'app.openFile': { path: string };
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
