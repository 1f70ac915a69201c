import * as tf from '@tensorflow/tfjs';
import type { ResolvedTrainingSettings } from '../../shared/training-types';
import { TrainingError } from './training-error';

/** The optimizers of the settings panel; 'momentum' is SGD with momentum 0.9, as in the classic papers. */
export function createOptimizer(name: ResolvedTrainingSettings['optimizer'], learningRate: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    case 'adam':
      return tf.train.adam(learningRate);
    default:
      throw new TrainingError('settings-invalid', `Unknown optimizer "${String(name)}".`);
  }
}
