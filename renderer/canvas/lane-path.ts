import { SvgPath, traceLane } from './edge-path';

/**
 * The SVG path of a shortcut that runs in its block's lane (top to bottom), see traceLane in
 * edge-path.ts (which the far canvas traces too). Pure: flow coordinates in, path and label point out.
 */
export function lanePath(sx: number, sy: number, tx: number, ty: number, laneX: number): { path: string; labelX: number; labelY: number } {
  const svg = new SvgPath();
  const { labelX, labelY } = traceLane(svg, sx, sy, tx, ty, laneX);
  return { path: svg.d, labelX, labelY };
}
