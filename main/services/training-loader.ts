import { createTrainingService } from '../training/training-service';
import type { TrainingPort } from './training-port';
import { unavailableTraining } from './training-port';

/**
 * The training engine for a host. Runs happen in worker threads started on
 * demand, so this costs nothing until the first run; should the service fail
 * to set up, every training call says why instead of the host failing to start.
 */
export async function loadTrainingPort(workerUrl?: URL): Promise<TrainingPort> {
  try {
    return createTrainingService(workerUrl ? { workerUrl } : {});
  } catch (error) {
    return unavailableTraining(error instanceof Error ? error.message : String(error));
  }
}
