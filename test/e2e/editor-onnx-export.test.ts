import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDir } from '../../main/training/model-io';
import type { EditorSession } from './editor-support';
import { editorSkipReason, openEditorSession, textOf, waitUntil } from './editor-support';

// The app's Export of a trained run as ONNX, in the real editor on the real web host: a tiny LeNet-5
// run, Export ▸ ONNX (trained weights), checked by Debian's onnx.checker and run in onnxruntime-node
// against the same run's saved TensorFlow.js model.

if (editorSkipReason) console.log(editorSkipReason);

const onnxChecker = '/usr/bin/python3';
const checkScript = path.join(__dirname, '..', 'export', 'onnx-check.py');

interface Checked {
  ok: boolean;
  error: string | null;
  ir: number;
  inputs: [string, (number | string)[]][];
  metadata: Record<string, string>;
}

function checkOnnx(file: string): Checked {
  const run = spawnSync(onnxChecker, [checkScript, file], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as Checked[])[0]!;
}

/** A fixed batch of 4 digit-like inputs (NHWC 28×28×1): the same for every model compared. */
const batch = Float32Array.from({ length: 4 * 28 * 28 }, (_, i) => ((i * 7919) % 997) / 997);

async function onnxPredict(file: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', batch, [4, 28, 28, 1]) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const largestDifference = (a: Float32Array, b: Float32Array) => a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);

describe.skipIf(!!editorSkipReason)('editor: ONNX export of a trained run; training on resized digits', () => {
  let s: EditorSession;
  let trainedFile: string;

  beforeAll(async () => {
    s = await openEditorSession();
    await s.page.getByTestId('toolbar-new').click();
    await s.page.getByTestId('template-lenet5').click();
    await s.page.getByTestId('node-conv1').waitFor();
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    expect(s?.pageErrors ?? []).toEqual([]);
  });

  it('offers ONNX with trained weights only once a run has finished', async () => {
    const { page } = s;
    await page.getByTestId('toolbar-export').click();
    expect(await page.getByTestId('export-onnx-trained').isDisabled()).toBe(true);
    expect(await page.getByTestId('export-onnx-initial').isEnabled()).toBe(true);
    await page.getByTestId('toolbar-export').click();
    expect(await page.getByTestId('export-onnx-trained').count()).toBe(0);

    await page.getByTestId('tab-training').click();
    await page.getByTestId('training-limit').fill('200');
    await page.getByTestId('training-epochs').fill('1');
    await page.getByTestId('training-batchSize').fill('32');
    await page.getByTestId('training-start').click();
    await waitUntil(() => page.getByTestId('training-status').getAttribute('data-status'), (v) => v === 'finished' || v === 'error', 'training finished', 180_000);
    const error = await page.getByTestId('training-error').count();
    expect(error ? await textOf(page, 'training-error') : 'no error').toBe('no error');
    expect(await textOf(page, 'training-data-line')).toBe('MNIST (10,000 digits): 180 train · 20 validation · 100 test');
  }, 240_000);

  it('exports the trained run from the Export menu: onnx.checker passes and onnxruntime predicts what the trained model does', async () => {
    const { page } = s;
    trainedFile = path.join(s.scratchDir, 'lenet-trained.onnx');
    await page.getByTestId('toolbar-export').click();
    const item = page.getByTestId('export-onnx-trained');
    // The list is painted on top, not clipped by the toolbar (which scrolls sideways in small windows).
    const painted = await item.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
    });
    expect(painted).toBe(true);
    expect(await item.isEnabled()).toBe(true);
    expect(await item.textContent()).toMatch(/trained weights of “.+”…/);
    await page.locator('.nw-menu-list').waitFor({ state: 'visible' });
    await page.screenshot({ path: 'test-results/editor-export-onnx-menu.png' });
    await item.click();
    await page.getByTestId('path-input').fill(trainedFile);
    await page.getByTestId('path-confirm').click();
    await waitUntil(async () => existsSync(trainedFile), (v) => v, 'trained ONNX file', 60_000);

    const checked = checkOnnx(trainedFile);
    expect(checked.error).toBeNull();
    expect(checked.ok).toBe(true);
    expect(checked.ir).toBe(8);
    expect(checked.inputs[0]![1].slice(1)).toEqual([28, 28, 1]);

    // The same run's model, saved the TensorFlow.js way from the training panel, is the reference.
    const modelDir = path.join(s.scratchDir, 'lenet-model');
    await page.getByTestId('training-save-model').click();
    await page.getByTestId('path-input').fill(modelDir);
    await page.getByTestId('path-confirm').click();
    await waitUntil(() => textOf(page, 'training-saved-model'), (t) => t.length > 0, 'saved model path', 60_000);
    const { model } = await loadModelFromDir(modelDir);
    const expected = tf.tidy(() => (model.predict(tf.tensor4d(batch, [4, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
    const trained = await onnxPredict(trainedFile);
    expect(trained).toHaveLength(40);
    expect(largestDifference(trained, expected)).toBeLessThanOrEqual(1e-4);

    // The initial-weights export is another model: the trained weights really are in the file.
    const initialFile = path.join(s.scratchDir, 'lenet-initial.onnx');
    await page.getByTestId('toolbar-export').click();
    await page.getByTestId('export-onnx-initial').click();
    await page.getByTestId('path-input').fill(initialFile);
    await page.getByTestId('path-confirm').click();
    await waitUntil(async () => existsSync(initialFile), (v) => v, 'initial ONNX file', 60_000);
    expect(checkOnnx(initialFile).ok).toBe(true);
    expect(largestDifference(await onnxPredict(initialFile), trained)).toBeGreaterThan(1e-3);
  }, 180_000);

  it('from the code view after an edit: asks first, then exports the graph as it was trained', async () => {
    const { page } = s;
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('node-fc1').click();
    await page.getByTestId('param-units').fill('100');
    await page.getByTestId('tab-code').click();
    const file = path.join(s.scratchDir, 'lenet-trained-again.onnx');
    await page.getByTestId('code-save-onnx-trained').click();
    await page.getByTestId('confirm-ok').waitFor();
    expect(await textOf(page, 'confirm-dialog')).toMatch(/changed since this training/);
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('path-input').fill(file);
    await page.getByTestId('path-confirm').click();
    await waitUntil(async () => existsSync(file), (v) => v, 'second trained ONNX file', 60_000);
    expect(checkOnnx(file).ok).toBe(true);
    // Same weights as the first export (fc1 still 120 units as trained), so the same predictions.
    expect(largestDifference(await onnxPredict(file), await onnxPredict(trainedFile))).toBeLessThanOrEqual(1e-6);
  }, 120_000);

  it('trains a 32×32×3 Input on the built-in 28×28×1 digits: resized, and the data line says so', async () => {
    const { page } = s;
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('node-input').click();
    await page.getByTestId('param-shape').fill('32, 32, 3');
    await waitUntil(() => page.getByTestId('node-conv1').textContent(), (t) => (t ?? '').includes('32×32×6'), 'conv1 takes the new input');
    await page.getByTestId('tab-training').click();
    await page.getByTestId('training-limit').fill('100');
    await page.getByTestId('training-start').click();
    await waitUntil(() => page.getByTestId('training-status').getAttribute('data-status'), (v) => v === 'finished' || v === 'error', 'training finished', 180_000);
    const error = await page.getByTestId('training-error').count();
    expect(error ? await textOf(page, 'training-error') : 'no error').toBe('no error');
    expect(await textOf(page, 'training-data-line')).toBe('MNIST (10,000 digits), resized 28×28×1 → 32×32×3: 90 train · 10 validation · 100 test');
    // The evaluation's sample images are the resized RGB digits.
    const size = await page.locator('[data-testid="sample-prediction"] canvas').first().evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect(size).toEqual([32, 32]);
    await page.screenshot({ path: 'test-results/editor-training-resized.png' });
  }, 240_000);
});
