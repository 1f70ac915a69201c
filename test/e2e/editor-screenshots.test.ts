import { mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { EditorSession } from './editor-support';
import { editorSkipReason, focusCanvas, openEditorSession, textOf, waitUntil } from './editor-support';

// Pictures of a big graph in both layout directions at a large and a small window, for a person to look at;
// the checks are that the whole graph fits at "Fit" and that no two layers overlap.

if (editorSkipReason) console.log(editorSkipReason);

const sizes = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

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
    }
  }, 600_000);
});
