import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditorSession } from './editor-support';
import { editorSkipReason, openEditorSession, textOf, waitUntil } from './editor-support';

// Training LeNet-5 from the training panel and exporting its code, in the real editor on the real host.

if (editorSkipReason) console.log(editorSkipReason);

describe.skipIf(!!editorSkipReason)('editor: training panel and code view', () => {
  let s: EditorSession;

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

  it('trains one short epoch with the charts moving, then shows the evaluation', async () => {
    const { page } = s;
    await page.getByTestId('tab-training').click();
    expect(await page.getByTestId('training-dataset').inputValue()).toBe('mnist');
    await page.getByTestId('training-limit').fill('800');
    await page.getByTestId('training-epochs').fill('1');
    await page.getByTestId('training-batchSize').fill('32');
    await page.getByTestId('training-start').click();
    // The per-batch chart grows while the run goes on.
    const points = await waitUntil(
      async () => Number(await page.getByTestId('chart-batch').getAttribute('data-points')),
      (n) => n > 0,
      'batch points',
      120_000,
    );
    expect(points).toBeGreaterThan(0);
    await waitUntil(() => page.getByTestId('training-status').getAttribute('data-status'), (v) => v === 'finished' || v === 'error', 'training finished', 180_000);
    const error = await page.getByTestId('training-error').count();
    expect(error ? await textOf(page, 'training-error') : 'no error').toBe('no error');
    expect(await page.getByTestId('training-status').getAttribute('data-status')).toBe('finished');
    expect(Number(await page.getByTestId('chart-epoch').getAttribute('data-points'))).toBe(1);
    expect(Number(await page.getByTestId('chart-batch').getAttribute('data-points'))).toBeGreaterThan(points - 1);
    expect(Number(await page.getByTestId('training-progress').getAttribute('data-fraction'))).toBe(1);
    expect(await textOf(page, 'training-engine')).toMatch(/engine: \w+/);
    expect(await textOf(page, 'training-speed')).toMatch(/\d/);
    // Evaluation: a 10×10 confusion matrix, ten class accuracies, sample digits drawn from their pixels.
    await page.getByTestId('training-evaluation').waitFor();
    expect(await page.locator('[data-testid="confusion-matrix"] tbody tr').count()).toBe(10);
    expect(await page.locator('[data-testid="per-class-accuracy"] .nw-class-bar').count()).toBe(10);
    const samples = page.locator('[data-testid="sample-prediction"] canvas');
    expect(await samples.count()).toBeGreaterThan(0);
    const inked = await samples.first().evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let bright = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 128) bright++;
      return { width: c.width, height: c.height, bright };
    });
    expect(inked.width).toBe(28);
    expect(inked.bright).toBeGreaterThan(20);
    // A tall window, so that the picture holds the charts, the matrix and the sample digits.
    await page.setViewportSize({ width: 1440, height: 1600 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/editor-training.png' });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('saves the trained model into a folder', async () => {
    const { page } = s;
    const dir = path.join(s.scratchDir, 'lenet-model');
    await page.getByTestId('training-save-model').click();
    await page.getByTestId('path-input').fill(dir);
    await page.getByTestId('path-confirm').click();
    await waitUntil(() => textOf(page, 'training-saved-model'), (t) => t.length > 0, 'saved model path', 60_000);
    expect(existsSync(path.join(dir, 'model.json'))).toBe(true);
    expect(readdirSync(dir).some((f) => f.endsWith('.bin'))).toBe(true);
  });

  it('shows the graph as TypeScript, PyTorch and Keras code, following edits', async () => {
    const { page } = s;
    await page.getByTestId('tab-code').click();
    const code = () => page.evaluate(() => window.netweaveEditor!.getCode());
    await page.getByTestId('code-target-ts').click();
    await waitUntil(code, (c) => c.includes("@tensorflow/tfjs"), 'TypeScript code');
    const lines = async () => ((await page.locator('[data-testid="code-editor"] .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(await lines()).toContain("import * as tf from '@tensorflow/tfjs'");
    await page.getByTestId('code-target-pytorch').click();
    await waitUntil(code, (c) => c.includes('import torch'), 'PyTorch code');
    expect(await code()).toMatch(/nn\.Conv2d\(1, 6, /);
    await page.getByTestId('code-target-keras').click();
    await waitUntil(code, (c) => c.includes('keras'), 'Keras code');
    // An edit on the canvas shows in the code shortly after.
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('node-fc1').click();
    await page.getByTestId('param-units').fill('100');
    await page.getByTestId('tab-code').click();
    await waitUntil(code, (c) => /units\W+100/.test(c) || /Dense\(100/.test(c), 'code after the edit');
    await page.getByTestId('code-target-pytorch').click();
    await waitUntil(code, (c) => /nn\.Linear\(400, 100/.test(c), 'PyTorch code after the edit');
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/editor-code-view.png' });
  });

  it('saves the code through the host', async () => {
    const { page } = s;
    const file = path.join(s.scratchDir, 'lenet.py');
    await page.getByTestId('code-save').click();
    await page.getByTestId('path-input').fill(file);
    await page.getByTestId('path-confirm').click();
    await waitUntil(async () => existsSync(file), (v) => v, 'code file', 15_000);
    const saved = readFileSync(file, 'utf8');
    expect(saved).toBe(await page.evaluate(() => window.netweaveEditor!.getCode()));
  });
});
