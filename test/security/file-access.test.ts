import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { CallName } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { ok } from '../../shared/result';
import type { AppServicesOptions } from '../../main/services/app-services';
import { createAppServices } from '../../main/services/app-services';
import { createRootAccess } from '../../main/services/file-access';
import type { HostDialogs } from '../../main/services/host-dialogs';
import type { TrainingPort } from '../../main/services/training-port';
import { useTempDirs } from '../shell/temp-dirs';

const tempDir = useTempDirs();
const secret = 'TOP-SECRET-CONTENTS-42';

/** A training engine that records what it was asked to read, and writes a model folder like the real one. */
function recordingTraining(seen: string[]): TrainingPort {
  return {
    start: async (request: { dataset?: string }) => (seen.push(`start ${request.dataset}`), ok({ runId: 'r1' })),
    stop: async () => ok({ stopped: true }),
    evaluate: async () => ok({ loss: 0, accuracy: 0, classNames: [], confusion: [], perClassAccuracy: [], samples: [], count: 0 }),
    saveModel: async (_runId: string, dir: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'model.json'), '{"format":"layers-model"}');
      seen.push(`save ${dir}`);
      return ok({ dir, files: [path.join(dir, 'model.json')] });
    },
    dispose: async () => undefined,
  } as unknown as TrainingPort;
}

function make(extra: Partial<AppServicesOptions>) {
  const services = createAppServices({ host: 'web', userDataDir: tempDir('netweave-user-'), emit: () => undefined, ...extra });
  const call = async (name: CallName, input: unknown): Promise<Result<unknown>> => services.call(name, input);
  const value = async <T>(name: CallName, input: unknown): Promise<T> => {
    const result = await call(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  return { services, call, value };
}

async function document(value: ReturnType<typeof make>['value']): Promise<NetweaveDocument> {
  return value<NetweaveDocument>('project.fromTemplate', { templateId: 'lenet5' });
}

function codeOf(result: Result<unknown>): string {
  return result.ok ? 'ok' : result.error.code;
}

describe('web host: every path stays inside the workspace root', () => {
  function workspace() {
    const root = realpathSync(tempDir('netweave-root-'));
    const outside = realpathSync(tempDir('netweave-outside-'));
    writeFileSync(path.join(outside, 'secret.netweave'), secret);
    writeFileSync(path.join(outside, 'data.csv'), `a,label\n${secret},1\n`);
    mkdirSync(path.join(outside, 'images'));
    // Links that point out of the root: a file, a folder, and a link to a file that does not exist yet.
    symlinkSync(path.join(outside, 'secret.netweave'), path.join(root, 'link.netweave'));
    symlinkSync(outside, path.join(root, 'out'));
    symlinkSync(path.join(outside, 'new.netweave'), path.join(root, 'dangling.netweave'));
    const seen: string[] = [];
    const app = make({ access: createRootAccess(root), training: recordingTraining(seen) });
    return { root, outside, seen, ...app };
  }

  it('refuses project.open outside the root: absolute, "..", and through symlinks, without quoting the file', async () => {
    const { call, outside } = workspace();
    for (const handle of [path.join(outside, 'secret.netweave'), '../' + path.basename(outside) + '/secret.netweave', 'link.netweave', 'out/secret.netweave', '/etc/passwd']) {
      const result = await call('project.open', { handle });
      expect(codeOf(result), handle).toBe('access-refused');
      expect(JSON.stringify(result)).not.toContain(secret);
    }
  });

  it('refuses every write outside the root (project.save, export.save, model.save), even through a dangling link', async () => {
    const { call, value, outside, seen } = workspace();
    const doc = await document(value);
    for (const handle of [path.join(outside, 'x.netweave'), 'out/x.netweave', 'dangling.netweave', '../x.netweave']) {
      expect(codeOf(await call('project.save', { handle, document: doc })), handle).toBe('access-refused');
    }
    expect(codeOf(await call('export.save', { document: doc, target: 'keras', handle: 'out/net.py' }))).toBe('access-refused');
    expect(codeOf(await call('export.save', { document: doc, target: 'tfjs-model', handle: path.join(outside, 'm') }))).toBe('access-refused');
    expect(codeOf(await call('model.save', { runId: 'r1', handle: 'out/model' }))).toBe('access-refused');
    expect(seen).toEqual([]);
    expect(existsSync(path.join(outside, 'x.netweave'))).toBe(false);
    expect(existsSync(path.join(outside, 'new.netweave'))).toBe(false);
    expect(existsSync(path.join(outside, 'net.py'))).toBe(false);
  });

  it('refuses data sets outside the root, in dataset.pick and in training.start (never revealing whether they exist)', async () => {
    const { call, value, outside, seen } = workspace();
    const doc = await document(value);
    const there = await call('dataset.pick', { kind: 'csv', handle: path.join(outside, 'data.csv') });
    const absent = await call('dataset.pick', { kind: 'csv', handle: path.join(outside, 'absent.csv') });
    expect(codeOf(there)).toBe('access-refused');
    expect(codeOf(absent)).toBe('access-refused');
    expect(codeOf(await call('dataset.pick', { kind: 'folder', handle: 'out/images' }))).toBe('access-refused');
    for (const dataset of [`csv:${path.join(outside, 'data.csv')}`, 'csv:out/data.csv', 'folder:../', `idx:${outside}`]) {
      const result = await call('training.start', { document: doc, dataset });
      expect(codeOf(result), dataset).toBe('access-refused');
      expect(JSON.stringify(result)).not.toContain(secret);
    }
    // The document's own data set is checked too.
    expect(codeOf(await call('training.start', { document: { ...doc, training: { ...doc.training, dataset: `csv:${outside}/data.csv` } } }))).toBe('access-refused');
    expect(seen).toEqual([]);
  });

  it('works inside the root, with paths relative to it, and hands the engine the resolved path', async () => {
    const { call, value, root, seen } = workspace();
    const doc = await document(value);
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub', 'd.csv'), 'a,label\n1,0\n2,1\n');
    const saved = path.join(root, 'sub', 'p.netweave');
    expect(await value('project.save', { handle: 'sub/p', document: doc })).toEqual({ handle: saved, path: saved });
    expect(codeOf(await call('project.open', { handle: path.join(root, 'sub', 'p.netweave') }))).toBe('ok');
    expect(await value('dataset.pick', { kind: 'csv', handle: 'sub/d.csv' })).toEqual({ ref: `csv:${path.join(root, 'sub', 'd.csv')}` });
    expect(codeOf(await call('training.start', { document: doc, dataset: 'csv:sub/d.csv' }))).toBe('ok');
    expect(codeOf(await call('training.start', { document: doc, dataset: 'xor' }))).toBe('ok');
    // The built-in data sets the host lists are allowed wherever they live.
    for (const builtin of await value<{ ref: string }[]>('dataset.builtin', {})) expect(codeOf(await call('training.start', { document: doc, dataset: builtin.ref })), builtin.ref).toBe('ok');
    seen.splice(2);
    expect(seen).toEqual([`start csv:${path.join(root, 'sub', 'd.csv')}`, 'start xor']);
    expect(await value('project.recent', {})).toEqual([saved]);
  });
});

describe('Electron: the page holds handles, never paths', () => {
  function desktop() {
    const dir = realpathSync(tempDir());
    let answer: string | null = null;
    const dialogs: HostDialogs = {
      openProject: async () => answer,
      saveProject: async () => answer,
      pickDataset: async () => answer,
      saveExport: async () => answer,
    };
    const seen: string[] = [];
    const app = make({ host: 'electron', dialogs, training: recordingTraining(seen) });
    return { dir, seen, pick: (file: string | null) => (answer = file), ...app };
  }

  it('refuses paths and forged handles in every call that names a file', async () => {
    const { call, value, dir, seen } = desktop();
    const doc = await document(value);
    writeFileSync(path.join(dir, 'other.txt'), secret);
    for (const [name, input] of [
      ['project.open', { handle: path.join(dir, 'other.txt') }],
      ['project.open', { handle: 'nwh-00000000000000000000000000000000' }],
      ['project.save', { handle: path.join(dir, 'x.netweave'), document: doc }],
      ['export.save', { document: doc, target: 'keras', handle: path.join(dir, 'other.txt') }],
      ['model.save', { runId: 'r1', handle: dir }],
      ['dataset.pick', { kind: 'csv', handle: path.join(dir, 'other.txt') }],
    ] as const) {
      const result = await call(name, input);
      expect(codeOf(result), name).toBe('handle-unknown');
      expect(JSON.stringify(result)).not.toContain(secret);
    }
    expect(readFileSync(path.join(dir, 'other.txt'), 'utf8')).toBe(secret);
    expect(existsSync(path.join(dir, 'x.netweave'))).toBe(false);
    expect(seen).toEqual([]);
  });

  it('a dialog pick gives a handle that saves and reopens the file; handles are bound to their purpose', async () => {
    const { call, value, dir, pick } = desktop();
    const doc = await document(value);
    pick(path.join(dir, 'net.netweave'));
    const saved = await value<{ handle: string; path: string }>('project.saveAs', { document: doc });
    expect(saved.handle).toMatch(/^nwh-[0-9a-f]{32}$/);
    expect(saved.path).toBe(path.join(dir, 'net.netweave'));
    expect(codeOf(await call('project.save', { handle: saved.handle, document: doc }))).toBe('ok');
    expect(codeOf(await call('project.open', { handle: saved.handle }))).toBe('ok');
    // A project handle cannot be used to export code over the project.
    expect(codeOf(await call('export.save', { document: doc, target: 'keras', handle: saved.handle }))).toBe('access-refused');
    // Recent files come back as handles that open; never as paths.
    const recent = await value<string[]>('project.recent', {});
    expect(recent).toEqual([expect.stringMatching(/^nwh-/)]);
    expect(codeOf(await call('project.open', { handle: recent[0] }))).toBe('ok');
  });

  it('trains only on data sets the user picked in the dialog', async () => {
    const { call, value, dir, pick, seen, services } = desktop();
    const doc = await document(value);
    writeFileSync(path.join(dir, 'd.csv'), 'a,label\n1,0\n2,1\n');
    writeFileSync(path.join(dir, 'foreign.csv'), `a,label\n${secret},0\n`);
    expect(codeOf(await call('training.start', { document: doc, dataset: `csv:${path.join(dir, 'foreign.csv')}` }))).toBe('dataset-not-picked');
    pick(path.join(dir, 'd.csv'));
    const picked = await value<{ ref: string }>('dataset.pick', { kind: 'csv' });
    expect(picked.ref).toBe(`csv:${path.join(dir, 'd.csv')}`);
    expect(codeOf(await call('training.start', { document: doc, dataset: picked.ref }))).toBe('ok');
    // A symlink to a picked file is the picked file; the grant survives a restart (same user data).
    expect(seen).toEqual([`start csv:${path.join(dir, 'd.csv')}`]);
    expect(await services.projectRef(path.join(dir, 'absent.netweave'))).toBeNull();
  });
});

describe('writes replace only what Netweave wrote', () => {
  it('refuses to replace an unrelated file unless the call confirms it, and never quotes it', async () => {
    const root = realpathSync(tempDir('netweave-root-'));
    const { call, value } = make({ access: createRootAccess(root), training: recordingTraining([]) });
    const doc = await document(value);
    writeFileSync(path.join(root, 'notes.netweave'), secret);
    writeFileSync(path.join(root, 'notes.txt'), secret);
    mkdirSync(path.join(root, 'model'));
    writeFileSync(path.join(root, 'model', 'model.json'), secret);

    for (const [name, input] of [
      ['project.save', { handle: 'notes.netweave', document: doc }],
      ['export.save', { document: doc, target: 'keras', handle: 'notes.txt' }],
      ['model.save', { runId: 'r1', handle: 'model' }],
      ['export.save', { document: doc, target: 'tfjs-model', handle: 'model' }],
    ] as const) {
      const refused = await call(name, input);
      expect(codeOf(refused), name).toBe('overwrite-refused');
      expect(JSON.stringify(refused)).not.toContain(secret);
    }
    expect(readFileSync(path.join(root, 'notes.netweave'), 'utf8')).toBe(secret);
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe(secret);
    expect(readFileSync(path.join(root, 'model', 'model.json'), 'utf8')).toBe(secret);

    // Confirmed: replaced. Then our own files are replaced without asking.
    expect(codeOf(await call('project.save', { handle: 'notes.netweave', document: doc, overwrite: true }))).toBe('ok');
    expect(codeOf(await call('project.save', { handle: 'notes.netweave', document: doc }))).toBe('ok');
    expect(codeOf(await call('export.save', { document: doc, target: 'keras', handle: 'notes.txt', overwrite: true }))).toBe('ok');
    expect(codeOf(await call('export.save', { document: doc, target: 'keras', handle: 'notes.txt' }))).toBe('ok');
    expect(codeOf(await call('model.save', { runId: 'r1', handle: 'model', overwrite: true }))).toBe('ok');
    expect(codeOf(await call('model.save', { runId: 'r1', handle: 'model' }))).toBe('ok');
  });

  it('a project that does not parse is answered without its contents', async () => {
    const root = realpathSync(tempDir('netweave-root-'));
    const { call } = make({ access: createRootAccess(root) });
    writeFileSync(path.join(root, 'bad.netweave'), `${secret} {`);
    const result = await call('project.open', { handle: 'bad.netweave' });
    expect(codeOf(result)).toBe('parse-error');
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
