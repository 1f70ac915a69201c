/**
 * Editor benchmark: opens large graphs in the real editor (built renderer,
 * real web host, headless Chromium) and prints how long until the canvas is
 * interactive and the frame rate while panning and dragging a node.
 * Goals: interactive within 1.5 s, panning and dragging at 30 fps or more.
 *
 *   node bin/run-ts.mjs test/bench/editor-bench.ts
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import type { Graph, NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import { createEditorStore } from '../../renderer/store/editor-store';
import { createFlowModel } from '../../renderer/store/flow-model';
import { launchChromium } from '../e2e/support/browser';
import { startWebHostProcess } from '../e2e/support/web-host-process';

/** A template with every block expanded; null when the template does not exist. */
function expandedTemplate(id: string, name: string): NetweaveDocument | null {
  const t = getTemplate(id)?.build();
  if (!t) return null;
  const store = createEditorStore(createDocument(t.graph, name, t.training));
  store.getState().setAllExpanded(true);
  return store.getState().document;
}

/** A residual MLP of about `count` layers: Dense → Dense → Add(skip), laid out in columns. */
function generatedGraph(count: number): NetweaveDocument {
  const graph: Graph = { nodes: [], edges: [] };
  const perColumn = 40;
  const place = () => {
    const i = graph.nodes.length;
    return { x: Math.floor(i / perColumn) * 320, y: (i % perColumn) * 110 };
  };
  const node = (id: string, kind: string, params: Record<string, unknown> = {}) => graph.nodes.push({ id, kind, params, position: place() });
  const edge = (source: string, target: string) => graph.edges.push({ id: `e_${source}_${target}`, source, target, sourcePort: 'out', targetPort: 'in' });
  node('input', 'Input', { shape: [64] });
  node('stem', 'Dense', { units: 64, activation: 'relu' });
  edge('input', 'stem');
  let previous = 'stem';
  for (let i = 0; graph.nodes.length + 3 <= count - 1; i++) {
    node(`a${i}`, 'Dense', { units: 64, activation: 'relu' });
    node(`b${i}`, 'Dense', { units: 64 });
    node(`add${i}`, 'Add');
    edge(previous, `a${i}`);
    edge(`a${i}`, `b${i}`);
    edge(`b${i}`, `add${i}`);
    edge(previous, `add${i}`);
    previous = `add${i}`;
  }
  node('head', 'Dense', { units: 10, activation: 'softmax' });
  edge(previous, 'head');
  return createDocument(graph, `Generated ${graph.nodes.length} layers`);
}

/** Loads a document and waits until every node is drawn and measured; returns milliseconds. */
function drawnNodeCount(doc: NetweaveDocument): number {
  const state = createEditorStore(doc).getState();
  return createFlowModel()({ ...state, measured: new Map() }).nodes.length;
}

async function timeToInteractive(page: Page, graphDocument: NetweaveDocument): Promise<{ ms: number; nodes: number }> {
  const expected = drawnNodeCount(graphDocument);
  // Start from an empty canvas so that nothing of a previous load counts.
  await page.evaluate(() => window.netweaveEditor!.store.getState().loadDocument({ ...window.netweaveEditor!.store.getState().document, graph: { nodes: [], edges: [] } }));
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 0);
  return page.evaluate(async ([doc, expected]) => {
    const editor = window.netweaveEditor!;
    const t0 = performance.now();
    editor.store.getState().loadDocument(doc as never);
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
    for (;;) {
      await frame();
      const nodes = document.querySelectorAll('.react-flow__node');
      const hidden = [...nodes].some((n) => (n as HTMLElement).style.visibility === 'hidden');
      if (nodes.length >= expected && !hidden) break;
      if (performance.now() - t0 > 30_000) break;
    }
    // One more frame: the first one that could answer input.
    await frame();
    return { ms: performance.now() - t0, nodes: document.querySelectorAll('.react-flow__node').length };
  }, [graphDocument as unknown, expected] as const);
}

/** Frames drawn per second while `action` runs, and the slowest frame. */
async function measureFps(page: Page, action: () => Promise<void>): Promise<{ fps: number; worstFrameMs: number; p95FrameMs: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __measuring: boolean };
    w.__frames = [];
    w.__measuring = true;
    const tick = (t: number) => {
      if (!w.__measuring) return;
      w.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await action();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __measuring: boolean };
    w.__measuring = false;
    return w.__frames;
  });
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  const span = frames[frames.length - 1]! - frames[0]!;
  return {
    fps: ((frames.length - 1) * 1000) / span,
    worstFrameMs: intervals[intervals.length - 1] ?? 0,
    p95FrameMs: intervals[Math.floor(intervals.length * 0.95)] ?? 0,
  };
}

async function pan(page: Page, durationMs: number): Promise<void> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  // An empty strip at the left edge of the canvas, below the minimap's row.
  const x = box.x + 40;
  const y = box.y + 60;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const end = Date.now() + durationMs;
  let i = 0;
  while (Date.now() < end) {
    i++;
    await page.mouse.move(x + Math.sin(i / 10) * 200 + 200, y + Math.cos(i / 13) * 150 + 150);
  }
  await page.mouse.up();
}

async function dragNode(page: Page, nodeId: string, durationMs: number): Promise<void> {
  const box = (await page.locator(`.react-flow__node[data-id="${nodeId}"]`).boundingBox())!;
  const x = box.x + 30;
  const y = box.y + 10;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const end = Date.now() + durationMs;
  let i = 0;
  while (Date.now() < end) {
    i++;
    await page.mouse.move(x + Math.sin(i / 8) * 120 + 120, y + Math.cos(i / 11) * 80);
  }
  await page.mouse.up();
}

async function visibleNodeId(page: Page): Promise<string> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node-layer')) {
      const r = el.getBoundingClientRect();
      if (r.top > canvas.top + 20 && r.bottom < canvas.bottom - 20 && r.left > canvas.left + 20 && r.right < canvas.right - 200 && !el.querySelector('.is-inner')) return el.dataset.id!;
    }
    return '';
  });
}

async function main(): Promise<void> {
  // @ts-expect-error: a plain ES module of the build scripts, without type declarations
  const { ensureRendererBuilt, builtRendererMode } = await import('../../scripts/lib/build-steps.mjs');
  ensureRendererBuilt({ log: () => undefined });
  const loadBefore = os.loadavg();
  const host = await startWebHostProcess();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    // tsx keeps function names with a helper that the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(host.url);
    await page.getByTestId('app').waitFor({ timeout: 30_000 });
    const densenet = expandedTemplate('densenet121', 'DenseNet-121 (expanded)');
    const cases: [string, NetweaveDocument][] = [
      ['ResNet-50, every block expanded', expandedTemplate('resnet50', 'ResNet-50 (expanded)')!],
      ...(densenet ? [['DenseNet-121, every block expanded', densenet] as [string, NetweaveDocument]] : []),
      ['generated graph', generatedGraph(1000)],
      ['generated graph', generatedGraph(5000)],
    ];
    console.log('Editor benchmark (headless Chromium, software rendering, this machine)');
    console.log(`renderer build: ${builtRendererMode() ?? 'unknown'}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min), ${os.cpus().length} cores`);
    if (!densenet) console.log('DenseNet-121: no densenet121 template yet, left out');
    for (const [name, doc] of cases) {
      // Warm-up load so that code paths are compiled, then the measured one.
      await timeToInteractive(page, doc);
      const load = await timeToInteractive(page, doc);
      await page.waitForTimeout(300);
      const target = await visibleNodeId(page);
      const dragging = target ? await measureFps(page, () => dragNode(page, target, 2500)) : null;
      const panning = await measureFps(page, () => pan(page, 2500));
      console.log(`\n${name}: ${doc.graph.nodes.length} document nodes, ${load.nodes} drawn`);
      console.log(`  interactive after   ${load.ms.toFixed(0)} ms   (goal ≤ 1500)`);
      console.log(`  panning             ${panning.fps.toFixed(1)} fps, p95 frame ${panning.p95FrameMs.toFixed(1)} ms, worst ${panning.worstFrameMs.toFixed(1)} ms   (goal ≥ 30 fps)`);
      if (dragging) console.log(`  dragging ${target.padEnd(10)} ${dragging.fps.toFixed(1)} fps, p95 frame ${dragging.p95FrameMs.toFixed(1)} ms, worst ${dragging.worstFrameMs.toFixed(1)} ms   (goal ≥ 30 fps)`);
      else console.log('  dragging            no layer in view to drag');
    }
    console.log(`\nload average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await browser.close();
    await host.stop();
  }
}

await main();
