import { useStore } from '@xyflow/react';
import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The error callout beside a node. It opens to the right, or to the left when the
 * right side would run past the visible canvas (under the inspector), so it is
 * always readable. Re-measured when the view pans or zooms.
 */
export function ErrorCallout({ id, error, className }: { id: string; error: string; className: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [side, setSide] = useState<'right' | 'left'>('right');
  const transform = useStore((s) => s.transform);
  const canvasWidth = useStore((s) => s.width);
  // Dragging the layer moves it without touching the viewport.
  const position = useStore((s) => s.nodeLookup.get(id)?.internals.positionAbsolute);
  useLayoutEffect(() => {
    const el = box.current;
    const canvas = el?.closest('.react-flow')?.getBoundingClientRect();
    const node = el?.parentElement?.getBoundingClientRect();
    if (!el || !canvas || !node) return;
    const width = el.getBoundingClientRect().width;
    const gap = 12 * transform[2];
    const fitsRight = node.right + gap + width <= canvas.right;
    const fitsLeft = node.left - gap - width >= canvas.left;
    setSide(fitsRight || !fitsLeft ? 'right' : 'left');
  }, [transform, canvasWidth, position, error]);
  return (
    <div ref={box} className={`${className} is-${side}`} data-testid={`node-error-${id}`} data-side={side} title={error}>
      <span className="nw-badge">!</span>
      <span className="nw-node-error-text">{error}</span>
    </div>
  );
}
