import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditorSession } from './editor-support';
import { connectHandles, dropLayer, editorSkipReason, focusCanvas, openEditorSession, textOf, waitUntil } from './editor-support';

// Builds the modern LeNet-5 by hand in the real editor: palette drags, handle
// drags and inspector fields, then breaks it, fixes it, undoes, saves, reopens.

if (editorSkipReason) console.log(editorSkipReason);

/** Keras output size of a window on one axis (REFERENCES: valid and same). */
const windowOut = (n: number, k: number, s: number, padding: 'same' | 'valid') => (padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
const convParams = (k: number, cin: number, filters: number) => k * k * cin * filters + filters;
const denseParams = (inputs: number, units: number) => inputs * units + units;

// Ids follow the editor's naming: kind in snake case plus a counter.
const layers = [
  { id: 'input_1', kind: 'Input', at: { x: 230, y: 60 }, params: {} },
  { id: 'conv2d_1', kind: 'Conv2D', at: { x: 230, y: 180 }, params: { filters: '6', kernelSize: '5' }, selects: { padding: 'same', activation: 'relu' } },
  { id: 'max_pooling2d_1', kind: 'MaxPooling2D', at: { x: 230, y: 300 }, params: {} },
  { id: 'conv2d_2', kind: 'Conv2D', at: { x: 230, y: 420 }, params: { filters: '16', kernelSize: '5' }, selects: { padding: 'valid', activation: 'relu' } },
  { id: 'max_pooling2d_2', kind: 'MaxPooling2D', at: { x: 230, y: 540 }, params: {} },
  { id: 'flatten_1', kind: 'Flatten', at: { x: 560, y: 60 }, params: {} },
  { id: 'dense_1', kind: 'Dense', at: { x: 560, y: 180 }, params: { units: '120' }, selects: { activation: 'relu' } },
  { id: 'dense_2', kind: 'Dense', at: { x: 560, y: 300 }, params: { units: '84' }, selects: { activation: 'relu' } },
  { id: 'dense_3', kind: 'Dense', at: { x: 560, y: 420 }, params: { units: '10' }, selects: { activation: 'softmax' } },
] as const;

describe.skipIf(!!editorSkipReason)('editor: LeNet-5 from an empty canvas', () => {
  let s: EditorSession;

  beforeAll(async () => {
    s = await openEditorSession();
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    expect(s?.pageErrors ?? []).toEqual([]);
  });

  it('drags nine layers from the palette and sets their parameters in the inspector', async () => {
    const { page } = s;
    await page.getByTestId('toolbar-new').click();
    await page.getByTestId('template-empty').click();
    await page.getByTestId('canvas-empty').waitFor();
    for (const layer of layers) {
      await dropLayer(page, layer.kind, layer.at);
      await page.getByTestId(`node-${layer.id}`).waitFor();
      // A new layer is selected, so the inspector shows its fields.
      await page.getByTestId('node-label-input').waitFor();
      expect(await page.getByTestId('node-label-input').getAttribute('placeholder')).toBe(layer.id);
      for (const [name, value] of Object.entries(layer.params)) await page.getByTestId(`param-${name}`).fill(value);
      for (const [name, value] of Object.entries('selects' in layer ? layer.selects : {})) await page.getByTestId(`param-${name}`).selectOption(value);
    }
    expect(await page.locator('.react-flow__node').count()).toBe(9);
  });

  it('connects the layers handle to handle and shows every shape and the 61,706 total', async () => {
    const { page } = s;
    for (let i = 1; i < layers.length; i++) {
      await connectHandles(page, layers[i - 1]!.id, layers[i]!.id);
      await page.getByTestId(`edge-label-e_${layers[i - 1]!.id}_${layers[i]!.id}`).waitFor();
    }
    const c1 = windowOut(28, 5, 1, 'same');
    const p1 = windowOut(c1, 2, 2, 'valid');
    const c2 = windowOut(p1, 5, 1, 'valid');
    const p2 = windowOut(c2, 2, 2, 'valid');
    const flat = p2 * p2 * 16;
    const expectedShapes: Record<string, string> = {
      input_1: '28×28×1',
      conv2d_1: `${c1}×${c1}×6`,
      max_pooling2d_1: `${p1}×${p1}×6`,
      conv2d_2: `${c2}×${c2}×16`,
      max_pooling2d_2: `${p2}×${p2}×16`,
      flatten_1: `${flat}`,
      dense_1: '120',
      dense_2: '84',
      dense_3: '10',
    };
    for (const [id, shape] of Object.entries(expectedShapes)) expect(await textOf(page, `node-shape-${id}`), id).toBe(shape);
    expect(await textOf(page, 'edge-label-e_max_pooling2d_1_conv2d_2')).toBe(expectedShapes.max_pooling2d_1);
    const total = convParams(5, 1, 6) + convParams(5, 6, 16) + denseParams(flat, 120) + denseParams(120, 84) + denseParams(84, 10);
    expect(total).toBe(61706); // the published figure (REFERENCES)
    expect(Number(await page.getByTestId('status-total').getAttribute('data-count'))).toBe(total);
    expect(Number(await page.getByTestId('node-params-conv2d_2').getAttribute('data-count'))).toBe(convParams(5, 6, 16));
    expect(await page.getByTestId('status-diagnostics').getAttribute('data-errors')).toBe('0');
  });

  it('refuses a second input into a single-input layer and a cycle, saying why while dragging', async () => {
    const { page } = s;
    const edges = await page.locator('.react-flow__edge').count();
    const dragAndRead = async (from: string, to: string): Promise<string> => {
      const a = (await page.getByTestId(`handle-out-${from}`).boundingBox())!;
      const b = (await page.getByTestId(`handle-in-${to}`).boundingBox())!;
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2 + 20, b.y + b.height / 2 - 20, { steps: 5 });
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
      const hint = await page.getByTestId('connection-hint').textContent({ timeout: 5000 });
      await page.mouse.up();
      return hint ?? '';
    };
    expect(await dragAndRead('input_1', 'max_pooling2d_1')).toMatch(/takes one input and already has one/);
    expect(await dragAndRead('dense_2', 'flatten_1')).toMatch(/one input|cycle/);
    // An Input has no input handle at all, so nothing can be dropped on it.
    expect(await page.getByTestId('handle-in-input_1').count()).toBe(0);
    expect(await page.locator('.react-flow__edge').count()).toBe(edges);
    expect(await page.getByTestId('connection-hint').count()).toBe(0);
  });

  it('shows a kernel that does not fit on the node at fault, and clears it when fixed', async () => {
    const { page } = s;
    await page.getByTestId('node-conv2d_2').click();
    await page.getByTestId('param-kernelSize').fill('15');
    await page.getByTestId('node-error-conv2d_2').waitFor();
    expect(await page.locator('[data-testid^="node-error-"]').count()).toBe(1);
    expect(await textOf(page, 'node-error-conv2d_2')).toMatch(/15×15/);
    expect(await page.getByTestId('status-diagnostics').getAttribute('data-errors')).toBe('1');
    // The problems list leads to the node.
    await page.getByTestId('status-diagnostics').click();
    const item = page.locator('[data-testid^="diagnostic-item-"][data-node-id="conv2d_2"]');
    await item.click();
    await waitUntil(() => page.getByTestId('node-label-input').getAttribute('placeholder'), (v) => v === 'conv2d_2', 'inspector after clicking the diagnostic');
    await page.getByTestId('diagnostics-close').click();
    // Leave the field so the fix is its own undo step.
    await focusCanvas(page);
    await page.getByTestId('node-conv2d_2').click();
    await page.getByTestId('param-kernelSize').fill('5');
    await page.getByTestId('node-error-conv2d_2').waitFor({ state: 'detached' });
    expect(Number(await page.getByTestId('status-total').getAttribute('data-count'))).toBe(61706);
  });

  it('undoes and redoes the fix with the keyboard and the toolbar', async () => {
    const { page } = s;
    await focusCanvas(page);
    await page.keyboard.press('Control+z');
    await page.getByTestId('node-error-conv2d_2').waitFor();
    await page.keyboard.press('Control+Shift+z');
    await page.getByTestId('node-error-conv2d_2').waitFor({ state: 'detached' });
    await page.getByTestId('toolbar-undo').click();
    await page.getByTestId('node-error-conv2d_2').waitFor();
    await page.getByTestId('toolbar-redo').click();
    await page.getByTestId('node-error-conv2d_2').waitFor({ state: 'detached' });
    expect(await textOf(page, 'node-shape-conv2d_2')).toBe('10×10×16');
  });

  it('moves a layer by dragging it, in one undo step', async () => {
    const { page } = s;
    const node = page.getByTestId('node-dense_3');
    const positionOf = () => page.evaluate(() => ({ ...window.netweaveEditor!.store.getState().document.graph.nodes.find((n) => n.id === 'dense_3')!.position }));
    // Let any view animation (centring on a diagnostic) settle before measuring the screen.
    const before = await waitUntil(
      async () => [(await node.boundingBox())!, await new Promise((r) => setTimeout(r, 150)).then(() => node.boundingBox())] as const,
      ([a, b]) => !!a && !!b && a.x === b!.x && a.y === b!.y,
      'node settles',
    ).then(([a]) => a);
    const start = await positionOf();
    const steps = await page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length);
    await page.mouse.move(before.x + 40, before.y + 12);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(before.x + 40 + i * 10, before.y + 12 + i * 5);
    await page.mouse.up();
    const moved = await positionOf();
    expect(moved.x - start.x).toBeGreaterThan(80);
    expect(moved.y - start.y).toBeGreaterThan(40);
    // Twelve pointer moves, one step.
    expect(await page.evaluate(() => window.netweaveEditor!.store.getState().history.past.length)).toBe(steps + 1);
    await focusCanvas(page);
    await page.keyboard.press('Control+z');
    await waitUntil(positionOf, (p) => p.x === start.x && p.y === start.y, 'position after undo');
    const back = (await node.boundingBox())!;
    expect(Math.abs(back.x - before.x)).toBeLessThan(2);
  });

  it('saves to a file, and reopening brings the same graph back', async () => {
    const { page } = s;
    const file = path.join(s.scratchDir, 'lenet-by-hand.netweave');
    expect(await page.getByTestId('dirty-marker').count()).toBe(1);
    await page.getByTestId('toolbar-save').click();
    await page.getByTestId('save-dialog').waitFor();
    await page.getByTestId('path-input').fill(file);
    await page.getByTestId('path-confirm').click();
    await waitUntil(() => textOf(page, 'doc-path'), (t) => t === file, 'path in the title bar');
    expect(await page.getByTestId('dirty-marker').count()).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { graph: { nodes: { id: string; params: Record<string, unknown> }[]; edges: unknown[] } };
    expect(saved.graph.nodes).toHaveLength(9);
    expect(saved.graph.edges).toHaveLength(8);
    expect(saved.graph.nodes.find((n) => n.id === 'conv2d_2')!.params.kernelSize).toEqual([5, 5]);

    await page.getByTestId('toolbar-new').click();
    await page.getByTestId('template-empty').click();
    await page.getByTestId('canvas-empty').waitFor();
    await page.getByTestId('toolbar-open').click();
    await page.getByTestId('open-dialog').waitFor();
    // The file just saved heads the recent list.
    await page.getByTestId('recent-item-0').click();
    expect(await page.getByTestId('path-input').inputValue()).toBe(file);
    await page.getByTestId('path-confirm').click();
    await page.getByTestId('node-conv2d_2').waitFor();
    expect(Number(await page.getByTestId('status-total').getAttribute('data-count'))).toBe(61706);
    expect(await textOf(page, 'node-shape-max_pooling2d_2')).toBe('5×5×16');
    expect(existsSync(file)).toBe(true);
  });
});
