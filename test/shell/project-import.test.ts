import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, CallResults, ImportedProject } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { ok } from '../../shared/result';
import type { TrainRequest } from '../../shared/training-types';
import { documentFromTemplate } from '../../main/cli/resolve-graph-source';
import { compileGraph } from '../../main/compile/compile-graph';
import { saveModelFiles } from '../../main/export/tfjs-model-files';
import { readNodeWeights } from '../../main/import/weights-store';
import { createAppServices } from '../../main/services/app-services';
import { createRootAccess } from '../../main/services/file-access';
import type { HostDialogs } from '../../main/services/host-dialogs';
import { unavailableTraining } from '../../main/services/training-port';
import { useWasm } from '../engine/engine-test-utils';
import { useTempDirs } from './temp-dirs';

/** project.import in the app services: the staged weights, what training is given, what saving writes, what is refused. */

const tempDir = useTempDirs();
let modelJson: string;
let expected: Map<string, number[][]>;
let modelRoot: string;
afterAll(() => rmSync(modelRoot, { recursive: true, force: true }));

beforeAll(async () => {
  await useWasm();
  const model = compileGraph(documentFromTemplate('mlp-xor')!.graph, { seed: 99 }).model;
  // Kept for the whole file (tempDir's folders go after each test).
  modelRoot = mkdtempSync(path.join(os.tmpdir(), 'netweave-model-'));
  const dir = path.join(modelRoot, 'xor-model');
  await saveModelFiles(model, dir);
  modelJson = path.join(dir, 'model.json');
  expected = new Map(model.layers.filter((l) => l.getWeights().length > 0).map((l) => [l.name, l.getWeights().map((w) => Array.from(w.dataSync()))]));
});

function make(host: 'electron' | 'web', dialogs?: HostDialogs) {
  const started: TrainRequest[] = [];
  const training = { ...unavailableTraining('not in this test'), start: async (request: TrainRequest) => (started.push(request), ok({ runId: `run-${started.length}` })) };
  const root = realpathSync(os.tmpdir());
  const services = createAppServices({
    host,
    userDataDir: tempDir('netweave-user-'),
    emit: () => undefined,
    training,
    ...(dialogs ? { dialogs } : {}),
    ...(host === 'web' ? { access: createRootAccess(root) } : {}),
  });
  const call = async <N extends CallName>(name: N, input: unknown): Promise<CallResults[N]> => {
    const result = (await services.call(name, input)) as Result<CallResults[N]>;
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  const failure = async (name: CallName, input: unknown) => {
    const result = await services.call(name, input);
    if (result.ok) throw new Error(`${name} unexpectedly succeeded`);
    return result.error;
  };
  return { call, failure, started };
}

async function expectWeightsOf(dir: string | undefined): Promise<void> {
  expect(dir).toBeDefined();
  const stored = await readNodeWeights(dir!);
  expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, arrays] of expected) {
    const got = stored.get(id)!.map((a) => Array.from(a.values));
    expect(got, id).toEqual(arrays);
  }
}

describe('project.import', () => {
  it('Electron: the dialog pick is imported, training gets the staged weights, saving puts them beside the project', async () => {
    const dir = tempDir();
    let pick: string | null = modelJson;
    const dialogs: HostDialogs = {
      openProject: async () => pick,
      openModel: async () => pick,
      saveProject: async () => path.join(dir, 'xor.netweave'),
      pickDataset: async () => null,
      saveExport: async () => null,
    };
    const { call, failure, started } = make('electron', dialogs);
    const imported = (await call('project.import', {}))!;
    expect(imported).toMatchObject({ kind: 'import', format: 'tfjs-layers', path: modelJson, diagnostics: [] });
    expect(imported.document.weights?.path).toMatch(/^nww-[0-9a-f]{24}$/);
    expect(imported.document.graph.nodes.map((n) => n.id).sort()).toEqual(expect.arrayContaining([...expected.keys()].sort()));

    await call('training.start', { document: imported.document, dataset: 'xor' });
    await expectWeightsOf(started[0]!.weightsDir);
    expect(started[0]!.weightsDir!.startsWith(dir)).toBe(false);

    // A weights path main did not issue is refused, whatever it names.
    for (const forged of [started[0]!.weightsDir!, 'xor.weights', 'nww-000000000000000000000000']) {
      const error = await failure('training.start', { document: { ...imported.document, weights: { format: 'netweave.weights', path: forged } }, dataset: 'xor' });
      expect(error.code, forged).toBe('weights-unavailable');
    }

    const saved = (await call('project.saveAs', { document: imported.document }))!;
    const file = path.join(dir, 'xor.netweave');
    expect(saved.path).toBe(file);
    expect(JSON.parse(readFileSync(file, 'utf8')).weights).toEqual({ format: 'netweave.weights', path: 'xor.weights' });
    await expectWeightsOf(path.join(dir, 'xor.weights'));

    // Reopened: the folder beside it, by reference again, is what training reads.
    pick = file;
    const opened = (await call('project.open', {}))!;
    expect(opened.kind).not.toBe('import');
    expect(opened.document.weights?.path).toMatch(/^nww-/);
    await call('training.start', { document: opened.document, dataset: 'xor' });
    expect(started[1]!.weightsDir).toBe(path.join(dir, 'xor.weights'));

    // A model file picked in Open's dialog is imported.
    pick = modelJson;
    expect(((await call('project.open', {})) as ImportedProject).kind).toBe('import');
    pick = null;
    expect(await call('project.import', {})).toBeNull();
  });

  it('does not replace a folder beside the project that Netweave did not write', async () => {
    const dir = tempDir();
    const { call, failure } = make('web');
    const imported = (await call('project.import', { handle: modelJson }))!;
    mkdirSync(path.join(dir, 'mine.weights'));
    writeFileSync(path.join(dir, 'mine.weights', 'notes.txt'), 'keep me');
    const error = await failure('project.save', { handle: path.join(dir, 'mine.netweave'), document: imported.document });
    expect(error.code).toBe('file-unwritable');
    expect(readFileSync(path.join(dir, 'mine.weights', 'notes.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(path.join(dir, 'mine.weights', 'weights.json'))).toBe(false);
  });

  it('web host: needs a typed path inside the root; errors come back as values', async () => {
    const { failure } = make('web');
    expect((await failure('project.import', {})).code).toBe('dialog-unavailable');
    expect((await failure('project.import', { handle: '/etc/hostname' })).code).toBe('access-refused');
    const notModel = path.join(tempDir(), 'notes.txt');
    writeFileSync(notModel, 'hello');
    expect((await failure('project.import', { handle: notModel })).code).toBe('import-format-unknown');
    const broken = path.join(tempDir(), 'model.json');
    writeFileSync(broken, '{ not json');
    expect((await failure('project.import', { handle: broken })).code).toMatch(/^import-/);
  });
});
