import { create } from 'zustand';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { LabLandscape } from './lab-types';

export type LabView = 'lesson' | 'compare' | 'gradients' | 'layer' | 'landscape' | 'conv';

export interface LandscapeTask {
  taskId: string;
  runId: string;
  done: number;
  total: number;
  status: 'running' | 'done' | 'cancelled' | 'error';
  result: LabLandscape | null;
  error: string | null;
}

interface LabState {
  view: LabView;
  /** The document shown beside the canvas (the plain twin, or the graph it was made from). */
  twin: { document: NetweaveDocument; role: string } | null;
  /** The edge whose activations the layer view shows; null: the one the canvas has selected. */
  edgeId: string | null;
  /** Index in the test split of the example the layer view shows. */
  sampleIndex: number | null;
  /** The active lesson step, per lesson. */
  lessonStep: number;
  landscapes: Record<string, LandscapeTask>;
  /** What the lesson trains on: examples and epochs (text as typed). */
  lessonLimit: string;
  lessonEpochs: string;
  set(patch: Partial<Omit<LabState, 'set'>>): void;
}

export const useLab = create<LabState>()((set) => ({
  view: 'lesson',
  twin: null,
  edgeId: null,
  sampleIndex: null,
  lessonStep: 0,
  landscapes: {},
  lessonLimit: '4000',
  lessonEpochs: '2',
  set: (patch) => set(patch),
}));

export function updateLandscape(taskId: string, patch: Partial<LandscapeTask>): void {
  const all = useLab.getState().landscapes;
  const current = all[taskId];
  if (!current) return;
  useLab.getState().set({ landscapes: { ...all, [taskId]: { ...current, ...patch } } });
}
