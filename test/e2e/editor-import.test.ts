import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFromTemplate } from '../../main/cli/resolve-graph-source';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadModelFiles, saveModelFiles } from '../../main/export/tfjs-model-files';
import { useWasm } from '../engine/engine-test-utils';
import type { EditorSession } from './editor-support';
import { editorSkipReason, openEditorSession, openTemplate, textOf, waitUntil } from './editor-support';

// Import in the app (web host, Chromium): a TensorFlow.js model → the graph with its totals → a run that starts from its weights.

if (editorSkipReason) console.log(editorSkipReason);

const state = <T>(page: Page, read: string) => page.evaluate(`((s) => ${read})(window.netweaveEditor.store.getState())`) as Promise<T>;

/** Every weight array of a model, by layer name. */
function weightsByLayer(model: tf.LayersModel): Map<string, Float32Array[]> {
  return new Map(model.layers.filter((l) => l.getWeights().length > 0).map((l) => [l.name, l.getWeights().map((w) => w.dataSync() as Float32Array)]));
}

function maxDifference(a: Map<string, Float32Array[]>, b: Map<string, Float32Array[]>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let worst = 0;
  for (const [name, arrays] of a) {
    const other = b.get(name)!;
    expect(other.length, name).toBe(arrays.length);
    arrays.forEach((values, i) => {
      expect(other[i]!.length, `${name}[${i}]`).toBe(values.length);
      for (let k = 0; k < values.length; k++) worst = Math.max(worst, Math.abs(values[k]! - other[i]![k]!));
    });
  }
  return worst;
}

describe.skipIf(!!editorSkipReason)('editor: import a model, see its graph, train from its weights', () => {
  let s: EditorSession;
  // The host's workspace: model files are typed as paths inside it, as the web host requires.
  let root: string;
  let modelDir: string;
  let fixture: tf.LayersModel;
  let seededDefault: tf.LayersModel;

  beforeAll(async () => {
    mkdirSync(path.join(process.cwd(), '.tmp'), { recursive: true });
    root = mkdtempSync(path.join(process.cwd(), '.tmp', 'editor-import-'));
    await useWasm();
    // The template as TensorFlow.js saves it, with weights of another seed than the app's default:
    // a run that started from seeded weights instead of the imported ones would show.
    const document = documentFromTemplate('mlp-mnist')!;
    fixture = compileGraph(document.graph, { seed: 4242 }).model;
    seededDefault = compileGraph(document.graph, { seed: document.training.seed }).model;
    modelDir = path.join(root, 'mlp-model');
    await saveModelFiles(fixture, modelDir);
    s = await openEditorSession(undefined, { root });
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    rmSync(root, { recursive: true, force: true });
    expect(s?.pageErrors ?? []).toEqual([]);
  });

  it('Import model… reads model.json into an unsaved project with the right parameter total', async () => {
    await openTemplate(s, 'lenet5');
    await s.page.getByTestId('toolbar-import').click();
    await s.page.getByTestId('path-input').fill(path.join(modelDir, 'model.json'));
    await s.page.getByTestId('path-confirm').click();
    await waitUntil(() => s.page.getByTestId('status-total').getAttribute('data-count'), (v) => v === String(fixture.countParams()), 'imported total');
    expect(fixture.countParams()).toBe(101_770);
    const ids = await state<string[]>(s.page, 's.document.graph.nodes.map((n) => n.id)');
    expect(ids.sort()).toEqual(fixture.layers.map((l) => l.name).sort());
    for (const id of ids) await s.page.getByTestId(`node-${id}`).waitFor();
    // Unsaved, its weights named by a reference main issued (not a path the page could choose).
    expect(await textOf(s.page, 'doc-path')).toBe('not saved');
    expect(await state<string>(s.page, 's.document.weights.path')).toMatch(/^nww-[0-9a-f]{24}$/);
    expect(await s.page.getByTestId('status-diagnostics').getAttribute('data-errors')).toBe('0');
  });

  it('trains one tiny epoch from the imported weights', async () => {
    // A learning rate this small leaves every weight within 1e-5 of where the run started.
    await s.page.evaluate(() =>
      window.netweaveEditor!.store.getState().edit('tiny steps', (d) => {
        d.training.optimizer = 'sgd';
        d.training.learningRate = 1e-9;
        d.training.epochs = 1;
        d.training.batchSize = 50;
      }),
    );
    await s.page.getByTestId('tab-training').click();
    await s.page.getByTestId('training-limit').fill('200');
    await s.page.getByTestId('training-start').click();
    await waitUntil(() => s.page.getByTestId('training-status').getAttribute('data-status'), (v) => v === 'finished' || v === 'error', 'training finished', 180_000);
    if (await s.page.getByTestId('training-error').count()) throw new Error(await textOf(s.page, 'training-error'));
    const saved = path.join(root, 'trained');
    await s.page.getByTestId('training-save-model').click();
    await s.page.getByTestId('path-input').fill(saved);
    await s.page.getByTestId('path-confirm').click();
    // Both files: the folder is written file by file.
    await waitUntil(async () => existsSync(path.join(saved, 'weights.bin')) && existsSync(path.join(saved, 'model.json')), (v) => v, 'saved model');
    const trained = weightsByLayer(await loadModelFiles(saved));
    expect(maxDifference(trained, weightsByLayer(fixture))).toBeLessThan(1e-5);
    // And not the seeded weights a project without imported weights starts from.
    expect(maxDifference(trained, weightsByLayer(seededDefault))).toBeGreaterThan(0.05);
  }, 240_000);

  it('saving writes the weights beside the project; Open of a model path imports it, after the unsaved-changes prompt', async () => {
    const file = path.join(root, 'imported.netweave');
    await s.page.getByTestId('toolbar-save-as').click();
    await s.page.getByTestId('path-input').fill(file);
    await s.page.getByTestId('path-confirm').click();
    await waitUntil(async () => existsSync(file), (v) => v, 'saved project');
    const written = JSON.parse(readFileSync(file, 'utf8')) as { weights?: { path: string } };
    expect(written.weights?.path).toBe('imported.weights');
    expect(existsSync(path.join(root, 'imported.weights', 'weights.json'))).toBe(true);

    // Dirty again: Open asks about the unsaved changes first, then the model.json typed is imported.
    await s.page.evaluate(() => window.netweaveEditor!.store.getState().edit('rename', (d) => void (d.name = 'changed')));
    await s.page.getByTestId('toolbar-open').click();
    await s.page.getByTestId('confirm-dialog').waitFor();
    await s.page.getByTestId('confirm-ok').click();
    await s.page.getByTestId('path-input').fill(path.join(modelDir, 'model.json'));
    await s.page.getByTestId('path-confirm').click();
    await waitUntil(() => state<string>(s.page, 's.document.name'), (v) => v !== 'changed', 'imported again');
    expect(await state<number>(s.page, 's.document.graph.nodes.length')).toBe(fixture.layers.length);

    // The saved project opens with its weights folder beside it, again as a reference.
    // The import is unsaved work: asked about again.
    await s.page.getByTestId('toolbar-open').click();
    await s.page.getByTestId('confirm-dialog').waitFor();
    await s.page.getByTestId('confirm-ok').click();
    await s.page.getByTestId('path-input').fill(file);
    await s.page.getByTestId('path-confirm').click();
    await waitUntil(() => textOf(s.page, 'doc-path'), (v) => v.includes('imported.netweave'), 'opened project');
    expect(await state<string>(s.page, 's.document.weights.path')).toMatch(/^nww-[0-9a-f]{24}$/);
  }, 120_000);
});
