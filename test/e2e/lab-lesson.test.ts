import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { editorSkipReason, sharedEditorSession, waitUntil } from './editor-support';

// The teaching lab in the real editor on the real web host: the skip-connection lesson end to end, tiny runs.

if (editorSkipReason) console.log(editorSkipReason);

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/lab-${name}.png` });

/** Run records of the page's store: name → status. */
function runStatuses(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const s = window.netweaveEditor!.runs!.getState();
    // An error shows with its code and message, so that a failure says why.
    return Object.fromEntries(s.order.map((id) => { const r = s.runs[id]!; return [r.name, r.error ? `${r.status}: ${r.error.code} ${r.error.message}` : r.status]; }));
  });
}

/** Clicks the edge a quarter of the way from its source handle to its target handle (clear of its shape label). */
async function clickEdge(page: Page, edgeId: string, from: string, to: string): Promise<void> {
  const a = (await page.getByTestId(`handle-out-${from}`).boundingBox())!;
  const b = (await page.getByTestId(`handle-in-${to}`).boundingBox())!;
  await page.mouse.click(a.x + a.width / 2 + (b.x - a.x) * 0.25, a.y + a.height / 2 + (b.y - a.y) * 0.25);
  await waitUntil(() => page.evaluate((id) => [...window.netweaveEditor!.store.getState().selectedEdges].includes(id), edgeId), (v) => v, `edge ${edgeId} selected`);
}

describe.skipIf(!!editorSkipReason)('teaching lab: why skip connections matter', () => {
  const shared = sharedEditorSession('lab-lesson-');

  it('opens the twins side by side from the lesson', async () => {
    const { page } = shared.session();
    await page.getByTestId('tab-lab').click();
    await page.getByTestId('lab-view-lesson').click();
    await page.getByTestId('lesson-open-twins').click();
    await page.getByTestId('twin-pane').waitFor();
    const canvasSkips = await page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.nodes.filter((n) => n.kind === 'Add').length);
    expect(canvasSkips).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('twin-diagram').getAttribute('data-skips'))).toBe(0);
    expect(Number(await page.getByTestId('twin-diagram').getAttribute('data-layers'))).toBeGreaterThan(10);
    await shot(page, '1-twins');
  }, 120_000);

  it('trains both with the same seed and overlays their curves and norms', async () => {
    const { page } = shared.session();
    await page.getByTestId('lesson-next').click();
    await page.getByTestId('lesson-limit').fill('600');
    await page.getByTestId('lesson-epochs').fill('1');
    await page.getByTestId('lesson-train-both').click();
    const done = await waitUntil(() => runStatuses(page), (r) => Object.keys(r).length === 2 && Object.values(r).every((v) => v === 'finished' || v.startsWith('error') || v === 'stopped'), 'both runs finished', 240_000);
    expect(done).toEqual({ plain: 'finished', residual: 'finished' });
    expect(Object.keys(done).sort()).toEqual(['plain', 'residual']);
    // Same seed for both.
    const seeds = await page.evaluate(() => {
      const st = window.netweaveEditor!.runs!.getState();
      return st.order.map((id) => st.runs[id]!.seed);
    });
    expect(new Set(seeds).size).toBe(1);
    await page.getByTestId('lesson-next').click();
    await waitUntil(() => page.getByTestId('compare-batch-loss').getAttribute('data-lines'), (v) => v === '2', 'two loss curves on one chart');
    expect(await page.getByTestId('compare-epoch-accuracy').getAttribute('data-lines')).not.toBe('0');
    expect(await page.locator('[data-testid="compare-row"]').count()).toBe(2);
    // Both curves share one uPlot chart: one canvas, two series in its legend.
    expect(await page.locator('[data-testid="compare-batch-loss"] canvas').count()).toBe(1);
    expect(await page.locator('[data-testid="compare-batch-loss"] .u-legend .u-series').count()).toBe(2);
    await shot(page, '2-compare');
    await page.getByTestId('lesson-next').click();
    await waitUntil(() => page.getByTestId('gradient-norms').getAttribute('data-runs'), (v) => v === '2', 'norms of both runs by depth');
    const firstLayer = await page.evaluate(() => {
      const st = window.netweaveEditor!.runs!.getState();
      return Object.fromEntries(
        st.order.map((id) => {
          const r = st.runs[id]!;
          const last = r.gradients.epochs[r.gradients.epochs.length - 1]!;
          return [r.name, last.norms.reduce((a, b) => (b.depth < a.depth ? b : a)).weightNorm];
        }),
      );
    });
    expect(firstLayer.plain).toBeGreaterThan(0);
    expect(firstLayer.residual).toBeGreaterThan(firstLayer.plain!);
    await shot(page, '3-gradient-norms');
  }, 300_000);

  it('shows what an edge carries for a chosen test digit', async () => {
    const { page } = shared.session();
    await page.getByTestId('lesson-next').click();
    await page.getByTestId('lesson-pick-edge').click();
    await page.getByTestId('edge-activations').waitFor({ timeout: 60_000 });
    const options = page.locator('[data-testid="sample-option"]');
    expect(await options.count()).toBeGreaterThan(3);
    await options.nth(3).click();
    const index = await options.nth(3).getAttribute('data-index');
    await waitUntil(() => page.getByTestId('sample-probabilities').getAttribute('data-index'), (v) => v === index, 'activations of the chosen digit', 30_000);
    expect(await page.getByTestId('sample-probabilities').getAttribute('data-label')).toBe(await options.nth(3).getAttribute('data-label'));
    expect(await page.locator('[data-testid="sample-probabilities"] .nw-lab-prob').count()).toBe(10);
    expect(Number(await page.getByTestId('vector-view').getAttribute('data-units'))).toBeGreaterThan(0);
    await shot(page, '4-edge-vector');
  }, 120_000);

  it('draws the loss landscape of both twins side by side', async () => {
    const { page } = shared.session();
    await page.getByTestId('lesson-next').click();
    await page.getByTestId('lesson-landscapes').click();
    await waitUntil(
      () => page.locator('[data-testid="landscape-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
      (v) => v.length === 2 && v.every((x) => x === 'done' || x === 'error'),
      'both landscapes',
      240_000,
    );
    expect(await page.locator('[data-testid="landscape-map"]').count()).toBe(2);
    await shot(page, '7-landscape');
  }, 300_000);
  it('steps a paused run one batch at a time and shows conv feature maps and filters', async () => {
    const { page } = shared.session();
    // A conv net for feature maps: LeNet-5 from the gallery, trained from the training panel and paused.
    await page.getByTestId('toolbar-new').click();
    await page.getByTestId('template-lenet5').click();
    // Unsaved lesson work may be asked about first.
    await page.locator('[data-testid="node-conv1"], [data-testid="confirm-ok"]').first().waitFor();
    if (await page.getByTestId('confirm-ok').count()) await page.getByTestId('confirm-ok').click();
    await page.getByTestId('node-conv1').waitFor();
    await page.getByTestId('tab-training').click();
    await page.getByTestId('training-limit').fill('3000');
    await page.getByTestId('training-epochs').fill('2');
    await page.getByTestId('training-start').click();
    // Pause with its shortcut (F6) as soon as the run trains.
    await page.getByTestId('run-pause').waitFor({ timeout: 120_000 });
    await page.keyboard.press('F6');
    await waitUntil(() => page.getByTestId('run-controls').getAttribute('data-run-status'), (v) => v === 'paused', 'paused', 60_000);
    const before = await page.getByTestId('run-position').textContent();
    const count = () => page.evaluate(() => window.netweaveEditor!.training.getState().batches.x.length);
    const points = await count();
    await page.getByTestId('run-step').click();
    await waitUntil(count, (n) => n === points + 1, 'one more batch point', 30_000);
    expect(await page.getByTestId('run-position').textContent()).not.toBe(before);
    // F10 steps too.
    await page.keyboard.press('F10');
    await waitUntil(count, (n) => n === points + 2, 'a batch stepped with F10', 30_000);
    await shot(page, '5-step');
    // While paused: the edge after the first conv shows its feature maps and its filters.
    const edge = await page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.edges.find((e) => e.source === 'conv1')!);
    await clickEdge(page, edge.id, edge.source, edge.target);
    await page.getByTestId('layer-view').waitFor();
    await page.locator('[data-testid="sample-option"]').nth(2).click();
    await page.getByTestId('feature-maps').waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId('feature-maps').getAttribute('data-channels'))).toBe(6);
    expect(await page.locator('[data-testid="feature-map"]').count()).toBe(6);
    await page.getByTestId('filters').waitFor({ timeout: 30_000 });
    expect(Number(await page.getByTestId('filters').getAttribute('data-filters'))).toBe(6);
    await shot(page, '6-feature-maps');
    await page.getByTestId('run-resume').click();
    await waitUntil(() => page.evaluate(() => window.netweaveEditor!.training.getState().status), (v) => v === 'finished' || v === 'error', 'LeNet finished', 240_000);
  }, 400_000);

});
