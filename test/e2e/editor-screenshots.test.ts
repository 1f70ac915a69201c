import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { documentNodeBoxes } from '../../graph-schema/layout/auto-layout';
import { nodeWidth } from '../../graph-schema/layout/block-geometry';
import type { EditorSession } from './editor-support';
import { editorSkipReason, focusCanvas, openEditorSession, textOf, waitUntil } from './editor-support';

// Pictures of a big graph in both layout directions at a large and a small window, for a person to look at;
// the checks are that the whole graph fits at "Fit" and that no two layers overlap.

if (editorSkipReason) console.log(editorSkipReason);

const sizes = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

/** Waits until the viewport holds still over two frames (a fit animates). */
const stillView = (page: Page) =>
  waitUntil(
    () =>
      page.evaluate(
        () =>
          new Promise<boolean>((r) => {
            const read = () => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
            const first = read();
            requestAnimationFrame(() => requestAnimationFrame(() => r(read() === first)));
          }),
      ),
    (still) => still,
    'fit finished',
  );

/**
 * The top-level boxes of the document (an expanded block's whole frame) that do not lie wholly
 * inside the canvas at the current view: computed from the document, so that it holds for the far
 * view too (which has no elements to measure).
 */
async function outsideCanvas(page: Page): Promise<string[]> {
  const doc = (await page.evaluate(() => window.netweaveEditor!.store.getState().document)) as unknown as NetweaveDocument;
  const boxes = documentNodeBoxes(doc);
  const frame = await page.evaluate(() => {
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    const r = document.querySelector('.react-flow')!.getBoundingClientRect();
    return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]), width: r.width, height: r.height };
  });
  return doc.graph.nodes
    .filter((n) => {
      const size = boxes.sizeOf(n.id);
      const offset = boxes.frameOffset(n.id);
      const left = frame.x + (n.position.x + offset.x) * frame.zoom;
      const top = frame.y + (n.position.y + offset.y) * frame.zoom;
      return left < -1 || top < -1 || left + size.width * frame.zoom > frame.width + 1 || top + size.height * frame.zoom > frame.height + 1;
    })
    .map((n) => n.id);
}

/** How large the graph is drawn: a layer's width in pixels, and the share of the canvas's width and height the whole graph takes. */
async function fitFigures(page: Page): Promise<{ layerWidth: number; widthShare: number; heightShare: number }> {
  const doc = (await page.evaluate(() => window.netweaveEditor!.store.getState().document)) as unknown as NetweaveDocument;
  const boxes = documentNodeBoxes(doc);
  const frame = await page.evaluate(() => {
    const m = /scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    const r = document.querySelector('.react-flow')!.getBoundingClientRect();
    return { zoom: Number(m[1]), width: r.width, height: r.height };
  });
  const drawn = doc.graph.nodes.map((n) => ({ x: n.position.x + boxes.frameOffset(n.id).x, y: n.position.y + boxes.frameOffset(n.id).y, ...boxes.sizeOf(n.id) }));
  const width = Math.max(...drawn.map((b) => b.x + b.width)) - Math.min(...drawn.map((b) => b.x));
  const height = Math.max(...drawn.map((b) => b.y + b.height)) - Math.min(...drawn.map((b) => b.y));
  return { layerWidth: nodeWidth * frame.zoom, widthShare: (width * frame.zoom) / frame.width, heightShare: (height * frame.zoom) / frame.height };
}

describe.skipIf(!!editorSkipReason)('editor screenshots: expanded ResNet-18, top to bottom and left to right', () => {
  const sessions: EditorSession[] = [];
  afterAll(async () => {
    for (const s of sessions) {
      await s.close();
      expect(s.pageErrors).toEqual([]);
    }
  });

  it.each(sizes)('lays out and fits at $width×$height', async (viewport) => {
    mkdirSync('test-results', { recursive: true });
    const s = await openEditorSession(viewport);
    sessions.push(s);
    await s.page.getByTestId('toolbar-new').click();
    await s.page.getByTestId('template-resnet18').click();
    await waitUntil(() => textOf(s.page, 'doc-title'), (v) => v.startsWith('ResNet-18'), 'ResNet-18 open');
    await focusCanvas(s.page);
    await s.page.keyboard.press('Shift+E');
    await s.page.getByTestId('node-conv2_block2::add').waitFor();
    for (const direction of ['TB', 'LR'] as const) {
      const current = await s.page.evaluate(() => window.netweaveEditor!.store.getState().document.view.layoutDirection ?? 'TB');
      const steps = () => s.page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length);
      const before = await steps();
      await focusCanvas(s.page);
      await s.page.keyboard.press(current === direction ? 'Control+l' : 'Control+Shift+L');
      // The layout is one undo step of its own (after the direction's, when that changed).
      await waitUntil(steps, (n) => n >= before + (current === direction ? 1 : 2), `${direction}: layout applied`);
      await waitUntil(() => s.page.evaluate(() => window.netweaveEditor!.store.getState().document.view.layoutDirection ?? 'TB'), (v) => v === direction, direction);
      // Laid out in that direction: every edge between document layers points forward (down, or right within a row).
      const forward = () =>
        s.page.evaluate((dir) => {
          const doc = window.netweaveEditor!.store.getState().document;
          const at = (id: string) => doc.graph.nodes.find((n) => n.id === id)!.position;
          return doc.graph.edges.filter((e) => (dir === 'LR' ? at(e.target).x > at(e.source).x : at(e.target).y > at(e.source).y)).length / doc.graph.edges.length;
        }, direction);
      await waitUntil(forward, (share) => share > 0.6, `${direction}: edges point forward`);
      const overlaps = () =>
        s.page.evaluate(() => {
          const boxes = [...document.querySelectorAll('.react-flow__node')]
            .filter((e) => !(e as HTMLElement).dataset.id?.includes('::'))
            .map((e) => e.getBoundingClientRect());
          let n = 0;
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i]!;
              const b = boxes[j]!;
              if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
            }
          return n;
        });
      await waitUntil(overlaps, (n) => n === 0, `${direction}: layers overlap`);
      await s.page.keyboard.press('f');
      // The fit animates; wait until the viewport holds still over two frames.
      const transform = () =>
        s.page.evaluate(
          () =>
            new Promise<boolean>((r) => {
              const read = () => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
              const first = read();
              requestAnimationFrame(() => requestAnimationFrame(() => r(read() === first)));
            }),
        );
      await waitUntil(transform, (still) => still, 'fit finished');
      await s.page.screenshot({ path: `test-results/resnet18-expanded-${direction}-${viewport.width}x${viewport.height}.png` });
      expect(await outsideCanvas(s.page), `${direction}: layers outside the canvas at Fit`).toEqual([]);
    }
  }, 600_000);

  it.each(sizes)('fits an expanded DenseNet-121 whole at $width×$height, in the light theme', async (viewport) => {
    mkdirSync('test-results', { recursive: true });
    const s = await openEditorSession(viewport);
    sessions.push(s);
    await s.page.getByTestId('toolbar-new').click();
    await s.page.getByTestId('template-densenet121').click();
    await waitUntil(() => textOf(s.page, 'doc-title'), (v) => v.startsWith('DenseNet-121'), 'DenseNet-121 open');
    await focusCanvas(s.page);
    if ((await s.page.evaluate(() => document.documentElement.dataset.theme)) !== 'light') await s.page.keyboard.press('Shift+T');
    await waitUntil(() => s.page.evaluate(() => document.documentElement.dataset.theme), (t) => t === 'light', 'the light theme');
    await s.page.keyboard.press('Shift+E');
    await waitUntil(() => s.page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.nodes.filter((n) => n.collapsed === false).length), (n) => n >= 4, 'blocks expanded');
    const steps = () => s.page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length);
    const before = await steps();
    await focusCanvas(s.page);
    await s.page.keyboard.press('Control+l');
    await waitUntil(steps, (n) => n > before, 'layout applied');
    await s.page.keyboard.press('f');
    await stillView(s.page);
    await s.page.screenshot({ path: `test-results/densenet121-expanded-light-${viewport.width}x${viewport.height}.png` });
    // At Fit every layer and frame is on the canvas: none cut off at either end.
    expect(await outsideCanvas(s.page)).toEqual([]);
    // And large enough to read its structure: its dense blocks wrapped into columns, the chain of
    // blocks into chunks side by side, so that the drawing takes the canvas's shape instead of a
    // thin column (where a layer was 7 px wide at 1440×900).
    const fit = await fitFigures(s.page);
    expect(fit.layerWidth, `a layer's width at Fit, in pixels`).toBeGreaterThan(viewport.width >= 1440 ? 26 : 15);
    expect(Math.min(fit.widthShare, fit.heightShare), `the share of the canvas's width and height the graph takes: ${fit.widthShare}, ${fit.heightShare}`).toBeGreaterThan(0.5);
  }, 600_000);
});
