import * as tf from '@tensorflow/tfjs';
import type { LabActivations, LabFilters, LabNodeOutput, LabSample, LabSamples } from '../../shared/lab-types';
import { samplePixels } from './evaluate';
import { executeLayers, layerSteps } from './gradient-norms';
import type { LossName, TargetPlan } from './losses';
import { computeLoss, encodeTargets } from './losses';
import type { PreparedData } from './prepare-data';
import { TrainingError } from './training-error';

/** What the lab calls need of a run: its model, data and how canvas nodes map onto compiled layers. */
export interface LabSubject {
  model: tf.LayersModel;
  data: PreparedData;
  plan: TargetPlan;
  loss: LossName;
  seed: number;
  /** Canvas node id → compiled layer whose output is the node's output. */
  nodeOutput: ReadonlyMap<string, string>;
  /** Canvas node id → its compiled layers, in order. */
  nodeLayers: ReadonlyMap<string, string[]>;
}

/** Values per node output beyond this are cut (a 112×112×64 map has 802,816). */
export const activationValueCap = 65_536;

function sample(subject: LabSubject, index: number): LabSample {
  const { test, exampleShape } = subject.data;
  if (!Number.isInteger(index) || index < 0 || index >= test.count) {
    throw new TrainingError('sample-out-of-range', `Sample ${index} does not exist: the test split has ${test.count} examples (0 to ${test.count - 1}).`);
  }
  return {
    index,
    ...(exampleShape.length === 3 ? { image: samplePixels(test.x, index, exampleShape) } : {}),
    shape: [...exampleShape],
    label: test.y[index]!,
  };
}

export function labSamples(subject: LabSubject, count = 10): LabSamples {
  const n = Math.min(count, subject.data.test.count);
  return { classNames: [...subject.data.classNames], samples: Array.from({ length: n }, (_, i) => sample(subject, i)) };
}

function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length === 0 ? { min: 0, max: 0 } : { min, max };
}

/** One test example through the model (inference mode), with the output of every canvas node. */
export function labActivations(subject: LabSubject, sampleIndex: number): LabActivations {
  const picked = sample(subject, sampleIndex);
  const { model, data } = subject;
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  const wanted = [...subject.nodeOutput.entries()];
  let read: { probabilities: number[]; outputs: LabNodeOutput[] } = { probabilities: [], outputs: [] };
  tf.tidy(() => {
    const x = tf.tensor(data.test.x.subarray(sampleIndex * size, (sampleIndex + 1) * size), [1, ...data.inputShape], 'float32');
    const values = executeLayers(model, layerSteps(model), x, false);
    const out = values.get(model.outputLayers[0]!.name)!;
    read = {
      probabilities: Array.from(out.dataSync()),
      outputs: wanted
        .filter(([, layer]) => values.has(layer))
        .map(([nodeId, layer]): LabNodeOutput => {
          const t = values.get(layer)!;
          const all = t.dataSync();
          const { min, max } = minMax(all);
          const truncated = all.length > activationValueCap;
          return { nodeId, shape: t.shape.slice(1), values: Array.from(truncated ? all.subarray(0, activationValueCap) : all), min, max, ...(truncated ? { truncated } : {}) };
        }),
    };
  });
  const probabilities = subject.plan.encoding === 'binary' && read.probabilities.length === 1 ? [1 - read.probabilities[0]!, read.probabilities[0]!] : read.probabilities;
  let predicted = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[predicted]!) predicted = i;
  return { sample: picked, probabilities, predicted, outputs: read.outputs };
}

const kernelNames = ['kernel', 'depthwise_kernel'];

/** The kernel of a node's convolution (the first conv layer of a block unless `layer` names one). */
export function labFilters(subject: LabSubject, nodeId: string, layer?: string): LabFilters {
  const layers = subject.nodeLayers.get(nodeId);
  if (!layers) throw new TrainingError('node-not-found', `The trained model has no node "${nodeId}": it may have been added after training; train again.`);
  const candidates = layer ? layers.filter((l) => l === layer) : layers;
  for (const name of candidates) {
    const compiled = subject.model.getLayer(name);
    const kernel = compiled.weights.find((w) => kernelNames.some((k) => w.originalName.endsWith(`/${k}`)) && w.shape.length === 4);
    if (!kernel) continue;
    const values = kernel.read().dataSync();
    const { min, max } = minMax(values);
    return { nodeId, layer: name, shape: kernel.shape as [number, number, number, number], values: Array.from(values), min, max };
  }
  throw new TrainingError('no-filters', `Node "${nodeId}" has no convolution kernel to show: filters exist for Conv 2D layers and blocks that contain them.`);
}

export interface LandscapeResult {
  alphas: number[];
  betas: number[];
  losses: number[][];
}

export interface LandscapeOptions {
  grid?: number;
  span?: number;
  batch?: number;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

/**
 * Li et al. 2018 ("Visualizing the Loss Landscape of Neural Nets"): the loss
 * on a fixed batch at w + α·d1 + β·d2 for two random Gaussian directions, each
 * filter-normalized (every output filter / unit of d scaled to the norm of the
 * same filter of w), biases and other 1-D weights left out (d = 0), as the
 * paper does. The trained weights are put back afterwards, even when cancelled.
 */
export async function computeLandscape(subject: LabSubject, options: LandscapeOptions = {}): Promise<LandscapeResult> {
  const grid = options.grid ?? 15;
  const span = options.span ?? 1;
  const { model, data } = subject;
  const source = data.train.count > 0 ? data.train : data.test;
  const n = Math.min(options.batch ?? 256, source.count);
  if (n === 0) throw new TrainingError('no-data', 'The run has no examples to measure the loss on.');
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const origin = variables.map((v) => tf.keep(tf.clone(v)));
  const direction = (salt: number): tf.Tensor[] =>
    origin.map((w, i) =>
      tf.tidy(() => {
        if (w.rank < 2) return tf.keep(tf.zerosLike(w));
        const d = tf.randomNormal(w.shape, 0, 1, 'float32', (subject.seed * 7919 + salt * 104_729 + i * 31) % 2_147_483_647);
        // Norms per output filter: the last axis (Dense units, Conv2D filters).
        const axes = w.shape.slice(0, -1).map((_, a) => a);
        const norm = (t: tf.Tensor): tf.Tensor => tf.sqrt(tf.sum(tf.square(t), axes, true));
        const scale = tf.div(norm(w), tf.add(norm(d), 1e-10));
        return tf.keep(tf.mul(d, scale));
      }),
    );
  const d1 = direction(1);
  const d2 = direction(2);
  const { x, labels } = tf.tidy(() => ({
    x: tf.keep(tf.tensor(source.x.subarray(0, n * size), [n, ...data.inputShape], 'float32')),
    labels: tf.keep(encodeTargets(tf.tensor1d(source.y.subarray(0, n), 'int32'), subject.plan)),
  }));
  const axis = Array.from({ length: grid }, (_, i) => (grid === 1 ? 0 : -span + (2 * span * i) / (grid - 1)));
  const losses: number[][] = [];
  try {
    for (let i = 0; i < grid; i++) {
      const row: number[] = [];
      for (let j = 0; j < grid; j++) {
        if (options.isCancelled?.()) throw new TrainingError('cancelled', 'The loss landscape was cancelled.');
        const loss = tf.tidy(() => {
          variables.forEach((v, k) => v.assign(tf.add(origin[k]!, tf.add(tf.mul(d1[k]!, axis[i]!), tf.mul(d2[k]!, axis[j]!)))));
          return computeLoss(subject.loss, labels, model.apply(x, { training: false }) as tf.Tensor).dataSync()[0]!;
        });
        row.push(loss);
        options.onProgress?.(i * grid + j + 1, grid * grid);
        // A turn of the event loop so that a cancel gets through.
        await new Promise((resolve) => setImmediate(resolve));
      }
      losses.push(row);
    }
  } finally {
    variables.forEach((v, k) => v.assign(origin[k]!));
    tf.dispose([...origin, ...d1, ...d2, x, labels]);
  }
  return { alphas: axis, betas: [...axis], losses };
}
