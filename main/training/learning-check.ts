/**
 * A run that finishes is not a run that learned. After each epoch this says, in words,
 * when the loss is not a number, or when it sits at its saturation value or stays flat
 * while accuracy stays at chance (e.g. a learning rate far too high).
 */

/** -ln(1e-7): TensorFlow.js clips probabilities at 1e-7, so a confidently wrong cross-entropy stops here. */
export const crossEntropySaturation = -Math.log(1e-7);

export interface EpochFigures {
  epoch: number;
  loss: number;
  accuracy?: number;
}

export interface LearningCheckOptions {
  numClasses: number;
  loss: string;
  learningRate: number;
}

export function learningWarnings(history: readonly EpochFigures[], options: LearningCheckOptions): string[] {
  const last = history[history.length - 1];
  if (!last) return [];
  if (!Number.isFinite(last.loss)) {
    return [`The loss is ${last.loss} after epoch ${last.epoch}: training diverged. Lower the learning rate (now ${options.learningRate}) or scale the input data.`];
  }
  const k = Math.max(2, options.numClasses);
  const chance = 1 / k;
  const atChance = last.accuracy !== undefined && last.accuracy <= chance + Math.max(0.02, chance * 0.1);
  if (!atChance) return [];
  const saturated = /crossentropy/i.test(options.loss) && Math.abs(last.loss - crossEntropySaturation) < 0.05 * crossEntropySaturation;
  const previous = history[history.length - 2];
  const flat = previous !== undefined && Math.abs(last.loss - previous.loss) <= 1e-3 * Math.max(1, Math.abs(previous.loss));
  if (!saturated && !flat) return [];
  const why = saturated ? `the loss is pinned at ${last.loss.toFixed(4)}, its saturation value,` : `the loss stays at ${last.loss.toFixed(4)}`;
  return [
    `The model is not learning: after epoch ${last.epoch} ${why} and accuracy is at chance (${(last.accuracy! * 100).toFixed(1)}% with ${k} classes). Lower the learning rate (now ${options.learningRate}), or check the data and labels.`,
  ];
}
