import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appVersion, createDocument } from '../../graph-schema/document';
import type { NetweaveDocument } from '../../graph-schema/document';
import { exportCode } from '../../graph-schema/export/export-code';
import { getTemplate, templates } from '../../graph-schema/templates/index';
import type { CallHandlers, EventName, EventPayloads } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import { buildSummary } from '../cli/summary-command';
import { formatDatasetRef, listBuiltinDatasets } from '../datasets/index';
import { ExportFilesError, exportToFiles } from '../export/export-files';
import { dispatchCall } from './call-dispatch';
import type { HostDialogs } from './host-dialogs';
import { ProjectFileError, projectExtension, readProjectFile, writeProjectFile } from './project-files';
import { RecentFiles } from './recent-files';
import { RecoveryStore } from './recovery-store';
import type { TrainingPort } from './training-port';
import { unavailableTraining } from './training-port';

export interface AppServicesOptions {
  host: 'electron' | 'web';
  userDataDir: string;
  /** Native pickers (Electron); without them every call that needs a path must carry one. */
  dialogs?: HostDialogs;
  /** Delivers an event to the renderer(s). */
  emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
  training?: TrainingPort;
  onRecentChanged?: (files: string[]) => void;
  onDocumentState?: (state: { dirty: boolean; title?: string }) => void;
}

export interface AppServices {
  handlers: CallHandlers;
  /** Validates and runs one call; never throws. */
  call(name: unknown, input: unknown): Promise<Result<unknown>>;
  recent: RecentFiles;
  dispose(): Promise<void>;
}

const codeLanguage = { ts: 'typescript', pytorch: 'python', keras: 'python' } as const;

/** A project path always ends in .netweave, so that saving never overwrites some other kind of file. */
export function withProjectExtension(file: string): string {
  return file.toLowerCase().endsWith(projectExtension) ? file : `${file}${projectExtension}`;
}

function fileError<T>(error: unknown): Result<T> {
  if (error instanceof ProjectFileError || error instanceof ExportFilesError) return err(error.code, error.message);
  throw error;
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').trim();
  return cleaned.length > 0 ? cleaned.slice(0, 120) : 'Untitled';
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const { dialogs, emit } = options;
  const recent = new RecentFiles(options.userDataDir);
  const recovery = new RecoveryStore(options.userDataDir);
  const training = options.training ?? unavailableTraining('no training engine was loaded.');

  const noDialog = <T>(what: string): Result<T> =>
    err('dialog-unavailable', `This host has no file dialog: type the ${what} path and try again.`);

  /** A path from the request, else from the native dialog; null when the user cancelled. */
  async function choosePath(given: string | undefined, ask: ((d: HostDialogs) => Promise<string | null>) | undefined): Promise<string | null | undefined> {
    if (given !== undefined) return path.resolve(given);
    if (!dialogs || !ask) return undefined;
    const picked = await ask(dialogs);
    return picked === null ? null : path.resolve(picked);
  }

  async function remember(file: string): Promise<void> {
    try {
      const files = await recent.add(file);
      options.onRecentChanged?.(files);
    } catch {
      // The recent list is a convenience: failing to update it must not fail a save.
    }
  }

  async function saveTo(file: string, document: NetweaveDocument): Promise<Result<{ path: string }>> {
    try {
      await writeProjectFile(file, document);
    } catch (error) {
      return fileError(error);
    }
    await remember(file);
    return ok({ path: file });
  }

  const handlers: CallHandlers = {
    'host.info': async () =>
      ok({ host: options.host, appVersion, platform: process.platform, nativeDialogs: dialogs !== undefined }),

    'templates.list': async () => ok(templates.map((t) => ({ id: t.id, name: t.name, description: t.description }))),

    'project.fromTemplate': async ({ templateId }) => {
      const template = getTemplate(templateId);
      if (!template) {
        return err('template-unknown', `There is no template "${templateId}". Pick one of: ${templates.map((t) => t.id).join(', ')}.`);
      }
      const built = template.build();
      return ok(createDocument(built.graph, template.name, built.training));
    },

    'project.open': async ({ path: given }) => {
      const file = await choosePath(given, (d) => d.openProject());
      if (file === undefined) return noDialog('project');
      if (file === null) return ok(null);
      let loaded;
      try {
        loaded = await readProjectFile(file);
      } catch (error) {
        if (error instanceof ProjectFileError && error.code === 'file-not-found') {
          const files = await recent.remove(file).catch(() => undefined);
          if (files) options.onRecentChanged?.(files);
        }
        return fileError(error);
      }
      if (!loaded.ok) return err(loaded.error.code, `${file}: ${loaded.error.message}`);
      await remember(file);
      return ok({ path: file, document: loaded.document, warnings: loaded.warnings });
    },

    'project.save': async ({ path: given, document }) => saveTo(withProjectExtension(path.resolve(given)), document),

    'project.saveAs': async ({ document, suggestedName, path: given }) => {
      const suggestion = withProjectExtension(safeFileName(suggestedName ?? document.name));
      const file = await choosePath(given, (d) => d.saveProject(suggestion));
      if (file === undefined) return noDialog('project');
      if (file === null) return ok(null);
      return saveTo(withProjectExtension(file), document);
    },

    'project.recent': async () => ok(await recent.list()),

    'recovery.write': async ({ document }) => {
      try {
        return ok({ path: await recovery.write(document) });
      } catch (error) {
        return fileError(error);
      }
    },
    'recovery.read': async () => ok(await recovery.read()),
    'recovery.clear': async () => {
      await recovery.clear();
      return ok({});
    },

    'graph.summary': async ({ document }) => ok(buildSummary(document)),

    'training.start': async ({ document, dataset, limit, engine, epochs, batchSize }) =>
      training.start({ document, dataset, limit, engine, epochs, batchSize }, (event) => emit('training.event', event)),
    'training.stop': async ({ runId }) => training.stop(runId),
    'training.evaluate': async ({ runId }) => training.evaluate(runId),

    'model.save': async ({ runId, dir: given }) => {
      const dir = await choosePath(given, (d) => d.saveExport(`${runId}-model`, 'folder'));
      if (dir === undefined) return noDialog('folder');
      if (dir === null) return ok(null);
      return training.saveModel(runId, dir);
    },

    'export.code': async ({ document, target }) => {
      const result = exportCode(document, target);
      if (!result.ok) return err(result.error.code, result.error.message);
      return ok({ code: result.code, fileName: result.fileName, language: codeLanguage[target] });
    },

    'export.save': async ({ document, target, path: given, runId }) => {
      const suggested =
        target === 'tfjs-model' ? `${safeFileName(document.name)}-model` : (() => {
          const code = exportCode(document, target);
          return code.ok ? code.fileName : safeFileName(document.name);
        })();
      const output = await choosePath(given, (d) => d.saveExport(suggested, target === 'tfjs-model' ? 'folder' : 'file'));
      if (output === undefined) return noDialog('export');
      if (output === null) return ok(null);
      let weightsDir: string | undefined;
      if (runId !== undefined && runId !== '' && (target === 'tfjs-model' || target === 'pytorch')) {
        // The trained weights travel through a saved model in a temporary folder.
        weightsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netweave-weights-'));
        const saved = await training.saveModel(runId, weightsDir);
        if (!saved.ok) {
          await fs.rm(weightsDir, { recursive: true, force: true });
          return saved;
        }
      }
      try {
        await exportToFiles({ document, target, output, ...(weightsDir ? { weightsDir } : {}) });
        return ok({ path: output });
      } catch (error) {
        return fileError(error);
      } finally {
        if (weightsDir) await fs.rm(weightsDir, { recursive: true, force: true });
      }
    },

    'dataset.pick': async ({ kind, path: given }) => {
      const picked = await choosePath(given, (d) => d.pickDataset(kind));
      if (picked === undefined) return noDialog(kind === 'csv' ? 'CSV file' : 'data set folder');
      if (picked === null) return ok(null);
      const stat = await fs.stat(picked).catch(() => undefined);
      const wantsFile = kind === 'csv';
      if (!stat || (wantsFile ? !stat.isFile() : !stat.isDirectory())) {
        return err('dataset-not-found', `${picked} is not ${wantsFile ? 'a CSV file' : 'a folder'}. Pick the ${wantsFile ? 'file' : 'folder'} that holds the data set.`);
      }
      return ok({ ref: formatDatasetRef({ kind, path: picked }) });
    },

    'dataset.builtin': async () => ok(await listBuiltinDatasets()),

    'app.documentState': async ({ dirty, title }) => {
      options.onDocumentState?.({ dirty, ...(title !== undefined ? { title } : {}) });
      return ok({});
    },
  };

  return {
    handlers,
    recent,
    call: (name, input) => dispatchCall(handlers, name, input),
    dispose: () => training.dispose(),
  };
}
