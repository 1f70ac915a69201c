import * as tf from '@tensorflow/tfjs';
import type { ResolvedTrainingSettings } from '../../shared/training-types';
import { TrainingError } from './training-error';

export type LossName = ResolvedTrainingSettings['loss'];

/**
 * How class labels become targets for the model's output:
 * 'one-hot' for an output of one unit per class (class-index targets of the
 * sparse loss are one-hot encoded on the engine, which is the same loss);
 * 'binary' (0/1) for a single sigmoid-style unit on a two-class problem.
 */
export interface TargetPlan {
  encoding: 'one-hot' | 'binary';
  units: number;
}

const shapeText = (shape: readonly (number | null)[]): string => `[${shape.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;

/** Checks that the output layer can be trained with `loss` on `numClasses` classes; the message names the dimension. */
export function planTargets(loss: LossName, outputShape: readonly (number | null)[], numClasses: number): TargetPlan {
  if (outputShape.length !== 2) {
    throw new TrainingError(
      'graph-invalid',
      `The output layer gives ${shapeText(outputShape)}, but a classifier must output one vector per example: add a Flatten or global pooling layer and a Dense layer at the end.`,
    );
  }
  const units = outputShape[1] ?? 0;
  if (units === numClasses) return { encoding: 'one-hot', units };
  if (units === 1 && numClasses === 2 && (loss === 'binaryCrossentropy' || loss === 'meanSquaredError')) return { encoding: 'binary', units };
  if (loss === 'meanSquaredError' && units > numClasses) {
    // E.g. the autoencoder template: its target would be the input itself, which no data set here supplies.
    throw new TrainingError(
      'dataset-shape-mismatch',
      `The output layer has ${units} units (output dimension 1 of ${shapeText(outputShape)}) but the data set has ${numClasses} classes, and Netweave trains against class labels only: a network that reconstructs its input (an autoencoder) cannot be trained here yet. Export it to PyTorch or Keras and train it with the inputs as targets, or end it in a ${numClasses}-unit softmax to classify.`,
    );
  }
  const hint =
    units === 1 && numClasses === 2
      ? ` A single output unit needs the binaryCrossentropy or meanSquaredError loss (the loss is ${loss}).`
      : ` Set the last Dense layer to ${numClasses} units${numClasses === 2 ? ' (or 1 sigmoid unit with binaryCrossentropy)' : ''}.`;
  throw new TrainingError(
    'dataset-shape-mismatch',
    `The output layer has ${units} unit${units === 1 ? '' : 's'} (output dimension 1 of ${shapeText(outputShape)}) but the data set has ${numClasses} classes.${hint}`,
  );
}

/** Targets for a batch of int32 class labels. */
export function encodeTargets(labels: tf.Tensor1D, plan: TargetPlan): tf.Tensor2D {
  return (plan.encoding === 'binary' ? tf.cast(tf.reshape(labels, [-1, 1]), 'float32') : tf.oneHot(labels, plan.units).toFloat()) as tf.Tensor2D;
}

/** Keras' epsilon: probabilities are clipped to [eps, 1 − eps] before the log. */
const epsilon = 1e-7;

/** Mean loss over the batch, with Keras semantics (the model outputs probabilities, not logits). */
export function computeLoss(loss: LossName, targets: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'categoricalCrossentropy':
      case 'sparseCategoricalCrossentropy': {
        const normalised = tf.div(predictions, tf.sum(predictions, -1, true));
        const clipped = tf.clipByValue(normalised, epsilon, 1 - epsilon);
        return tf.mean(tf.neg(tf.sum(tf.mul(targets, tf.log(clipped)), -1)));
      }
      case 'binaryCrossentropy': {
        const p = tf.clipByValue(predictions, epsilon, 1 - epsilon);
        const perUnit = tf.add(tf.mul(targets, tf.log(p)), tf.mul(tf.sub(1, targets), tf.log(tf.sub(1, p))));
        return tf.mean(tf.neg(perUnit));
      }
      case 'meanSquaredError':
        return tf.mean(tf.square(tf.sub(targets, predictions)));
      default:
        throw new TrainingError('settings-invalid', `Unknown loss "${String(loss)}".`);
    }
  }) as tf.Scalar;
}

/** Examples whose predicted class (arg-max, or ≥ 0.5 for one unit) equals the label, from outputs read off the engine. */
export function countCorrect(outputs: Float32Array, labels: Int32Array, count: number, plan: TargetPlan): number {
  let correct = 0;
  if (plan.encoding === 'binary') {
    for (let i = 0; i < count; i++) if ((outputs[i]! >= 0.5 ? 1 : 0) === labels[i]) correct++;
    return correct;
  }
  const units = plan.units;
  for (let i = 0; i < count; i++) {
    let best = 0;
    let bestValue = outputs[i * units]!;
    for (let u = 1; u < units; u++) {
      const value = outputs[i * units + u]!;
      if (value > bestValue) {
        bestValue = value;
        best = u;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct;
}

/** Predicted class per example: arg-max, or probability ≥ 0.5 for a single unit. */
export function predictedClasses(predictions: tf.Tensor, plan: TargetPlan): tf.Tensor1D {
  return tf.tidy(() =>
    plan.encoding === 'binary' ? tf.cast(tf.greaterEqual(tf.reshape(predictions, [-1]), 0.5), 'int32') : tf.argMax(predictions, -1),
  ) as tf.Tensor1D;
}
