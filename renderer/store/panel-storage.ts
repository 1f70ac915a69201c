/**
 * Which panels the user folded away, remembered in this browser / app profile (like the theme):
 * a small window keeps the room it was given after a reload.
 */
export interface StoredPanels {
  palette?: boolean;
  side?: boolean;
  /** Absent: shown when the window is large enough. */
  minimap?: boolean;
}

const storageKey = 'netweave.panels';

export function readPanels(): StoredPanels {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(storageKey) ?? '{}');
    if (!value || typeof value !== 'object') return {};
    const v = value as Record<string, unknown>;
    const out: StoredPanels = {};
    for (const k of ['palette', 'side', 'minimap'] as const) if (typeof v[k] === 'boolean') out[k] = v[k];
    return out;
  } catch {
    return {};
  }
}

export function writePanels(patch: StoredPanels): void {
  try {
    window.localStorage.setItem(storageKey, JSON.stringify({ ...readPanels(), ...patch }));
  } catch {
    // Storage refused (a private window): the choice holds for this session only.
  }
}
