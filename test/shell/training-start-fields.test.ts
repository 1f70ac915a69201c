import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../main/services/app-services';
import type { TrainingPort } from '../../main/services/training-port';
import { resolveTrainingSettings } from '../../main/training/training-settings';
import type { NetweaveDocument } from '../../graph-schema/document';
import { callSchemas } from '../../shared/contract';
import { ok } from '../../shared/result';
import type { TrainRequest } from '../../shared/training-types';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();

/** Every field `training.start` accepts, each with a value that differs from the document's default. */
const overrides = {
  limit: 100,
  engine: 'cpu',
  epochs: 3,
  batchSize: 7,
  optimizer: 'rmsprop',
  learningRate: 0.0123,
  loss: 'meanSquaredError',
  validationSplit: 0.3,
  shuffle: false,
  seed: 99,
  imageSize: [8, 8, 1],
  name: 'run under test',
  startPaused: true,
  instrument: false,
} as const;

/** A port that records what reaches the run; every other call says it is not part of this test. */
function recordingPort(requests: TrainRequest[]): TrainingPort {
  const start: TrainingPort['start'] = async (request) => {
    requests.push(request);
    return ok({ runId: 'r1' });
  };
  return new Proxy({ start } as TrainingPort, {
    get: (target, key) => (key === 'start' ? target.start : () => Promise.reject(new Error(`${String(key)} is not used here`))),
  });
}

describe('training.start forwards every field it accepts', () => {
  const shape = (callSchemas['training.start'] as unknown as { shape: Record<string, unknown> }).shape;
  const fields = Object.keys(shape).filter((k) => k !== 'document' && k !== 'dataset');

  it('lists a test value for each field of the contract', () => {
    expect(fields.sort()).toEqual(Object.keys(overrides).sort());
  });

  for (const field of Object.keys(overrides) as (keyof typeof overrides)[]) {
    it(`${field} reaches the run`, async () => {
      const requests: TrainRequest[] = [];
      const services = createAppServices({ host: 'web', userDataDir: tempDir('netweave-user-'), emit: () => undefined, training: recordingPort(requests) });
      const document = (await services.call('project.fromTemplate', { templateId: 'mlp-xor' })) as { ok: true; value: NetweaveDocument };
      const result = await services.call('training.start', { document: document.value, dataset: 'xor', [field]: overrides[field] });
      expect(result).toEqual({ ok: true, value: { runId: 'r1' } });
      expect(requests).toHaveLength(1);
      expect(requests[0]![field]).toEqual(overrides[field]);
      const settings = resolveTrainingSettings(document.value, requests[0]!) as unknown as Record<string, unknown>;
      // Fields that are training settings show in the settings the run reports in its 'started' event.
      if (field in settings) expect(settings[field]).toEqual(overrides[field]);
    });
  }
});
