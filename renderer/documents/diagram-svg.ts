import { categoryColors } from '../canvas/categories';

/** A diagram drawn as plain SVG (rects, paths, text): slides and vector editors read it, unlike HTML in SVG. */

export interface DiagramNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** 'frame' for an expanded block. */
  type: 'layer' | 'frame';
  kindLabel: string;
  title: string;
  detail: string;
  shape: string;
  params: string;
  category: string;
  error: string | null;
}

export interface DiagramEdge {
  from: { x: number; y: number };
  to: { x: number; y: number };
  label: string;
  skip: boolean;
}

const palette = {
  background: '#ffffff',
  nodeFill: '#ffffff',
  nodeStroke: '#cbd5e1',
  frameFill: '#f0fdfa',
  text: '#0f172a',
  muted: '#64748b',
  edge: '#94a3b8',
  skip: '#d97706',
  error: '#dc2626',
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function edgePath(e: DiagramEdge): { d: string; lx: number; ly: number } {
  const { from, to } = e;
  if (e.skip && Math.abs(to.x - from.x) < 80 && to.y - from.y > 150) {
    const span = Math.abs(to.y - from.y);
    const bow = 90 + Math.min(200, span * 0.12);
    const lead = Math.min(80, span * 0.25);
    const c1 = { x: from.x + bow, y: from.y + lead };
    const c2 = { x: to.x + bow, y: to.y - lead };
    return {
      d: `M ${from.x} ${from.y} C ${c1.x} ${c1.y} ${c2.x} ${c2.y} ${to.x} ${to.y}`,
      lx: 0.125 * from.x + 0.375 * c1.x + 0.375 * c2.x + 0.125 * to.x,
      ly: 0.125 * from.y + 0.375 * c1.y + 0.375 * c2.y + 0.125 * to.y,
    };
  }
  const dy = Math.max(30, Math.abs(to.y - from.y) / 2);
  return { d: `M ${from.x} ${from.y} C ${from.x} ${from.y + dy} ${to.x} ${to.y - dy} ${to.x} ${to.y}`, lx: (from.x + to.x) / 2, ly: (from.y + to.y) / 2 };
}

export function diagramSvg(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[], title: string): { svg: string; width: number; height: number } {
  const pad = 40;
  const xs = nodes.flatMap((n) => [n.x, n.x + n.width]).concat(edges.flatMap((e) => (e.skip ? [e.from.x + 300] : [])));
  const ys = nodes.flatMap((n) => [n.y, n.y + n.height]);
  const minX = Math.min(0, ...xs) - pad;
  const minY = Math.min(0, ...ys) - pad - 28;
  const width = Math.ceil(Math.max(...xs, 200) - minX + pad);
  const height = Math.ceil(Math.max(...ys, 100) - minY + pad);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX} ${minY} ${width} ${height}" font-family="Inter, 'Segoe UI', Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${palette.edge}"/></marker>`,
    `<marker id="arrow-skip" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${palette.skip}"/></marker></defs>`,
    `<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="${palette.background}"/>`,
    `<text x="${minX + pad}" y="${minY + pad}" font-size="16" font-weight="600" fill="${palette.text}">${escapeXml(title)}</text>`,
  );
  for (const n of nodes.filter((n) => n.type === 'frame')) {
    out.push(
      `<g><rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="12" fill="${palette.frameFill}" stroke="${categoryColors.block}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${n.x + 14}" y="${n.y + 22}" font-size="12" fill="${palette.muted}">${escapeXml(n.kindLabel)}</text>`,
      `<text x="${n.x + 14}" y="${n.y + 40}" font-size="14" font-weight="600" fill="${palette.text}">${escapeXml(n.title)}</text>`,
      `<text x="${n.x + n.width - 14}" y="${n.y + 22}" font-size="12" text-anchor="end" fill="${palette.muted}">${escapeXml(`${n.shape} · ${n.params}`)}</text></g>`,
    );
  }
  for (const e of edges) {
    const { d, lx, ly } = edgePath(e);
    const color = e.skip ? palette.skip : palette.edge;
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${e.skip ? 2 : 1.5}"${e.skip ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#${e.skip ? 'arrow-skip' : 'arrow'})"/>`);
    if (e.label) {
      const w = e.label.length * 6.6 + 12;
      out.push(
        `<rect x="${lx - w / 2}" y="${ly - 9}" width="${w}" height="18" rx="9" fill="#ffffff" stroke="${color}" stroke-width="1"/>`,
        `<text x="${lx}" y="${ly + 4}" font-size="11" text-anchor="middle" font-family="'JetBrains Mono', Menlo, Consolas, monospace" fill="${e.skip ? palette.skip : palette.muted}">${escapeXml(e.label)}</text>`,
      );
    }
  }
  for (const n of nodes.filter((n) => n.type === 'layer')) {
    const color = categoryColors[n.category as keyof typeof categoryColors] ?? categoryColors.unknown;
    const stroke = n.error ? palette.error : palette.nodeStroke;
    out.push(
      `<g><rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="8" fill="${palette.nodeFill}" stroke="${stroke}" stroke-width="${n.error ? 2 : 1}"/>`,
      `<rect x="${n.x}" y="${n.y}" width="5" height="${n.height}" rx="2" fill="${color}"/>`,
      `<text x="${n.x + 14}" y="${n.y + 19}" font-size="12" font-weight="600" fill="${palette.text}">${escapeXml(n.kindLabel)}<tspan fill="${palette.muted}" font-weight="400"> ${escapeXml(truncate(n.title, 22))}</tspan></text>`,
    );
    if (n.detail) out.push(`<text x="${n.x + 14}" y="${n.y + 37}" font-size="11" fill="${palette.muted}">${escapeXml(truncate(n.detail, 34))}</text>`);
    out.push(
      `<text x="${n.x + 14}" y="${n.y + n.height - 11}" font-size="11" font-family="'JetBrains Mono', Menlo, Consolas, monospace" fill="${palette.text}">${escapeXml(n.shape)}</text>`,
      `<text x="${n.x + n.width - 10}" y="${n.y + n.height - 11}" font-size="11" text-anchor="end" fill="${palette.muted}">${escapeXml(n.params)}</text>`,
    );
    if (n.error) out.push(`<circle cx="${n.x + n.width - 12}" cy="${n.y + 14}" r="7" fill="${palette.error}"/><text x="${n.x + n.width - 12}" y="${n.y + 18}" font-size="10" font-weight="700" text-anchor="middle" fill="#fff">!</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}
