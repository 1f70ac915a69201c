import { useEffect, useState } from 'react';
import { templates } from '../../graph-schema/templates/index';
import { analyzeGraph } from '../../graph-schema/infer';
import { commands } from '../commands';
import { formatCount } from '../format';
import { useUi } from '../store/ui-store';
import { Modal } from '../ui/modal';
import { newFromTemplate, refreshRecent } from './document-commands';

let templateStats: Map<string, string> | null = null;

/** "9 layers · 61,706 params", computed once. */
function statsOf(id: string): string | undefined {
  if (!templateStats) {
    templateStats = new Map();
    for (const t of templates) {
      const built = t.build();
      const totals = analyzeGraph(built.graph).totals;
      templateStats.set(t.id, `${built.graph.nodes.length} nodes · ${formatCount(totals.total)} params`);
    }
  }
  return templateStats.get(id);
}

export function TemplateGallery() {
  const open = useUi((s) => s.galleryOpen);
  if (!open) return null;
  const close = () => useUi.getState().set({ galleryOpen: false });
  const choose = async (id: string) => {
    close();
    await newFromTemplate(id);
  };
  return (
    <Modal title="New project" onClose={close} wide testId="template-gallery">
      <div className="nw-gallery">
        <button className="nw-gallery-item" onClick={() => void choose('empty')} data-testid="template-empty">
          <span className="nw-gallery-name">Empty canvas</span>
          <span className="nw-gallery-desc">Start from nothing and drag layers from the palette.</span>
        </button>
        {templates.map((t) => (
          <button key={t.id} className="nw-gallery-item" onClick={() => void choose(t.id)} data-testid={`template-${t.id}`}>
            <span className="nw-gallery-name">{t.name}</span>
            <span className="nw-gallery-desc">{t.description}</span>
            <span className="nw-gallery-stats">{statsOf(t.id)}</span>
          </button>
        ))}
      </div>
    </Modal>
  );
}

/** Where the web host (no native dialogs) asks for a file path; lists recent files. */
export function PathDialog() {
  const request = useUi((s) => s.pathRequest);
  const recent = useUi((s) => s.recent);
  const [path, setPath] = useState(request?.initial ?? '');
  const [shownRequest, setShownRequest] = useState(request);
  if (request !== shownRequest) {
    // Set the initial path while rendering, not in an effect: otherwise the field is first drawn
    // empty and text typed in that moment ends up after the initial path.
    setShownRequest(request);
    setPath(request?.initial ?? '');
  }
  useEffect(() => {
    if (request) void refreshRecent();
  }, [request]);
  if (!request) return null;
  const finish = (value: string | null) => {
    useUi.getState().set({ pathRequest: null });
    request.resolve(value);
  };
  const submit = () => {
    if (path.trim() !== '') finish(path.trim());
  };
  const showRecent = request.mode === 'open' || request.mode === 'save';
  return (
    <Modal
      title={request.title}
      onClose={() => finish(null)}
      testId={request.mode === 'open' ? 'open-dialog' : request.mode === 'save' ? 'save-dialog' : 'path-dialog'}
      footer={
        <>
          <button className="nw-button" onClick={() => finish(null)} data-testid="path-cancel">
            Cancel
          </button>
          <button className="nw-button primary" onClick={submit} disabled={path.trim() === ''} data-testid="path-confirm">
            {request.confirmLabel}
          </button>
        </>
      }
    >
      <label className="nw-field-label" htmlFor="path-input">
        <span>File path on the machine running Netweave</span>
      </label>
      <input
        id="path-input"
        className="nw-input nw-mono"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') submit();
        }}
        data-autofocus
        data-testid="path-input"
        spellCheck={false}
      />
      <div className="nw-field-help">Relative paths start in the folder the host was started from.</div>
      {showRecent && recent.length > 0 && (
        <div className="nw-recent" data-testid="recent-list">
          <div className="nw-section-title">Recent</div>
          {recent.map((r, i) => (
            <button
              key={r}
              className="nw-recent-item nw-mono"
              onClick={() => setPath(r)}
              onDoubleClick={() => finish(r)}
              data-testid={`recent-item-${i}`}
              title={r}
            >
              {r}
            </button>
          ))}
        </div>
      )}
    </Modal>
  );
}

export function ConfirmDialog() {
  const request = useUi((s) => s.confirmRequest);
  if (!request) return null;
  const finish = (answer: 'confirm' | 'cancel' | 'alternate') => {
    useUi.getState().set({ confirmRequest: null });
    request.resolve(answer);
  };
  return (
    <Modal
      title={request.title}
      onClose={() => finish('cancel')}
      testId="confirm-dialog"
      footer={
        <>
          <button className="nw-button" onClick={() => finish('cancel')} data-testid="confirm-cancel">
            {request.cancelLabel ?? 'Cancel'}
          </button>
          {request.alternateLabel && (
            <button className="nw-button" onClick={() => finish('alternate')} data-testid="confirm-alternate">
              {request.alternateLabel}
            </button>
          )}
          <button className="nw-button primary" onClick={() => finish('confirm')} data-testid="confirm-ok" data-autofocus>
            {request.confirmLabel}
          </button>
        </>
      }
    >
      <p>{request.message}</p>
    </Modal>
  );
}

function prettyKey(spec: string): string {
  const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
  return mac ? spec.replace(/Ctrl/g, '⌘').replace(/Alt/g, '⌥').replace(/Shift/g, '⇧') : spec;
}

export function ShortcutsHelp() {
  const open = useUi((s) => s.shortcutsOpen);
  if (!open) return null;
  const groups = ['File', 'Edit', 'Canvas', 'View', 'Train'] as const;
  const extra = [
    { keys: ['Shift+drag'], label: 'Box select' },
    { keys: ['Ctrl+click'], label: 'Add to the selection' },
    { keys: ['Double-click canvas'], label: 'Quick-add a layer' },
    { keys: ['Drag handle → handle'], label: 'Connect two layers' },
  ];
  return (
    <Modal title="Keyboard shortcuts" onClose={() => useUi.getState().set({ shortcutsOpen: false })} wide testId="shortcuts-help">
      <div className="nw-shortcuts">
        {groups.map((g) => (
          <section key={g}>
            <div className="nw-section-title">{g}</div>
            {commands
              .filter((c) => c.group === g && c.keys.length > 0)
              .map((c) => (
                <div key={c.id} className="nw-shortcut" data-testid={`shortcut-${c.id}`}>
                  <span>{c.label}</span>
                  <span>
                    {c.keys.map((k) => (
                      <kbd key={k}>{prettyKey(k)}</kbd>
                    ))}
                  </span>
                </div>
              ))}
            {g === 'Canvas' &&
              extra.map((e) => (
                <div key={e.label} className="nw-shortcut">
                  <span>{e.label}</span>
                  <span>
                    {e.keys.map((k) => (
                      <kbd key={k}>{prettyKey(k)}</kbd>
                    ))}
                  </span>
                </div>
              ))}
          </section>
        ))}
      </div>
    </Modal>
  );
}
