/**
 * Editor benchmark: opens large graphs in the real editor (built renderer,
 * real web host, headless Chromium) and prints how long until the canvas is
 * interactive and the frame rate while panning and dragging a node.
 * Every figure is printed with the 1-minute load average at the time it was
 * taken (the machine may be shared), and the run says which renderer build
 * (production or development) it measured.
 * Goals on a quiet machine: 5,000 layers interactive within 1.5 s, panning at
 * 60 fps and dragging at 55 fps or more; 1,000 layers interactive within 500 ms.
 *
 *   node bin/run-ts.mjs test/bench/editor-bench.ts
 */
import os from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import type { Graph, NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { layOutDocument } from '../../graph-schema/layout/elk-bundled';
import { getTemplate } from '../../graph-schema/templates/index';
import { createEditorStore } from '../../renderer/store/editor-store';
import { createFlowModel } from '../../renderer/store/flow-model';
import { launchChromium } from '../e2e/support/browser';
import { generatedGraph } from './generated-graph';
import { startWebHostProcess } from '../e2e/support/web-host-process';

/** A template with every block expanded; null when the template does not exist. */
function expandedTemplate(id: string, name: string): NetweaveDocument | null {
  const t = getTemplate(id)?.build();
  if (!t) return null;
  const store = createEditorStore(createDocument(t.graph, name, t.training));
  store.getState().setAllExpanded(true);
  return store.getState().document;
}

/**
 * DenseNet-121 (Huang et al. 2017, as Keras Applications builds it) as plain
 * layers: a stem, dense blocks of 6, 12, 24 and 16 units (BN, ReLU, 1×1 conv
 * 128, BN, ReLU, 3×3 conv 32, concatenate), transitions (BN, ReLU, 1×1 conv
 * halving the channels, 2×2 average pool) and the head: 429 layers with the
 * input. Used while the densenet121 template does not exist.
 */
async function denseNet121(): Promise<NetweaveDocument> {
  const graph: Graph = { nodes: [], edges: [] };
  const layer = (id: string, kind: string, params: Record<string, unknown>, from: string | string[] | null) => {
    graph.nodes.push({ id, kind, params, position: { x: 0, y: 0 } });
    for (const source of from === null ? [] : Array.isArray(from) ? from : [from]) graph.edges.push({ id: `e_${source}_${id}`, source, target: id, sourcePort: 'out', targetPort: 'in' });
    return id;
  };
  const bnRelu = (name: string, from: string) => layer(`${name}_relu`, 'Activation', { activation: 'relu' }, layer(`${name}_bn`, 'BatchNormalization', { epsilon: 1.001e-5 }, from));
  const conv = (id: string, filters: number, k: number, from: string, strides = 1) =>
    layer(id, 'Conv2D', { filters, kernelSize: [k, k], strides: [strides, strides], padding: k === 1 || strides > 1 ? 'valid' : 'same', useBias: false }, from);
  let x = layer('input', 'Input', { shape: [224, 224, 3] }, null);
  x = layer('zero_padding2d', 'ZeroPadding2D', { heightPadding: [3, 3], widthPadding: [3, 3] }, x);
  x = conv('conv1_conv', 64, 7, x, 2);
  x = bnRelu('conv1', x);
  x = layer('zero_padding2d_1', 'ZeroPadding2D', { heightPadding: [1, 1], widthPadding: [1, 1] }, x);
  x = layer('pool1', 'MaxPooling2D', { poolSize: [3, 3], strides: [2, 2], padding: 'valid' }, x);
  let channels = 64;
  [6, 12, 24, 16].forEach((units, b) => {
    for (let u = 1; u <= units; u++) {
      const name = `conv${b + 2}_block${u}`;
      let y = bnRelu(`${name}_0`, x);
      y = conv(`${name}_1_conv`, 128, 1, y);
      y = bnRelu(`${name}_1`, y);
      y = conv(`${name}_2_conv`, 32, 3, y);
      x = layer(`${name}_concat`, 'Concatenate', { axis: -1 }, [x, y]);
      channels += 32;
    }
    if (b < 3) {
      const name = `pool${b + 2}`;
      channels = Math.floor(channels / 2);
      x = layer(`${name}_pool`, 'AveragePooling2D', { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }, conv(`${name}_conv`, channels, 1, bnRelu(name, x)));
    }
  });
  x = layer('relu', 'Activation', { activation: 'relu' }, layer('bn', 'BatchNormalization', { epsilon: 1.001e-5 }, x));
  x = layer('avg_pool', 'GlobalAveragePooling2D', {}, x);
  layer('predictions', 'Dense', { units: 1000, activation: 'softmax' }, x);
  return layOutDocument(createDocument(graph, 'DenseNet-121'), { aspectRatio: 1.6 });
}

function drawnNodeCount(doc: NetweaveDocument): number {
  const state = createEditorStore(doc).getState();
  return createFlowModel()({ ...state, measured: new Map() }).nodes.length;
}

/**
 * Loads a document and waits until it is drawn: every layer on the far canvas
 * (a large graph zoomed out), or every layer element in view measured and
 * shown; returns milliseconds and what was drawn.
 */
async function timeToInteractive(page: Page, graphDocument: NetweaveDocument): Promise<{ ms: number; drawn: number; elements: number }> {
  const expected = drawnNodeCount(graphDocument);
  // Start from an empty canvas so that nothing of a previous load counts.
  await page.evaluate(() => window.netweaveEditor!.store.getState().loadDocument({ ...window.netweaveEditor!.store.getState().document, graph: { nodes: [], edges: [] } }));
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 0 && !document.querySelector('[data-testid="far-canvas"]'));
  return page.evaluate(async ([doc, expected]) => {
    const editor = window.netweaveEditor!;
    const t0 = performance.now();
    editor.store.getState().loadDocument(doc as never);
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
    let previous = -1;
    let drawn = 0;
    let elements = 0;
    for (;;) {
      await frame();
      const nodes = document.querySelectorAll('.react-flow__node');
      const far = Number(document.querySelector<HTMLElement>('[data-testid="far-canvas"]')?.dataset.drawn ?? 0);
      const hidden = [...nodes].some((n) => (n as HTMLElement).style.visibility === 'hidden');
      elements = nodes.length;
      drawn = far > 0 ? far : nodes.length;
      if (far >= expected && nodes.length === 0) break;
      // Only the layers in view are created: ready once they are all measured and no more appear.
      if (far === 0 && nodes.length > 0 && !hidden && (nodes.length >= expected || nodes.length === previous)) break;
      previous = far === 0 && !hidden ? nodes.length : -1;
      if (performance.now() - t0 > 30_000) break;
    }
    // One more frame: the first one that could answer input.
    await frame();
    return { ms: performance.now() - t0, drawn, elements };
  }, [graphDocument as unknown, expected] as const);
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/** Chromium's main-thread time counters (seconds since the first call for this page), from the DevTools protocol. */
async function mainThreadTimes(page: Page): Promise<{ task: number; script: number; styleLayout: number }> {
  // One session per page: the counters run from Performance.enable on that session.
  if (!sessions.has(page)) {
    sessions.set(
      page,
      page
        .context()
        .newCDPSession(page)
        .then(async (cdp) => {
          await cdp.send('Performance.enable');
          return cdp;
        }),
    );
  }
  const cdp = await sessions.get(page)!;
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), styleLayout: get('RecalcStyleDuration') + get('LayoutDuration') };
}

/**
 * Frames drawn per second while `action` runs, the slowest frame, and the renderer's main-thread
 * time per frame (less dependent on the machine's load than the frame rate: headless Chromium
 * ticks at 60 or 120 Hz depending on how busy it is).
 */
async function measureFps(page: Page, action: () => Promise<void>): Promise<{ fps: number; worstFrameMs: number; p95FrameMs: number; busyMs: number; scriptMs: number; styleLayoutMs: number }> {
  const t0 = await mainThreadTimes(page);
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
  const t1 = await mainThreadTimes(page);
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  const span = frames[frames.length - 1]! - frames[0]!;
  const perFrame = (seconds: number) => (seconds * 1000) / Math.max(1, frames.length - 1);
  return {
    busyMs: perFrame(t1.task - t0.task),
    scriptMs: perFrame(t1.script - t0.script),
    styleLayoutMs: perFrame(t1.styleLayout - t0.styleLayout),
    fps: ((frames.length - 1) * 1000) / span,
    worstFrameMs: intervals[intervals.length - 1] ?? 0,
    p95FrameMs: intervals[Math.floor(intervals.length * 0.95)] ?? 0,
  };
}

async function pan(page: Page, durationMs: number): Promise<void> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  // An empty spot near the left edge of the canvas (the pane itself, no layer on it).
  const start = await page.evaluate(([left, top, height]) => {
    for (let y = top + 60; y < top + height - 60; y += 23) {
      for (let x = left + 40; x < left + 400; x += 37) if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
    }
    return { x: left + 40, y: top + 60 };
  }, [box.x, box.y, box.height] as const);
  const { x, y } = start;
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

/** Drags from a point (a layer's top-left corner plus a little) around for `durationMs`. */
async function dragFrom(page: Page, x: number, y: number, durationMs: number): Promise<void> {
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

/** A top-level layer well inside the canvas (clear of the panels), and a point on it to press. */
async function layerInView(page: Page): Promise<{ id: string; x: number; y: number } | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(viewport.style.transform);
    if (!m) return null;
    const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const nodes = window.netweaveEditor!.store.getState().document.graph.nodes.filter((n) => n.kind !== 'ResidualBlock' && n.kind !== 'InceptionBlock');
    const cx = canvas.left + canvas.width / 2;
    const cy = canvas.top + canvas.height / 2;
    let best: { id: string; x: number; y: number; d: number } | null = null;
    for (const n of nodes) {
      const x = pane.left + tx + (n.position.x + 12) * zoom;
      const y = pane.top + ty + (n.position.y + 8) * zoom;
      const d = Math.hypot(x - cx, y - cy);
      if (x > canvas.left + 40 && x < canvas.right - 300 && y > canvas.top + 40 && y < canvas.bottom - 200 && (!best || d < best.d)) best = { id: n.id, x, y, d };
    }
    return best && { id: best.id, x: best.x, y: best.y };
  });
}

/**
 * Zooms with the wheel around the middle of the graph until the zoom is about `zoom`. (Fit leaves
 * a long, flat graph as a thin strip clear of the minimap, so the canvas centre can lie beside it.)
 */
async function zoomTo(page: Page, zoom: number): Promise<void> {
  const at = await page.evaluate(() => {
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
    const [tx, ty, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const nodes = window.netweaveEditor!.store.getState().document.graph.nodes;
    const xs = nodes.map((n) => n.position.x);
    const ys = nodes.map((n) => n.position.y);
    const cx = (Math.min(...xs) + Math.max(...xs) + 220) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys) + 86) / 2;
    // Left of the middle, as before: the side panel's half of the canvas stays clear of the minimap.
    return { x: Math.max(pane.left + 60, Math.min(pane.right - 260, pane.left + tx + cx * z - 100)), y: Math.max(pane.top + 60, Math.min(pane.bottom - 200, pane.top + ty + cy * z)) };
  });
  await page.mouse.move(at.x, at.y);
  for (let i = 0; i < 40; i++) {
    const now = await page.evaluate(() => Number(/scale\(([-\d.e]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)?.[1] ?? 1));
    if (Math.abs(Math.log2(now / zoom)) < 0.1) break;
    // d3-zoom: a wheel step of 100 scales by 2^0.2 (Ctrl not needed).
    await page.mouse.wheel(0, Math.max(-300, Math.min(300, Math.log2(now / zoom) * 500)));
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(400);
}

const load1 = () => `load ${os.loadavg()[0]!.toFixed(2)}`;

const large = (doc: NetweaveDocument) => doc.graph.nodes.length >= 1000;

/** Frame rates while panning and while dragging a layer, each printed with the load at the time. */
async function measureMotion(page: Page, where: string, withGoals: boolean): Promise<void> {
  const target = await layerInView(page);
  const dragging = target ? await measureFps(page, () => dragFrom(page, target.x, target.y, 2500)) : null;
  const dragNote = load1();
  const panning = await measureFps(page, () => pan(page, 2500));
  const panNote = load1();
  const goal = (fps: number) => (withGoals ? `goal ≥ ${fps} fps; ` : '');
  const busy = (m: Awaited<ReturnType<typeof measureFps>>) => `main thread ${m.busyMs.toFixed(1)} ms/frame (script ${m.scriptMs.toFixed(1)}, style+layout ${m.styleLayoutMs.toFixed(1)})`;
  console.log(`  panning ${where.padEnd(9)}  ${panning.fps.toFixed(1)} fps, p95 frame ${panning.p95FrameMs.toFixed(1)} ms, worst ${panning.worstFrameMs.toFixed(1)} ms, ${busy(panning)}   (${goal(60)}${panNote})`);
  if (dragging) console.log(`  dragging ${where.padEnd(9)} ${dragging.fps.toFixed(1)} fps, p95 frame ${dragging.p95FrameMs.toFixed(1)} ms, worst ${dragging.worstFrameMs.toFixed(1)} ms, ${busy(dragging)}, layer ${target!.id}   (${goal(55)}${dragNote})`);
  else console.log(`  dragging ${where.padEnd(9)} no layer in view to drag (view ${await page.evaluate(() => document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)})`);
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
    const densenetTemplate = expandedTemplate('densenet121', 'DenseNet-121 (expanded)');
    const cases: [string, NetweaveDocument, number][] = [
      ['ResNet-50, every block expanded', expandedTemplate('resnet50', 'ResNet-50 (expanded)')!, 1500],
      ['DenseNet-121, expanded', densenetTemplate ?? (await denseNet121()), 1500],
      ['generated graph', generatedGraph(1000), 500],
      ['generated graph', generatedGraph(5000), 1500],
    ];
    console.log('Editor benchmark (headless Chromium, software rendering, this machine)');
    console.log(`renderer build: ${builtRendererMode() ?? 'unknown (no build-info.json)'}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min), ${os.cpus().length} cores`);
    console.log(densenetTemplate ? 'DenseNet-121: the densenet121 template, every block expanded' : 'DenseNet-121: no densenet121 template yet, built here from plain layers');
    // `--only WORD`: just the cases whose name contains WORD (a quick look while working on one).
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
    for (const [name, doc, goalMs] of cases) {
      if (only && !name.includes(only) && !`${doc.graph.nodes.length}`.includes(only)) continue;
      // Warm-up load so that code paths are compiled, then the measured one.
      await timeToInteractive(page, doc);
      const load = await timeToInteractive(page, doc);
      const loadNote = load1();
      console.log(`\n${name}: ${doc.graph.nodes.length} document nodes, ${load.drawn} drawn${load.elements !== load.drawn ? ` (${load.elements} as elements, the rest on the far canvas)` : ''}`);
      console.log(`  interactive after   ${load.ms.toFixed(0)} ms   (goal ≤ ${goalMs}; ${loadNote})`);
      await page.waitForTimeout(300);
      await measureMotion(page, 'at Fit', large(doc));
      if (large(doc)) {
        // Back to the whole graph, then in to 100% around the middle of it.
        await page.getByTestId('toolbar-fit').click();
        await page.waitForTimeout(500);
        await zoomTo(page, 1);
        await measureMotion(page, 'at 100%', true);
      }
    }
    console.log(`\nload average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await browser.close();
    await host.stop();
  }
}

await main();
