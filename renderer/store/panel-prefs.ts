import { useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { readPanels, writePanels } from './panel-storage';
import { useUi } from './ui-store';

/** Below this window width the minimap starts hidden: it would cover a third of the canvas. */
export const smallWindowWidth = 1280;

interface PanelPrefs {
  paletteOpen: boolean;
  /** null: follow the window size. */
  minimap: boolean | null;
}

const stored = readPanels();
export const usePanels = create<PanelPrefs>()(() => ({ paletteOpen: stored.palette ?? true, minimap: stored.minimap ?? null }));

// The side panel's open state lives in the UI store (tabs open it); remember every change.
useUi.subscribe((s, prev) => {
  if (s.panelOpen !== prev.panelOpen) writePanels({ side: s.panelOpen });
});

export function togglePalette(): void {
  const paletteOpen = !usePanels.getState().paletteOpen;
  usePanels.setState({ paletteOpen });
  writePanels({ palette: paletteOpen });
}

export function toggleSidePanel(): void {
  useUi.getState().set({ panelOpen: !useUi.getState().panelOpen });
}

function subscribeWidth(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

export function useWindowWidth(): number {
  return useSyncExternalStore(subscribeWidth, () => window.innerWidth);
}

export function minimapShown(minimap: boolean | null, windowWidth: number): boolean {
  return minimap ?? windowWidth > smallWindowWidth;
}

export function useMinimapShown(): boolean {
  const minimap = usePanels((s) => s.minimap);
  return minimapShown(minimap, useWindowWidth());
}

export function toggleMinimap(): void {
  const next = !minimapShown(usePanels.getState().minimap, window.innerWidth);
  usePanels.setState({ minimap: next });
  writePanels({ minimap: next });
}
