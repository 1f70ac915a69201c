import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditorSession } from './editor-support';
import { editorSkipReason, focusCanvas, openEditorSession, openTemplate, textOf, waitUntil } from './editor-support';

// Dialog keys that must not act twice, layout direction, Fit vs Fit selection, keyboard connecting, shortcuts in `?`.

if (editorSkipReason) console.log(editorSkipReason);

/** Reads the editor's state with an expression over `s` (evaluated by the test driver, not by the page's scripts). */
const state = <T>(page: Page, read: string) => page.evaluate(`((s) => ${read})(window.netweaveEditor.store.getState())`) as Promise<T>;
/** Lets the keystroke that closed a dialog run its course (two frames), so a stray second action would show. */
const settle = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

describe.skipIf(!!editorSkipReason)('editor: nothing happens twice, layout direction, fit, keyboard', () => {
  let s: EditorSession;
  // Project files go inside the folder the host serves (the web host writes only under its workspace).
  let files: string;

  beforeAll(async () => {
    mkdirSync(path.join(process.cwd(), '.tmp'), { recursive: true });
    files = mkdtempSync(path.join(process.cwd(), '.tmp', 'editor-trust-'));
    s = await openEditorSession();
  }, 600_000);

  afterAll(async () => {
    rmSync(files, { recursive: true, force: true });
    await s?.close();
    expect(s?.pageErrors ?? []).toEqual([]);
  });

  it('Enter in the Save as and Open dialogs acts once: no second dialog, no stale prompt', async () => {
    await openTemplate(s, 'mlp-mnist');
    const file = path.join(files, 'enter-once.netweave');
    await s.page.getByTestId('toolbar-save-as').click();
    await s.page.getByTestId('path-input').fill(file);
    await s.page.keyboard.press('Enter');
    await waitUntil(async () => existsSync(file), (v) => v, 'saved file');
    await s.page.getByTestId('save-dialog').waitFor({ state: 'detached' });
    await settle(s.page);
    expect(await s.page.locator('[role="dialog"]').count()).toBe(0);
    // Escape closes a dialog without pressing the toolbar button again either.
    await s.page.getByTestId('toolbar-open').click();
    await s.page.getByTestId('open-dialog').waitFor();
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('open-dialog').waitFor({ state: 'detached' });
    await settle(s.page);
    expect(await s.page.locator('[role="dialog"]').count()).toBe(0);
    // Open + Enter opens the file; no "unsaved changes" prompt about a project that is gone.
    await s.page.getByTestId('toolbar-open').click();
    await s.page.getByTestId('path-input').fill(file);
    await s.page.keyboard.press('Enter');
    await s.page.getByTestId('open-dialog').waitFor({ state: 'detached' });
    await waitUntil(() => textOf(s.page, 'doc-path'), (v) => v.includes('enter-once'), 'opened path');
    await settle(s.page);
    expect(await s.page.locator('[role="dialog"]').count()).toBe(0);
  });

  it('lays out left to right on request and remembers the direction in the document', async () => {
    await openTemplate(s, 'lenet5');
    await focusCanvas(s.page);
    await s.page.keyboard.press('Control+Shift+L');
    await waitUntil(() => state<string | undefined>(s.page, 's.document.view.layoutDirection'), (v) => v === 'LR', 'direction');
    // A long chain may wrap into rows, so most edges (not all) point right, and the first ones do.
    const edgesGoRight = () =>
      state<boolean>(
        s.page,
        "(() => { const p = (id) => s.document.graph.nodes.find((n) => n.id === id).position; const right = s.document.graph.edges.filter((e) => p(e.target).x > p(e.source).x); const first = s.document.graph.edges[0]; return right.length / s.document.graph.edges.length > 0.6 && p(first.target).x > p(first.source).x && Math.abs(p(first.target).y - p(first.source).y) < 40; })()",
      );
    await waitUntil(edgesGoRight, (v) => v, 'left-to-right positions');
    expect(await s.page.getByTestId('toolbar-layout-direction').getAttribute('title')).toContain('left to right');
    // Saved with the project.
    const file = path.join(files, 'lr.netweave');
    await s.page.getByTestId('toolbar-save-as').click();
    await s.page.getByTestId('path-input').fill(file);
    await s.page.getByTestId('path-confirm').click();
    await waitUntil(async () => existsSync(file), (v) => v, 'saved file');
    expect(JSON.parse(readFileSync(file, 'utf8')).view.layoutDirection).toBe('LR');
    // Ctrl+L keeps the document's direction.
    await focusCanvas(s.page);
    await s.page.keyboard.press('Control+l');
    await waitUntil(edgesGoRight, (v) => v, 'still left to right after Ctrl+L');
  });

  it('F fits the whole graph; Shift+F fits the selection', async () => {
    await openTemplate(s, 'vgg16');
    const ids = await state<string[]>(s.page, 's.document.graph.nodes.map((n) => n.id)');
    const last = ids[ids.length - 1]!;
    await s.page.getByTestId(`node-${last}`).scrollIntoViewIfNeeded().catch(() => undefined);
    await s.page.evaluate((id) => window.netweaveEditor!.store.getState().selectOnly([id]), last);
    await focusCanvas(s.page);
    await s.page.evaluate((id) => window.netweaveEditor!.store.getState().selectOnly([id]), last);
    const canvas = (await s.page.getByTestId('canvas').boundingBox())!;
    const allInside = async () => {
      for (const id of ids) {
        const b = await s.page.getByTestId(`node-${id}`).boundingBox();
        if (!b || b.x < canvas.x - 1 || b.y < canvas.y - 1 || b.x + b.width > canvas.x + canvas.width + 1 || b.y + b.height > canvas.y + canvas.height + 1) return false;
      }
      return true;
    };
    await s.page.keyboard.press('Shift+F');
    const zoomOf = () => s.page.evaluate(() => Number(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform.split(',')[3] ?? '1'));
    const selectionZoom = await waitUntil(zoomOf, (z) => z > 0.9, 'zoomed onto the selection');
    expect(await allInside()).toBe(false);
    await s.page.keyboard.press('f');
    await waitUntil(allInside, (v) => v, 'whole graph on screen after F');
    expect(await zoomOf()).toBeLessThan(selectionZoom);
  });

  it('connects the selected layer to the next one with J', async () => {
    await openTemplate(s, 'mlp-mnist');
    const before = await state<number>(s.page, 's.document.graph.edges.length');
    // Cut the chain after the first layer, then join it again with the keyboard.
    const edge = await state<{ id: string; source: string; target: string }>(s.page, 's.document.graph.edges[0]');
    await s.page.evaluate((id) => {
      const st = window.netweaveEditor!.store.getState();
      st.selectOnly([], [id]);
      st.deleteSelection();
      st.selectOnly([]);
    }, edge.id);
    await s.page.getByTestId(`node-${edge.source}`).click({ position: { x: 40, y: 12 } });
    await s.page.keyboard.press('j');
    await waitUntil(() => state<number>(s.page, 's.document.graph.edges.length'), (v) => v === before, 'edge back');
    expect(await state<boolean>(s.page, `s.document.graph.edges.some((e) => e.source === '${edge.source}' && e.target === '${edge.target}')`)).toBe(true);
  });

  it('lists a shortcut in ? for every toolbar action', async () => {
    await focusCanvas(s.page);
    await s.page.keyboard.press('?');
    await s.page.getByTestId('shortcuts-help').waitFor();
    const rows = await s.page.locator('.nw-shortcut').evaluateAll((els) => els.map((e) => ({ label: e.firstElementChild?.textContent ?? '', keys: e.querySelectorAll('kbd').length })));
    for (const label of ['Export diagram as PNG', 'Export diagram as SVG', 'Fit the whole graph to the window', 'Fit the selection to the window', 'Switch layout: top to bottom / left to right', 'Connect the selected layer to the next one']) {
      expect(rows.find((r) => r.label === label)?.keys ?? 0, label).toBeGreaterThan(0);
    }
    await s.page.keyboard.press('Escape');
  });
  it('keeps an error callout inside the visible canvas next to the inspector', async () => {
    await openTemplate(s, 'lenet5');
    await s.page.evaluate(() => {
      const st = window.netweaveEditor!.store.getState();
      st.setParam('conv1', 'padding', 'valid');
      st.setParam('conv1', 'kernelSize', [50, 50]);
    });
    await s.page.getByTestId('node-error-conv1').waitFor();
    // Drag the layer to the right edge of the canvas, just clear of the inspector.
    const canvas = (await s.page.getByTestId('canvas').boundingBox())!;
    const node = (await s.page.getByTestId('node-conv1').boundingBox())!;
    await s.page.mouse.move(node.x + 30, node.y + 10);
    await s.page.mouse.down();
    await s.page.mouse.move(canvas.x + canvas.width - node.width + 10, node.y + 10, { steps: 8 });
    await s.page.mouse.up();
    const moved = (await s.page.getByTestId('node-conv1').boundingBox())!;
    // Too close to the edge for the 250-pixel callout on the right.
    expect(moved.x + moved.width).toBeGreaterThan(canvas.x + canvas.width - 200);
    const callout = await waitUntil(
      async () => (await s.page.getByTestId('node-error-conv1').boundingBox())!,
      (b) => b.x >= canvas.x && b.x + b.width <= canvas.x + canvas.width,
      'callout inside the canvas',
    );
    expect(callout.x + callout.width).toBeLessThanOrEqual(moved.x);
    expect(await s.page.getByTestId('node-error-conv1').getAttribute('data-side')).toBe('left');
  });
  it('a file with a cycle gets true diagnostics: the cycle and the layers after it, no false "no output"', async () => {
    await s.page.evaluate(() => {
      const st = window.netweaveEditor!.store.getState();
      const node = (id: string, kind: string, params: Record<string, unknown>, y: number) => ({ id, kind, params, position: { x: 200, y } });
      const edge = (source: string, target: string) => ({ id: `e_${source}_${target}`, source, sourcePort: 'out', target, targetPort: 'in' });
      const doc = structuredClone(st.document);
      doc.graph = {
        nodes: [node('input', 'Input', { shape: [8] }, 0), node('a', 'Add', {}, 120), node('b', 'Dense', { units: 8 }, 240), node('out', 'Dense', { units: 2 }, 360)],
        edges: [edge('input', 'a'), edge('a', 'b'), edge('b', 'a'), edge('b', 'out')],
      };
      st.loadDocument(doc, { path: null, dirty: false });
    });
    await s.page.getByTestId('node-out').waitFor();
    const codes = await state<string[]>(s.page, "s.analysis.diagnostics.map((d) => d.code + ':' + (d.nodeId ?? ''))");
    expect(codes).toEqual(expect.arrayContaining(['cycle:a', 'cycle:b', 'after-cycle:out']));
    expect(codes.filter((c) => c.startsWith('no-output'))).toEqual([]);
    await s.page.getByTestId('node-warning-out').waitFor();
  });
});
