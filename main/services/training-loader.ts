import type { TrainingPort } from './training-port';
import { unavailableTraining } from './training-port';

/**
 * The training engine, loaded on demand so that a host starts even where the
 * engine cannot load (its failure then reads as 'training-unavailable').
 */
export async function loadTrainingPort(): Promise<TrainingPort> {
  return unavailableTraining('the training service is not part of this build yet.');
}
