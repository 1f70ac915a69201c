import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { createTrainingService } from '../../main/training/training-service';
import type { TrainingService } from '../../main/training/training-service';
import type { LabEvent } from '../../shared/lab-types';
import type { TrainingEvent } from '../../shared/training-types';
import { GraphBuilder } from '../support/graph-builder';
import { startRun } from '../training/training-test-utils';

let service: TrainingService;
beforeAll(() => {
  service = createTrainingService();
});
afterAll(async () => {
  await service.dispose();
});

const convNet = () =>
  createDocument(
    new GraphBuilder()
      .node('input', 'Input', { shape: [28, 28, 1] })
      .node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], activation: 'relu' })
      .node('pool', 'MaxPooling2D', { poolSize: [2, 2], strides: [2, 2] })
      .node('flat', 'Flatten')
      .node('output', 'Dense', { units: 10, activation: 'softmax' })
      .chain('input', 'conv', 'pool', 'flat', 'output')
      .build(),
    'lab conv',
    { dataset: 'mnist', epochs: 1, batchSize: 50, validationSplit: 0 },
  );

const waitFor = async (events: TrainingEvent[], test: (e: TrainingEvent) => boolean): Promise<TrainingEvent> => {
  for (;;) {
    const found = events.find(test);
    if (found) return found;
    await new Promise((resolve) => setImmediate(resolve));
  }
};

describe('teaching lab through the training service (worker)', () => {
  it('starts paused, steps one batch, resumes, keeps the model for samples, activations, filters and the landscape, then disposes', async () => {
    const run = await startRun(service, { document: convNet(), limit: 200, engine: 'wasm', startPaused: true, keepModel: true, name: 'twin A' });
    const started = (await waitFor(run.events, (e) => e.type === 'started')) as Extract<TrainingEvent, { type: 'started' }>;
    expect(started.paused).toBe(true);
    expect(started.name).toBe('twin A');
    expect(started.graphHash).toMatch(/^[0-9a-f]{16}$/);
    await waitFor(run.events, (e) => e.type === 'paused');
    const step = await service.step(run.runId);
    expect(step.ok && step.value).toMatchObject({ epoch: 1, batch: 1 });
    const batch = run.events.find((e) => e.type === 'batch') as Extract<TrainingEvent, { type: 'batch' }>;
    expect(batch.batch).toBe(1);
    expect(batch.gradientNorms?.map((g) => g.nodeId)).toEqual(['conv', 'output']);
    expect(batch.gradientNorms![0]!.activationNorm).toBeGreaterThan(0);
    expect(run.events.filter((e) => e.type === 'batch')).toHaveLength(1);
    expect(await service.resume(run.runId)).toEqual({ ok: true, value: { resumed: true } });
    const end = await run.done;
    expect(end.type).toBe('finished');
    expect(run.events.some((e) => e.type === 'resumed')).toBe(true);
    const epoch = run.events.find((e) => e.type === 'epoch') as Extract<TrainingEvent, { type: 'epoch' }>;
    expect(epoch.gradientNorms).toHaveLength(2);

    const samples = await service.labSamples(run.runId, 3);
    expect(samples.ok && samples.value.samples.map((s) => s.shape)).toEqual([[28, 28, 1], [28, 28, 1], [28, 28, 1]]);
    const activations = await service.labActivations(run.runId, 1);
    if (!activations.ok) throw new Error(activations.error.message);
    expect(activations.value.outputs.map((o) => [o.nodeId, o.shape])).toEqual([
      ['input', [28, 28, 1]],
      ['conv', [26, 26, 4]],
      ['pool', [13, 13, 4]],
      ['flat', [676]],
      ['output', [10]],
    ]);
    expect(activations.value.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(activations.value.outputs[1]!.values).toHaveLength(26 * 26 * 4);
    const filters = await service.labFilters(run.runId, 'conv');
    expect(filters.ok && filters.value.shape).toEqual([3, 3, 1, 4]);
    expect((await service.labFilters(run.runId, 'output')).ok).toBe(false);
    expect(await service.labActivations(run.runId, 10_000)).toMatchObject({ ok: false, error: { code: 'sample-out-of-range' } });

    const labEvents: LabEvent[] = [];
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const task = await service.landscape(run.runId, { grid: 3, batch: 32 }, (e) => {
      labEvents.push(e);
      if (e.type !== 'landscape-progress') resolveDone();
    });
    expect(task.ok).toBe(true);
    await done;
    const result = labEvents.at(-1)!;
    if (result.type !== 'landscape-done') throw new Error(JSON.stringify(result));
    expect(result.alphas).toEqual([-1, 0, 1]);
    expect(result.losses).toHaveLength(3);
    // The centre is the trained model: the lowest loss of the grid along both directions at span 1.
    expect(result.losses[1]![1]!).toBeLessThan(Math.max(...result.losses.flat()));
    expect(labEvents.filter((e) => e.type === 'landscape-progress')).toHaveLength(9);

    expect(await service.disposeRun(run.runId)).toEqual({ ok: true, value: {} });
    expect(await service.labSamples(run.runId)).toMatchObject({ ok: false, error: { code: 'run-not-found' } });
  });

  it("auto trains an instrumented (lab) run on onnxruntime, and mid-epoch the lab's filters and activations follow its steps", async () => {
    const run = await startRun(service, { document: convNet(), limit: 200, engine: 'auto', startPaused: true, keepModel: true, instrument: true });
    const started = (await waitFor(run.events, (e) => e.type === 'started')) as Extract<TrainingEvent, { type: 'started' }>;
    expect(started.engine.name).toBe('onnxruntime');
    await waitFor(run.events, (e) => e.type === 'paused');
    const read = async () => {
      const filters = await service.labFilters(run.runId, 'conv');
      const activations = await service.labActivations(run.runId, 0);
      if (!filters.ok || !activations.ok) throw new Error('lab call failed');
      return { filters: filters.value.values, output: activations.value.outputs.find((o) => o.nodeId === 'output')!.values };
    };
    const initial = await read();
    for (let i = 1; i <= 2; i++) {
      const step = await service.step(run.runId);
      expect(step.ok ? step.value : step.error).toMatchObject({ epoch: 1, batch: i });
    }
    // Two batches into a four-batch epoch: the weights the lab reads are the step's, not those of the epoch's start.
    const stepped = await read();
    expect(stepped.filters).not.toEqual(initial.filters);
    expect(stepped.output).not.toEqual(initial.output);
    const batch = run.events.filter((e) => e.type === 'batch').at(-1) as Extract<TrainingEvent, { type: 'batch' }>;
    expect(batch.gradientNorms?.map((g) => g.nodeId)).toEqual(['conv', 'output']);
    expect(await service.resume(run.runId)).toEqual({ ok: true, value: { resumed: true } });
    expect((await run.done).type).toBe('finished');
    await service.disposeRun(run.runId);
  });

  it('refuses a step while not paused', async () => {
    const run = await startRun(service, { document: convNet(), limit: 100, engine: 'wasm' });
    await run.done;
    expect(await service.step(run.runId)).toMatchObject({ ok: false, error: { code: 'run-not-paused' } });
  });
});
