import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditorSession } from './editor-support';
import { editorSkipReason, focusCanvas, openEditorSession, openTemplate, waitUntil } from './editor-support';

// Small windows (panels fold away, remembered), the minimap clear of the graph, palette
// double-click and drop-on-connection, keyboard reach and shortcuts, teaching tooltips.

if (editorSkipReason) console.log(editorSkipReason);

const small = { width: 1024, height: 700 };
const large = { width: 1440, height: 900 };

interface Box {
  id: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Every top-level layer's box on screen: the drawn element where there is one, else the box
 * its document position gives under the current viewport (a canvas that draws only what is
 * in view must not pass by drawing nothing).
 */
function layerBoxes(page: Page): Promise<{ canvas: Box; layers: Box[] }> {
  return page.evaluate(() => {
    const flow = document.querySelector('.nw-canvas .react-flow')!;
    const c = flow.getBoundingClientRect();
    const t = (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
    const m = /translate\(([-\d.e]+)px, ?([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(t)!;
    const [x, y, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const doc = window.netweaveEditor!.store.getState().document;
    const layers = doc.graph.nodes.map((n) => {
      const el = document.querySelector(`.react-flow__node[data-id="${CSS.escape(n.id)}"]`);
      if (el) {
        const r = el.getBoundingClientRect();
        return { id: n.id, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }
      const left = c.left + x + n.position.x * zoom;
      const top = c.top + y + n.position.y * zoom;
      return { id: n.id, left, top, right: left + 220 * zoom, bottom: top + 60 * zoom };
    });
    return { canvas: { id: 'canvas', left: c.left, top: c.top, right: c.right, bottom: c.bottom }, layers };
  });
}

const outside = (b: Box, area: Box) => b.left < area.left - 1 || b.top < area.top - 1 || b.right > area.right + 1 || b.bottom > area.bottom + 1;
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

async function offCanvas(page: Page): Promise<string[]> {
  const { canvas, layers } = await layerBoxes(page);
  return layers.filter((l) => outside(l, canvas)).map((l) => l.id);
}

async function rectOf(page: Page, selector: string): Promise<Box | null> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return r.width > 0 ? { id: sel, left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
  }, selector);
}

const docNodes = (page: Page) => page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.nodes.map((n) => n.id));
const docEdges = (page: Page) => page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.edges.map((e) => `${e.source}>${e.target}`));

/** Waits until Ctrl+Shift+L has switched to left to right and its auto-layout step is applied. */
async function laidOutLeftToRight(page: Page): Promise<void> {
  const state = () =>
    page.evaluate(() => {
      const s = window.netweaveEditor!.store.getState();
      return `${s.document.view.layoutDirection}|${s.history.past.at(-1)?.label}`;
    });
  await waitUntil(state, (v) => v === 'LR|Auto-layout', 'laid out left to right');
}

/** Waits until the view holds still (a Fit animates) with every layer in view. */
async function settled(page: Page, what: string): Promise<void> {
  let last = '';
  await waitUntil(
    async () => {
      const now = JSON.stringify(await layerBoxes(page));
      const still = now === last;
      last = now;
      return still && (await offCanvas(page)).length === 0;
    },
    (v) => v,
    what,
  );
}

async function shoot(s: EditorSession, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  for (const theme of ['dark', 'light'] as const) {
    const now = await s.page.evaluate(() => document.documentElement.dataset.theme);
    if (now !== theme) {
      // The command Shift+T runs, without moving the pointer (a tooltip being shown stays).
      await s.page.evaluate(() => window.netweaveEditor!.runCommand('theme'));
      await waitUntil(() => s.page.evaluate(() => document.documentElement.dataset.theme), (v) => v === theme, `${theme} theme`);
    }
    await s.page.screenshot({ path: `test-results/layout-${name}-${theme}.png` });
  }
}

describe.skipIf(!!editorSkipReason)('editor in small and large windows: panels, minimap, placement, keyboard, tooltips', () => {
  let s: EditorSession;

  beforeAll(async () => {
    s = await openEditorSession(small);
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    expect(s?.pageErrors ?? []).toEqual([]);
  });

  it('folds the palette, the side panel and the minimap away at 1024×700, and remembers it over a reload', async () => {
    const { page } = s;
    // A small window starts without the minimap.
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    const full = (await page.getByTestId('canvas').boundingBox())!.width;
    await page.getByTestId('palette-toggle').click();
    await page.getByTestId('side-panel-toggle').click();
    await page.getByTestId('side-rail').waitFor();
    expect(await page.getByTestId('palette').getAttribute('data-collapsed')).toBe('true');
    expect(await page.getByTestId('side-panel').count()).toBe(0);
    await focusCanvas(page);
    await page.keyboard.press('m');
    await page.locator('.react-flow__minimap').waitFor();
    // The canvas now has nearly the whole window.
    const folded = (await page.getByTestId('canvas').boundingBox())!.width;
    expect(folded).toBeGreaterThan(small.width - 80);
    expect(folded).toBeGreaterThan(full + 300);

    await page.reload();
    await page.getByTestId('app').waitFor();
    await page.getByTestId('side-rail').waitFor();
    expect(await page.getByTestId('palette').getAttribute('data-collapsed')).toBe('true');
    expect(await page.getByTestId('side-panel').count()).toBe(0);
    await page.locator('.react-flow__minimap').waitFor();

    // The same by keyboard, back again; also remembered.
    await focusCanvas(page);
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Control+Alt+b');
    await page.keyboard.press('m');
    await page.getByTestId('side-panel').waitFor();
    expect(await page.getByTestId('palette').getAttribute('data-collapsed')).toBe('false');
    await waitUntil(() => page.locator('.react-flow__minimap').count(), (n) => n === 0, 'minimap hidden');
    await page.reload();
    await page.getByTestId('app').waitFor();
    await page.getByTestId('side-panel').waitFor();
    expect(await page.getByTestId('palette').getAttribute('data-collapsed')).toBe('false');
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
  });

  it('keeps the whole graph in view at 1024×700 when Training or Code opens, and leaves the canvas room', async () => {
    const { page } = s;
    await openTemplate(s, 'resnet18');
    // Left to right, the graph spans the canvas' width: the case a narrower canvas cuts.
    await focusCanvas(page);
    await page.keyboard.press('Control+Shift+L');
    await laidOutLeftToRight(page);
    await page.keyboard.press('f');
    const spread = async () => {
      const { canvas, layers } = await layerBoxes(page);
      return (Math.max(...layers.map((l) => l.right)) - Math.min(...layers.map((l) => l.left))) / (canvas.right - canvas.left);
    };
    await waitUntil(spread, (v) => v > 0.5, 'fitted across the canvas');
    await waitUntil(() => offCanvas(page), (off) => off.length === 0, 'fitted');
    for (const key of ['Alt+3', 'Alt+2', 'Alt+1', 'Control+Alt+b', 'Control+Alt+b', 'Alt+4']) {
      await page.keyboard.press(key);
      await waitUntil(() => offCanvas(page), (off) => off.length === 0, `every layer in view after ${key}`);
      expect((await page.getByTestId('canvas').boundingBox())!.width, key).toBeGreaterThanOrEqual(400);
    }
    await page.keyboard.press('Alt+3');
    await page.getByTestId('side-panel').and(page.locator('[data-panel="training"]')).waitFor();
    await shoot(s, '1024-training');
    // Both panels folded: the graph grows into the room, still whole.
    await focusCanvas(page);
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Control+Alt+b');
    await page.getByTestId('side-rail').waitFor();
    await waitUntil(() => offCanvas(page), (off) => off.length === 0, 'every layer in view, panels folded');
    await shoot(s, '1024-folded');
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Control+Alt+b');
    await page.getByTestId('side-panel').waitFor();
  });

  it('fits the graph clear of the minimap and the zoom buttons at 1440×900', async () => {
    const { page } = s;
    await page.setViewportSize(large);
    // The minimap was hidden by choice above, and that choice is remembered: show it again (M).
    await focusCanvas(page);
    if ((await page.locator('.react-flow__minimap').count()) === 0) await page.keyboard.press('m');
    await page.locator('.react-flow__minimap').waitFor();
    const check = async (what: string) => {
      await focusCanvas(page);
      await page.keyboard.press('f');
      // Fit animates: wait until the layers are still and in view, then none may be under a panel.
      await settled(page, `${what}: fitted`);
      const mini = (await rectOf(page, '.react-flow__minimap'))!;
      const zoom = (await rectOf(page, '.react-flow__controls'))!;
      const { layers } = await layerBoxes(page);
      expect(layers.filter((l) => overlap(l, mini)).map((l) => l.id), `${what}: under the minimap`).toEqual([]);
      expect(layers.filter((l) => overlap(l, zoom)).map((l) => l.id), `${what}: under the zoom buttons`).toEqual([]);
    };
    for (const id of ['resnet18', 'googlenet', 'lenet5']) {
      await openTemplate(s, id);
      await page.keyboard.press('Alt+1');
      await check(`${id} top to bottom`);
      await focusCanvas(page);
      await page.keyboard.press('Control+Shift+L');
      await laidOutLeftToRight(page);
      await check(`${id} left to right`);
      if (id === 'resnet18') await shoot(s, '1440-resnet18-lr');
    }
  });

  it('adds a double-clicked palette layer at a free spot, never on top of another', async () => {
    const { page } = s;
    await page.setViewportSize(small);
    await openTemplate(s, 'lenet5');
    await focusCanvas(page);
    await page.keyboard.press('f');
    for (const kind of ['Dense', 'Dense', 'Dropout', 'BatchNormalization', 'Conv2D']) {
      const before = (await docNodes(page)).length;
      await page.getByTestId(`palette-item-${kind}`).dblclick();
      await waitUntil(async () => (await docNodes(page)).length, (n) => n === before + 1, `${kind} added`);
    }
    await waitUntil(() => page.locator('.react-flow__node').count(), (n) => n === 14, 'every layer drawn');
    const { canvas, layers } = await layerBoxes(page);
    expect(layers.length).toBe(14);
    const clashes: string[] = [];
    for (let i = 0; i < layers.length; i++) for (let j = i + 1; j < layers.length; j++) if (overlap(layers[i]!, layers[j]!)) clashes.push(`${layers[i]!.id}/${layers[j]!.id}`);
    expect(clashes).toEqual([]);
    // The new ones are where the user is looking.
    expect(layers.slice(9).filter((l) => outside(l, canvas)).map((l) => l.id)).toEqual([]);
  });

  it('inserts a layer dropped onto a connection into it: the edge splits and the shapes follow', async () => {
    const { page } = s;
    await openTemplate(s, 'lenet5');
    await focusCanvas(page);
    await page.keyboard.press('f');
    await settled(page, 'fitted');
    const edgeId = await page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.edges.find((e) => e.source === 'flatten' && e.target === 'fc1')!.id);
    const fc1Before = Number(await page.getByTestId('node-params-fc1').getAttribute('data-count'));
    // A point on the drawn line a quarter of the way along (not its label), relative to the canvas.
    const at = await page.evaluate((id) => {
      const path = document.querySelector(`.react-flow__edge[data-id="${CSS.escape(id)}"] path.react-flow__edge-path`) as SVGPathElement;
      const p = path.getPointAtLength(path.getTotalLength() * 0.25);
      const screen = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM()!);
      const c = document.querySelector('.nw-canvas')!.getBoundingClientRect();
      return { x: screen.x - c.left, y: screen.y - c.top };
    }, edgeId);
    await page.getByTestId('palette-item-Dense').dragTo(page.getByTestId('canvas'), { targetPosition: at });
    await waitUntil(() => docEdges(page), (edges) => !edges.includes('flatten>fc1'), 'connection split');
    const edges = await docEdges(page);
    expect(edges).toContain('flatten>dense_1');
    expect(edges).toContain('dense_1>fc1');
    // Dense(64) now feeds fc1: 64 · 120 + 120 parameters instead of 400 · 120 + 120.
    expect(fc1Before).toBe(400 * 120 + 120);
    await waitUntil(async () => Number(await page.getByTestId('node-params-fc1').getAttribute('data-count')), (n) => n === 64 * 120 + 120, 'fc1 recounted');
    const labels = await page.locator('[data-testid^="edge-label-"]').allTextContents();
    expect(labels.some((t) => t.includes('64'))).toBe(true);
    // The new layer does not sit on its neighbours.
    const { layers } = await layerBoxes(page);
    const dense = layers.find((l) => l.id === 'dense_1')!;
    expect(layers.filter((l) => l.id !== 'dense_1' && overlap(l, dense)).map((l) => l.id)).toEqual([]);
    // One undo step puts the connection back.
    await focusCanvas(page);
    await page.keyboard.press('Control+z');
    await waitUntil(() => docEdges(page), (e) => e.includes('flatten>fc1') && !e.some((x) => x.includes('dense_1')), 'undone');

    // Onto a shape label works too; an Input cannot sit inside a connection and is only added.
    const label = (await page.getByTestId(`edge-label-${edgeId}`).boundingBox())!;
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    await page.getByTestId('palette-item-Dropout').dragTo(page.getByTestId('canvas'), { targetPosition: { x: label.x - canvas.x + label.width / 2, y: label.y - canvas.y + label.height / 2 } });
    await waitUntil(() => docEdges(page), (e) => e.includes('flatten>dropout_1') && e.includes('dropout_1>fc1'), 'inserted on the label');
    const before = await docEdges(page);
    const pool = (await page.getByTestId('edge-label-' + (await page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.edges.find((e) => e.source === 'conv1')!.id))).boundingBox())!;
    await page.getByTestId('palette-item-Input').dragTo(page.getByTestId('canvas'), { targetPosition: { x: pool.x - canvas.x + pool.width / 2, y: pool.y - canvas.y + pool.height / 2 } });
    await waitUntil(async () => (await docNodes(page)).length, (n) => n === 11, 'Input added');
    expect(await docEdges(page)).toEqual(before);
  });

  it('reaches the first layer in a few Tab presses, and every toolbar action has a shortcut in the ? list', async () => {
    const { page } = s;
    // A fresh start with a graph: an edit, its recovery file written, a reload, Recover.
    await openTemplate(s, 'lenet5');
    await focusCanvas(page);
    await page.keyboard.press('Control+l');
    const recovery = path.join(s.host.userDataDir, 'recovery', 'recovery.netweave.json');
    await waitUntil(async () => existsSync(recovery) && readFileSync(recovery, 'utf8').includes('"conv1"'), (v) => v, 'recovery written', 20_000);
    await page.reload();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    await waitUntil(() => docNodes(page), (ids) => ids.includes('conv1'), 'recovered');
    let presses = 0;
    const active = () => page.evaluate(() => ({ testId: document.activeElement?.getAttribute('data-testid') ?? '', node: (document.activeElement as HTMLElement | null)?.closest('.react-flow__node')?.getAttribute('data-id') ?? null }));
    while (presses < 3 && (await active()).testId !== 'skip-to-graph' && !(await active()).node) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect((await active()).testId).toBe('skip-to-graph');
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await active()).node, (id) => id === 'input', 'the Input layer has the focus');
    expect(presses).toBeLessThanOrEqual(3);
    // The focused layer is selected: the keys that act on the selection work from here (J connects on, Delete removes).
    expect(await page.evaluate(() => [...window.netweaveEditor!.store.getState().selectedNodes])).toEqual(['input']);

    // Every action of the top bar, its Export menu, the side-panel tabs, the panel folds and the align bar.
    await page.keyboard.press('Control+a');
    await page.getByTestId('align-toolbar').waitFor();
    await page.getByTestId('toolbar-export').click();
    await page.getByTestId('export-png').waitFor();
    const buttons = await page.evaluate(() =>
      [...document.querySelectorAll('.nw-topbar button, .nw-menu-list button, [data-testid="align-toolbar"] button, [data-testid="side-panel"] > .nw-tabs button, [data-testid="palette-toggle"], [data-testid="side-panel-toggle"]')].map((b) => ({
        id: b.getAttribute('data-testid'),
        command: b.getAttribute('data-command'),
      })),
    );
    await page.keyboard.press('Escape');
    const actions = buttons.filter((b) => b.id !== 'toolbar-export');
    expect(actions.length).toBeGreaterThan(30);
    expect(actions.filter((b) => !b.command).map((b) => b.id)).toEqual([]);
    await page.getByTestId('toolbar-help').click();
    await page.getByTestId('shortcuts-help').waitFor();
    const missing: string[] = [];
    for (const { id, command } of actions) {
      const row = page.getByTestId(`shortcut-${command}`);
      if ((await row.count()) === 0 || (await row.locator('kbd').count()) === 0) missing.push(`${id} (${command})`);
    }
    expect(missing).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-help').waitFor({ state: 'detached' });
  });

  it('teaches on hover: a palette item and a parameter show their explanation and formula in a styled tooltip', async () => {
    const { page } = s;
    await openTemplate(s, 'lenet5');
    const item = page.getByTestId('palette-item-Conv2D');
    expect(await item.getAttribute('title')).toBeNull();
    await item.hover();
    const tip = page.getByTestId('tooltip');
    await tip.waitFor();
    expect(await tip.getByTestId('tooltip-summary').textContent()).toContain('Slides learned filters over the image');
    expect(await tip.getByTestId('tooltip-formula-params').textContent()).toContain('kh · kw · Cin · filters');
    expect(await tip.getByTestId('tooltip-formula-output').textContent()).toContain('ceil(n / s)');
    const style = await tip.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { position: cs.position, background: cs.backgroundColor, radius: cs.borderTopLeftRadius };
    });
    expect(style.position).toBe('fixed');
    expect(style.background).not.toBe('rgba(0, 0, 0, 0)');
    expect(style.radius).not.toBe('0px');
    // Beside the palette, inside the window.
    const tipBox = (await tip.boundingBox())!;
    const itemBox = (await item.boundingBox())!;
    expect(tipBox.x).toBeGreaterThanOrEqual(itemBox.x + itemBox.width);
    expect(tipBox.y + tipBox.height).toBeLessThanOrEqual(small.height);
    await page.mouse.move(600, 400);
    await tip.waitFor({ state: 'detached' });

    // A parameter of a selected Conv2D: its one line, and the formula with this node's numbers.
    await page.getByTestId('node-conv2').click({ position: { x: 40, y: 12 } });
    await page.getByTestId('param-label-filters').hover();
    await tip.waitFor();
    expect(await tip.getByTestId('tooltip-summary').textContent()).toBe('Number of output channels.');
    const params = (await tip.getByTestId('tooltip-formula-params').textContent()) ?? '';
    expect(params).toContain('kh · kw · Cin · filters');
    // conv2: 5 · 5 · 6 · 16 + 16 = 2,416.
    expect(params).toContain('2,416');
    const paramTip = (await tip.boundingBox())!;
    expect(paramTip.x + paramTip.width).toBeLessThanOrEqual(small.width);
    await shoot(s, '1024-param-tooltip');
    await page.getByTestId('palette-item-Dense').hover();
    await tip.waitFor();
    await shoot(s, '1024-palette-tooltip');
  });
});
