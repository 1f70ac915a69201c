import type { Position, Size } from './block-geometry';

/**
 * Wrapping a long layered drawing to a window's shape. The drawing is laid out straight first
 * (one long column top to bottom, or one long row left to right); it is then cut between its
 * layers into chunks, placed side by side (top to bottom) or one under another (left to right),
 * like lines of text. Each chunk keeps its own layers' spacing: a huge frame in one chunk does not
 * stretch the small layers of another (ELK's own wrapping lines up the layers of every chunk, so
 * one tall frame spread a stem's few layers thousands of units apart). The number of chunks is
 * the one that lets the whole drawing be shown largest in the window. Pure.
 */

export interface PlacedBox extends Position, Size {
  id: string;
}

/** A run of the drawing across its direction that no box straddles: where a cut may go. */
interface Band {
  m0: number;
  m1: number;
  c0: number;
  c1: number;
  boxes: PlacedBox[];
}

/** Room between two chunks: wide enough for the edges that run back from one chunk's end to the next one's start. */
export const chunkGap = 140;

function bandsOf(boxes: readonly PlacedBox[], lr: boolean): Band[] {
  const main = (b: PlacedBox) => (lr ? [b.x, b.x + b.width] : [b.y, b.y + b.height]) as [number, number];
  const cross = (b: PlacedBox) => (lr ? [b.y, b.y + b.height] : [b.x, b.x + b.width]) as [number, number];
  const sorted = [...boxes].sort((a, b) => main(a)[0] - main(b)[0]);
  const bands: Band[] = [];
  for (const box of sorted) {
    const [m0, m1] = main(box);
    const [c0, c1] = cross(box);
    const last = bands[bands.length - 1];
    if (last && m0 < last.m1) {
      last.m1 = Math.max(last.m1, m1);
      last.c0 = Math.min(last.c0, c0);
      last.c1 = Math.max(last.c1, c1);
      last.boxes.push(box);
    } else bands.push({ m0, m1, c0, c1, boxes: [box] });
  }
  return bands;
}

/** Cuts the bands greedily into chunks no longer than `limit` along the direction (a band longer than that is a chunk of its own). */
function partition(bands: readonly Band[], limit: number): Band[][] {
  const chunks: Band[][] = [];
  let current: Band[] = [];
  for (const band of bands) {
    if (current.length > 0 && band.m1 - current[0]!.m0 > limit) {
      chunks.push(current);
      current = [];
    }
    current.push(band);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Width and height of the drawing with these chunks. */
function extentOf(chunks: readonly Band[][], lr: boolean): Size {
  let along = 0;
  let across = 0;
  for (const chunk of chunks) {
    along = Math.max(along, chunk[chunk.length - 1]!.m1 - chunk[0]!.m0);
    across += Math.max(...chunk.map((b) => b.c1)) - Math.min(...chunk.map((b) => b.c0));
  }
  across += chunkGap * (chunks.length - 1);
  return lr ? { width: along, height: across } : { width: across, height: along };
}

/** How large the drawing can be shown in a window of that shape: smaller is better (the height it needs at that width-to-height ratio). */
const costOf = (size: Size, aspectRatio: number) => Math.max(size.width / aspectRatio, size.height);

/** The shortest chunk length that cuts the bands into at most `count` chunks (never under the longest band). */
function limitFor(bands: readonly Band[], count: number, longest: number): number {
  let lo = longest;
  let hi = bands[bands.length - 1]!.m1 - bands[0]!.m0;
  if (partition(bands, lo).length <= count) return lo;
  for (let step = 0; step < 40 && hi - lo > 1; step++) {
    const mid = (lo + hi) / 2;
    if (partition(bands, mid).length <= count) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * New top-left corners for the boxes of a straight layered drawing, wrapped into the number of
 * chunks that shows it largest at `aspectRatio` (width over height); null when one chunk (the
 * drawing as it is) is best, or wrapping gains less than `minGain` in scale.
 */
export function wrapIntoChunks(boxes: readonly PlacedBox[], lr: boolean, aspectRatio: number, minGain = 1.25): Map<string, Position> | null {
  const bands = bandsOf(boxes, lr);
  if (bands.length < 2) return null;
  const straightCost = costOf(extentOf([bands], lr), aspectRatio);
  let best: { cost: number; chunks: Band[][] } = { cost: straightCost, chunks: [bands] };
  let worseInARow = 0;
  // The cost falls and then rises as chunks are added; stop a while after it starts rising.
  const longest = Math.max(...bands.map((b) => b.m1 - b.m0));
  for (let count = 2; count <= bands.length && worseInARow < 6; count++) {
    const limit = limitFor(bands, count, longest);
    const chunks = partition(bands, limit);
    if (chunks.length < count) {
      // Cut at the longest band already: no count above gives another drawing.
      if (limit === longest) break;
      // No cut gives exactly this many chunks: the same drawing as a smaller count.
      continue;
    }
    const cost = costOf(extentOf(chunks, lr), aspectRatio);
    if (cost < best.cost) {
      best = { cost, chunks };
      worseInARow = 0;
    } else worseInARow++;
  }
  if (best.chunks.length < 2 || straightCost / best.cost < minGain) return null;
  const positions = new Map<string, Position>();
  const originMain = bands[0]!.m0;
  let across = Math.min(...bands.map((b) => b.c0));
  for (const chunk of best.chunks) {
    const c0 = Math.min(...chunk.map((b) => b.c0));
    const c1 = Math.max(...chunk.map((b) => b.c1));
    const dm = originMain - chunk[0]!.m0;
    const dc = across - c0;
    for (const band of chunk)
      for (const box of band.boxes) positions.set(box.id, lr ? { x: box.x + dm, y: box.y + dc } : { x: box.x + dc, y: box.y + dm });
    across += c1 - c0 + chunkGap;
  }
  return positions;
}
