import type { ErrorCode } from './error-codes';
/** What the teaching-lab calls return (see shared/contract.ts 'lab.*'). */

export interface LabSample {
  /** Index in the run's test split. */
  index: number;
  /** Pixels in [0,1], row-major HWC, for image data; absent otherwise. */
  image?: number[];
  /** The example's shape without the batch axis (H, W, C for images). */
  shape: number[];
  label: number;
}

export interface LabSamples {
  classNames: string[];
  samples: LabSample[];
}

/** One canvas node's output on the chosen example: what each of its outgoing edges carries. */
export interface LabNodeOutput {
  nodeId: string;
  /** Shape without the batch axis. */
  shape: number[];
  /** Row-major values; empty when `truncated` says the tensor was over the size cap. */
  values: number[];
  min: number;
  max: number;
  /** Set when the tensor had more than the cap's elements: values hold only the first `values.length` of them. */
  truncated?: boolean;
}

export interface LabActivations {
  sample: LabSample;
  probabilities: number[];
  predicted: number;
  outputs: LabNodeOutput[];
}

export interface LabFilters {
  nodeId: string;
  /** [kh, kw, inChannels, outChannels] (depthwise kernels: [kh, kw, inChannels, depthMultiplier]). */
  shape: [number, number, number, number];
  /** Row-major over `shape`. */
  values: number[];
  min: number;
  max: number;
  /** Primitive layer the kernel belongs to (a block may have several conv layers: the first is returned unless `layer` is asked for). */
  layer: string;
}

export type LabEvent =
  | { type: 'landscape-progress'; taskId: string; done: number; total: number }
  | { type: 'landscape-done'; taskId: string; runId: string; alphas: number[]; betas: number[]; losses: number[][] }
  | { type: 'landscape-error'; taskId: string; code: ErrorCode; message: string };
