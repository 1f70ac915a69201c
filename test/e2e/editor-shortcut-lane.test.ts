import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { EditorSession } from './editor-support';
import { editorSkipReason, openTemplate, sharedEditorSession, waitUntil } from './editor-support';

// An expanded residual block draws its shortcut in its own lane: the dashed edge (and the 1×1
// projection on it) never runs across a layer of the main path, top to bottom or left to right.

if (editorSkipReason) console.log(editorSkipReason);

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Every shortcut edge inside the block, as points sampled along its drawn path (screen pixels),
 * and the boxes of the block's layers that are not on the shortcut, with the edge's own ends.
 */
async function shortcutGeometry(page: Page, block: string): Promise<{ edges: { id: string; source: string; target: string; points: { x: number; y: number }[] }[]; layers: Box[] }> {
  return page.evaluate((block) => {
    const edges = [...document.querySelectorAll<SVGGElement>('.react-flow__edge')]
      .filter((g) => (g.getAttribute('data-id') ?? '').startsWith(`${block}::`) && g.querySelector('.react-flow__edge-path.is-skip'))
      .map((g) => {
        const id = g.getAttribute('data-id')!;
        const path = g.querySelector<SVGPathElement>('.react-flow__edge-path')!;
        const m = path.getScreenCTM()!;
        const length = path.getTotalLength();
        const points: { x: number; y: number }[] = [];
        for (let d = 0; d <= length; d += 2) {
          const p = path.getPointAtLength(d);
          points.push({ x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f });
        }
        // Edge ids: block::from->to#i
        const [from, rest] = id.slice(block.length + 2).split('->');
        return { id, source: from!, target: rest!.split('#')[0]!, points };
      });
    const layers = [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((n) => (n.dataset.id ?? '').startsWith(`${block}::`))
      .map((n) => {
        const r = n.getBoundingClientRect();
        return { id: n.dataset.id!.slice(block.length + 2), x: r.x, y: r.y, width: r.width, height: r.height };
      });
    return { edges, layers };
  }, block);
}

/** Sampled points of a shortcut edge that lie inside a layer box other than the edge's own two ends (1 px of slack). */
function crossings(edge: { source: string; target: string; points: { x: number; y: number }[] }, layers: readonly Box[]): string[] {
  const hits = new Set<string>();
  for (const box of layers) {
    if (box.id === edge.source || box.id === edge.target) continue;
    for (const p of edge.points) {
      if (p.x > box.x + 1 && p.x < box.x + box.width - 1 && p.y > box.y + 1 && p.y < box.y + box.height - 1) hits.add(box.id);
    }
  }
  return [...hits];
}

async function setDirection(s: EditorSession, direction: 'TB' | 'LR'): Promise<void> {
  const now = await s.page.evaluate(() => window.netweaveEditor!.store.getState().document.view.layoutDirection ?? 'TB');
  if (now !== direction) await s.page.getByTestId('toolbar-layout-direction').click();
  await waitUntil(() => s.page.evaluate(() => window.netweaveEditor!.store.getState().document.view.layoutDirection ?? 'TB'), (d) => d === direction, `layout ${direction}`);
}

describe.skipIf(!!editorSkipReason)('editor: a residual block draws its shortcut in its own lane', () => {
  const { session } = sharedEditorSession('nw-lane-');

  for (const direction of ['TB', 'LR'] as const) {
    it(`never draws the shortcut over a main-path layer (${direction})`, async () => {
      const s = session();
      await openTemplate(s, 'resnet18');
      await setDirection(s, direction);
      await s.page.getByTestId('toolbar-expand-all').click();
      // Lay the expanded graph out in this direction (frames side by side left to right in LR).
      const at = () => s.page.evaluate(() => JSON.stringify(window.netweaveEditor!.store.getState().document.graph.nodes.map((n) => n.position)));
      const before = await at();
      await s.page.getByTestId('toolbar-layout').click();
      await waitUntil(at, (p) => p !== before, `auto-layout (${direction})`);
      // An identity shortcut (conv2_block2) and a projection shortcut with its 1×1 conv and batch norm (conv3_block1).
      for (const block of ['conv2_block2', 'conv3_block1']) {
        await s.page.evaluate((id) => window.netweaveEditor!.store.getState().setSelection(new Set([id]), new Set()), block);
        await s.page.keyboard.press('Shift+F');
        await s.page.getByTestId(`node-${block}::add`).waitFor();
        await s.page.waitForTimeout(400);
        const { edges, layers } = await shortcutGeometry(s.page, block);
        expect(edges.length, `${block}: shortcut edges drawn`).toBeGreaterThanOrEqual(block === 'conv3_block1' ? 3 : 1);
        for (const edge of edges) expect(crossings(edge, layers), `${block} ${direction}: ${edge.id} runs over`).toEqual([]);
        // The projection sits on the lane, beside the main path, not in its column.
        if (block === 'conv3_block1') {
          const lane = (await s.page.getByTestId(`block-lane-${block}`).boundingBox())!;
          for (const id of ['shortcut_conv', 'shortcut_bn']) {
            const box = layers.find((l) => l.id === id)!;
            expect(box.x, `${id} inside the lane`).toBeGreaterThanOrEqual(lane.x - 1);
            expect(box.x + box.width, `${id} inside the lane`).toBeLessThanOrEqual(lane.x + lane.width + 1);
          }
          const main = layers.filter((l) => !l.id.startsWith('shortcut'));
          for (const l of main) expect(l.x + l.width, `${l.id} left of the lane`).toBeLessThanOrEqual(lane.x + 1);
        }
      }
      // Pictures: the whole expanded net, and the projection block close up.
      await s.page.keyboard.press('Escape');
      await s.page.getByTestId('toolbar-fit').click();
      await s.page.waitForTimeout(500);
      await s.page.screenshot({ path: `test-results/editor-resnet18-lanes-${direction}.png` });
      await s.page.evaluate(() => window.netweaveEditor!.store.getState().setSelection(new Set(['conv3_block1']), new Set()));
      await s.page.keyboard.press('Shift+F');
      await s.page.waitForTimeout(500);
      await s.page.screenshot({ path: `test-results/editor-resnet18-lane-block-${direction}.png` });
      await s.page.getByTestId('toolbar-collapse-all').click();
    });
  }
});
