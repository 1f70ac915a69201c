import { create } from 'zustand';
import type { HostInfo } from '../../shared/contract';
import { readPanels } from './panel-storage';

export type SidePanel = 'inspector' | 'code' | 'training' | 'lab';

/** A question the app asks in a modal; resolved by the dialog component. */
export interface PathRequest {
  mode: 'open' | 'save' | 'export' | 'model' | 'dataset';
  title: string;
  /** Suggested path. */
  initial: string;
  confirmLabel: string;
  resolve(path: string | null): void;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel?: string;
  /** A third choice, e.g. "Save first". */
  alternateLabel?: string;
  resolve(answer: 'confirm' | 'cancel' | 'alternate'): void;
}

interface UiState {
  host: HostInfo | null;
  recent: string[];
  panel: SidePanel;
  panelOpen: boolean;
  diagnosticsOpen: boolean;
  galleryOpen: boolean;
  shortcutsOpen: boolean;
  pathRequest: PathRequest | null;
  confirmRequest: ConfirmRequest | null;
  /** Why the connection being dragged is refused; null while it is fine. */
  connectionHint: string | null;
  /** Screen position of the quick-add box; null when closed. */
  quickAdd: { screen: { x: number; y: number }; flow: { x: number; y: number }; after: string | null } | null;
  set(patch: Partial<Omit<UiState, 'set'>>): void;
}

export const useUi = create<UiState>()((set) => ({
  host: null,
  recent: [],
  panel: 'inspector',
  panelOpen: readPanels().side ?? true,
  diagnosticsOpen: false,
  galleryOpen: false,
  shortcutsOpen: false,
  pathRequest: null,
  confirmRequest: null,
  connectionHint: null,
  quickAdd: null,
  set: (patch) => set(patch),
}));

export function askForPath(request: Omit<PathRequest, 'resolve'>): Promise<string | null> {
  return new Promise((resolve) => useUi.getState().set({ pathRequest: { ...request, resolve } }));
}

export function askToConfirm(request: Omit<ConfirmRequest, 'resolve'>): Promise<'confirm' | 'cancel' | 'alternate'> {
  return new Promise((resolve) => useUi.getState().set({ confirmRequest: { ...request, resolve } }));
}

export function showPanel(panel: SidePanel): void {
  useUi.getState().set({ panel, panelOpen: true });
}
