import { useToasts } from './toast-store';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="nw-toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`nw-toast is-${t.kind}`} data-testid={`toast-${t.kind}`} data-code={t.code ?? ''} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div className="nw-toast-head">
            <span className="nw-toast-title">{t.title}</span>
            {t.code && <span className="nw-diag-code">{t.code}</span>}
            <button className="nw-icon-button" onClick={() => dismiss(t.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
          {t.message && <div className="nw-toast-message">{t.message}</div>}
        </div>
      ))}
    </div>
  );
}
