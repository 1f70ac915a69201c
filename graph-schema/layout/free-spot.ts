import type { Position, Size } from './block-geometry';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box, gap: number): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

function inside(a: Box, view: Box): boolean {
  return a.x >= view.x && a.y >= view.y && a.x + a.width <= view.x + view.width && a.y + a.height <= view.y + view.height;
}

/**
 * Top-left corner for a new box of `size` near `center` that keeps `gap` clear of every box
 * in `taken`: candidates on a grid around the centre, nearest first, those inside `view`
 * (the visible part of the canvas) before the others. Pure, for the palette's double-click.
 */
export function freeSpot(taken: readonly Box[], size: Size, center: Position, options: { gap?: number; view?: Box; rings?: number } = {}): Position {
  const gap = options.gap ?? 16;
  const rings = options.rings ?? 40;
  const stepX = Math.max(8, Math.round((size.width + gap) / 2));
  const stepY = Math.max(8, Math.round((size.height + gap) / 2));
  const origin = { x: center.x - size.width / 2, y: center.y - size.height / 2 };
  const candidates: { box: Box; distance: number }[] = [];
  for (let i = -rings; i <= rings; i++) {
    for (let j = -rings; j <= rings; j++) {
      const box = { x: origin.x + i * stepX, y: origin.y + j * stepY, width: size.width, height: size.height };
      // Screens are wider than tall: moving sideways costs less than moving down.
      candidates.push({ box, distance: Math.hypot(i * stepX * 0.8, j * stepY) });
    }
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const free = (box: Box) => !taken.some((t) => overlaps(box, t, gap));
  const view = options.view;
  const pick = (view && candidates.find((c) => inside(c.box, view) && free(c.box))) || candidates.find((c) => free(c.box));
  if (pick) return { x: Math.round(pick.box.x), y: Math.round(pick.box.y) };
  // Everything near is taken: below the lowest box.
  const bottom = Math.max(...taken.map((t) => t.y + t.height));
  return { x: Math.round(origin.x), y: Math.round(bottom + gap) };
}
