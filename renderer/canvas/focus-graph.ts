import { editorStore } from '../store/use-editor';
import { centerOnNode } from './flow-instance';

/** The layer keyboard users start from: the first Input, else the top-left layer. */
export function firstNodeId(): string | null {
  const nodes = editorStore.getState().document.graph.nodes;
  const input = nodes.find((n) => n.kind === 'Input');
  if (input) return input.id;
  const sorted = [...nodes].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  return sorted[0]?.id ?? null;
}

/**
 * Moves the keyboard focus onto the graph's first layer (selected, in view): the skip link
 * and Alt+G land here, so the canvas is a Tab or two away instead of behind every tool and
 * palette item. With an empty graph the canvas itself takes the focus.
 */
export function focusFirstNode(): void {
  const id = firstNodeId();
  const canvas = document.querySelector<HTMLElement>('.nw-canvas');
  if (!id) {
    canvas?.focus();
    return;
  }
  editorStore.getState().selectOnly([id]);
  const find = () => document.querySelector<HTMLElement>(`.nw-canvas .react-flow__node[data-id="${CSS.escape(id)}"]`);
  const focus = (el: HTMLElement) => el.focus({ preventScroll: true });
  const el = find();
  const view = canvas?.getBoundingClientRect();
  const r = el?.getBoundingClientRect();
  if (el && r && view && r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom) {
    focus(el);
    return;
  }
  // Outside the view (perhaps not drawn yet): bring it into view, then focus it. On a large graph
  // the element exists only once the view has moved there and the layers near it are created
  // (after the animation), so keep looking for it a while, unless the user has moved on.
  centerOnNode(id);
  if (el) {
    focus(el);
    return;
  }
  const deadline = performance.now() + focusWaitMs;
  const poll = () => {
    const selected = editorStore.getState().selectedNodes;
    if (selected.size !== 1 || !selected.has(id)) return;
    const found = find();
    if (found) focus(found);
    else if (performance.now() < deadline) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

/** How long Alt+G waits for a layer far from the view to be drawn. */
const focusWaitMs = 2000;
