import type { Result } from '../../shared/result';
import type { Evaluation, TrainingEvent, TrainRequest } from '../../shared/training-types';
import type { NetweaveModelMetadata, SerializedModel } from './model-io';

/** Index of the stop flag in the shared control array: main sets it, the worker polls it before every batch. */
export const stopFlagIndex = 0;

export type MessageToWorker =
  | { type: 'start'; runId: string; request: TrainRequest; control: SharedArrayBuffer }
  | { type: 'evaluate'; requestId: number };

export type MessageFromWorker =
  | { type: 'event'; event: TrainingEvent }
  /** The model as of the last finished epoch (epoch 0: initial weights), so that main can save it even if the worker dies later. */
  | { type: 'model'; serialized: SerializedModel; metadata: NetweaveModelMetadata }
  | { type: 'reply'; requestId: number; result: Result<Evaluation> }
  /** The run is over (after 'finished' or 'error'); the worker may be ended. */
  | { type: 'done' };
