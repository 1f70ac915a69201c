import os from 'node:os';
import type { Graph, OptimizerName } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { TrainingError } from './training-error';

/**
 * Memory a training run needs, estimated before anything is allocated, so that a
 * model too large for the engine is refused with figures instead of failing deep
 * inside it ("memory access out of bounds", "Aborted()").
 */

/** The WebAssembly engine's heap cannot grow past 4 GiB (32-bit addresses); part of it holds the code and the data set. */
export const wasmHeapBytes = 4 * 1024 ** 3;
/** Of the wasm heap, what tensors may use. */
export const wasmUsableBytes = 3 * 1024 ** 3;

const optimizerSlots: Record<OptimizerName, number> = { sgd: 0, momentum: 1, rmsprop: 2, adagrad: 1, adam: 2 };

export interface MemoryEstimate {
  weights: number;
  /** Gradients plus the optimizer's per-weight state. */
  optimizer: number;
  /** Layer outputs kept for the backward pass, and their gradients, for one batch. */
  activations: number;
  total: number;
  /** Activation bytes per example: what a smaller batch saves. */
  perExample: number;
}

export function estimateTrainingMemory(graph: Graph, batchSize: number, optimizer: OptimizerName): MemoryEstimate {
  const analysis = analyzeGraph(graph);
  const params = analysis.totals.total;
  let perExample = 0;
  for (const node of analysis.nodes.values()) {
    if (!node.outputShape) continue;
    let elements = 1;
    for (const d of node.outputShape) if (d !== null) elements *= d;
    perExample += elements;
  }
  // float32 everywhere; outputs and their gradients both live during the backward pass.
  const weights = params * 4;
  const optimizerBytes = params * 4 * (1 + optimizerSlots[optimizer]);
  const perExampleBytes = perExample * 4 * 2;
  const activations = perExampleBytes * batchSize;
  return { weights, optimizer: optimizerBytes, activations, total: weights + optimizerBytes + activations, perExample: perExampleBytes };
}

/** What the engine can hold: the wasm heap, else half the machine's memory. */
export function engineMemoryLimit(engineName: string): number {
  return engineName === 'wasm' ? wasmUsableBytes : Math.floor(os.totalmem() / 2);
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MiB`;
}

/** Throws 'memory-too-large' when the estimate is past the engine's limit, naming both and a batch size that fits (if any). */
export function checkTrainingMemory(estimate: MemoryEstimate, limit: number, engineName: string, batchSize: number): void {
  if (estimate.total <= limit) return;
  const fixed = estimate.weights + estimate.optimizer;
  const fits = estimate.perExample > 0 ? Math.floor((limit - fixed) / estimate.perExample) : 0;
  const advice =
    fits >= 1
      ? `Use a batch size of ${Math.min(fits, batchSize - 1)} or less.`
      : `Even one example does not fit: the weights and optimizer state alone take ${gib(fixed)}. Use fewer units or a smaller input.`;
  throw new TrainingError(
    'memory-too-large',
    `Training needs about ${gib(estimate.total)} (weights ${gib(estimate.weights)}, gradients and optimizer state ${gib(estimate.optimizer)}, activations for a batch of ${batchSize} ${gib(estimate.activations)}), more than the ${gib(limit)} the ${engineName} engine can use. ${advice}`,
  );
}
