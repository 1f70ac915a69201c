export { createTrainingService, type TrainingService, type TrainingServiceOptions } from './training-service';
export {
  buildModelJson,
  deserializeModel,
  loadModelFromDir,
  readModelDir,
  saveModelToDir,
  serializeModel,
  writeModelDir,
  modelFileName,
  weightsFileName,
  sidecarFileName,
  type ModelDirContents,
  type NetweaveModelMetadata,
  type SerializedModel,
} from './model-io';
export { evaluateSavedModel, predictWithSavedModel, readExamplesFile, type Prediction, type SavedModelEvaluation, type SavedModelPredictions, type SavedModelTaskOptions } from './saved-model-tasks';
export { TrainingError, toErrorValue } from './training-error';
export { resolveTrainingSettings } from './training-settings';
