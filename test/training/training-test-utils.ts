import type { NetweaveDocument, TrainingSettings } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { documentFromTemplate } from '../../main/cli/resolve-graph-source';
import type { TrainingEvent, TrainRequest } from '../../shared/training-types';
import type { TrainingService } from '../../main/training/training-service';
import type { NetweaveModelMetadata, SerializedModel } from '../../main/training/model-io';
import type { RunEvent } from '../../main/training/run-training';
import { TrainingRunner } from '../../main/training/run-training';
import { GraphBuilder } from '../support/graph-builder';

export function templateDocument(id: string, training: Partial<TrainingSettings> = {}): NetweaveDocument {
  const document = documentFromTemplate(id);
  if (!document) throw new Error(`no template ${id}`);
  return { ...document, training: { ...document.training, ...training } };
}

/** 784 → 32 relu → 10 softmax: small enough to train in well under a second per epoch. */
export function smallMnistMlp(training: Partial<TrainingSettings> = {}): NetweaveDocument {
  const graph = new GraphBuilder()
    .node('input', 'Input', { shape: [784] })
    .node('hidden', 'Dense', { units: 32, activation: 'relu' })
    .node('output', 'Dense', { units: 10, activation: 'softmax' })
    .chain('input', 'hidden', 'output')
    .build();
  return createDocument(graph, 'small mlp', { dataset: 'mnist', optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 2, validationSplit: 0.1, ...training });
}

export interface InProcessRun {
  events: RunEvent[];
  models: { serialized: SerializedModel; metadata: NetweaveModelMetadata }[];
  epochs: Extract<RunEvent, { type: 'epoch' }>[];
  finished?: Extract<RunEvent, { type: 'finished' }>;
  error?: Extract<RunEvent, { type: 'error' }>;
  batchLosses: number[];
}

/** The worker's run, on the test's own thread (so tests can look at the engine directly). */
export async function runInProcess(request: TrainRequest, stopWhen?: (event: RunEvent) => boolean): Promise<InProcessRun> {
  const result: InProcessRun = { events: [], models: [], epochs: [], batchLosses: [] };
  let stop = false;
  const runner = new TrainingRunner(request, {
    emit: (event) => {
      result.events.push(event);
      if (event.type === 'epoch') result.epochs.push(event);
      if (event.type === 'batch') result.batchLosses.push(event.loss);
      if (event.type === 'finished') result.finished = event;
      if (event.type === 'error') result.error = event;
      if (stopWhen?.(event)) stop = true;
    },
    shipModel: (serialized, metadata) => result.models.push({ serialized: { ...serialized, weightData: serialized.weightData.slice(0) }, metadata }),
    shouldStop: () => stop,
  });
  await runner.run();
  return result;
}

export interface ServiceRun {
  runId: string;
  events: TrainingEvent[];
  done: Promise<TrainingEvent>;
}

/** Starts a run on the service; `done` resolves with its 'finished' or 'error' event. */
export async function startRun(service: TrainingService, request: TrainRequest, onEvent?: (event: TrainingEvent, runId: string) => void): Promise<ServiceRun> {
  const events: TrainingEvent[] = [];
  let resolveDone: (event: TrainingEvent) => void = () => {};
  const done = new Promise<TrainingEvent>((resolve) => (resolveDone = resolve));
  let runId = '';
  const started = await service.start(request, (event) => {
    events.push(event);
    onEvent?.(event, event.runId);
    if (event.type === 'finished' || event.type === 'error') resolveDone(event);
  });
  if (!started.ok) throw new Error(`start failed: ${started.error.code}: ${started.error.message}`);
  runId = started.value.runId;
  return { runId, events, done };
}

export function floats(buffer: ArrayBuffer): Float32Array {
  return new Float32Array(buffer);
}
