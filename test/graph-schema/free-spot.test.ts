import { describe, expect, it } from 'vitest';
import type { Box } from '../../graph-schema/layout/free-spot';
import { freeSpot } from '../../graph-schema/layout/free-spot';

const size = { width: 180, height: 60 };
const clash = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('freeSpot', () => {
  it('takes the centre when it is free', () => {
    expect(freeSpot([], size, { x: 500, y: 300 })).toEqual({ x: 410, y: 270 });
  });

  it('never overlaps a taken box, also when placed over and over, and stays in view while there is room', () => {
    // A column of layers through the centre, as after "Fit" on a chain.
    const taken: Box[] = Array.from({ length: 8 }, (_, i) => ({ x: 400, y: i * 90, width: 180, height: 60 }));
    const view = { x: -200, y: -50, width: 1200, height: 800 };
    for (let n = 0; n < 12; n++) {
      const at = freeSpot(taken, size, { x: 490, y: 330 }, { view });
      const box = { ...at, ...size };
      for (const t of taken) expect(clash(box, t), JSON.stringify({ box, t })).toBe(false);
      expect(box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height).toBe(true);
      taken.push(box);
    }
  });

  it('goes outside the view when the view is full, and still overlaps nothing', () => {
    const view = { x: 0, y: 0, width: 400, height: 200 };
    const taken: Box[] = [{ x: -10, y: -10, width: 420, height: 220 }];
    const at = freeSpot(taken, size, { x: 200, y: 100 }, { view });
    expect(clash({ ...at, ...size }, taken[0]!)).toBe(false);
  });
});
