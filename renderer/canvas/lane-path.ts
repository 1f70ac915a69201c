/**
 * The path of a shortcut that runs in its block's lane (top to bottom): from
 * its source straight down a little, across to the lane, down the lane, and
 * across into its target just above it, so it never runs over a layer. Corners
 * are rounded. Pure: flow coordinates in, SVG path and label point out.
 */
export function lanePath(sx: number, sy: number, tx: number, ty: number, laneX: number): { path: string; labelX: number; labelY: number } {
  const lead = 12;
  const turn = 16;
  const points: [number, number][] = [[sx, sy]];
  const add = (x: number, y: number) => {
    const [lx, ly] = points[points.length - 1]!;
    if (Math.abs(lx - x) > 0.5 || Math.abs(ly - y) > 0.5) points.push([x, y]);
  };
  const top = Math.abs(sx - laneX) > 0.5 ? sy + lead : sy;
  if (top !== sy) {
    add(sx, top);
    add(laneX, top);
  }
  const bottom = Math.abs(tx - laneX) > 0.5 ? ty - turn : ty;
  add(laneX, bottom);
  if (bottom !== ty) add(tx, bottom);
  add(tx, ty);
  if (points.length === 1) points.push([tx, ty]);
  let path = `M ${sx},${sy}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i - 1]!;
    const [cx, cy] = points[i]!;
    const [nx, ny] = points[i + 1]!;
    const r = Math.min(8, Math.hypot(cx - px, cy - py) / 2, Math.hypot(nx - cx, ny - cy) / 2);
    const before = towards(cx, cy, px, py, r);
    const after = towards(cx, cy, nx, ny, r);
    path += ` L ${before[0]},${before[1]} Q ${cx},${cy} ${after[0]},${after[1]}`;
  }
  path += ` L ${tx},${ty}`;
  return { path, labelX: laneX, labelY: (top + bottom) / 2 };
}

/** The point `r` from (x, y) towards (toX, toY). */
function towards(x: number, y: number, toX: number, toY: number, r: number): [number, number] {
  const d = Math.hypot(toX - x, toY - y);
  return d === 0 ? [x, y] : [x + ((toX - x) / d) * r, y + ((toY - y) / d) * r];
}
