import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { documentNodeBoxes } from '../../graph-schema/layout/auto-layout';
import type { InnerLayerView } from '../../graph-schema/layout/block-geometry';
import { collapsedNodeHeight, expandBlockView, maxRowsPerColumn, nodeWidth } from '../../graph-schema/layout/block-geometry';
import { layOutDocument } from '../../graph-schema/layout/elk-bundled';
import type { PlacedBox } from '../../graph-schema/layout/wrap-chunks';
import { chunkGap, wrapIntoChunks } from '../../graph-schema/layout/wrap-chunks';
import { getLayerDef } from '../../graph-schema/registry';
import { getTemplate } from '../../graph-schema/templates/index';

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const extent = (boxes: readonly Box[]) => {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  return { width: Math.max(...boxes.map((b) => b.x + b.width)) - x0, height: Math.max(...boxes.map((b) => b.y + b.height)) - y0 };
};

/** A straight column: boxes of the given heights, 44 apart, as a layered layout draws a chain. */
function column(heights: readonly number[], width = (h: number) => (h > 200 ? 900 : 220)): PlacedBox[] {
  let y = 0;
  return heights.map((h, i) => {
    const box = { id: `n${i}`, x: -width(h) / 2, y, width: width(h), height: h };
    y += h + 44;
    return box;
  });
}

describe('wrapping a long drawing into chunks', () => {
  it('cuts a chain into side-by-side columns near the shape asked for, keeping its order and spacing', () => {
    const boxes = column(Array.from({ length: 60 }, () => 86));
    const positions = wrapIntoChunks(boxes, false, 1.6)!;
    expect(positions).not.toBeNull();
    const placed = boxes.map((b) => ({ ...b, ...positions.get(b.id)! }));
    const size = extent(placed);
    // Straight, 60 layers are 27 times taller than wide; wrapped, within a factor two of 1.6.
    expect(size.width / size.height).toBeGreaterThan(0.8);
    expect(size.width / size.height).toBeLessThan(3.2);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i]!, placed[j]!), `${i} and ${j}`).toBe(false);
    // Read like a page: down a column, then on at the top of the next one to the right.
    for (let i = 1; i < placed.length; i++) {
      const [a, b] = [placed[i - 1]!, placed[i]!];
      if (b.x === a.x) expect(b.y - a.y).toBe(130);
      else {
        expect(b.x - a.x).toBe(220 + chunkGap);
        expect(b.y).toBe(0);
      }
    }
  });

  it('does not spread a chunk of small layers to the height of a tall frame in another chunk', () => {
    // A stem of five small layers, then three frames 3,000 tall.
    const boxes = column([86, 86, 86, 86, 86, 3000, 86, 3000, 86, 3000]);
    const positions = wrapIntoChunks(boxes, false, 1.3)!;
    const placed = boxes.map((b) => ({ ...b, ...positions.get(b.id)! }));
    const stem = placed.slice(0, 5);
    for (let i = 1; i < stem.length; i++) expect(stem[i]!.y - stem[i - 1]!.y).toBe(130);
    expect(extent(placed).height).toBeLessThan(4000);
  });

  it('leaves a drawing that already fits alone, and wraps left to right into rows', () => {
    expect(wrapIntoChunks(column([86, 86, 86]), false, 0.1)).toBeNull();
    const chain = column(Array.from({ length: 40 }, () => 86)).map((b) => ({ ...b, x: b.y, y: 0, width: 86, height: 220 }));
    const positions = wrapIntoChunks(chain, true, 1.6)!;
    const placed = chain.map((b) => ({ ...b, ...positions.get(b.id)! }));
    expect(new Set(placed.map((b) => b.y)).size).toBeGreaterThan(1);
    expect(extent(placed).width / extent(placed).height).toBeLessThan(3.2);
  });
});

/** The polyline an inner route draws (edge-path.ts traceWrap, top to bottom), frame-relative. */
function routePoints(source: InnerLayerView, target: InnerLayerView, route: { m1: number; m2: number; channel: number }): [number, number][] {
  const sx = source.position.x + nodeWidth / 2;
  const sy = source.position.y + collapsedNodeHeight;
  const tx = target.position.x + nodeWidth / 2;
  const ty = target.position.y;
  return [
    [sx, sy],
    [sx, sy + route.m1],
    [sx + route.channel, sy + route.m1],
    [sx + route.channel, ty + route.m2],
    [tx, ty + route.m2],
    [tx, ty],
  ];
}

/** Whether the segment a-b (horizontal or vertical) passes through the inside of the box. */
function crosses(a: [number, number], b: [number, number], box: Box): boolean {
  const [x0, x1] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
  const [y0, y1] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
  return x1 > box.x + 1 && x0 < box.x + box.width - 1 && y1 > box.y + 1 && y0 < box.y + box.height - 1;
}

describe('a long block wrapped into columns', () => {
  const view = expandBlockView('DenseBlock', { layers: 24 }, [null, 14, 14, 256])!;
  const byId = new Map(view.layers.map((l) => [l.localId, l]));
  const boxOf = (l: InnerLayerView) => ({ x: l.position.x, y: l.position.y, width: nodeWidth, height: collapsedNodeHeight });
  const columns = [...new Set(view.layers.map((l) => l.position.x))].sort((a, b) => a - b).map((x) => view.layers.filter((l) => l.position.x === x));

  it('lays a 24-layer dense block out as columns no longer than the most, cut after a concatenation', () => {
    expect(view.wrap?.columns).toBe(columns.length);
    expect(columns.length).toBeGreaterThan(1);
    for (const c of columns) expect(c.length).toBeLessThanOrEqual(maxRowsPerColumn);
    // Each column but the last ends with a layer's concatenation: one wire crosses to the next.
    for (const c of columns.slice(0, -1)) expect(c[c.length - 1]!.kind).toBe('Concatenate');
    for (const l of view.layers) {
      const b = boxOf(l);
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(view.width);
      expect(b.y + b.height).toBeLessThanOrEqual(view.height);
    }
    for (let i = 0; i < view.layers.length; i++)
      for (let j = i + 1; j < view.layers.length; j++) expect(overlap(boxOf(view.layers[i]!), boxOf(view.layers[j]!))).toBe(false);
    expect(view.wrap!.firstX).toBe(columns[0]![0]!.position.x + nodeWidth / 2);
    expect(view.wrap!.lastX).toBe(columns[columns.length - 1]![0]!.position.x + nodeWidth / 2);
  });

  it('routes every edge into the next column up the gap between them, across no layer', () => {
    const columnOf = (l: InnerLayerView) => columns.findIndex((c) => c.includes(l));
    let crossing = 0;
    for (const target of view.layers) {
      target.inputs.forEach((from, i) => {
        const source = byId.get(from);
        if (!source || columnOf(source) === columnOf(target)) return;
        crossing++;
        const route = view.wrap!.routes.get(`${target.localId}#${i}`);
        expect(route, `${from} -> ${target.localId}`).toBeDefined();
        const points = routePoints(source, target, route!);
        for (let k = 1; k < points.length; k++)
          for (const other of view.layers) {
            if (other === source || other === target) continue;
            expect(crosses(points[k - 1]!, points[k]!, boxOf(other)), `${from} -> ${target.localId} crosses ${other.localId}`).toBe(false);
          }
      });
    }
    // Two wires from each cut's concatenation: into the next batch norm and into the next concatenation.
    expect(crossing).toBe(2 * (columns.length - 1));
    expect(view.wrap!.routes.size).toBe(crossing);
  });

  it('leaves a short block in one column', () => {
    const short = expandBlockView('DenseBlock', { layers: 3 }, [null, 14, 14, 256])!;
    expect(short.wrap).toBeUndefined();
    expect(new Set(short.layers.map((l) => l.position.x)).size).toBe(1);
  });
});

describe('an expanded DenseNet-121 laid out for a window', () => {
  it('fills a window of about its shape, no two boxes overlapping', async () => {
    const t = getTemplate('densenet121')!.build();
    const doc = createDocument(t.graph, 'densenet', t.training);
    for (const n of doc.graph.nodes) if (getLayerDef(n.kind)?.expand) n.collapsed = false;
    const laid = await layOutDocument(doc, { direction: 'TB', aspectRatio: 1.3 });
    const boxes = documentNodeBoxes(laid);
    const drawn = laid.graph.nodes.map((n) => {
      const size = boxes.sizeOf(n.id);
      const offset = boxes.frameOffset(n.id);
      return { x: n.position.x + offset.x, y: n.position.y + offset.y, ...size };
    });
    const size = extent(drawn);
    // Straight, the drawing is more than ten times taller than wide.
    expect(size.width / size.height).toBeGreaterThan(0.65);
    expect(size.width / size.height).toBeLessThan(2.6);
    for (let i = 0; i < drawn.length; i++) for (let j = i + 1; j < drawn.length; j++) expect(overlap(drawn[i]!, drawn[j]!), `${i} and ${j}`).toBe(false);
    const straight = extent((await layOutDocument(doc, { direction: 'TB' })).graph.nodes.map((n) => ({ ...n.position, ...boxes.sizeOf(n.id) })));
    expect(straight.height / straight.width).toBeGreaterThan(2.6);
  });
});
