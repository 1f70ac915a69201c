import type { Draft, Patch } from 'immer';
import { applyPatches, enablePatches, produceWithPatches } from 'immer';

enablePatches();

export interface HistoryEntry {
  /** Unique per recorded state; the document is unchanged since saving while the top id equals the saved one. */
  id: number;
  label: string;
  patches: Patch[];
  inverse: Patch[];
  /** Consecutive edits with the same key (typing into one field) merge into one step. */
  coalesceKey?: string;
  at: number;
}

export interface History {
  past: readonly HistoryEntry[];
  future: readonly HistoryEntry[];
}

export const emptyHistory: History = { past: [], future: [] };

/** Edits with the same key within this window count as one undo step. */
export const coalesceWindowMs = 1500;

let nextEntryId = 1;

export function newRevisionId(): number {
  return nextEntryId++;
}

export function revisionOf(history: History): number {
  return history.past[history.past.length - 1]?.id ?? 0;
}

export interface EditOutcome<T> {
  next: T;
  history: History;
  changed: boolean;
}

/** Applies a recipe and records it; a recipe that changes nothing records nothing. */
export function recordEdit<T>(
  state: T,
  history: History,
  label: string,
  recipe: (draft: Draft<T>) => void,
  options: { coalesceKey?: string; now?: number } = {},
): EditOutcome<T> {
  const [next, patches, inverse] = produceWithPatches(state, recipe as (draft: Draft<T>) => void);
  if (patches.length === 0) return { next: state, history, changed: false };
  const now = options.now ?? Date.now();
  const top = history.past[history.past.length - 1];
  if (options.coalesceKey && top && top.coalesceKey === options.coalesceKey && now - top.at < coalesceWindowMs && history.future.length === 0) {
    const merged: HistoryEntry = {
      id: newRevisionId(),
      label: top.label,
      patches: [...top.patches, ...patches],
      inverse: [...inverse, ...top.inverse],
      coalesceKey: top.coalesceKey,
      at: now,
    };
    return { next: next as T, history: { past: [...history.past.slice(0, -1), merged], future: [] }, changed: true };
  }
  const entry: HistoryEntry = { id: newRevisionId(), label, patches, inverse, at: now, ...(options.coalesceKey ? { coalesceKey: options.coalesceKey } : {}) };
  return { next: next as T, history: { past: [...history.past, entry], future: [] }, changed: true };
}

export function undoStep<T>(state: T, history: History): { next: T; history: History; label: string } | null {
  const top = history.past[history.past.length - 1];
  if (!top) return null;
  return {
    next: applyPatches(state as object, top.inverse) as T,
    // Closed for coalescing: typing again after an undo starts a new step.
    history: { past: history.past.slice(0, -1), future: [{ ...top, coalesceKey: undefined }, ...history.future] },
    label: top.label,
  };
}

export function redoStep<T>(state: T, history: History): { next: T; history: History; label: string } | null {
  const first = history.future[0];
  if (!first) return null;
  return {
    next: applyPatches(state as object, first.patches) as T,
    history: { past: [...history.past, first], future: history.future.slice(1) },
    label: first.label,
  };
}

/** Ends the current coalescing run (a field lost focus): the next edit starts a new undo step. */
export function sealHistory(history: History): History {
  const top = history.past[history.past.length - 1];
  if (!top?.coalesceKey) return history;
  return { past: [...history.past.slice(0, -1), { ...top, coalesceKey: undefined }], future: history.future };
}
