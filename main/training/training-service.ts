import type { ErrorCode } from '../../shared/error-codes';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import type { NetweaveDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import type { Evaluation, TrainingEvent, TrainRequest } from '../../shared/training-types';
import type { LabActivations, LabEvent, LabFilters, LabSamples } from '../../shared/lab-types';
import type { NetweaveModelMetadata, SerializedModel } from './model-io';
import { writeModelDir } from './model-io';
import { toErrorValue } from './training-error';
import { resolveTrainingSettings } from './training-settings';
import type { MessageFromWorker, MessageToWorker } from './worker-protocol';
import type { LabCall } from './worker-protocol';
import { controlSlots, pauseFlagIndex, stopFlagIndex } from './worker-protocol';

/** Options of a loss-landscape task (see lab-tasks.ts computeLandscape). */
export interface LandscapeOptions {
  /** Points per axis (default 15). */
  grid?: number;
  /** The grid spans [-span, span] along each direction (default 1). */
  span?: number;
  /** Examples in the fixed batch the loss is measured on (default 256, from the training split). */
  batch?: number;
}

/** The teaching-lab calls on a run, as the service and the app services' port both offer them. */
export interface LabRunCalls {
  /** Teaching lab: pause between batches, resume, one batch while paused. */
  pause(runId: string): Promise<Result<{ paused: boolean }>>;
  resume(runId: string): Promise<Result<{ resumed: boolean }>>;
  step(runId: string): Promise<Result<{ epoch: number; batch: number; loss: number }>>;
  /** Ends a finished run's worker (which kept its model for the lab calls) and forgets the run. */
  disposeRun(runId: string): Promise<Result<Record<string, never>>>;
  labSamples(runId: string, count?: number): Promise<Result<LabSamples>>;
  labActivations(runId: string, sampleIndex: number): Promise<Result<LabActivations>>;
  labFilters(runId: string, nodeId: string, layer?: string): Promise<Result<LabFilters>>;
  landscape(runId: string, options: LandscapeOptions, onEvent: (event: LabEvent) => void): Promise<Result<{ taskId: string }>>;
  cancelTask(taskId: string): Promise<Result<{ cancelled: boolean }>>;
}

export interface TrainingService extends LabRunCalls {
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
  replies: Map<number, (result: Result<unknown>) => void>;
  /** The worker stays after the run for the lab calls (request.keepModel). */
  keepModel: boolean;
  tasks: Map<string, (event: LabEvent) => void>;
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
    const keep = state === 'finished' && run.keepModel;
    if (!keep) endWorker(run);
    run.markEnded();
    const finished = [...runs.values()].filter((r) => r.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - keepFinished))) {
      endWorker(old);
      runs.delete(old.id);
    }
  };

  /** Ends the run's worker; pending questions get an answer. */
  const endWorker = (run: Run): void => {
    const worker = run.worker;
    run.worker = undefined;
    for (const reply of run.replies.values()) reply(err('run-ended', 'The run ended before the answer was ready; ask again.'));
    run.replies.clear();
    for (const [taskId, onEvent] of run.tasks) onEvent({ type: 'landscape-error', taskId, code: 'run-ended', message: 'The run was disposed before the task finished.' });
    run.tasks.clear();
    if (worker) void worker.terminate();
  };

  /** Sends a question to the run's worker and waits for its reply. */
  const ask = <T>(run: Run, message: (requestId: number) => MessageToWorker): Promise<Result<T>> => {
    const worker = run.worker;
    if (!worker) return Promise.resolve(err('run-not-ready', 'The run no longer has its model (it failed, or was disposed): train again.'));
    const requestId = nextRequestId++;
    return new Promise<Result<T>>((resolve) => {
      run.replies.set(requestId, resolve as (result: Result<unknown>) => void);
      worker.postMessage(message(requestId));
    });
  };

  const lookup = (runId: string): Result<Run> => {
    const run = runs.get(runId);
    return run ? ok(run) : err('run-not-found', `No training run ${runId}: it may have been disposed or forgotten; start a new one.`);
  };

  const labAsk = <T>(runId: string, call: LabCall): Promise<Result<T>> => {
    const found = lookup(runId);
    if (!found.ok) return Promise.resolve(found);
    return ask<T>(found.value, (requestId) => ({ type: 'lab', requestId, call }));
  };

  const fail = (run: Run, code: ErrorCode, message: string): void => {
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
      case 'lab-event': {
        const event = message.event;
        const onEvent = run.tasks.get(event.taskId);
        if (event.type !== 'landscape-progress') run.tasks.delete(event.taskId);
        try {
          onEvent?.(event);
        } catch {
          // A failing listener must not take the service down with it.
        }
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
      const control = new Int32Array(new SharedArrayBuffer(4 * controlSlots));
      if (request.startPaused) Atomics.store(control, pauseFlagIndex, 1);
      const run: Run = {
        id,
        document: request.document,
        worker: undefined,
        control,
        state: 'running',
        onEvent,
        evaluation: null,
        lastEpoch: 0,
        replies: new Map(),
        keepModel: request.keepModel ?? false,
        tasks: new Map(),
        ended,
        markEnded,
      };
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
      worker.on('exit', (code) => {
        if (run.state === 'running') fail(run, 'worker-crashed', crashMessage(undefined, code));
        else if (run.worker === worker) endWorker(run);
      });
      const startMessage: MessageToWorker = { type: 'start', runId: id, request, control: control.buffer as SharedArrayBuffer };
      worker.postMessage(startMessage);
      return ok({ runId: id });
    },

    async stop(runId) {
      const run = runs.get(runId);
      if (!run) return err('run-not-found', `No training run ${runId}: it may have been forgotten; start a new one.`);
      if (run.state !== 'running') return ok({ stopped: false });
      Atomics.store(run.control, stopFlagIndex, 1);
      Atomics.store(run.control, pauseFlagIndex, 0);
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
      if (run.state === 'running' && run.worker) return ask<Evaluation>(run, (requestId) => ({ type: 'evaluate', requestId }));
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

    async pause(runId) {
      const found = lookup(runId);
      if (!found.ok) return found;
      if (found.value.state !== 'running') return ok({ paused: false });
      Atomics.store(found.value.control, pauseFlagIndex, 1);
      return ok({ paused: true });
    },

    async resume(runId) {
      const found = lookup(runId);
      if (!found.ok) return found;
      if (found.value.state !== 'running' || Atomics.load(found.value.control, pauseFlagIndex) === 0) return ok({ resumed: false });
      Atomics.store(found.value.control, pauseFlagIndex, 0);
      return ok({ resumed: true });
    },

    async step(runId) {
      const found = lookup(runId);
      if (!found.ok) return found;
      if (found.value.state !== 'running') return err('run-not-paused', 'The run has ended: there is no batch left to step.');
      return ask(found.value, (requestId) => ({ type: 'step', requestId }));
    },

    async disposeRun(runId) {
      const found = lookup(runId);
      if (!found.ok) return found;
      if (found.value.state === 'running') return err('run-running', 'The run is still training: stop it first, then dispose it.');
      endWorker(found.value);
      runs.delete(runId);
      return ok({});
    },

    labSamples: (runId, count) => labAsk(runId, { name: 'samples', ...(count !== undefined ? { count } : {}) }),
    labActivations: (runId, sampleIndex) => labAsk(runId, { name: 'activations', sampleIndex }),
    labFilters: (runId, nodeId, layer) => labAsk(runId, { name: 'filters', nodeId, ...(layer !== undefined ? { layer } : {}) }),

    async landscape(runId, landscapeOptions, onEvent) {
      const found = lookup(runId);
      if (!found.ok) return found;
      const run = found.value;
      const taskId = randomUUID();
      run.tasks.set(taskId, onEvent);
      const options = Object.fromEntries(Object.entries(landscapeOptions).filter(([, v]) => v !== undefined));
      const started = await ask<{ taskId: string }>(run, (requestId) => ({ type: 'landscape', requestId, taskId, options }));
      if (!started.ok) run.tasks.delete(taskId);
      return started;
    },

    async cancelTask(taskId) {
      const run = [...runs.values()].find((r) => r.tasks.has(taskId));
      if (!run?.worker) return ok({ cancelled: false });
      const message: MessageToWorker = { type: 'cancel', taskId };
      run.worker.postMessage(message);
      return ok({ cancelled: true });
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
