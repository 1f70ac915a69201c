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
import { formatDatasetRef, listBuiltinDatasets, parseDatasetRef } from '../datasets/index';
import { DatasetError } from '../datasets/dataset-error';
import { ExportFilesError, exportToFiles, torchWeightsPathFor } from '../export/export-files';
import { torchDataFileFor } from '../export/torch-weights-file';
import { cleanStaleTemp } from './atomic-write';
import type { AccessKind, FileAccess } from './file-access';
import { createHandleAccess } from './file-access';
import type { WrittenKind } from './overwrite-guard';
import { checkOverwrites } from './overwrite-guard';
import { dispatchCall } from './call-dispatch';
import type { HostDialogs } from './host-dialogs';
import { ProjectFileError, projectExtension, readProjectFile, writeProjectFile } from './project-files';
import { RecentFiles } from './recent-files';
import { ImportedWeights } from './imported-weights';
import { importIntoDocument, isModelFile } from './project-import';
import { RecoveryStore } from './recovery-store';
import { listEngines } from '../engine/engine-presence';
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
  /** What the page may name (Electron: handles; web host: paths under the workspace root). Default: handles. */
  access?: FileAccess;
  onRecentChanged?: (files: string[]) => void;
  onDocumentState?: (state: { dirty: boolean; title?: string }) => void;
}

export interface AppServices {
  handlers: CallHandlers;
  /** Validates and runs one call; never throws. */
  call(name: unknown, input: unknown): Promise<Result<unknown>>;
  recent: RecentFiles;
  access: FileAccess;
  /** A project main was given (recent menu, command line, file association), checked: what the page may open; null if it is not a file. */
  projectRef(file: string): Promise<{ handle: string; path: string } | null>;
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

  const access = options.access ?? createHandleAccess();
  // Data sets picked in the native dialog: the only ones a run may read in Electron (kept across launches).
  const grants = new RecentFiles(options.userDataDir, 'dataset-grants.json', 50);
  // Imported weights: staged under the user-data folder until the project is saved beside them.
  const weights = new ImportedWeights(path.join(options.userDataDir, 'imports'));

  /**
   * The file a call names: its reference resolved and checked, else what the user picks in the
   * native dialog; null when the user cancelled, undefined when there is neither.
   */
  async function target(
    given: string | undefined,
    kind: AccessKind,
    intent: 'read' | 'write',
    ask: ((d: HostDialogs) => Promise<string | null>) | undefined,
  ): Promise<Result<{ path: string; overwriteConfirmed: boolean } | null> | undefined> {
    if (given !== undefined) return access.resolve(given, kind, intent);
    if (!dialogs || !ask) return undefined;
    const picked = await ask(dialogs);
    // A save dialog asks before replacing a file; an open dialog only shows what exists.
    return ok(picked === null ? null : { path: path.resolve(picked), overwriteConfirmed: intent === 'write' && kind !== 'export-folder' });
  }

  /** What the page holds for a file main has just read or written. */
  const project = (file: string): { handle: string; path: string } => {
    const handle = access.grant(file, 'project', access.mode === 'handles');
    return { handle, path: access.mode === 'handles' ? file : handle };
  };

  async function mayReplace(targets: [string, WrittenKind][], confirmed: boolean): Promise<Result<true>> {
    return confirmed ? ok(true) : checkOverwrites(targets);
  }

  async function remember(file: string): Promise<void> {
    try {
      const files = await recent.add(file);
      options.onRecentChanged?.(files);
    } catch {
      // The recent list is a convenience: failing to update it must not fail a save.
    }
  }

  async function saveTo(file: string, document: NetweaveDocument, confirmed: boolean): Promise<Result<{ handle: string; path: string }>> {
    const allowed = await mayReplace([[file, 'project']], confirmed);
    if (!allowed.ok) return allowed;
    try {
      await writeProjectFile(file, await weights.forFile(file, document));
    } catch (error) {
      return fileError(error);
    }
    await remember(file);
    return ok(project(file));
  }

  /** Recent projects that still exist (and, in the web host, lie inside the workspace root). */
  async function recentRefs(): Promise<string[]> {
    const refs: string[] = [];
    for (const file of await recent.list()) {
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile()) continue;
      if (access.mode === 'root') {
        const ref = access.grant(file, 'project');
        const resolved = await access.resolve(ref, 'project', 'read');
        if (!resolved.ok || resolved.value.path !== file) continue;
        refs.push(ref);
      } else refs.push(access.grant(file, 'project', true));
    }
    return refs;
  }

  /** The data set of a run, checked: a file or folder the user picked (Electron) or one inside the root (web). */
  async function checkedDataset(ref: string): Promise<Result<string>> {
    const parsed = parseDatasetRef(ref);
    if (parsed instanceof DatasetError) return err(parsed.code, parsed.message);
    if (parsed.kind === 'mnist' || parsed.kind === 'xor') return ok(ref);
    // The built-in data sets the app lists itself (Fashion-MNIST of the system package) are always allowed.
    if ((await listBuiltinDatasets()).some((b) => b.ref === ref.trim())) return ok(ref);
    const kind: AccessKind = parsed.kind === 'csv' ? 'dataset-file' : 'dataset-folder';
    if (access.mode === 'root') {
      const resolved = await access.resolve(parsed.path, kind, 'read');
      if (!resolved.ok) return resolved;
      return ok(formatDatasetRef({ ...parsed, path: resolved.value.path }));
    }
    const real = await fs.realpath(parsed.path).catch(() => undefined);
    if (real === undefined || !(await grants.list()).includes(real)) {
      return err('dataset-not-picked', 'This data set was not picked in Netweave on this computer: choose it with From files… in the training panel, then start again.');
    }
    return ok(formatDatasetRef({ ...parsed, path: real }));
  }

  const handlers: CallHandlers = {
    'host.info': async () =>
      ok({ host: options.host, appVersion, platform: process.platform, nativeDialogs: dialogs !== undefined, engines: listEngines() }),

    'templates.list': async () => ok(templates.map((t) => ({ id: t.id, name: t.name, description: t.description }))),

    'project.fromTemplate': async ({ templateId }) => {
      const template = getTemplate(templateId);
      if (!template) {
        return err('template-unknown', `There is no template "${templateId}". Pick one of: ${templates.map((t) => t.id).join(', ')}.`);
      }
      const built = template.build();
      return ok(createDocument(built.graph, template.name, built.training));
    },

    'project.open': async ({ handle }) => {
      const chosen = await target(handle, 'project', 'read', (d) => d.openProject());
      if (chosen === undefined) return noDialog('project');
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return ok(null);
      const file = chosen.value.path;
      // A model file picked in the dialog is imported (a handle of another kind never gets here).
      if (handle === undefined && isModelFile(file)) return importIntoDocument(file, file, weights);
      await cleanStaleTemp(file);
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
      if (!loaded.ok) return err(loaded.error.code, `${project(file).path}: ${loaded.error.message}`);
      await remember(file);
      return ok({ ...project(file), document: await weights.forPage(file, loaded.document), warnings: loaded.warnings });
    },

    'project.import': async ({ handle }) => {
      const chosen = await target(handle, 'model-file', 'read', dialogs?.openModel ? (d) => d.openModel!() : undefined);
      if (chosen === undefined) return noDialog('model file');
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return ok(null);
      return importIntoDocument(chosen.value.path, access.mode === 'handles' ? chosen.value.path : (handle ?? chosen.value.path), weights);
    },

    'project.save': async ({ handle, document, overwrite }) => {
      if (access.mode === 'root') {
        // Typed paths: the extension is added before the check, so the check sees the file written.
        const resolved = await access.resolve(withProjectExtension(handle), 'project', 'write');
        if (!resolved.ok) return resolved;
        return saveTo(resolved.value.path, document, overwrite === true);
      }
      const resolved = await access.resolve(handle, 'project', 'write');
      if (!resolved.ok) return resolved;
      return saveTo(resolved.value.path, document, overwrite === true || resolved.value.overwriteConfirmed);
    },

    'project.saveAs': async ({ document, suggestedName }) => {
      const suggestion = withProjectExtension(safeFileName(suggestedName ?? document.name));
      const chosen = await target(undefined, 'project', 'write', (d) => d.saveProject(suggestion));
      if (chosen === undefined) return noDialog('project');
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return ok(null);
      const file = withProjectExtension(chosen.value.path);
      // The dialog confirmed replacing the file it showed; with the extension added, that is another file.
      return saveTo(file, document, chosen.value.overwriteConfirmed && file === chosen.value.path);
    },

    'project.recent': async () => ok(await recentRefs()),

    'recovery.write': async ({ document, handle }) => {
      // The document's own file, checked like a save to it would be; a reference that no longer resolves is left out.
      const savedAs = handle === undefined ? undefined : await access.resolve(handle, 'project', 'write');
      try {
        return ok({ path: await recovery.write(document, new Date(), savedAs?.ok ? savedAs.value.path : undefined) });
      } catch (error) {
        return fileError(error);
      }
    },
    'recovery.read': async () => {
      const found = await recovery.read();
      if (!found) return ok(null);
      const { file, ...rest } = found;
      // A new session: the file gets a fresh reference (handles do not outlive the process), if it may still be named.
      const allowed = file === undefined ? undefined : await access.resolve(access.grant(file, 'project', access.mode === 'handles'), 'project', 'write');
      return ok(file !== undefined && allowed?.ok ? { ...rest, file: project(file) } : rest);
    },
    'recovery.clear': async () => {
      await recovery.clear();
      return ok({});
    },

    'graph.summary': async ({ document }) => ok(buildSummary(document)),

    'training.start': async (request) => {
      const checked = await checkedDataset(request.dataset ?? request.document.training.dataset);
      if (!checked.ok) return checked;
      // An imported project starts from its weights: only a folder main itself issued a reference for.
      let weightsDir: string | undefined;
      if (request.document.weights) {
        weightsDir = await weights.folderOf(request.document.weights.path);
        if (!weightsDir) {
          return err(
            'weights-unavailable',
            `The imported weights of “${request.document.name}” (${request.document.weights.path}) are not available: open the saved project again (its weights folder must be beside it), or import the model again.`,
          );
        }
      }
      // The whole validated payload goes to the run: a field the contract accepts is never dropped here.
      return training.start({ ...request, dataset: checked.value, keepModel: true, ...(weightsDir ? { weightsDir } : {}) }, (event) => emit('training.event', event));
    },
    'training.stop': async ({ runId }) => training.stop(runId),
    'training.pause': async ({ runId }) => training.pause(runId),
    'training.resume': async ({ runId }) => training.resume(runId),
    'training.step': async ({ runId }) => training.step(runId),
    'training.dispose': async ({ runId }) => training.disposeRun(runId),
    'lab.samples': async ({ runId, count }) => training.labSamples(runId, count),
    'lab.activations': async ({ runId, sampleIndex }) => training.labActivations(runId, sampleIndex),
    'lab.filters': async ({ runId, nodeId, layer }) => training.labFilters(runId, nodeId, layer),
    'lab.landscape': async ({ runId, grid, span, batch }) =>
      training.landscape(runId, { grid, span, batch }, (event) => emit('lab.event', event)),
    'lab.cancel': async ({ taskId }) => training.cancelTask(taskId),
    'training.evaluate': async ({ runId }) => training.evaluate(runId),

    'model.save': async ({ runId, handle, overwrite }) => {
      const chosen = await target(handle, 'export-folder', 'write', (d) => d.saveExport(`${runId}-model`, 'folder'));
      if (chosen === undefined) return noDialog('folder');
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return ok(null);
      const dir = chosen.value.path;
      const allowed = await mayReplace([[dir, 'model-folder']], overwrite === true || chosen.value.overwriteConfirmed);
      if (!allowed.ok) return allowed;
      const saved = await training.saveModel(runId, dir);
      return saved.ok ? ok({ dir: access.mode === 'handles' ? saved.value.dir : access.grant(saved.value.dir, 'export-folder'), files: saved.value.files.map((f) => path.basename(f)) }) : saved;
    },

    'export.code': async ({ document, target: codeTarget }) => {
      const result = exportCode(document, codeTarget);
      if (!result.ok) return err(result.error.code, result.error.message);
      return ok({ code: result.code, fileName: result.fileName, language: codeLanguage[codeTarget] });
    },

    'export.save': async ({ document, target: exportTarget, handle, runId, overwrite }) => {
      const asFolder = exportTarget === 'tfjs-model';
      const suggested = asFolder
        ? `${safeFileName(document.name)}-model`
        : exportTarget === 'onnx'
          ? `${safeFileName(document.name)}.onnx`
          : (() => {
            const code = exportCode(document, exportTarget);
            return code.ok ? code.fileName : safeFileName(document.name);
          })();
      const chosen = await target(handle, asFolder ? 'export-folder' : 'export-file', 'write', (d) => d.saveExport(suggested, asFolder ? 'folder' : 'file'));
      if (chosen === undefined) return noDialog('export');
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return ok(null);
      const output = chosen.value.path;
      const withWeights = runId !== undefined && runId !== '' && (exportTarget === 'tfjs-model' || exportTarget === 'pytorch' || exportTarget === 'onnx');
      const replaced: [string, WrittenKind][] = asFolder
        ? [[output, 'model-folder']]
        : [[output, 'code'], ...(withWeights && exportTarget === 'pytorch' ? ([[torchWeightsPathFor(output), 'torch-weights']] as [string, WrittenKind][]) : [])];
      // The weights' data file is replaced only along with a manifest we wrote.
      const dataFile = withWeights && exportTarget === 'pytorch' ? torchDataFileFor(torchWeightsPathFor(output)) : undefined;
      const confirmed = overwrite === true || chosen.value.overwriteConfirmed;
      let allowed = await mayReplace(replaced, confirmed);
      if (allowed.ok && dataFile && !confirmed && (await fs.lstat(dataFile).catch(() => undefined)) && !(await fs.lstat(torchWeightsPathFor(output)).catch(() => undefined))) {
        allowed = err('overwrite-refused', `${dataFile} already exists and is not a weights file that Netweave wrote; nothing was written. Choose another name, or confirm that it may be replaced.`);
      }
      if (!allowed.ok) return allowed;
      let weightsDir: string | undefined;
      if (withWeights) {
        // The trained weights travel through a saved model in a temporary folder.
        weightsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netweave-weights-'));
        const saved = await training.saveModel(runId, weightsDir);
        if (!saved.ok) {
          await fs.rm(weightsDir, { recursive: true, force: true });
          return saved;
        }
      }
      try {
        await exportToFiles({ document, target: exportTarget, output, ...(weightsDir ? { weightsDir } : {}) });
        return ok({ path: access.mode === 'handles' ? output : access.grant(output, 'export-file') });
      } catch (error) {
        return fileError(error);
      } finally {
        if (weightsDir) await fs.rm(weightsDir, { recursive: true, force: true });
      }
    },

    'dataset.pick': async ({ kind, handle }) => {
      const wantsFile = kind === 'csv';
      const chosen = await target(handle, wantsFile ? 'dataset-file' : 'dataset-folder', 'read', (d) => d.pickDataset(kind));
      if (chosen === undefined) return noDialog(wantsFile ? 'CSV file' : 'data set folder');
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return ok(null);
      const picked = chosen.value.path;
      const stat = await fs.stat(picked).catch(() => undefined);
      if (!stat || (wantsFile ? !stat.isFile() : !stat.isDirectory())) {
        const shown = handle ?? picked;
        return err('dataset-not-found', `${shown} is not ${wantsFile ? 'a CSV file' : 'a folder'} that can be read. Pick the ${wantsFile ? 'file' : 'folder'} that holds the data set.`);
      }
      if (access.mode === 'handles') {
        const real = await fs.realpath(picked);
        await grants.add(real);
        return ok({ ref: formatDatasetRef({ kind, path: real }) });
      }
      return ok({ ref: formatDatasetRef({ kind, path: access.grant(picked, 'dataset-file') }) });
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
    access,
    projectRef: async (file) => {
      const absolute = path.resolve(file);
      const stat = await fs.stat(absolute).catch(() => undefined);
      if (!stat?.isFile()) return null;
      if (access.mode === 'root') {
        const resolved = await access.resolve(absolute, 'project', 'read');
        if (!resolved.ok) return null;
      }
      return project(absolute);
    },
    call: (name, input) => dispatchCall(handlers, name, input),
    dispose: () => training.dispose(),
  };
}
