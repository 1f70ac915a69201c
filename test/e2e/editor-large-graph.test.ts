import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generatedGraph } from '../bench/generated-graph';
import { editorSkipReason, sharedEditorSession, waitUntil } from './editor-support';

// A large graph opens zoomed out on the far canvas (no element per layer), can still be
// selected and dragged there, and zoomed in gets elements only for the layers in view.

if (editorSkipReason) console.log(editorSkipReason);

const domNodes = (page: Page) => page.locator('.react-flow__node').count();
const farDrawn = (page: Page) => page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="far-canvas"]')?.dataset.drawn ?? 0));
const viewport = (page: Page) =>
  page.evaluate(() => {
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
  });

/** Where a document position is on the screen. */
async function onScreen(page: Page, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const v = await viewport(page);
  const pane = (await page.locator('.react-flow').boundingBox())!;
  return { x: pane.x + v.x + p.x * v.zoom, y: pane.y + v.y + p.y * v.zoom };
}

describe.skipIf(!!editorSkipReason)('editor: a large graph', () => {
  const { session } = sharedEditorSession('nw-large-');

  it('opens 1,000 layers on the far canvas, selects and drags a layer there, and creates elements only for what is in view', async () => {
    const { page } = session();
    const doc = generatedGraph(1000);
    await page.evaluate((d) => window.netweaveEditor!.store.getState().loadDocument(d as never), doc as unknown);
    await waitUntil(() => farDrawn(page), (n) => n === doc.graph.nodes.length, 'layers on the far canvas');
    expect(await domNodes(page)).toBe(0);
    // The first fit may still be on its way: wait for the view to stay put.
    await waitUntil(async () => { const a = JSON.stringify(await viewport(page)); await page.waitForTimeout(300); return a === JSON.stringify(await viewport(page)); }, (still) => still, 'a still view');
    await page.screenshot({ path: 'test-results/editor-large-far.png' });

    // Press on a layer's box: it is selected; drag it: it moves by the drag, in one undo step.
    const target = doc.graph.nodes.find((n) => n.id === 'b100')!;
    const start = await onScreen(page, { x: target.position.x + 110, y: target.position.y + 30 });
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 20, start.y + 10, { steps: 4 });
    await page.mouse.move(start.x + 40, start.y + 20, { steps: 4 });
    await page.mouse.up();
    const state = await page.evaluate(() => {
      const s = window.netweaveEditor!.store.getState();
      return { selected: [...s.selectedNodes], position: s.document.graph.nodes.find((n) => n.id === 'b100')!.position };
    });
    expect(state.selected).toEqual(['b100']);
    const { zoom } = await viewport(page);
    expect(state.position.x - target.position.x).toBeCloseTo(40 / zoom, 0);
    expect(state.position.y - target.position.y).toBeCloseTo(20 / zoom, 0);

    // Zoomed in to 100%: real layer elements, only the ones in view, with their edges drawn.
    const middle = await onScreen(page, { x: target.position.x + 110, y: target.position.y + 30 });
    for (let i = 0; i < 30 && (await viewport(page)).zoom < 0.95; i++) {
      await page.mouse.move(middle.x, middle.y);
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(40);
    }
    await waitUntil(() => domNodes(page), (n) => n > 0, 'layer elements after zooming in');
    await page.getByTestId('node-b100').waitFor();
    expect(await page.getByTestId('far-canvas').count()).toBe(0);
    const shown = await domNodes(page);
    expect(shown).toBeLessThan(doc.graph.nodes.length / 4);
    expect(await page.locator('.react-flow__edge').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/editor-large-near.png' });
  });
});
