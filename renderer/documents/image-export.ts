import { getLayerDef } from '../../graph-schema/registry';
import { getFlowInstance } from '../canvas/flow-instance';
import { absoluteBoxes, allFlowEdges, allFlowNodes } from '../canvas/all-nodes';
import { formatCompact } from '../format';
import type { BlockNodeData, LayerNodeData } from '../store/flow-model';
import { innerEndX } from '../store/flow-model';
import { editorStore } from '../store/use-editor';
import { showError, showSuccess } from '../ui/toast-store';
import type { DiagramEdge, DiagramNode } from './diagram-svg';
import { diagramSvg } from './diagram-svg';

/** The canvas as it is now, as plain SVG. */
export function currentDiagramSvg(): { svg: string; width: number; height: number } | null {
  const flow = getFlowInstance();
  if (!flow) return null;
  const boxes = new Map<string, { x: number; y: number; width: number; height: number }>();
  const frames = new Map<string, BlockNodeData>();
  const nodes: DiagramNode[] = [];
  // The whole graph: React Flow holds only the layers near the view of a large one.
  const absolute = absoluteBoxes();
  for (const node of allFlowNodes()) {
    const box = absolute.get(node.id);
    if (!box) continue;
    boxes.set(node.id, box);
    const data = node.data as LayerNodeData | BlockNodeData;
    if (node.type === 'block') frames.set(node.id, data as BlockNodeData);
    const total = data.trainable + data.nonTrainable;
    nodes.push({
      id: node.id,
      ...box,
      type: node.type === 'block' ? 'frame' : 'layer',
      kindLabel: getLayerDef(data.kind)?.label ?? data.kind,
      title: data.title,
      detail: data.detail,
      shape: data.shape,
      params: total > 0 ? `${formatCompact(total)} params` : '—',
      category: node.type === 'block' ? 'block' : (data as LayerNodeData).category,
      error: data.error,
    });
  }
  const edges: DiagramEdge[] = [];
  for (const edge of allFlowEdges()) {
    const s = boxes.get(edge.source);
    const t = boxes.get(edge.target);
    if (!s || !t) continue;
    const sourceFrame = frames.get(edge.source);
    const targetFrame = frames.get(edge.target);
    const from = edge.sourceHandle === 'inner-in' && sourceFrame ? { x: s.x + innerEndX(sourceFrame, s.width, 'in'), y: s.y + 62 } : { x: s.x + s.width / 2, y: s.y + s.height };
    const to = edge.targetHandle === 'inner-out' && targetFrame ? { x: t.x + innerEndX(targetFrame, t.width, 'out'), y: t.y + t.height - 22 } : { x: t.x + t.width / 2, y: t.y };
    edges.push({ from, to, label: edge.data?.label ?? '', skip: edge.data?.skip ?? false });
  }
  if (nodes.length === 0) return null;
  return diagramSvg(nodes, edges, editorStore.getState().document.name);
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function baseName(): string {
  return editorStore.getState().document.name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'diagram';
}

export function exportSvg(): void {
  const diagram = currentDiagramSvg();
  if (!diagram) {
    showError('Nothing to export', { code: 'diagram-empty', message: 'The canvas is empty. Add layers first.' });
    return;
  }
  download(new Blob([diagram.svg], { type: 'image/svg+xml' }), `${baseName()}.svg`);
  showSuccess('Diagram exported', `${baseName()}.svg`);
}

/** Browsers cap canvas sizes; stay well inside every one of them. */
const maxCanvasSide = 16_000;
const maxCanvasArea = 100_000_000;

export async function exportPng(): Promise<void> {
  const diagram = currentDiagramSvg();
  if (!diagram) {
    showError('Nothing to export', { code: 'diagram-empty', message: 'The canvas is empty. Add layers first.' });
    return;
  }
  let scale = 2;
  scale = Math.min(scale, maxCanvasSide / diagram.width, maxCanvasSide / diagram.height, Math.sqrt(maxCanvasArea / (diagram.width * diagram.height)));
  const url = URL.createObjectURL(new Blob([diagram.svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the diagram could not be drawn'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(diagram.width * scale));
    canvas.height = Math.max(1, Math.floor(diagram.height * scale));
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, diagram.width, diagram.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the image could not be encoded');
    download(blob, `${baseName()}.png`);
    showSuccess('Diagram exported', `${baseName()}.png`);
  } catch (error) {
    showError('PNG export failed', { code: 'image-export-failed', message: `${error instanceof Error ? error.message : String(error)}. Try the SVG export instead.` });
  } finally {
    URL.revokeObjectURL(url);
  }
}
