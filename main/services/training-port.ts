import type { Result } from '../../shared/result';
import { err } from '../../shared/result';
import type { LabRunCalls } from '../training/training-service';
import type { Evaluation, TrainingEvent, TrainRequest } from '../../shared/training-types';

/** What the app services need from the training service, with failures as values. */
export interface TrainingPort extends LabRunCalls {
  start(request: TrainRequest, onEvent: (event: TrainingEvent) => void): Promise<Result<{ runId: string }>>;
  stop(runId: string): Promise<Result<{ stopped: boolean }>>;
  evaluate(runId: string): Promise<Result<Evaluation>>;
  saveModel(runId: string, dir: string): Promise<Result<{ dir: string; files: string[] }>>;
  /** Stops every run (the app is closing). */
  dispose(): Promise<void>;
}

/** Stands in where no training engine could be loaded: every call says so. */
export function unavailableTraining(reason: string): TrainingPort {
  const refuse = async <T>(): Promise<Result<T>> => err('training-unavailable', `Training is not available: ${reason}`);
  return {
    start: refuse,
    stop: refuse,
    evaluate: refuse,
    saveModel: refuse,
    pause: refuse,
    resume: refuse,
    step: refuse,
    disposeRun: refuse,
    labSamples: refuse,
    labActivations: refuse,
    labFilters: refuse,
    landscape: refuse,
    cancelTask: refuse,
    dispose: async () => undefined,
  };
}
