import { useStore } from 'zustand';
import type { EditorStore } from './editor-store';
import { createEditorStore } from './editor-store';

/** The one editor store of the window. */
export const editorStore = createEditorStore();

export function useEditor<T>(selector: (state: EditorStore) => T): T {
  return useStore(editorStore, selector);
}
