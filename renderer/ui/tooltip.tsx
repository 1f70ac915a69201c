import type { ReactNode } from 'react';
import { useCallback, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

/** How long the pointer rests before a tooltip shows; keyboard focus shows it at once. */
const hoverDelayMs = 350;
const margin = 8;

export interface TooltipAnchorProps {
  onMouseEnter(e: { currentTarget: Element }): void;
  onMouseLeave(): void;
  onFocus(e: { currentTarget: Element }): void;
  onBlur(): void;
  'aria-describedby': string | undefined;
}

/**
 * A styled tooltip for teaching text (what a layer does, its formulas, what a parameter means):
 * spread `anchor` on the element it explains and render `tooltip` anywhere. Drawn in a portal
 * on <body>, beside the anchor (`side`), kept inside the window; the anchor is described by it
 * for screen readers. Content is built only while shown.
 */
export function useTooltip(content: () => ReactNode, side: 'right' | 'left' = 'right'): { anchor: TooltipAnchorProps; tooltip: ReactNode } {
  const id = useId();
  const [rect, setRect] = useState<DOMRect | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const clear = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  const show = useCallback((el: Element, delay: number) => {
    clear();
    const open = () => setRect(el.getBoundingClientRect());
    if (delay === 0) open();
    else timer.current = setTimeout(open, delay);
  }, []);
  const hide = useCallback(() => {
    clear();
    setRect(null);
  }, []);

  // Placed after it is measured: beside the anchor, flipped or clamped to stay in the window.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !rect) return;
    const { width, height } = el.getBoundingClientRect();
    let left = side === 'right' ? rect.right + margin : rect.left - width - margin;
    if (left + width > window.innerWidth - margin) left = rect.left - width - margin;
    if (left < margin) left = Math.min(window.innerWidth - width - margin, rect.right + margin);
    const top = Math.max(margin, Math.min(rect.top, window.innerHeight - height - margin));
    el.style.left = `${Math.max(margin, left)}px`;
    el.style.top = `${top}px`;
    el.style.visibility = 'visible';
  }, [rect, side]);

  const anchor: TooltipAnchorProps = {
    onMouseEnter: (e) => show(e.currentTarget, hoverDelayMs),
    onMouseLeave: hide,
    onFocus: (e) => show(e.currentTarget, 0),
    onBlur: hide,
    'aria-describedby': rect ? id : undefined,
  };
  const tooltip = rect
    ? createPortal(
        <div ref={box} id={id} role="tooltip" className="nw-tooltip" data-testid="tooltip" style={{ left: 0, top: 0, visibility: 'hidden' }}>
          {content()}
        </div>,
        document.body,
      )
    : null;
  return { anchor, tooltip };
}

/** One formula line of a tooltip: what it gives, and the formula in the layer's own notation. */
export function TipFormula({ label, formula, worked, testId }: { label: string; formula: string; worked?: string | undefined; testId?: string }) {
  return (
    <div className="nw-tip-formula" data-testid={testId}>
      <span className="nw-tip-formula-label">{label}</span>
      <span className="nw-mono">{formula}</span>
      {worked && <span className="nw-mono nw-tip-worked">{worked}</span>}
    </div>
  );
}
