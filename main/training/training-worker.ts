import { parentPort } from 'node:worker_threads';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import type { TrainRequest } from '../../shared/training-types';
import { computeLandscape, labActivations, labFilters, labSamples } from './lab-tasks';
import { TrainingRunner } from './run-training';
import { toErrorValue, TrainingError } from './training-error';
import type { LabCall, MessageFromWorker, MessageToWorker } from './worker-protocol';
import { pauseFlagIndex, stopFlagIndex } from './worker-protocol';

/**
 * The training worker thread: runs one TrainingRunner and forwards its events
 * and model snapshots. Stop and pause come through shared memory so that they
 * are seen between any two batches, without waiting for a turn of the event
 * loop; after the run the worker keeps the model for the lab calls until main
 * ends it.
 */
const port = parentPort;
if (!port) throw new Error('training-worker.ts must run in a worker thread.');

let runner: TrainingRunner | undefined;
let control: Int32Array | undefined;
const post = (message: MessageFromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const steps: number[] = [];
let stepping: number | undefined;
let landscapeTask: { taskId: string; cancelled: boolean } | undefined;
const pausePollMs = 15;

function injectFault(fault: NonNullable<TrainRequest['faultInjection']>): void {
  switch (fault.kind) {
    case 'exit':
      process.exit(70);
      break;
    case 'throw':
      // Thrown outside any try: an uncaught exception that ends the worker, as a crash would.
      setImmediate(() => {
        throw new Error('Injected crash of the training worker');
      });
      break;
    case 'reject':
      throw new Error('Injected failure inside the training loop');
  }
}

let paused = false;
/** A pause was announced and no resume yet: the next unpaused check says "resumed". */
let awaitingResume = false;
let startedRunId = '';

function answer(requestId: number, run: () => unknown): void {
  let result: Result<unknown>;
  try {
    result = ok(run());
  } catch (error) {
    const value = toErrorValue(error, 'lab-failed');
    result = err(value.code, value.message);
  }
  post({ type: 'reply', requestId, result });
}

function labCall(call: LabCall): unknown {
  const subject = runner?.labSubject();
  if (!subject) throw new TrainingError('run-not-ready', 'The run has not started yet.');
  if (!subject.ok) throw new TrainingError(subject.error.code, subject.error.message);
  switch (call.name) {
    case 'samples':
      return labSamples(subject.value, call.count);
    case 'activations':
      return labActivations(subject.value, call.sampleIndex);
    case 'filters':
      return labFilters(subject.value, call.nodeId, call.layer);
  }
}

port.on('message', (message: MessageToWorker) => {
  switch (message.type) {
    case 'start': {
      control = new Int32Array(message.control);
      const flags = control;
      const fault = message.request.faultInjection;
      const runId = message.runId;
      startedRunId = runId;
      const emit = (event: Parameters<ConstructorParameters<typeof TrainingRunner>[1]['emit']>[0]): void => post({ type: 'event', event: { ...event, runId } });
      runner = new TrainingRunner(message.request, {
        emit,
        shipModel: (serialized, metadata) => post({ type: 'model', serialized, metadata }, [serialized.weightData]),
        shouldStop: () => Atomics.load(flags, stopFlagIndex) !== 0,
        ...(fault ? { beforeBatch: (batch: number) => batch === fault.atBatch && injectFault(fault) } : {}),
        pause: {
          isPaused: () => {
            const held = Atomics.load(flags, pauseFlagIndex) !== 0 || steps.length > 0;
            // Resumed between a stepped batch and the next pause check: the run goes on, and says so.
            if (!held && awaitingResume) {
              awaitingResume = false;
              emit({ type: 'resumed' });
            }
            return held;
          },
          wait: async ({ epoch, batch }) => {
            paused = true;
            awaitingResume = true;
            emit({ type: 'paused', epoch, batch });
            for (;;) {
              if (Atomics.load(flags, stopFlagIndex) !== 0) return 'stop';
              if (landscapeTask === undefined && steps.length > 0) {
                stepping = steps.shift();
                paused = false;
                return 'step';
              }
              if (Atomics.load(flags, pauseFlagIndex) === 0) {
                paused = false;
                awaitingResume = false;
                emit({ type: 'resumed' });
                return 'resume';
              }
              await new Promise((resolve) => setTimeout(resolve, pausePollMs));
            }
          },
          stepped: (result) => {
            if (stepping !== undefined) post({ type: 'reply', requestId: stepping, result: ok(result) });
            stepping = undefined;
          },
        },
      });
      void runner.run().then(() => {
        // A step asked for as the run ended gets an answer.
        for (const requestId of steps.splice(0)) post({ type: 'reply', requestId, result: err('run-not-paused', 'The run has ended: there is no batch left to step.') });
        if (stepping !== undefined) post({ type: 'reply', requestId: stepping, result: err('run-not-paused', 'The run ended during the step.') });
        stepping = undefined;
        post({ type: 'done' });
      });
      return;
    }
    case 'evaluate': {
      const result = runner ? runner.evaluateNow() : { ok: false as const, error: { code: 'run-not-ready' as const, message: 'The run has not started yet.' } };
      post({ type: 'reply', requestId: message.requestId, result });
      return;
    }
    case 'step':
      // Held by the pause flag is enough: a step asked for just after the previous one was answered (before
      // the loop is back in its pause wait) is queued, not refused.
      if (!runner || runner.done || (control && Atomics.load(control, pauseFlagIndex) === 0)) {
        post({ type: 'reply', requestId: message.requestId, result: err('run-not-paused', 'Step works only while the run is paused: pause it first.') });
      } else if (landscapeTask) {
        post({ type: 'reply', requestId: message.requestId, result: err('lab-busy', 'A loss landscape is being computed on this run: wait for it or cancel it, then step.') });
      } else steps.push(message.requestId);
      return;
    case 'lab':
      answer(message.requestId, () => labCall(message.call));
      return;
    case 'landscape': {
      if (landscapeTask) return post({ type: 'reply', requestId: message.requestId, result: err('lab-busy', 'A loss landscape is already being computed on this run: wait for it or cancel it.') });
      if (!runner || !(runner.done || paused)) {
        return post({ type: 'reply', requestId: message.requestId, result: err('run-busy', 'The loss landscape needs a finished or paused run: pause the run first (or wait for it to finish).') });
      }
      const subject = runner.labSubject();
      if (!subject.ok) return post({ type: 'reply', requestId: message.requestId, result: subject });
      const task = { taskId: message.taskId, cancelled: false };
      landscapeTask = task;
      post({ type: 'reply', requestId: message.requestId, result: ok({ taskId: task.taskId }) });
      void computeLandscape(subject.value, {
        ...message.options,
        isCancelled: () => task.cancelled || (control !== undefined && Atomics.load(control, stopFlagIndex) !== 0 && !runner!.done),
        onProgress: (done, total) => post({ type: 'lab-event', event: { type: 'landscape-progress', taskId: task.taskId, done, total } }),
      })
        .then((result) => post({ type: 'lab-event', event: { type: 'landscape-done', taskId: task.taskId, runId: startedRunId, ...result } }))
        .catch((error: unknown) => {
          const value = toErrorValue(error, 'landscape-failed');
          post({ type: 'lab-event', event: { type: 'landscape-error', taskId: task.taskId, code: value.code, message: value.message } });
        })
        .finally(() => {
          landscapeTask = undefined;
        });
      return;
    }
    case 'cancel':
      if (landscapeTask?.taskId === message.taskId) landscapeTask.cancelled = true;
      return;
  }
});
