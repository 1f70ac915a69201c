import { describe, expect, it } from 'vitest';
import type { Rect } from '../../renderer/canvas/fit-clear';
import { clearArea, clearViewport } from '../../renderer/canvas/fit-clear';

const onScreen = (b: Rect, v: { x: number; y: number; zoom: number }): Rect => ({ x: b.x * v.zoom + v.x, y: b.y * v.zoom + v.y, width: b.width * v.zoom, height: b.height * v.zoom });
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const zoomRange = { min: 0.03, max: 4 };

describe('clearViewport', () => {
  // A minimap in the bottom-right corner and zoom buttons in the bottom-left one, as React Flow draws them.
  const minimap = { x: 585, y: 635, width: 200, height: 150 };
  const buttons = { x: 15, y: 700, width: 26, height: 85 };

  it('keeps a graph of any shape clear of both panels, and inside the canvas', () => {
    for (const bounds of [
      { x: 0, y: 0, width: 2000, height: 300 },
      { x: -50, y: 40, width: 300, height: 3000 },
      { x: 10, y: 10, width: 800, height: 800 },
    ]) {
      const v = clearViewport(bounds, 800, 800, [minimap, buttons], zoomRange);
      const box = onScreen(bounds, v);
      expect(overlap(box, minimap), JSON.stringify(bounds)).toBe(false);
      expect(overlap(box, buttons), JSON.stringify(bounds)).toBe(false);
      expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 800 && box.y + box.height <= 800).toBe(true);
    }
  });

  it('clears a panel the cheaper way: a wide graph goes above the minimap, a tall one beside it', () => {
    const wide = onScreen({ x: 0, y: 0, width: 2000, height: 300 }, clearViewport({ x: 0, y: 0, width: 2000, height: 300 }, 800, 800, [minimap], zoomRange));
    expect(wide.x + wide.width).toBeGreaterThan(minimap.x);
    expect(wide.y + wide.height).toBeLessThanOrEqual(minimap.y);
    const tall = onScreen({ x: 0, y: 0, width: 300, height: 3000 }, clearViewport({ x: 0, y: 0, width: 300, height: 3000 }, 800, 800, [minimap], zoomRange));
    expect(tall.y + tall.height).toBeGreaterThan(minimap.y);
    expect(tall.x + tall.width).toBeLessThanOrEqual(minimap.x);
  });

  it('never zooms past the cap', () => {
    expect(clearViewport({ x: 0, y: 0, width: 10, height: 10 }, 800, 800, [], { min: 0.03, max: 1.1 }).zoom).toBe(1.1);
  });
});

describe('clearArea', () => {
  const minimap = { x: 585, y: 635, width: 200, height: 150 };
  const buttons = { x: 15, y: 700, width: 26, height: 85 };

  it('is the strip above both panels when that is larger than the strip between them', () => {
    // Above: 800 × (635 − 12) = 498,400; between: (585 − 12 − 53) × 800 = 416,000.
    expect(clearArea(800, 800, [minimap, buttons])).toEqual({ width: 800, height: 623 });
  });

  it('is the strip beside a tall panel, and the whole canvas without panels', () => {
    expect(clearArea(800, 800, [{ x: 700, y: 100, width: 100, height: 600 }])).toEqual({ width: 688, height: 800 });
    expect(clearArea(800, 600, [])).toEqual({ width: 800, height: 600 });
  });

  it('wraps a layout that fits where "Fit" can place it: the graph shown larger than at the whole canvas’s shape', () => {
    // A drawing of the clear area's shape gets a larger zoom at Fit than one of the whole canvas's shape with the same area.
    const area = clearArea(800, 800, [minimap, buttons]);
    const side = Math.sqrt(area.width * area.height);
    const shaped = clearViewport({ x: 0, y: 0, width: area.width * 4, height: area.height * 4 }, 800, 800, [minimap, buttons], zoomRange).zoom;
    const square = clearViewport({ x: 0, y: 0, width: side * 4, height: side * 4 }, 800, 800, [minimap, buttons], zoomRange).zoom;
    expect(shaped).toBeGreaterThan(square * 1.05);
  });
});
