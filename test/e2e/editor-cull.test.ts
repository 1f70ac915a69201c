import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generatedGraph } from '../bench/generated-graph';
import { editorSkipReason, sharedEditorSession, waitUntil } from './editor-support';

// Zoomed in on a 5,000-layer graph, the canvas gives React Flow only the layers in a region padded
// well beyond the view: a pan that stays inside it changes nothing but the viewport's transform (no
// layer element is added, removed or moved), and a pan that leaves it brings the new layers in.

if (editorSkipReason) console.log(editorSkipReason);

const viewport = (page: Page) =>
  page.evaluate(() => {
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
  });

/** Ids of the top-level layers whose box lies wholly inside the canvas, and of those among them without an element. */
const inViewWithoutElement = (page: Page) =>
  page.evaluate(() => {
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const inView = window.netweaveEditor!.store.getState().document.graph.nodes.filter((n) => {
      const x = tx + n.position.x * zoom;
      const y = ty + n.position.y * zoom;
      return x >= 0 && y >= 0 && x + 220 * zoom <= pane.width && y + 86 * zoom <= pane.height;
    });
    const missing = inView.filter((n) => !document.querySelector(`.react-flow__node[data-id="${CSS.escape(n.id)}"]`)).map((n) => n.id);
    return { inView: inView.length, missing };
  });

/** An empty spot of the pane (no layer, no edge, no panel on it) near the canvas' centre. */
const emptySpot = (page: Page) =>
  page.evaluate(() => {
    const r = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    for (let dy = 0; dy < r.height / 3; dy += 7)
      for (let dx = 0; dx < r.width / 3; dx += 11) {
        const x = r.left + r.width / 3 + dx;
        const y = r.top + r.height / 3 + dy;
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    return null;
  });

/** Drags the pane from an empty spot by (dx, dy) in small steps, as a hand does. */
async function panBy(page: Page, dx: number, dy: number): Promise<void> {
  const at = await emptySpot(page);
  if (!at) throw new Error('no empty spot of the pane to drag');
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + dx, at.y + dy, { steps: 20 });
  await page.mouse.up();
}

describe.skipIf(!!editorSkipReason)('editor: panning a large graph at 100 %', () => {
  const { session } = sharedEditorSession('nw-cull-');

  it('moves only the viewport on a pan inside the padded region, and brings in the layers of a far pan', async () => {
    const { page } = session();
    const doc = generatedGraph(5000);
    // Saved at 100 % over the middle of the graph: it opens there, zoomed in.
    doc.view = { ...doc.view, viewport: { x: -20 * 320, y: -1500, zoom: 1 } };
    await page.evaluate((d) => window.netweaveEditor!.store.getState().loadDocument(d as never), doc as unknown);
    await waitUntil(() => inViewWithoutElement(page), (v) => v.inView > 10 && v.missing.length === 0, 'every layer in view drawn');
    const elements = await page.locator('.react-flow__node').count();
    // Culled: a padded region, not the graph.
    expect(elements).toBeLessThan(doc.graph.nodes.length / 10);

    // Watch the layer and edge elements: a pan inside the region must not touch one of them.
    await page.evaluate(() => {
      const w = window as unknown as { __cullMutations: string[] };
      w.__cullMutations = [];
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as Element;
          // The viewport's own transform is the pan; everything under it must stay as it is.
          if (el.classList?.contains('react-flow__viewport')) continue;
          w.__cullMutations.push(`${r.type} ${el.className?.toString().slice(0, 40)} ${r.attributeName ?? ''} +${r.addedNodes.length} -${r.removedNodes.length}`);
        }
      });
      observer.observe(document.querySelector('.react-flow__viewport')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'transform', 'd'] });
    });
    const painted = () => page.evaluate(() => {
      const c = document.querySelector<HTMLElement>('[data-testid="far-minimap"]')!;
      return { boxes: Number(c.dataset.boxesPainted ?? 0), view: Number(c.dataset.viewPainted ?? 0) };
    });
    const paintedBefore = await painted();
    const before = await viewport(page);
    await panBy(page, 240, 160);
    await panBy(page, -180, -220);
    const after = await viewport(page);
    expect(Math.abs(after.x - before.x) + Math.abs(after.y - before.y)).toBeGreaterThan(100);
    expect(after.zoom).toBe(before.zoom);
    const mutations = await page.evaluate(() => (window as unknown as { __cullMutations: string[] }).__cullMutations);
    expect(mutations.slice(0, 5), `${mutations.length} changes under the viewport while panning`).toEqual([]);
    // The minimap follows the view (its mask repainted) over the same bitmap of 5,000 boxes, not painting them again each frame.
    const paintedAfter = await painted();
    expect(paintedAfter.view).toBeGreaterThan(paintedBefore.view + 5);
    expect(paintedAfter.boxes).toBe(paintedBefore.boxes);
    // A change to the layers (here the selection, outlined on the minimap) paints them again.
    await page.evaluate(() => window.netweaveEditor!.store.getState().selectOnly(['a100']));
    await waitUntil(painted, (p) => p.boxes > paintedAfter.boxes, 'the minimap painted with the selection');
    await page.evaluate(() => window.netweaveEditor!.store.getState().selectOnly([]));

    // Far away (several screens): the region follows, and every layer now in view has its element.
    for (let i = 0; i < 4; i++) await panBy(page, -400, -150);
    const far = await viewport(page);
    expect(far.x).toBeLessThan(after.x - 1500);
    await waitUntil(() => inViewWithoutElement(page), (v) => v.inView > 10 && v.missing.length === 0, 'every layer in view drawn after a far pan');
    expect(await page.locator('.react-flow__node').count()).toBeLessThan(doc.graph.nodes.length / 10);
  });

  it('gives the viewport a layer of its own while the user pans at one zoom, and only then', async () => {
    const { page } = session();
    const willChange = () => page.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).willChange);
    expect(await willChange()).toBe('auto');
    const at = (await emptySpot(page))!;
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x + 60, at.y + 40, { steps: 6 });
    // Mid-pan: the pan frames move a composited layer instead of repainting every layer and edge.
    expect(await willChange()).toBe('transform');
    await page.mouse.move(at.x + 120, at.y + 80, { steps: 6 });
    await page.mouse.up();
    await waitUntil(willChange, (v) => v === 'auto', 'the layer given back after the pan');
    // A wheel zoom is drawn at its new size, never a scaled layer.
    await page.mouse.move(at.x, at.y);
    const zoom = (await viewport(page)).zoom;
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, -120);
      expect(await willChange()).toBe('auto');
    }
    await waitUntil(async () => (await viewport(page)).zoom, (z) => z > zoom, 'zoomed in');
    expect(await willChange()).toBe('auto');
  });

  it('moves a dragged layer as a layer of its own, given back when it is dropped', async () => {
    const { page } = session();
    // A layer in the view whose corner is not under a panel.
    const { id, x, y } = await page.evaluate(() => {
      for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node[data-id]')) {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 12, r.top + 8)?.closest('.react-flow__node');
        if (hit === el) return { id: el.dataset.id!, x: r.left + 12, y: r.top + 8 };
      }
      throw new Error('no layer in view');
    });
    const willChange = () => page.evaluate((nodeId) => getComputedStyle(document.querySelector(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`)!).willChange, id);
    expect(await willChange()).toBe('auto');
    const box = { x: x - 12, y: y - 8 };
    await page.mouse.move(box.x + 12, box.y + 8);
    await page.mouse.down();
    await page.mouse.move(box.x + 52, box.y + 38, { steps: 6 });
    expect(await willChange()).toBe('transform');
    await page.mouse.up();
    await waitUntil(willChange, (v) => v === 'auto', 'the layer given back after the drop');
  });
});
