/** The teaching-lab types of the contract, under the names the lab views use. */
export type { LabActivations, LabEvent, LabFilters, LabNodeOutput as LabTensor, LabSample, LabSamples } from '../../shared/lab-types';
export type { LayerGradientNorm } from '../../shared/training-types';

export interface LabLandscape {
  taskId: string;
  runId: string;
  alphas: number[];
  betas: number[];
  /** losses[i][j] at (alphas[i], betas[j]). */
  losses: number[][];
}
