import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingEvent } from '../../shared/training-types';
import { readModelDir } from '../../main/training/model-io';
import type { TrainingService } from '../../main/training/training-service';
import { createTrainingService } from '../../main/training/training-service';
import { createDocument } from '../../graph-schema/document';
import { GraphBuilder } from '../support/graph-builder';
import { smallMnistMlp, startRun, templateDocument } from './training-test-utils';

let service: TrainingService;
let scratch: string;
beforeAll(async () => {
  service = createTrainingService();
  scratch = await mkdtemp(path.join(tmpdir(), 'netweave-service-'));
});
afterAll(async () => {
  await service.dispose();
  await rm(scratch, { recursive: true, force: true });
});

// NETWEAVE_TEST_ENGINE=onnxruntime runs the same service tests on the onnxruntime engine.
const engine = process.env.NETWEAVE_TEST_ENGINE ?? 'wasm';
const xorRequest = () => ({ document: templateDocument('mlp-xor'), epochs: 25, batchSize: 8, engine });

describe('training service (each run in a worker thread)', () => {
  it('streams started, throttled batch, epoch and finished events and trains MNIST to a sane accuracy', async () => {
    let midRun: Promise<unknown> | undefined;
    const run = await startRun(service, { document: templateDocument('mlp-mnist'), limit: 2000, epochs: 2, engine }, (event, runId) => {
      if (event.type === 'epoch' && event.epoch === 1) midRun = service.evaluate(runId);
    });
    const end = await run.done;
    // Asked while the worker was training: answered by the worker between two batches.
    expect(await midRun).toMatchObject({ ok: true, value: { count: 500, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] } });
    expect(end.type).toBe('finished');
    const types = run.events.map((e) => e.type);
    expect(types.indexOf('started')).toBeLessThan(types.indexOf('epoch'));
    const started = run.events.find((e): e is Extract<TrainingEvent, { type: 'started' }> => e.type === 'started')!;
    expect(started).toMatchObject({ trainCount: 1800, validationCount: 200, epochs: 2, engine: { name: engine } });
    const epochs = run.events.filter((e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs[0]!.validationAccuracy).toBeGreaterThan(0);
    expect(epochs[0]!.numTensors).toBe(epochs[1]!.numTensors);
    const batches = run.events.filter((e) => e.type === 'batch').length;
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(2 * started.batchesPerEpoch);
    const evaluation = (end as Extract<TrainingEvent, { type: 'finished' }>).evaluation!;
    expect(evaluation.accuracy).toBeGreaterThan(0.8);
    const evaluated = await service.evaluate(run.runId);
    expect(evaluated.ok && evaluated.value.accuracy).toBe(evaluation.accuracy);
  });

  it('same seed through two workers gives the same losses', async () => {
    const request = { document: smallMnistMlp(), limit: 500, epochs: 2, seed: 9, engine };
    const a = await startRun(service, request);
    const b = await startRun(service, request);
    await Promise.all([a.done, b.done]);
    const losses = (events: TrainingEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.loss] : []));
    expect(losses(a.events)).toHaveLength(2);
    expect(losses(b.events)).toEqual(losses(a.events));
  });

  it('stop in the middle of an epoch ends the run with the weights of the last finished epoch', async () => {
    const afterEpoch1 = path.join(scratch, 'epoch1');
    const afterStop = path.join(scratch, 'stopped');
    let stopping: Promise<unknown> | undefined;
    let savedEpoch1: Promise<unknown> | undefined;
    const run = await startRun(service, { document: smallMnistMlp(), limit: 4000, batchSize: 8, epochs: 4, engine }, (event, runId) => {
      if (event.type === 'batch' && event.epoch === 2 && event.batch < event.batchesPerEpoch && !stopping) {
        // Main holds the model of epoch 1 now; save it, then stop mid-way through epoch 2.
        savedEpoch1 = service.saveModel(runId, afterEpoch1);
        stopping = service.stop(runId);
      }
    });
    const end = await run.done;
    expect(await stopping).toEqual({ ok: true, value: { stopped: true } });
    expect(await savedEpoch1).toMatchObject({ ok: true });
    expect(end).toMatchObject({ type: 'finished', stopped: true, epochsCompleted: 1 });
    expect(await service.saveModel(run.runId, afterStop)).toMatchObject({ ok: true });
    const [epoch1, stopped] = await Promise.all([readModelDir(afterEpoch1), readModelDir(afterStop)]);
    expect(new Float32Array(stopped.serialized.weightData)).toEqual(new Float32Array(epoch1.serialized.weightData));
    expect(stopped.metadata?.epochsCompleted).toBe(1);
    expect(await service.stop(run.runId)).toEqual({ ok: true, value: { stopped: false } });
  });

  for (const kind of ['throw', 'exit'] as const) {
    it(`a worker that dies (${kind}) gives worker-crashed, and the service trains again afterwards`, async () => {
      const crashed = await startRun(service, { ...xorRequest(), faultInjection: { kind, atBatch: 40 } });
      const end = await crashed.done;
      expect(end).toMatchObject({ type: 'error', code: 'worker-crashed' });
      expect((end as { message: string }).message).not.toMatch(/\n/);
      expect(service.activeRuns()).not.toContain(crashed.runId);
      // The model of the last finished epoch survives the crash on main's side.
      expect(await service.saveModel(crashed.runId, path.join(scratch, `crashed-${kind}`))).toMatchObject({ ok: true });
      const after = await startRun(service, xorRequest());
      expect(await after.done).toMatchObject({ type: 'finished', evaluation: { accuracy: 1 } });
    });
  }

  it('an exception inside the loop is a training-failed error, not a crash of the service', async () => {
    const run = await startRun(service, { ...xorRequest(), faultInjection: { kind: 'reject', atBatch: 3 } });
    expect(await run.done).toMatchObject({ type: 'error', code: 'training-failed' });
  });

  it('a run that crashes leaves a concurrent run untouched', async () => {
    const healthy = await startRun(service, xorRequest());
    const crashing = await startRun(service, { ...xorRequest(), faultInjection: { kind: 'exit', atBatch: 5 } });
    expect(await crashing.done).toMatchObject({ type: 'error', code: 'worker-crashed' });
    expect(await healthy.done).toMatchObject({ type: 'finished' });
  });

  it('a huge learning rate ends the run with loss-not-finite', async () => {
    const { GraphBuilder } = await import('../support/graph-builder');
    const { createDocument } = await import('../../graph-schema/document');
    const graph = new GraphBuilder().node('input', 'Input', { shape: [784] }).node('output', 'Dense', { units: 10 }).chain('input', 'output').build();
    const document = createDocument(graph, 'linear', { dataset: 'mnist', loss: 'meanSquaredError', optimizer: 'sgd' });
    const run = await startRun(service, { document, learningRate: 10, limit: 500, epochs: 2, engine });
    expect(await run.done).toMatchObject({ type: 'error', code: 'loss-not-finite' });
  });

  it('refuses a data set that does not fit the graph before training, naming the dimension', async () => {
    const run = await startRun(service, { document: templateDocument('mlp-xor'), dataset: 'mnist', epochs: 1, engine });
    const end = await run.done;
    expect(end).toMatchObject({ type: 'error', code: 'dataset-shape-mismatch' });
    expect((end as { message: string }).message).toMatch(/784 values per example ≠ 2/);
    expect(run.events.some((e) => e.type === 'started' || e.type === 'batch')).toBe(false);
  });

  it('fits the built-in 28×28×1 digits to a 16×16×3 Input (resize, grey → RGB) and names that in the run\'s data line', async () => {
    const graph = new GraphBuilder()
      .node('input', 'Input', { shape: [16, 16, 3] })
      .node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], activation: 'relu' })
      .node('flat', 'Flatten', {})
      .node('output', 'Dense', { units: 10, activation: 'softmax' })
      .chain('input', 'conv', 'flat', 'output')
      .build();
    const document = createDocument(graph, 'rgb digits', { dataset: 'mnist', optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 1, validationSplit: 0 });
    const run = await startRun(service, { document, limit: 300, engine });
    const end = await run.done;
    expect(end, JSON.stringify(end)).toMatchObject({ type: 'finished' });
    const started = run.events.find((e): e is Extract<TrainingEvent, { type: 'started' }> => e.type === 'started')!;
    expect(started.datasetName).toBe('MNIST (10,000 digits), resized 28×28×1 → 16×16×3');
    expect(started.trainCount).toBe(300);
    const samples = (end as Extract<TrainingEvent, { type: 'finished' }>).evaluation!.samples;
    expect(samples[0]!.shape).toEqual([16, 16, 3]);
    expect(samples[0]!.image).toHaveLength(16 * 16 * 3);
  });

  it('answers errors as values: invalid graph, invalid settings, unknown run, unknown data set, unavailable engine', async () => {
    const broken = templateDocument('lenet5');
    broken.graph = { ...broken.graph, edges: broken.graph.edges.filter((e) => e.target !== 'flatten') };
    expect(await service.start({ document: broken }, () => {})).toMatchObject({ ok: false, error: { code: 'graph-invalid' } });
    expect(await service.start({ document: templateDocument('lenet5'), batchSize: 0 }, () => {})).toMatchObject({ ok: false, error: { code: 'settings-invalid' } });
    expect(await service.stop('nope')).toMatchObject({ ok: false, error: { code: 'run-not-found' } });
    expect(await service.evaluate('nope')).toMatchObject({ ok: false, error: { code: 'run-not-found' } });
    const badData = await startRun(service, { document: templateDocument('mlp-xor'), dataset: 'nosuch', engine });
    expect((await badData.done).type).toBe('error');
    expect(((await badData.done) as { code: string }).code).toMatch(/^dataset-/);
    const native = await startRun(service, { document: templateDocument('mlp-xor'), engine: 'tensorflow' });
    expect(await native.done).toMatchObject({ type: 'error', code: 'engine-unavailable' });
  });
});
