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

export type TrainingEvent =
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
}
