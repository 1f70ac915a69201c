import { parentPort } from 'node:worker_threads';
import type { TrainRequest } from '../../shared/training-types';
import { TrainingRunner } from './run-training';
import type { MessageFromWorker, MessageToWorker } from './worker-protocol';
import { stopFlagIndex } from './worker-protocol';

/**
 * The training worker thread: runs one TrainingRunner and forwards its events
 * and model snapshots. Stop comes through shared memory so that it is seen
 * between any two batches, without waiting for a turn of the event loop.
 */
const port = parentPort;
if (!port) throw new Error('training-worker.ts must run in a worker thread.');

let runner: TrainingRunner | undefined;
const post = (message: MessageFromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

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

port.on('message', (message: MessageToWorker) => {
  if (message.type === 'start') {
    const control = new Int32Array(message.control);
    const fault = message.request.faultInjection;
    const runId = message.runId;
    runner = new TrainingRunner(message.request, {
      emit: (event) => post({ type: 'event', event: { ...event, runId } }),
      shipModel: (serialized, metadata) => post({ type: 'model', serialized, metadata }, [serialized.weightData]),
      shouldStop: () => Atomics.load(control, stopFlagIndex) !== 0,
      ...(fault ? { beforeBatch: (batch: number) => batch === fault.atBatch && injectFault(fault) } : {}),
    });
    void runner.run().then(() => post({ type: 'done' }));
  } else if (message.type === 'evaluate') {
    const result = runner ? runner.evaluateNow() : { ok: false as const, error: { code: 'run-not-ready', message: 'The run has not started yet.' } };
    post({ type: 'reply', requestId: message.requestId, result });
  }
});
