import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generatedGraph } from '../bench/generated-graph';
import { editorSkipReason, focusCanvas, openTemplate, sharedEditorSession, waitUntil } from './editor-support';

// Edges of wrapped chains run between the rows or columns, never across a frame or a layer (near
// view), and the far view of a large graph draws every edge on that same path, not as a straight line.

if (editorSkipReason) console.log(editorSkipReason);

const viewport = (page: Page) =>
  page.evaluate(() => {
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
  });

/** Waits until the view holds still for `ms` (a fit animates). */
const stillView = (page: Page, ms: number) =>
  waitUntil(
    async () => {
      const a = JSON.stringify(await viewport(page));
      await page.waitForTimeout(ms);
      return a === JSON.stringify(await viewport(page));
    },
    (still) => still,
    'a still view',
  );

/**
 * Every top-level edge whose drawn path passes through the box of a top-level node other than its
 * own two ends (sampled every 4 px along the path, boxes shrunk by 2 px), with the node it crosses.
 */
const crossings = (page: Page) =>
  page.evaluate(() => {
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((e) => !e.dataset.id!.includes('::'))
      .map((e) => ({ id: e.dataset.id!, r: e.getBoundingClientRect() }));
    const doc = window.netweaveEditor!.store.getState().document;
    const found: string[] = [];
    for (const edge of doc.graph.edges) {
      const path = document.querySelector<SVGPathElement>(`.react-flow__edge[data-id="${CSS.escape(edge.id)}"] path.react-flow__edge-path`);
      if (!path) continue;
      const ctm = path.getScreenCTM()!;
      const length = path.getTotalLength();
      for (let at = 0; at <= length; at += 4) {
        const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y).matrixTransform(ctm);
        const hit = boxes.find((b) => b.id !== edge.source && b.id !== edge.target && p.x > b.r.left + 2 && p.x < b.r.right - 2 && p.y > b.r.top + 2 && p.y < b.r.bottom - 2);
        if (hit) {
          found.push(`${edge.id} crosses ${hit.id}`);
          break;
        }
      }
    }
    return found;
  });

/** Edges that run back against the layout's direction: the ones a wrapped chain has. */
const backwardEdges = (page: Page, direction: 'TB' | 'LR') =>
  page.evaluate((dir) => {
    const doc = window.netweaveEditor!.store.getState().document;
    const at = (id: string) => doc.graph.nodes.find((n) => n.id === id)!.position;
    return doc.graph.edges.filter((e) => (dir === 'LR' ? at(e.target).x < at(e.source).x : at(e.target).y < at(e.source).y)).length;
  }, direction);

describe.skipIf(!!editorSkipReason)('editor: edges of wrapped chains and of the far view', () => {
  const { session } = sharedEditorSession('nw-routes-');

  it('routes the wrapped edges of an expanded ResNet-18 between the frames, top to bottom and left to right', async () => {
    const s = session();
    const { page } = s;
    await openTemplate(s, 'resnet18');
    await focusCanvas(page);
    await page.keyboard.press('Shift+E');
    await page.getByTestId('node-conv2_block2::add').waitFor();
    for (const direction of ['LR', 'TB'] as const) {
      const current = await page.evaluate(() => window.netweaveEditor!.store.getState().document.view.layoutDirection ?? 'TB');
      await focusCanvas(page);
      await page.keyboard.press(current === direction ? 'Control+l' : 'Control+Shift+L');
      // Wrapped: some edges run from the end of one row (column) back to the start of the next.
      await waitUntil(() => backwardEdges(page, direction), (n) => n >= 1, `${direction}: a wrapped layout`);
      await page.keyboard.press('f');
      await stillView(page, 200);
      await page.screenshot({ path: `test-results/routes-resnet18-${direction}.png` });
      expect(await crossings(page), direction).toEqual([]);
    }
  });

  it('routes the edges between the columns of a wrapped dense block up the gap between them, across no layer', async () => {
    const s = session();
    const { page } = s;
    await openTemplate(s, 'densenet121');
    await focusCanvas(page);
    await page.keyboard.press('Shift+E');
    await waitUntil(() => page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.nodes.some((n) => n.id === 'conv4' && n.collapsed === false)), (ok) => ok, 'conv4 expanded');
    const steps = () => page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length);
    const before = await steps();
    await focusCanvas(page);
    await page.keyboard.press('Control+l');
    await waitUntil(steps, (n) => n > before, 'layout applied');
    // conv4 (24 layers) is wrapped into columns of four layers: its 4th concatenation ends the first column.
    const end = 'conv4::block4_concat';
    const next = 'conv4::block5_0_bn';
    // A tall window, so that the whole block (about 3,000 units tall) fits in the near view.
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 1440, height: 2600 });
    await focusCanvas(page);
    // Selected after the click that focuses the canvas (which selects nothing).
    await page.evaluate(() => window.netweaveEditor!.store.getState().selectOnly(['conv4']));
    await page.keyboard.press('Shift+F');
    await waitUntil(() => viewport(page), (v) => v.zoom > 0.35, 'the block fitted, in the near view');
    await page.locator(`.react-flow__node[data-id="${next}"]`).waitFor();
    await waitUntil(() => page.evaluate(() => document.querySelectorAll('.react-flow__edge[data-id^="conv4::"] path.react-flow__edge-path').length), (n) => n > 20, 'the block’s edges drawn');
    await stillView(page, 200);
    await page.screenshot({ path: 'test-results/routes-densenet121-wrapped-block.png' });
    const found = await page.evaluate(([from, to]) => {
      const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
        .filter((e) => e.dataset.id!.startsWith('conv4::'))
        .map((e) => ({ id: e.dataset.id!, r: e.getBoundingClientRect() }));
      const paths = [...document.querySelectorAll<SVGPathElement>('.react-flow__edge path.react-flow__edge-path')].map((p) => ({ id: p.closest<HTMLElement>('.react-flow__edge')!.dataset.id!, p }));
      const crossings: string[] = [];
      for (const { id, p } of paths) {
        if (!id.startsWith('conv4::')) continue;
        const [src, rest] = id.slice('conv4::'.length).split('->');
        const ends = new Set([`conv4::${src}`, `conv4::${rest!.split('#')[0]}`]);
        const ctm = p.getScreenCTM()!;
        const length = p.getTotalLength();
        for (let at = 0; at <= length; at += 4) {
          const q = new DOMPoint(p.getPointAtLength(at).x, p.getPointAtLength(at).y).matrixTransform(ctm);
          const hit = boxes.find((b) => !ends.has(b.id) && q.x > b.r.left + 2 && q.x < b.r.right - 2 && q.y > b.r.top + 2 && q.y < b.r.bottom - 2);
          if (hit) {
            crossings.push(`${id} crosses ${hit.id} at ${Math.round(q.x)},${Math.round(q.y)}`);
            break;
          }
        }
      }
      const wrapped = paths.find(({ id }) => id === `conv4::${from!.split('::')[1]}->${to!.split('::')[1]}#0`);
      return { crossings, checked: paths.filter(({ id }) => id.startsWith('conv4::')).length, wrappedCorners: wrapped ? (wrapped.p.getAttribute('d')!.match(/Q/g) ?? []).length : -1 };
    }, [end, next]);
    await page.setViewportSize(size);
    expect(found.checked).toBeGreaterThan(20);
    // The edge from the foot of the first column to the head of the second: an orthogonal route (four corners), drawn.
    expect(found.wrappedCorners).toBe(4);
    expect(found.crossings).toEqual([]);
  });

  it('draws the far view’s edges on the near view’s paths: a wrapped column’s edge runs down the gap between the columns', async () => {
    const { page } = session();
    // Columns of 40 layers, 320 apart and 220 wide: the edge from the foot of one column to the head of
    // the next runs back up the 100-wide gap between them.
    const doc = generatedGraph(1000);
    await page.evaluate((d) => window.netweaveEditor!.store.getState().loadDocument(d as never), doc as unknown);
    await waitUntil(
      () => page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="far-canvas"]')?.dataset.drawn ?? 0)),
      (n) => n === doc.graph.nodes.length,
      'layers on the far canvas',
    );
    await stillView(page, 300);
    const v = await viewport(page);
    const columnHeight = 39 * 110 + 72;
    // For the gaps after columns 5 to 14: at 20 heights down the gap's centre line, is anything painted there?
    const rows = await page.evaluate(
      ({ v, columnHeight }) => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="far-canvas"]')!;
        const ratio = canvas.width / canvas.clientWidth;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const painted = (fx: number, fy: number) => {
          const px = Math.round((v.x + fx * v.zoom) * ratio);
          const py = Math.round((v.y + fy * v.zoom) * ratio);
          for (let dx = -2; dx <= 2; dx++) if (data.data[(py * data.width + px + dx) * 4 + 3]! > 0) return true;
          return false;
        };
        const result: number[] = [];
        for (let c = 5; c < 15; c++) {
          let hits = 0;
          for (let i = 1; i <= 20; i++) if (painted(c * 320 + 270, (columnHeight * i) / 21)) hits++;
          result.push(hits);
        }
        return result;
      },
      { v, columnHeight },
    );
    await page.screenshot({ path: 'test-results/routes-far-1000.png' });
    // A straight line from the foot of a column to the head of the next crosses each gap at one height only.
    for (const hits of rows) expect(hits, `gap rows painted: ${rows.join(', ')}`).toBeGreaterThanOrEqual(18);
  });
});
