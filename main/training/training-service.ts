import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import type { NetweaveDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import type { Evaluation, TrainingEvent, TrainRequest } from '../../shared/training-types';
import type { NetweaveModelMetadata, SerializedModel } from './model-io';
import { writeModelDir } from './model-io';
import { toErrorValue } from './training-error';
import { resolveTrainingSettings } from './training-settings';
import type { MessageFromWorker, MessageToWorker } from './worker-protocol';
import { stopFlagIndex } from './worker-protocol';

export interface TrainingService {
  /** Starts a run in its own worker thread; events follow through `onEvent`, ending with 'finished' or 'error'. */
  start(request: TrainRequest, onEvent: (event: TrainingEvent) => void): Promise<Result<{ runId: string }>>;
  /** Stops a run between two batches, keeping the weights of its last finished epoch; resolves once the run has ended. */
  stop(runId: string): Promise<Result<{ stopped: boolean }>>;
  /** Test-set evaluation: of the current weights while running, of the final model afterwards. */
  evaluate(runId: string): Promise<Result<Evaluation>>;
  /** Writes model.json + weights.bin (+ netweave.json) of the run's last finished epoch into `dir`. */
  saveModel(runId: string, dir: string): Promise<Result<{ dir: string; files: string[] }>>;
  /** Runs in progress. */
  activeRuns(): string[];
  /** Ends every worker and forgets every run. */
  dispose(): Promise<void>;
}

export interface TrainingServiceOptions {
  /** The worker entry (a .mjs that can load the TypeScript worker); default: training-worker.mjs beside this file. */
  workerUrl?: URL;
  /** How long stop() waits for the worker to wind down before ending it (default 15 s). */
  stopTimeoutMs?: number;
  /** Finished runs whose model and evaluation are kept for evaluate/saveModel (default 8, oldest dropped first). */
  keepFinishedRuns?: number;
  resourceLimits?: ResourceLimits;
}

interface Run {
  id: string;
  document: NetweaveDocument;
  worker: Worker | undefined;
  control: Int32Array;
  state: 'running' | 'finished' | 'failed';
  onEvent: (event: TrainingEvent) => void;
  model?: { serialized: SerializedModel; metadata: NetweaveModelMetadata };
  evaluation: Evaluation | null;
  lastEpoch: number;
  replies: Map<number, (result: Result<Evaluation>) => void>;
  ended: Promise<void>;
  markEnded: () => void;
}

const defaultWorkerUrl = new URL('./training-worker.mjs', import.meta.url);

function crashMessage(error: unknown, exitCode?: number): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return 'The training worker ran out of memory. Use a smaller batch size, a smaller network or --limit, then train again.';
  }
  if (error !== undefined) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return `The training worker crashed (${reason}). The model keeps the weights of its last finished epoch; train again, and report the problem if it repeats.`;
  }
  return `The training worker stopped unexpectedly (exit code ${exitCode}). The model keeps the weights of its last finished epoch; train again, and report the problem if it repeats.`;
}

/** The training service: each run in its own worker thread, so a crash ends that run only. */
export function createTrainingService(options: TrainingServiceOptions = {}): TrainingService {
  const runs = new Map<string, Run>();
  const workerUrl = options.workerUrl ?? defaultWorkerUrl;
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const keepFinished = options.keepFinishedRuns ?? 8;
  let nextRequestId = 1;

  const deliver = (run: Run, event: TrainingEvent): void => {
    try {
      run.onEvent(event);
    } catch {
      // A failing listener must not take the service down with it.
    }
  };

  const endRun = (run: Run, state: 'finished' | 'failed'): void => {
    if (run.state !== 'running') return;
    run.state = state;
    const worker = run.worker;
    run.worker = undefined;
    for (const reply of run.replies.values()) reply(err('run-ended', 'The run ended before the evaluation was done; ask again.'));
    run.replies.clear();
    if (worker) void worker.terminate();
    run.markEnded();
    const finished = [...runs.values()].filter((r) => r.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - keepFinished))) runs.delete(old.id);
  };

  const fail = (run: Run, code: string, message: string): void => {
    if (run.state !== 'running') return;
    deliver(run, { type: 'error', runId: run.id, code, message });
    endRun(run, 'failed');
  };

  const onMessage = (run: Run, message: MessageFromWorker): void => {
    switch (message.type) {
      case 'event': {
        const event = message.event;
        if (run.state !== 'running') return;
        if (event.type === 'epoch') run.lastEpoch = event.epoch;
        if (event.type === 'finished') run.evaluation = event.evaluation;
        deliver(run, event);
        if (event.type === 'finished') endRun(run, 'finished');
        else if (event.type === 'error') endRun(run, 'failed');
        return;
      }
      case 'model':
        run.model = { serialized: message.serialized, metadata: message.metadata };
        return;
      case 'reply': {
        const reply = run.replies.get(message.requestId);
        run.replies.delete(message.requestId);
        reply?.(message.result);
        return;
      }
      case 'done':
        if (run.state === 'running') fail(run, 'worker-crashed', 'The training worker ended without a result. Train again.');
        return;
    }
  };

  return {
    async start(request, onEvent) {
      try {
        resolveTrainingSettings(request.document, request);
      } catch (error) {
        const value = toErrorValue(error, 'settings-invalid');
        return err(value.code, value.message);
      }
      if (!request.fromModelDir) {
        const problem = analyzeGraph(request.document.graph).diagnostics.find((d) => d.severity === 'error');
        if (problem) return err('graph-invalid', `The graph cannot be trained: ${problem.message}${problem.nodeId ? ` (node ${problem.nodeId})` : ''}`);
      }
      const id = randomUUID();
      let markEnded = (): void => {};
      const ended = new Promise<void>((resolve) => (markEnded = resolve));
      const control = new Int32Array(new SharedArrayBuffer(4));
      const run: Run = { id, document: request.document, worker: undefined, control, state: 'running', onEvent, evaluation: null, lastEpoch: 0, replies: new Map(), ended, markEnded };
      let worker: Worker;
      try {
        worker = new Worker(workerUrl, { ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) });
      } catch (error) {
        return err('worker-crashed', `The training worker could not start: ${toErrorValue(error).message}`);
      }
      run.worker = worker;
      runs.set(id, run);
      worker.on('message', (message: MessageFromWorker) => onMessage(run, message));
      worker.on('error', (error) => fail(run, 'worker-crashed', crashMessage(error)));
      worker.on('exit', (code) => fail(run, 'worker-crashed', crashMessage(undefined, code)));
      const startMessage: MessageToWorker = { type: 'start', runId: id, request, control: control.buffer as SharedArrayBuffer };
      worker.postMessage(startMessage);
      return ok({ runId: id });
    },

    async stop(runId) {
      const run = runs.get(runId);
      if (!run) return err('run-not-found', `No training run ${runId}: it may have been forgotten; start a new one.`);
      if (run.state !== 'running') return ok({ stopped: false });
      Atomics.store(run.control, stopFlagIndex, 1);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        run.ended.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), stopTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (timedOut && run.state === 'running') {
        // The worker is stuck in a long operation: end it; main still holds the last epoch's model.
        deliver(run, { type: 'finished', runId, stopped: true, epochsCompleted: run.lastEpoch, evaluation: null, engine: { name: 'unknown', backend: 'unknown', description: 'The engine did not answer the stop request.', native: false }, elapsedMs: 0 });
        endRun(run, 'finished');
      }
      return ok({ stopped: true });
    },

    async evaluate(runId) {
      const run = runs.get(runId);
      if (!run) return err('run-not-found', `No training run ${runId}: it may have been forgotten; start a new one.`);
      if (run.state === 'running' && run.worker) {
        const requestId = nextRequestId++;
        const worker = run.worker;
        return new Promise<Result<Evaluation>>((resolve) => {
          run.replies.set(requestId, resolve);
          const message: MessageToWorker = { type: 'evaluate', requestId };
          worker.postMessage(message);
        });
      }
      if (run.evaluation) return ok(run.evaluation);
      return err('no-evaluation', 'This run ended without an evaluation (it failed or its data set has no test examples); train again to evaluate.');
    },

    async saveModel(runId, dir) {
      const run = runs.get(runId);
      if (!run) return err('run-not-found', `No training run ${runId}: it may have been forgotten; start a new one.`);
      if (!run.model) return err('no-model', 'The run has no model yet (it is still preparing, or failed before building one); wait for the first epoch.');
      try {
        return ok(await writeModelDir(dir, run.model.serialized, { ...run.model.metadata, savedAt: new Date().toISOString() }, run.document));
      } catch (error) {
        const value = toErrorValue(error, 'model-save-failed');
        return err(value.code, value.message);
      }
    },

    activeRuns() {
      return [...runs.values()].filter((r) => r.state === 'running').map((r) => r.id);
    },

    async dispose() {
      const workers = [...runs.values()].map((r) => r.worker).filter((w): w is Worker => w !== undefined);
      for (const run of runs.values()) {
        run.state = 'failed';
        run.worker = undefined;
        run.markEnded();
      }
      runs.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
