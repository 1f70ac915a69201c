import * as tf from '@tensorflow/tfjs';
import type { LossName, TargetPlan } from './losses';
import { computeLoss, encodeTargets, predictedClasses } from './losses';

export interface ForwardResult {
  /** Sum over examples of the per-example mean loss; NaN without labels. */
  lossSum: number;
  predicted: Int32Array;
  /** Probability the model gives its predicted class. */
  confidence: Float32Array;
  /** Raw outputs, `count × units`, when asked for. */
  outputs?: Float32Array;
}

export interface ForwardOptions {
  inputShape: readonly number[];
  plan: TargetPlan;
  loss?: LossName;
  labels?: Int32Array;
  batchSize?: number;
  keepOutputs?: boolean;
}

/** Inference in batches (training off: dropout inactive, batch-norm uses its moving statistics). */
export function forwardPass(model: tf.LayersModel, x: Float32Array, count: number, options: ForwardOptions): ForwardResult {
  const exampleSize = options.inputShape.reduce((a, b) => a * b, 1);
  const batchSize = Math.max(1, options.batchSize ?? 256);
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  const outputs = options.keepOutputs ? new Float32Array(count * options.plan.units) : undefined;
  let lossSum = options.labels && options.loss ? 0 : Number.NaN;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const parts = tf.tidy(() => {
      const xs = tf.tensor(x.subarray(start * exampleSize, (start + n) * exampleSize), [n, ...options.inputShape], 'float32');
      const out = model.apply(xs, { training: false }) as tf.Tensor;
      const classes = predictedClasses(out, options.plan);
      const conf =
        options.plan.encoding === 'binary'
          ? tf.tidy(() => {
              const p = tf.reshape(out, [-1]);
              return tf.where(tf.greaterEqual(p, 0.5), p, tf.sub(1, p));
            })
          : tf.max(out, -1);
      const loss =
        options.labels && options.loss
          ? computeLoss(options.loss, encodeTargets(tf.tensor1d(options.labels.subarray(start, start + n), 'int32'), options.plan), out)
          : tf.scalar(Number.NaN);
      return { out, classes, conf, loss };
    });
    predicted.set(parts.classes.dataSync() as Int32Array, start);
    confidence.set(parts.conf.dataSync() as Float32Array, start);
    if (outputs) outputs.set(parts.out.dataSync() as Float32Array, start * options.plan.units);
    if (options.labels && options.loss) lossSum += (parts.loss.dataSync()[0] ?? Number.NaN) * n;
    tf.dispose([parts.out, parts.classes, parts.conf, parts.loss]);
  }
  return { lossSum, predicted, confidence, ...(outputs ? { outputs } : {}) };
}
