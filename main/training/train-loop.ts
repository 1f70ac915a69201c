import * as tf from '@tensorflow/tfjs';
import type { ResolvedTrainingSettings, TrainingEvent } from '../../shared/training-types';
import { forwardPass } from './forward-pass';
import type { LayerStep, WeightedLayer } from './gradient-norms';
import { batchNorms, gradientStep, layerSteps, NormAccumulator, weightedLayers } from './gradient-norms';
import type { TargetPlan } from './losses';
import { computeLoss, countCorrect, encodeTargets } from './losses';
import { createOptimizer } from './optimizers';
import type { PreparedData } from './prepare-data';
import { epochOrders } from './seeded-random';
import { TrainingError } from './training-error';

type WithoutRun<T> = T extends unknown ? Omit<T, 'runId'> : never;
export type BatchProgress = WithoutRun<Extract<TrainingEvent, { type: 'batch' }>>;
export type EpochProgress = WithoutRun<Extract<TrainingEvent, { type: 'epoch' }>>;

export interface TrainingLoopOptions {
  settings: ResolvedTrainingSettings;
  plan: TargetPlan;
  /** Batch progress is reported at most this often (default 50 ms ⇒ ≤ 20 events/s), and always for an epoch's last batch. */
  batchEventIntervalMs?: number;
  /** Gives the event loop a turn this often (default 25 ms) so that messages (evaluate, stop) get through. */
  yieldIntervalMs?: number;
  shouldStop?: () => boolean;
  onBatch?: (progress: BatchProgress) => void;
  /** Called after the epoch's weights are snapshotted; may be async (shipping the weights). */
  onEpoch?: (progress: EpochProgress) => void | Promise<void>;
  /** Runs before every batch with its index in the run (test hook for fault injection). */
  beforeBatch?: (batchInRun: number) => void;
  /** Called with the loss of every batch, after the read (the benchmark records them). */
  onBatchLoss?: (loss: number) => void;
  /** Measure per-layer gradient norms (default true) on sampled batches: at most every `normEventIntervalMs`, an epoch's last batch and every stepped batch (sampling keeps the cost within a few per cent). */
  instrument?: boolean;
  /** Batch events carry gradient norms at most this often (default 500 ms); a stepped batch always does. */
  normEventIntervalMs?: number;
  /** Canvas node of a compiled layer (default: the layer name). */
  nodeOf?: (layerName: string) => string;
  /** Runs each step outside TensorFlow.js (the onnxruntime engine); the tfjs model gets its weights at epoch ends. */
  stepper?: ExternalStepper;
  /** Pause between batches: when `isPaused()`, the loop awaits `wait` (resume, one step, or stop). */
  pause?: {
    isPaused: () => boolean;
    wait: (position: { epoch: number; batch: number }) => Promise<'resume' | 'step' | 'stop'>;
    /** Called after a stepped batch with its figures. */
    stepped: (result: { epoch: number; batch: number; loss: number }) => void;
  };
}

/** A training step run by another engine; the tfjs model stays the source of truth between epochs. */
export interface ExternalStepper {
  step(x: Float32Array, labels: Int32Array, n: number): Promise<{ loss: number; correct: number; weightSquares?: Float32Array; activationSquares?: Float32Array }>;
  /** Whether each step's result carries per-layer gradient norms (in `weightedLayers(model)` order). */
  readonly measuresNorms?: boolean;
  /** The engine's weights → the tfjs model. */
  writeBack(): void;
  /** The tfjs model's weights → the engine (after a rollback). */
  reload(): void;
}

export interface LoopOutcome {
  stopped: boolean;
  epochsCompleted: number;
  elapsedMs: number;
  /** Time spent in training batches only (no validation). */
  trainingMs: number;
  lastEpochLoss: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * netweave's training loop: a seeded batch order, one tidy per batch around
 * optimizer.minimize, one read per batch (loss and correct count together),
 * weight snapshots at each epoch end that a stop or a non-finite loss rolls
 * back to. Not model.fit: its callbacks and per-batch bookkeeping cost more.
 */
export class TrainingLoop {
  private readonly optimizer: tf.Optimizer;
  private snapshot: tf.Tensor[] = [];
  private readonly nextOrder: () => Int32Array;
  private epochsCompleted = 0;
  private readonly steps: LayerStep[];
  readonly layers: WeightedLayer[];
  private lastNorms: ReturnType<NormAccumulator['result']> = [];

  constructor(
    readonly model: tf.LayersModel,
    readonly data: PreparedData,
    private readonly options: TrainingLoopOptions,
  ) {
    this.optimizer = createOptimizer(options.settings.optimizer, options.settings.learningRate);
    this.nextOrder = epochOrders(data.train.count, options.settings.seed, options.settings.shuffle);
    this.takeSnapshot();
    this.steps = layerSteps(model);
    this.layers = weightedLayers(model, options.nodeOf);
  }

  /** The norms of the last finished epoch (empty before the first or without instrumentation). */
  get lastEpochNorms(): ReturnType<NormAccumulator['result']> {
    return this.lastNorms;
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.data.train.count / this.options.settings.batchSize);
  }

  get completedEpochs(): number {
    return this.epochsCompleted;
  }

  private takeSnapshot(): void {
    const next = this.model.weights.map((w) => tf.keep(tf.clone(w.read())));
    tf.dispose(this.snapshot);
    this.snapshot = next;
  }

  /** Puts back the weights of the last finished epoch (the initial weights before the first). */
  restoreSnapshot(): void {
    this.model.weights.forEach((w, i) => w.write(this.snapshot[i]!));
  }

  async run(): Promise<LoopOutcome> {
    const { settings, plan } = this.options;
    const { train, inputShape } = this.data;
    const exampleSize = inputShape.reduce((a, b) => a * b, 1);
    const batchSize = settings.batchSize;
    const xBuffer = new Float32Array(batchSize * exampleSize);
    const yBuffer = new Int32Array(batchSize);
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    // An external step reports gradient norms only when it measures them: none rather than zeros.
    const instrument = (this.options.instrument ?? true) && (!this.options.stepper || this.options.stepper.measuresNorms === true);
    const normInterval = this.options.normEventIntervalMs ?? 500;
    let lastNormEvent = -Infinity;
    const batchInterval = this.options.batchEventIntervalMs ?? 50;
    const yieldInterval = this.options.yieldIntervalMs ?? 25;
    const runStart = performance.now();
    let trainingMs = 0;
    let lastYield = runStart;
    let batchInRun = 0;
    let lastEpochLoss = Number.NaN;

    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = this.nextOrder();
      const epochStart = performance.now();
      let lastBatchEvent = 0;
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      const norms = new NormAccumulator(this.layers);
      for (let batch = 0; batch * batchSize < train.count; batch++) {
        if (this.options.shouldStop?.()) return this.stopMidEpoch(runStart, trainingMs + performance.now() - epochStart);
        let stepping = false;
        if (this.options.pause?.isPaused()) {
          const pausedAt = performance.now();
          const action = await this.options.pause.wait({ epoch, batch });
          // Time spent paused is not training time.
          const pausedFor = performance.now() - pausedAt;
          trainingMs -= pausedFor;
          if (action === 'stop') return this.stopMidEpoch(runStart, trainingMs + performance.now() - epochStart);
          stepping = action === 'step';
        }
        this.options.beforeBatch?.(batchInRun++);
        const start = batch * batchSize;
        const n = Math.min(batchSize, train.count - start);
        for (let j = 0; j < n; j++) {
          const index = order[start + j]!;
          xBuffer.set(train.x.subarray(index * exampleSize, (index + 1) * exampleSize), j * exampleSize);
          yBuffer[j] = train.y[index]!;
        }
        const lastOfEpochBatch = start + n === train.count;
        const stepper = this.options.stepper;
        let loss: number;
        let correct: number;
        let read: Float32Array | Int32Array | Uint8Array = new Float32Array(0);
        let probe = false;
        if (stepper) {
          probe = instrument && (stepping || lastOfEpochBatch || performance.now() - lastNormEvent >= normInterval);
          const figures = await stepper.step(xBuffer, yBuffer, n);
          ({ loss, correct } = figures);
          if (probe && figures.weightSquares && figures.activationSquares) {
            // The same layout as the tfjs path's read: loss, then the weight and the activation squares.
            read = new Float32Array(1 + 2 * this.layers.length);
            read[0] = loss;
            read.set(figures.weightSquares, 1);
            read.set(figures.activationSquares, 1 + this.layers.length);
          } else probe = false;
        } else {
          probe = instrument && (stepping || lastOfEpochBatch || performance.now() - lastNormEvent >= normInterval);
          const [figures, predictions] = tf.tidy(() => {
            const xs = tf.tensor(n === batchSize ? xBuffer : xBuffer.subarray(0, n * exampleSize), [n, ...inputShape], 'float32');
            const labels = tf.tensor1d(n === batchSize ? yBuffer : yBuffer.subarray(0, n), 'int32');
            const targets = encodeTargets(labels, plan);
            // Explicit gradients (what minimize does inside) so that their norms can be read.
            const step = gradientStep(this.model, this.steps, this.layers, variables, xs, (out) => computeLoss(settings.loss, targets, out), { instrument: probe, probe });
            this.optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, step.grads[i]!])));
            // Loss and the norms' sums of squares in one read.
            const parts: tf.Tensor[] = [step.loss.reshape([1])];
            if (step.weightSquares) parts.push(step.weightSquares);
            if (step.activationSquares) parts.push(step.activationSquares);
            return [parts.length === 1 ? parts[0]! : tf.concat(parts), step.predictions];
          });
          // Reading the outputs and counting hits here costs less than the handful of engine ops it would take.
          read = figures.dataSync();
          loss = read[0]!;
          correct = countCorrect(predictions.dataSync() as Float32Array, yBuffer, n, plan);
          tf.dispose([figures, predictions]);
        }
        const layerCount = this.layers.length;
        const weightSquares = probe && layerCount > 0 ? read.subarray(1, 1 + layerCount) : undefined;
        const activationSquares = probe && layerCount > 0 ? read.subarray(1 + layerCount, 1 + 2 * layerCount) : undefined;
        if (weightSquares) norms.add(weightSquares, activationSquares);
        this.options.onBatchLoss?.(loss);
        if (!Number.isFinite(loss)) {
          this.restoreSnapshot();
          stepper?.reload();
          throw new TrainingError(
            'loss-not-finite',
            `The loss became ${Number.isNaN(loss) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${batch + 1}: the learning rate (${settings.learningRate}) is probably too high. Lower it (e.g. to ${settings.learningRate / 10}) and train again; the model keeps the weights of ${this.epochsCompleted === 0 ? 'its initialisation' : `epoch ${this.epochsCompleted}`}.`,
          );
        }
        lossSum += loss * n;
        correctSum += correct;
        seen += n;
        const now = performance.now();
        const lastOfEpoch = seen === train.count;
        if (this.options.onBatch && (stepping || lastOfEpoch || now - lastBatchEvent >= batchInterval)) {
          lastBatchEvent = now;
          if (activationSquares) lastNormEvent = now;
          this.options.onBatch({
            type: 'batch',
            epoch,
            batch: batch + 1,
            batchesPerEpoch: this.batchesPerEpoch,
            loss,
            accuracy: correctSum / seen,
            imagesPerSecond: seen / Math.max(1e-3, (now - epochStart) / 1000),
            ...(weightSquares && activationSquares ? { gradientNorms: batchNorms(this.layers, weightSquares, activationSquares) } : {}),
          });
        }
        if (stepping) this.options.pause!.stepped({ epoch, batch: batch + 1, loss });
        if (now - lastYield >= yieldInterval) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const epochTrainingMs = performance.now() - epochStart;
      trainingMs += epochTrainingMs;
      lastEpochLoss = lossSum / seen;
      this.options.stepper?.writeBack();
      const validation = this.validate();
      this.epochsCompleted = epoch;
      this.takeSnapshot();
      if (instrument && this.layers.length > 0) this.lastNorms = norms.result();
      const elapsedMs = performance.now() - runStart;
      await this.options.onEpoch?.({
        type: 'epoch',
        epoch,
        epochs: settings.epochs,
        loss: lastEpochLoss,
        accuracy: correctSum / seen,
        ...validation,
        elapsedMs,
        etaMs: (elapsedMs / epoch) * (settings.epochs - epoch),
        imagesPerSecond: seen / Math.max(1e-3, epochTrainingMs / 1000),
        numTensors: tf.memory().numTensors,
        ...(instrument && this.layers.length > 0 ? { gradientNorms: this.lastNorms } : {}),
      });
    }
    return { stopped: false, epochsCompleted: this.epochsCompleted, elapsedMs: performance.now() - runStart, trainingMs, lastEpochLoss };
  }

  private stopMidEpoch(runStart: number, trainingMs: number): LoopOutcome {
    this.restoreSnapshot();
    return { stopped: true, epochsCompleted: this.epochsCompleted, elapsedMs: performance.now() - runStart, trainingMs, lastEpochLoss: Number.NaN };
  }

  private validate(): { validationLoss?: number; validationAccuracy?: number } {
    const { validation, inputShape } = this.data;
    if (validation.count === 0) return {};
    const result = forwardPass(this.model, validation.x, validation.count, {
      inputShape,
      plan: this.options.plan,
      loss: this.options.settings.loss,
      labels: validation.y,
      batchSize: Math.max(this.options.settings.batchSize, 256),
    });
    let correct = 0;
    for (let i = 0; i < validation.count; i++) if (result.predicted[i] === validation.y[i]) correct++;
    return { validationLoss: result.lossSum / validation.count, validationAccuracy: correct / validation.count };
  }

  dispose(): void {
    tf.dispose(this.snapshot);
    this.snapshot = [];
    this.optimizer.dispose();
  }
}
