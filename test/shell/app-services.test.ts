import { mkdirSync, readFileSync, realpathSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templates } from '../../graph-schema/templates/index';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { CallName, CallResults, EventName, EventPayloads } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { ok } from '../../shared/result';
import type { AppServicesOptions } from '../../main/services/app-services';
import { createAppServices } from '../../main/services/app-services';
import { createRootAccess } from '../../main/services/file-access';
import type { HostDialogs } from '../../main/services/host-dialogs';
import type { TrainingPort } from '../../main/services/training-port';
import { unavailableTraining } from '../../main/services/training-port';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();
const tempRoot = realpathSync(os.tmpdir());
/** What the web host shows for a path below the root. */
const shown = (file: string): string => path.join(realpathSync(path.dirname(file)), path.basename(file));

function make(extra: Partial<AppServicesOptions> = {}) {
  const userDataDir = extra.userDataDir ?? tempDir('netweave-user-');
  const events: { event: EventName; payload: unknown }[] = [];
  // The web host's confinement, with the temp folder as workspace root: every test path lies below it.
  const access = extra.host === 'electron' ? undefined : createRootAccess(tempRoot);
  const services = createAppServices({ host: 'web', userDataDir, emit: (event, payload) => events.push({ event, payload }), ...(access ? { access } : {}), ...extra });
  async function call<N extends CallName>(name: N, input: unknown): Promise<CallResults[N]> {
    const result = (await services.call(name, input)) as Result<CallResults[N]>;
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  async function failure(name: CallName, input: unknown): Promise<{ code: string; message: string }> {
    const result = await services.call(name, input);
    if (result.ok) throw new Error(`${name} unexpectedly succeeded`);
    return result.error;
  }
  return { services, call, failure, events, userDataDir };
}

async function lenet(call: ReturnType<typeof make>['call']): Promise<NetweaveDocument> {
  return call('project.fromTemplate', { templateId: 'lenet5' });
}

describe('project files', () => {
  it('saves a template to disk and opens the same document again', async () => {
    const { call } = make();
    const document = await lenet(call);
    const file = path.join(tempDir(), 'net.netweave');
    expect(await call('project.save', { handle: file, document })).toEqual({ handle: shown(file), path: shown(file) });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'netweave.graph', name: document.name });
    const opened = await call('project.open', { handle: file });
    expect(opened!.path).toBe(shown(file));
    expect(opened!.document).toEqual(document);
  });

  it('adds the .netweave extension when a save path lacks it', async () => {
    const { call } = make();
    const base = path.join(tempDir(), 'no-extension');
    const saved = await call('project.save', { handle: base, document: await lenet(call) });
    expect(saved.path).toBe(shown(`${base}.netweave`));
    expect(existsSync(`${base}.netweave`)).toBe(true);
    expect(existsSync(base)).toBe(false);
  });

  it('reports a missing file and a file that is not a project as error values', async () => {
    const { failure } = make();
    const dir = tempDir();
    expect((await failure('project.open', { handle: path.join(dir, 'absent.netweave') })).code).toBe('file-not-found');
    writeFileSync(path.join(dir, 'other.netweave'), '{"hello": 1}');
    expect((await failure('project.open', { handle: path.join(dir, 'other.netweave') })).code).toBe('format-unknown');
    writeFileSync(path.join(dir, 'cut.netweave'), '{"format": "netweave.gr');
    expect((await failure('project.open', { handle: path.join(dir, 'cut.netweave') })).code).toBe('parse-error');
  });

  it('reports an unwritable target without leaving a temporary file', async () => {
    const { call, failure } = make();
    const dir = tempDir();
    const error = await failure('project.save', { handle: path.join(dir, 'missing-folder', 'x.netweave'), document: await lenet(call) });
    expect(error.code).toBe('file-unwritable');
    expect(existsSync(path.join(dir, 'missing-folder'))).toBe(false);
  });

  it('keeps recent files newest first, without duplicates, in a JSON file of the user data folder', async () => {
    const { call, userDataDir } = make();
    const dir = tempDir();
    const document = await lenet(call);
    const a = path.join(dir, 'a.netweave');
    const b = path.join(dir, 'b.netweave');
    await call('project.save', { handle: a, document });
    await call('project.save', { handle: b, document });
    await call('project.open', { handle: a });
    expect(await call('project.recent', {})).toEqual([shown(a), shown(b)]);
    // A later launch (a new services object on the same folder) sees the same list.
    const again = make({ userDataDir });
    expect(await again.call('project.recent', {})).toEqual([shown(a), shown(b)]);
    expect(JSON.parse(readFileSync(path.join(userDataDir, 'recent-files.json'), 'utf8')).files).toEqual([a, b].map(shown));
  });

  it('keeps at most ten recent files and forgets one that no longer opens', async () => {
    const { call, failure } = make();
    const dir = tempDir();
    const document = await lenet(call);
    for (let i = 0; i < 12; i++) await call('project.save', { handle: path.join(dir, `p${i}.netweave`), document });
    const recent = await call('project.recent', {});
    expect(recent).toHaveLength(10);
    expect(recent[0]).toBe(shown(path.join(dir, 'p11.netweave')));
    const gone = recent[0]!;
    const { rmSync } = await import('node:fs');
    rmSync(gone);
    expect((await failure('project.open', { handle: gone })).code).toBe('file-not-found');
    expect(await call('project.recent', {})).not.toContain(gone);
  });

  it('without native dialogs, asks for a path; with them, uses the chosen one and treats cancel as null', async () => {
    const web = make();
    const document = await lenet(web.call);
    expect((await web.failure('project.saveAs', { document })).code).toBe('dialog-unavailable');
    expect((await web.failure('project.open', {})).code).toBe('dialog-unavailable');
    expect((await web.failure('dataset.pick', { kind: 'idx' })).code).toBe('dialog-unavailable');

    const dir = tempDir();
    let answer: string | null = path.join(dir, 'picked');
    const suggestions: string[] = [];
    const dialogs: HostDialogs = {
      openProject: async () => answer,
      saveProject: async (suggested) => (suggestions.push(suggested), answer),
      pickDataset: async () => answer,
      saveExport: async () => answer,
    };
    const desktop = make({ host: 'electron', dialogs });
    expect((await desktop.call('host.info', {})).nativeDialogs).toBe(true);
    expect(await desktop.call('project.saveAs', { document })).toMatchObject({ handle: expect.stringMatching(/^nwh-/), path: path.join(dir, 'picked.netweave') });
    expect(suggestions).toEqual([`${document.name}.netweave`]);
    answer = path.join(dir, 'picked.netweave');
    expect((await desktop.call('project.open', {}))!.document).toEqual(document);
    answer = null;
    expect(await desktop.call('project.saveAs', { document })).toBeNull();
    expect(await desktop.call('project.open', {})).toBeNull();
  });
});

describe('recovery file', () => {
  it('writes, reads back and clears the autosaved document', async () => {
    const { call, userDataDir } = make();
    expect(await call('recovery.read', {})).toBeNull();
    const document = await lenet(call);
    const written = await call('recovery.write', { document });
    expect(written.path.startsWith(userDataDir)).toBe(true);
    const read = await call('recovery.read', {});
    expect(read!.document).toEqual(document);
    expect(Date.now() - Date.parse(read!.savedAt)).toBeLessThan(60_000);
    await call('recovery.clear', {});
    expect(await call('recovery.read', {})).toBeNull();
    expect(existsSync(written.path)).toBe(false);
  });

  it('reads a damaged recovery file as none', async () => {
    const { call } = make();
    const { path: file } = await call('recovery.write', { document: await lenet(call) });
    writeFileSync(file, '{"savedAt": "2024-01-01", "document": {"format": 1');
    expect(await call('recovery.read', {})).toBeNull();
  });
});

describe('graph services', () => {
  it('lists every built-in template and builds each by id', async () => {
    const { call, failure } = make();
    const list = await call('templates.list', {});
    expect(list.map((t) => t.id)).toEqual(templates.map((t) => t.id));
    for (const t of list) expect(t.name.length).toBeGreaterThan(0);
    expect((await call('project.fromTemplate', { templateId: 'mlp-xor' })).graph.nodes.length).toBeGreaterThan(1);
    expect((await failure('project.fromTemplate', { templateId: 'nope' })).code).toBe('template-unknown');
  });

  it('summarises LeNet-5 with its published 61,706 parameters', async () => {
    const { call } = make();
    const summary = await call('graph.summary', { document: await lenet(call) });
    expect(summary.totals.total).toBe(61_706);
    expect(summary.nodes[0]!.outputShape).toEqual([null, 28, 28, 1]);
    expect(summary.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('exports code per target with its language, and writes an export to a file', async () => {
    const { call } = make();
    const document = await lenet(call);
    const ts = await call('export.code', { document, target: 'ts' });
    expect(ts.language).toBe('typescript');
    expect(ts.fileName).toMatch(/\.ts$/);
    expect(ts.code).toContain("from '@tensorflow/tfjs'");
    const py = await call('export.code', { document, target: 'pytorch' });
    expect(py.language).toBe('python');
    expect(py.code).toContain('import torch');
    const out = path.join(tempDir(), 'lenet.py');
    expect(await call('export.save', { document, target: 'keras', handle: out })).toEqual({ path: shown(out) });
    expect(readFileSync(out, 'utf8')).toContain('keras');
  });

  it('lists the built-in data sets and turns a picked path into a data set reference', async () => {
    const { call, failure } = make();
    const builtin = await call('dataset.builtin', {});
    expect(builtin.map((d) => d.ref)).toEqual(expect.arrayContaining(['mnist', 'xor']));
    const dir = tempDir();
    expect(await call('dataset.pick', { kind: 'idx', handle: dir })).toEqual({ ref: `idx:${shown(dir)}` });
    mkdirSync(path.join(dir, 'cats'));
    expect((await failure('dataset.pick', { kind: 'csv', handle: dir })).code).toBe('dataset-not-found');
    expect((await failure('dataset.pick', { kind: 'folder', handle: path.join(dir, 'absent') })).code).toBe('dataset-not-found');
  });

  it('passes the document state to the host', async () => {
    const states: unknown[] = [];
    const { call } = make({ onDocumentState: (s) => states.push(s) });
    await call('app.documentState', { dirty: true, title: 'LeNet' });
    await call('app.documentState', { dirty: false });
    expect(states).toEqual([{ dirty: true, title: 'LeNet' }, { dirty: false }]);
  });
});

describe('training calls', () => {
  it('forwards training events to the renderer as training.event and routes stop, evaluate and save', async () => {
    const seen: string[] = [];
    const training: TrainingPort = {
      ...unavailableTraining('the lab calls are not scripted here'),
      start: async (request, onEvent) => {
        seen.push(`start ${request.dataset} ${request.epochs}`);
        onEvent({ type: 'error', runId: 'r1', code: 'training-failed', message: 'y' });
        return ok({ runId: 'r1' });
      },
      stop: async (runId) => (seen.push(`stop ${runId}`), ok({ stopped: true })),
      evaluate: async (runId) => (seen.push(`evaluate ${runId}`), ok({ loss: 1, accuracy: 0.5, classNames: [], confusion: [], perClassAccuracy: [], samples: [], count: 0 })),
      saveModel: async (runId, dir) => (seen.push(`save ${runId} ${dir}`), ok({ dir, files: [] })),
      dispose: async () => undefined,
    };
    const { call, events } = make({ training });
    const document = await lenet(call);
    expect(await call('training.start', { document, dataset: 'xor', epochs: 1 })).toEqual({ runId: 'r1' });
    expect(events).toEqual([{ event: 'training.event', payload: { type: 'error', runId: 'r1', code: 'training-failed', message: 'y' } }]);
    await call('training.stop', { runId: 'r1' });
    await call('training.evaluate', { runId: 'r1' });
    const dir = tempDir();
    await call('model.save', { runId: 'r1', handle: dir });
    expect(seen).toEqual(['start xor 1', 'stop r1', 'evaluate r1', `save r1 ${dir}`]);
  });

  it('says training is unavailable when no engine was given', async () => {
    const { call, failure } = make();
    expect((await failure('training.start', { document: await lenet(call) })).code).toBe('training-unavailable');
  });
});

export type { EventPayloads };
