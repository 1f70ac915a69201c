import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generatedGraph } from '../bench/generated-graph';
import { editorSkipReason, sharedEditorSession, waitUntil } from './editor-support';

// A large graph opens zoomed out on the far canvas (no element per layer), can still be
// selected and dragged there, and zoomed in gets elements only for the layers in or near the view.

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

/** Opens a 1,000-layer graph on the far canvas and waits for the first fit to settle. */
async function openFar(page: Page): Promise<ReturnType<typeof generatedGraph>> {
  const doc = generatedGraph(1000);
  await page.evaluate((d) => window.netweaveEditor!.store.getState().loadDocument(d as never), doc as unknown);
  await waitUntil(() => farDrawn(page), (n) => n === doc.graph.nodes.length, 'layers on the far canvas');
  await waitUntil(async () => { const a = JSON.stringify(await viewport(page)); await page.waitForTimeout(300); return a === JSON.stringify(await viewport(page)); }, (still) => still, 'a still view');
  return doc;
}

/** How many pixels of the minimap, as the screen shows it, are saturated colour (layers), not the grey background or mask. */
async function minimapColourPixels(page: Page): Promise<{ coloured: number; total: number }> {
  const png = (await page.locator('.react-flow__minimap').screenshot()).toString('base64');
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    }
    return { coloured, total: data.length / 4 };
  }, png);
}

describe.skipIf(!!editorSkipReason)('editor: a large graph', () => {
  const { session } = sharedEditorSession('nw-large-');

  it('opens 1,000 layers on the far canvas, selects and drags a layer there, and creates elements only for what is in or near the view', async () => {
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
    // The layers in view and within a screen of it (the culled region, see editor-cull.test.ts), not the graph.
    expect(shown).toBeLessThan(doc.graph.nodes.length / 3);
    expect(await page.locator('.react-flow__edge').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/editor-large-near.png' });
  });

  it('shows the layers of the far view in the minimap, and a press there moves the view without selecting a layer', async () => {
    const { page } = session();
    await openFar(page);
    await page.locator('.react-flow__minimap').waitFor();
    const { coloured, total } = await minimapColourPixels(page);
    // 1,000 layers fill a good part of the minimap; an empty one has no saturated pixel at all.
    expect(coloured, `coloured pixels of ${total}`).toBeGreaterThan(total * 0.05);
    await page.locator('.react-flow__minimap').screenshot({ path: 'test-results/editor-large-far-minimap.png' });

    // A press near the minimap's top-left corner centres the view there: the view moves right and down.
    await page.evaluate(() => window.netweaveEditor!.store.getState().setSelection(new Set(), new Set()));
    const before = await viewport(page);
    const mini = (await page.locator('.react-flow__minimap').boundingBox())!;
    await page.mouse.click(mini.x + 20, mini.y + 20);
    const after = await waitUntil(() => viewport(page), (v) => v.x !== before.x || v.y !== before.y, 'the view after a press on the minimap');
    expect(after.x).toBeGreaterThan(before.x);
    expect(after.y).toBeGreaterThan(before.y);
    expect(after.zoom).toBeCloseTo(before.zoom, 5);
    expect(await page.evaluate(() => [...window.netweaveEditor!.store.getState().selectedNodes])).toEqual([]);
    // The wheel over the minimap zooms the view.
    await page.mouse.move(mini.x + mini.width / 2, mini.y + mini.height / 2);
    await page.mouse.wheel(0, -100);
    await waitUntil(() => viewport(page), (v) => v.zoom > after.zoom * 1.05, 'the zoom after a wheel over the minimap');
  });

  it('drags the view along with a drag on the minimap, far and near, and stops when the button is released', async () => {
    const { page } = session();
    const doc = await openFar(page);
    for (const where of ['far', 'near'] as const) {
      if (where === 'near') {
        // At 100 % over the middle: the near view, culled, with the minimap painted from every layer.
        const near = { ...doc, view: { ...doc.view, viewport: { x: -3000, y: -1500, zoom: 1 } } };
        await page.evaluate((d) => window.netweaveEditor!.store.getState().loadDocument(d as never), near as unknown);
        await waitUntil(() => domNodes(page), (n) => n > 0, 'layer elements at 100 %');
      }
      const mini = (await page.locator('.react-flow__minimap').boundingBox())!;
      const start = { x: mini.x + mini.width * 0.3, y: mini.y + mini.height * 0.5 };
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      const pressed = await viewport(page);
      // Dragging right on the minimap moves the view right over the graph: the flow moves left on screen.
      const seen: number[] = [];
      for (let i = 1; i <= 4; i++) {
        await page.mouse.move(start.x + i * 12, start.y, { steps: 2 });
        seen.push((await waitUntil(() => viewport(page), (v) => v.x < (seen.length ? seen[seen.length - 1]! : pressed.x) - 1, `${where}: the view following drag step ${i}`)).x);
      }
      await page.mouse.up();
      const released = await viewport(page);
      expect(released.zoom, where).toBeCloseTo(pressed.zoom, 5);
      // After the release, moving over the minimap leaves the view alone.
      await page.mouse.move(start.x + 80, start.y + 20, { steps: 3 });
      await page.mouse.move(start.x + 90, start.y + 25, { steps: 3 });
      expect(await viewport(page), where).toEqual(released);
      expect(await page.evaluate(() => window.netweaveEditor!.store.getState().dragPositions.size), where).toBe(0);
    }
  });

  it('selects the layers inside a shift-drag box on the far canvas, as on the near view', async () => {
    const { page } = session();
    const doc = await openFar(page);
    await page.evaluate(() => window.netweaveEditor!.store.getState().setSelection(new Set(), new Set()));
    // A box around the third to fifth layers of the second column (columns 320 apart, rows 110 apart,
    // layers 220 wide): wholly inside are exactly those three.
    const from = await onScreen(page, { x: 300, y: 205 });
    const to = await onScreen(page, { x: 560, y: 545 });
    const expected = doc.graph.nodes.filter((n) => n.position.x === 320 && n.position.y >= 220 && n.position.y <= 440).map((n) => n.id).sort();
    expect(expected).toHaveLength(3);
    await page.keyboard.down('Shift');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    // The box is drawn while dragging.
    expect(await page.locator('.react-flow__selection').count()).toBeGreaterThan(0);
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const selected = await page.evaluate(() => [...window.netweaveEditor!.store.getState().selectedNodes].sort());
    expect(selected).toEqual(expected);
    expect(await page.locator('.react-flow__selection').count()).toBe(0);
    // Still the far view, and nothing moved.
    expect(await domNodes(page)).toBe(0);
    const moved = await page.evaluate((ids) => window.netweaveEditor!.store.getState().document.graph.nodes.filter((n) => ids.includes(n.id)).map((n) => n.position), expected);
    expect(moved).toEqual(doc.graph.nodes.filter((n) => expected.includes(n.id)).map((n) => n.position));
  });

  it('Alt+G on the far canvas brings the first layer into the near view and gives it the keyboard focus', async () => {
    const { page } = session();
    const doc = await openFar(page);
    const first = doc.graph.nodes.find((n) => n.kind === 'Input')!.id;
    expect(await domNodes(page)).toBe(0);
    await page.keyboard.press('Alt+g');
    // The view moves (animated) and the layers near it are created after it settles: the focus follows them.
    await waitUntil(
      () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('.react-flow__node')?.getAttribute('data-id') ?? null),
      (id) => id === first,
      'the first layer has the focus',
    );
    expect(await page.evaluate(() => [...window.netweaveEditor!.store.getState().selectedNodes])).toEqual([first]);
  });
});
