/**
 * Which connection a layer dragged from the palette is over: the drawn edge within a few
 * screen pixels of the pointer (or its shape label). Only document edges count; the lines
 * inside an expanded block cannot be split.
 */
const tolerancePx = 10;

function distanceToPath(path: SVGPathElement, clientX: number, clientY: number): number {
  const ctm = path.getScreenCTM();
  if (!ctm) return Infinity;
  const scale = Math.hypot(ctm.a, ctm.b) || 1;
  const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  const tol = tolerancePx / scale;
  const box = path.getBBox();
  if (p.x < box.x - tol || p.x > box.x + box.width + tol || p.y < box.y - tol || p.y > box.y + box.height + tol) return Infinity;
  const length = path.getTotalLength();
  // A sample every few screen pixels along the line.
  const steps = Math.min(400, Math.max(8, Math.ceil((length * scale) / 4)));
  let best = Infinity;
  for (let i = 0; i <= steps; i++) {
    const q = path.getPointAtLength((length * i) / steps);
    best = Math.min(best, Math.hypot(q.x - p.x, q.y - p.y));
  }
  return best * scale;
}

export function edgeAtPoint(clientX: number, clientY: number, edgeIds: ReadonlySet<string>): string | null {
  for (const el of document.elementsFromPoint(clientX, clientY)) {
    const id = el.closest<HTMLElement>('[data-testid^="edge-label-"]')?.dataset.testid?.slice('edge-label-'.length);
    if (id && edgeIds.has(id)) return id;
  }
  let best: { id: string; distance: number } | null = null;
  for (const g of document.querySelectorAll<SVGGElement>('.nw-canvas .react-flow__edge')) {
    const id = g.dataset.id;
    const path = g.querySelector<SVGPathElement>('path.react-flow__edge-path') ?? g.querySelector<SVGPathElement>('path');
    if (!id || !path || !edgeIds.has(id)) continue;
    const distance = distanceToPath(path, clientX, clientY);
    if (distance <= tolerancePx && (!best || distance < best.distance)) best = { id, distance };
  }
  return best?.id ?? null;
}

let marked: string | null = null;
let lastPoint = { x: NaN, y: NaN };

/** While a layer is dragged over the canvas: marks the connection it would split; the search runs again only once the pointer has moved. */
export function markDropEdgeAt(clientX: number, clientY: number, edgeIds: () => ReadonlySet<string>): void {
  if (Math.abs(clientX - lastPoint.x) < 3 && Math.abs(clientY - lastPoint.y) < 3) return;
  lastPoint = { x: clientX, y: clientY };
  markDropEdge(edgeAtPoint(clientX, clientY, edgeIds()));
}

let clearsOnDragEnd = false;

/** Shows which connection a drop would split (a class on the edge; cleared with null, and when the drag ends anywhere). */
export function markDropEdge(id: string | null): void {
  if (!clearsOnDragEnd) {
    clearsOnDragEnd = true;
    window.addEventListener('dragend', clearDropEdge);
  }
  if (marked && marked !== id) document.querySelector(`.nw-canvas .react-flow__edge[data-id="${CSS.escape(marked)}"]`)?.classList.remove('is-drop-target');
  marked = id;
  if (id) document.querySelector(`.nw-canvas .react-flow__edge[data-id="${CSS.escape(id)}"]`)?.classList.add('is-drop-target');
}

/** The drag is over (dropped or given up): no connection is marked. */
export function clearDropEdge(): void {
  lastPoint = { x: NaN, y: NaN };
  markDropEdge(null);
}
