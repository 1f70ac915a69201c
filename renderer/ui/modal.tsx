import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId: string;
}

/**
 * A centred dialog: Escape or a click outside closes it; focus moves into it and,
 * once the key that closed it is over, back to where it was.
 */
export function Modal({ title, onClose, children, footer, wide, testId }: ModalProps) {
  const box = useRef<HTMLDivElement>(null);
  // The latest onClose, so that re-rendering (typing in a field) never re-runs the focus effect.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>('[data-autofocus], input, button, select');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close.current();
      } else if (e.key === 'Enter' && e.target instanceof HTMLInputElement && box.current?.contains(e.target)) {
        // Enter in a field submits; without this the same keystroke would go on to press
        // the button that gets focus back when the dialog closes (Save as opening again).
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      // Wait for the closing keystroke to finish before focusing the toolbar button again.
      setTimeout(() => {
        if (previous?.isConnected && (document.activeElement === document.body || document.activeElement === null)) previous.focus();
      }, 0);
    };
  }, []);
  return (
    <div className="nw-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`nw-modal${wide ? ' is-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} ref={box} data-testid={testId}>
        <div className="nw-modal-head">
          <span>{title}</span>
          <button className="nw-icon-button" onClick={onClose} aria-label="Close" data-testid={`${testId}-close`}>
            ×
          </button>
        </div>
        <div className="nw-modal-body">{children}</div>
        {footer && <div className="nw-modal-foot">{footer}</div>}
      </div>
    </div>
  );
}
