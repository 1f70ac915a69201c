import { create } from 'zustand';

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message: string;
  /** The stable error code, shown so that a user can search for it or report it. */
  code?: string;
}

interface ToastState {
  toasts: Toast[];
  push(toast: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++;
    // Keep the last few; an error storm must not bury the canvas.
    set({ toasts: [...get().toasts.slice(-4), { ...toast, id }] });
    const ttl = toast.kind === 'error' ? 9000 : 3500;
    setTimeout(() => get().dismiss(id), ttl);
    return id;
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));

export function showError(title: string, error: { code: string; message: string }): void {
  useToasts.getState().push({ kind: 'error', title, message: error.message, code: error.code });
}

export function showInfo(title: string, message = ''): void {
  useToasts.getState().push({ kind: 'info', title, message });
}

export function showSuccess(title: string, message = ''): void {
  useToasts.getState().push({ kind: 'success', title, message });
}
