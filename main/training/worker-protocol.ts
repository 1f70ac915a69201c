import type { Result } from '../../shared/result';
import type { LabEvent } from '../../shared/lab-types';
import type { TrainingEvent, TrainRequest } from '../../shared/training-types';
import type { NetweaveModelMetadata, SerializedModel } from './model-io';

/** Index of the stop flag in the shared control array: main sets it, the worker polls it before every batch. */
export const stopFlagIndex = 0;
/** Index of the pause flag: 1 = pause before the next batch, 0 = run. */
export const pauseFlagIndex = 1;
/** Int32 slots in the control array. */
export const controlSlots = 2;

/** A teaching-lab question about a run's model (see main/training/lab-tasks.ts). */
export type LabCall =
  | { name: 'samples'; count?: number }
  | { name: 'activations'; sampleIndex: number }
  | { name: 'filters'; nodeId: string; layer?: string };

export type MessageToWorker =
  | { type: 'start'; runId: string; request: TrainRequest; control: SharedArrayBuffer }
  | { type: 'evaluate'; requestId: number }
  /** Only while paused: train one batch, reply with its figures. */
  | { type: 'step'; requestId: number }
  | { type: 'lab'; requestId: number; call: LabCall }
  | { type: 'landscape'; requestId: number; taskId: string; options: { grid?: number; span?: number; batch?: number } }
  | { type: 'cancel'; taskId: string };

export type MessageFromWorker =
  | { type: 'event'; event: TrainingEvent }
  /** The model as of the last finished epoch (epoch 0: initial weights), so that main can save it even if the worker dies later. */
  | { type: 'model'; serialized: SerializedModel; metadata: NetweaveModelMetadata }
  | { type: 'reply'; requestId: number; result: Result<unknown> }
  | { type: 'lab-event'; event: LabEvent }
  /** The run is over (after 'finished' or 'error'); the worker may be ended (or kept for the lab calls). */
  | { type: 'done' };
