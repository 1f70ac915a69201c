import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../../graph-schema/templates/index';
import type { EditorSession } from './editor-support';
import { editorSkipReason, focusCanvas, openEditorSession, openTemplate, textOf, waitUntil } from './editor-support';

// Templates, composite blocks, editing shortcuts, diagram export and crash recovery in the real editor.

if (editorSkipReason) console.log(editorSkipReason);

const count = async (s: EditorSession, selector: string) => s.page.locator(selector).count();
const total = async (s: EditorSession) => Number(await s.page.getByTestId('status-total').getAttribute('data-count'));
const nodeIds = (s: EditorSession) => s.page.evaluate(() => window.netweaveEditor!.store.getState().document.graph.nodes.map((n) => n.id));

describe.skipIf(!!editorSkipReason)('editor: templates, blocks, shortcuts, export, recovery', () => {
  let s: EditorSession;

  beforeAll(async () => {
    s = await openEditorSession();
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    expect(s?.pageErrors ?? []).toEqual([]);
  });

  it('opens every template of the gallery without a single error', async () => {
    for (const t of templates) {
      await openTemplate(s, t.id);
      expect(await s.page.getByTestId('status-diagnostics').getAttribute('data-errors'), t.id).toBe('0');
      expect(await count(s, '[data-testid^="node-error-"]'), t.id).toBe(0);
    }
  });

  it('shows the published ResNet50 totals, and expanding every block keeps them', async () => {
    await openTemplate(s, 'resnet50');
    // Keras Applications (REFERENCES): 25,636,712 = 25,583,592 trainable + 53,120 non-trainable.
    expect(await total(s)).toBe(25_636_712);
    expect(Number(await s.page.getByTestId('status-nontrainable').getAttribute('data-count'))).toBe(53_120);
    const collapsed = await count(s, '.react-flow__node');
    await s.page.getByTestId('toolbar-expand-all').click();
    await waitUntil(() => count(s, '.react-flow__node'), (n) => n > collapsed * 4, 'layers of the expanded blocks');
    expect(await total(s)).toBe(25_636_712);
    // Every block frame shows its own total, and its layers add up to it.
    const frames = await s.page.locator('.react-flow__node-block').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    expect(frames.length).toBe(16);
    const first = frames[0]!;
    const frameCount = Number(await s.page.getByTestId(`node-params-${first}`).getAttribute('data-count'));
    const inner = await s.page.locator(`[data-testid^="node-params-${first}::"]`).evaluateAll((els) => els.reduce((a, e) => a + Number(e.getAttribute('data-count')), 0));
    expect(inner).toBe(frameCount);
    await s.page.getByTestId('toolbar-collapse-all').click();
    await waitUntil(() => count(s, '.react-flow__node'), (n) => n === collapsed, 'collapsed again');
  });

  it('expands a ResNet-18 block in place, draws its skip connection apart, and undoes it', async () => {
    await openTemplate(s, 'resnet18');
    await s.page.waitForTimeout(300);
    await s.page.screenshot({ path: 'test-results/editor-resnet18-overview.png' });
    const before = await total(s);
    await s.page.getByTestId('node-expand-conv2_block2').click();
    await s.page.getByTestId('node-expand-conv3_block1').click();
    await s.page.getByTestId('node-conv2_block2::add').waitFor();
    expect(await total(s)).toBe(before);
    // Identity shortcut in conv2_block2, projection shortcut (with its layers) in conv3_block1.
    const skips = await s.page.locator('[data-testid^="edge-label-"][data-skip="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(skips.some((id) => id!.startsWith('edge-label-conv2_block2::'))).toBe(true);
    expect(skips.filter((id) => id!.startsWith('edge-label-conv3_block1::')).length).toBeGreaterThanOrEqual(2);
    // Layers below moved down to make room, so the frames overlap nothing.
    const frame = (await s.page.getByTestId('node-conv3_block1').boundingBox())!;
    const next = (await s.page.getByTestId('node-conv3_block2').boundingBox())!;
    expect(next.y).toBeGreaterThan(frame.y + frame.height);
    // Shift+F fits the selection: both expanded blocks fill the canvas for the picture.
    await s.page.getByTestId('node-conv2_block2').click({ position: { x: 40, y: 12 } });
    await s.page.getByTestId('node-conv3_block1').click({ position: { x: 40, y: 12 }, modifiers: ['Control'] });
    await s.page.keyboard.press('Shift+F');
    await s.page.keyboard.press('Escape');
    await s.page.waitForTimeout(500);
    await s.page.screenshot({ path: 'test-results/editor-resnet18.png' });
    await focusCanvas(s.page);
    await s.page.keyboard.press('Control+z');
    await s.page.keyboard.press('Control+z');
    await s.page.getByTestId('node-conv2_block2::add').waitFor({ state: 'detached' });
  });

  it('copies, pastes, duplicates, selects all and deletes with the keyboard', async () => {
    await openTemplate(s, 'mlp-mnist');
    const ids = await nodeIds(s);
    const last = ids[ids.length - 1]!;
    await s.page.getByTestId(`node-${last}`).click();
    await s.page.keyboard.press('Control+c');
    await s.page.keyboard.press('Control+v');
    await waitUntil(() => nodeIds(s), (v) => v.length === ids.length + 1, 'pasted layer');
    await s.page.keyboard.press('Control+d');
    await waitUntil(() => nodeIds(s), (v) => v.length === ids.length + 2, 'duplicated layer');
    const copies = (await nodeIds(s)).filter((id) => !ids.includes(id));
    for (const id of copies) expect(await textOf(s.page, `node-shape-${id}`)).toBe('?');
    await s.page.keyboard.press('Delete');
    await waitUntil(() => nodeIds(s), (v) => v.length === ids.length + 1, 'deleted the duplicate');
    await s.page.keyboard.press('Control+a');
    await s.page.keyboard.press('Delete');
    await s.page.getByTestId('canvas-empty').waitFor();
    await s.page.keyboard.press('Control+z');
    await waitUntil(() => nodeIds(s), (v) => v.length === ids.length + 1, 'undo of delete all');
  });

  it('adds a layer after the selected one from the quick-add box', async () => {
    await openTemplate(s, 'mlp-mnist');
    const ids = await nodeIds(s);
    const last = ids[ids.length - 1]!;
    await s.page.getByTestId(`node-${last}`).click();
    const canvas = (await s.page.getByTestId('canvas').boundingBox())!;
    await s.page.mouse.dblclick(canvas.x + canvas.width - 120, canvas.y + canvas.height / 2);
    await s.page.getByTestId('quick-add-input').fill('drop');
    await s.page.keyboard.press('Enter');
    const added = await waitUntil(() => nodeIds(s), (v) => v.length === ids.length + 1, 'quick-added layer');
    const id = added.find((x) => !ids.includes(x))!;
    expect(id).toMatch(/^dropout_/);
    // Connected after the selected layer: it shows that layer's output shape.
    expect(await textOf(s.page, `node-shape-${id}`)).toBe(await textOf(s.page, `node-shape-${last}`));
  });

  it('lays the graph out top to bottom with Ctrl+L, in one undo step', async () => {
    const before = await s.page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length);
    await focusCanvas(s.page);
    await s.page.keyboard.press('Control+l');
    await waitUntil(() => s.page.evaluate(() => window.netweaveEditor!.store.getState().history.past.at(-1)?.label), (l) => l === 'Auto-layout', 'layout step');
    const positions = await s.page.evaluate(() => {
      const { graph } = window.netweaveEditor!.store.getState().document;
      const at = new Map(graph.nodes.map((n) => [n.id, n.position]));
      return graph.edges.map((e) => [at.get(e.source)!.y, at.get(e.target)!.y]);
    });
    for (const [from, to] of positions) expect(to!).toBeGreaterThan(from!);
    expect(await s.page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length)).toBe(before + 1);
  });

  it('shows the effect of an edit while typing, with the formula filled in', async () => {
    await openTemplate(s, 'lenet5');
    await s.page.getByTestId('node-conv1').click();
    expect(await textOf(s.page, 'inspector-formula-params')).toBe('5 · 5 · 1 · 6 + 6 = 156');
    await s.page.getByTestId('param-filters').fill('8');
    expect(await textOf(s.page, 'inspector-effect')).toContain('156 → 208');
    expect(await textOf(s.page, 'inspector-formula-params')).toBe('5 · 5 · 1 · 8 + 8 = 208');
    await s.page.getByTestId('param-filters').fill('0');
    expect(await textOf(s.page, 'param-error-filters')).toMatch(/at least 1/);
    // The last valid value stays in the graph.
    expect(await textOf(s.page, 'node-shape-conv1')).toBe('28×28×8');
  });

  it('exports the diagram as SVG made of plain shapes, and as PNG', async () => {
    await s.page.getByTestId('toolbar-export').click();
    const [svgDownload] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-svg').click()]);
    const svg = readFileSync((await svgDownload.path())!, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).not.toContain('foreignObject');
    expect(svg).toContain('28×28×8');
    expect((svg.match(/<rect /g) ?? []).length).toBeGreaterThan(9);
    await s.page.getByTestId('toolbar-export').click();
    const [pngDownload] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-png').click()]);
    const png = readFileSync((await pngDownload.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);
  });

  it('lists the keyboard shortcuts', async () => {
    await focusCanvas(s.page);
    await s.page.keyboard.press('Shift+?');
    await s.page.getByTestId('shortcuts-help').waitFor();
    expect(await textOf(s.page, 'shortcuts-help')).toContain('Auto-layout');
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('shortcuts-help').waitFor({ state: 'detached' });
  });

  it('offers the unsaved work after the window went away without saving', async () => {
    await openTemplate(s, 'perceptron');
    const ids = await nodeIds(s);
    await s.page.getByTestId(`node-${ids[ids.length - 1]}`).click();
    await s.page.getByTestId('node-label-input').fill('my precious neuron');
    // The recovery file is written every few seconds while there are unsaved changes.
    await s.page.waitForTimeout(5500);
    await s.page.close({ runBeforeUnload: false });
    s.page = await s.browser.contexts()[0]!.newPage();
    s.page.on('pageerror', (error) => s.pageErrors.push(error.message));
    await s.page.goto(s.host.url);
    await s.page.getByTestId('confirm-dialog').waitFor();
    expect(await textOf(s.page, 'confirm-dialog')).toContain('Perceptron');
    await s.page.getByTestId('confirm-ok').click();
    await waitUntil(() => nodeIds(s), (v) => v.length === ids.length, 'recovered graph');
    expect(await textOf(s.page, `node-${ids[ids.length - 1]}`)).toContain('my precious neuron');
    expect(await s.page.getByTestId('dirty-marker').count()).toBe(1);
  });
});
