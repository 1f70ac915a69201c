import type { NetweaveDocument } from '../../graph-schema/document';
import { lossNames, optimizerNames, trainingSettingsSchema } from '../../graph-schema/document';
import type { ResolvedTrainingSettings, TrainRequest } from '../../shared/training-types';
import { TrainingError } from './training-error';

/** The document's training settings with the request's overrides applied and checked. */
export function resolveTrainingSettings(document: NetweaveDocument, request: Omit<TrainRequest, 'document'>): ResolvedTrainingSettings {
  const base = trainingSettingsSchema.parse(document.training ?? {});
  const merged: ResolvedTrainingSettings = {
    optimizer: request.optimizer ?? base.optimizer,
    learningRate: request.learningRate ?? base.learningRate,
    loss: request.loss ?? base.loss,
    batchSize: request.batchSize ?? base.batchSize,
    epochs: request.epochs ?? base.epochs,
    validationSplit: request.validationSplit ?? base.validationSplit,
    shuffle: request.shuffle ?? base.shuffle,
    seed: request.seed ?? base.seed,
    dataset: request.dataset ?? base.dataset,
  };
  const invalid = (what: string): never => {
    throw new TrainingError('settings-invalid', what);
  };
  if (!optimizerNames.includes(merged.optimizer)) invalid(`Unknown optimizer "${merged.optimizer}": use one of ${optimizerNames.join(', ')}.`);
  if (!lossNames.includes(merged.loss)) invalid(`Unknown loss "${merged.loss}": use one of ${lossNames.join(', ')}.`);
  if (!(merged.learningRate > 0) || !Number.isFinite(merged.learningRate)) invalid(`The learning rate must be a positive number (got ${merged.learningRate}).`);
  if (!Number.isInteger(merged.batchSize) || merged.batchSize < 1) invalid(`The batch size must be a whole number ≥ 1 (got ${merged.batchSize}).`);
  if (!Number.isInteger(merged.epochs) || merged.epochs < 1) invalid(`The number of epochs must be a whole number ≥ 1 (got ${merged.epochs}).`);
  if (!(merged.validationSplit >= 0 && merged.validationSplit < 1)) invalid(`The validation split must be in [0, 1) (got ${merged.validationSplit}).`);
  if (!Number.isInteger(merged.seed) || merged.seed < 0) invalid(`The seed must be a whole number ≥ 0 (got ${merged.seed}).`);
  if (request.limit !== undefined && (!Number.isInteger(request.limit) || request.limit < 1)) invalid(`The limit must be a whole number ≥ 1 (got ${request.limit}).`);
  return merged;
}
