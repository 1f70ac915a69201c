import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../compile/compile-graph';
import { checkDatasetFits, loadDataset } from '../datasets/index';
import type { EnginePreference } from '../engine/index';
import { initEngine, parseEnginePreference } from '../engine/index';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import type { EngineInfo, Evaluation, ResolvedTrainingSettings, TrainingEvent, TrainRequest } from '../../shared/training-types';
import { evaluateModel } from './evaluate';
import type { TargetPlan } from './losses';
import { planTargets } from './losses';
import type { NetweaveModelMetadata, SerializedModel } from './model-io';
import { loadModelFromDir, serializeModel } from './model-io';
import type { PreparedData } from './prepare-data';
import { prepareData } from './prepare-data';
import { createSeededRandom } from './seeded-random';
import { TrainingLoop } from './train-loop';
import { toErrorValue, TrainingError } from './training-error';
import { resolveTrainingSettings } from './training-settings';

type WithoutRun<T> = T extends unknown ? Omit<T, 'runId'> : never;
export type RunEvent = WithoutRun<TrainingEvent>;

export interface RunHooks {
  emit(event: RunEvent): void;
  /** Receives the model after every finished epoch (and its initial state), for saving. */
  shipModel?(serialized: SerializedModel, metadata: NetweaveModelMetadata): void;
  shouldStop(): boolean;
  beforeBatch?(batchInRun: number): void;
}

/** Where the run stands: what `evaluateNow` needs. */
interface Ready {
  model: tf.LayersModel;
  data: PreparedData;
  plan: TargetPlan;
  settings: ResolvedTrainingSettings;
}

/**
 * One training run from request to 'finished' or 'error': engine, model
 * (compiled with the seed, or loaded to continue training), data set (loaded,
 * checked against the graph's input and output), the loop, the final
 * evaluation. Meant to run inside the training worker.
 */
export class TrainingRunner {
  private ready: Ready | undefined;
  private engine: EngineInfo | undefined;

  constructor(
    private readonly request: TrainRequest,
    private readonly hooks: RunHooks,
  ) {}

  async run(): Promise<void> {
    const start = performance.now();
    let loop: TrainingLoop | undefined;
    try {
      const { request, hooks } = this;
      const settings = resolveTrainingSettings(request.document, request);
      hooks.emit({ type: 'preparing', stage: 'engine', message: 'Starting the training engine' });
      const preference: EnginePreference | undefined = request.engine ? parseEnginePreference(request.engine) : undefined;
      const engine = await initEngine(preference);
      this.engine = engine;
      // Dropout masks and any unseeded initialiser draw from Math.random: seeding it makes a run repeatable.
      Math.random = createSeededRandom(settings.seed + 0x9e3779b9);

      hooks.emit({ type: 'preparing', stage: 'model', message: request.fromModelDir ? `Loading the model in ${request.fromModelDir}` : 'Building the model' });
      const model = request.fromModelDir
        ? (await loadModelFromDir(request.fromModelDir)).model
        : compileGraph(request.document.graph, { seed: settings.seed, name: request.document.name, forTraining: true }).model;
      if (model.inputs.length !== 1 || model.outputs.length !== 1) {
        throw new TrainingError('graph-invalid', `Training needs a network with exactly one Input and one output (this one has ${model.inputs.length} and ${model.outputs.length}).`);
      }
      const inputShape = model.inputs[0]!.shape;
      const outputShape = model.outputs[0]!.shape;

      hooks.emit({ type: 'preparing', stage: 'dataset', message: `Loading ${settings.dataset}`, fraction: 0 });
      const imageSize = request.imageSize ?? imageSizeFor(inputShape);
      const dataset = await loadDataset(settings.dataset, {
        ...(request.limit !== undefined ? { limit: request.limit } : {}),
        ...(imageSize ? { imageSize } : {}),
        seed: settings.seed,
        onProgress: (fraction, message) => hooks.emit({ type: 'preparing', stage: 'dataset', message, fraction }),
      });
      const fit = checkDatasetFits(dataset, inputShape, outputShape);
      if (!fit.ok) throw new TrainingError(fit.code, fit.message);
      const plan = planTargets(settings.loss, outputShape, dataset.numClasses);
      const data = prepareData(dataset, inputShape, settings.validationSplit);
      this.ready = { model, data, plan, settings };

      loop = new TrainingLoop(model, data, {
        settings,
        plan,
        shouldStop: () => hooks.shouldStop(),
        onBatch: (progress) => hooks.emit(progress),
        onEpoch: async (progress) => {
          hooks.emit(progress);
          await this.ship(progress.epoch);
        },
        ...(hooks.beforeBatch ? { beforeBatch: hooks.beforeBatch } : {}),
      });
      hooks.emit({
        type: 'started',
        engine,
        epochs: settings.epochs,
        batchesPerEpoch: loop.batchesPerEpoch,
        trainCount: data.train.count,
        validationCount: data.validation.count,
        testCount: data.test.count,
        dataset: data.datasetId,
        datasetName: data.datasetName,
        settings,
        ...(request.fromModelDir ? { fromModelDir: request.fromModelDir } : {}),
      });
      await this.ship(0);
      const outcome = await loop.run();
      const evaluation = data.test.count > 0 ? this.evaluateTest() : null;
      if (outcome.stopped) await this.ship(outcome.epochsCompleted, evaluation?.accuracy);
      else if (evaluation) await this.ship(outcome.epochsCompleted, evaluation.accuracy);
      hooks.emit({
        type: 'finished',
        stopped: outcome.stopped,
        epochsCompleted: outcome.epochsCompleted,
        evaluation,
        engine,
        elapsedMs: performance.now() - start,
      });
    } catch (error) {
      const value = toErrorValue(error);
      this.hooks.emit({ type: 'error', code: value.code, message: value.message });
    } finally {
      loop?.dispose();
    }
  }

  private async ship(epochsCompleted: number, testAccuracy?: number): Promise<void> {
    const ready = this.ready;
    if (!this.hooks.shipModel || !ready) return;
    const serialized = await serializeModel(ready.model);
    this.hooks.shipModel(serialized, {
      format: 'netweave.model',
      version: 1,
      classNames: ready.data.classNames,
      inputShape: ready.data.inputShape,
      exampleShape: ready.data.exampleShape,
      targetEncoding: ready.plan.encoding,
      loss: ready.settings.loss,
      dataset: ready.data.datasetId,
      datasetName: ready.data.datasetName,
      seed: ready.settings.seed,
      ...(this.engine ? { engine: this.engine.name } : {}),
      epochsCompleted,
      ...(testAccuracy !== undefined ? { testAccuracy } : {}),
      savedAt: new Date().toISOString(),
    });
  }

  private evaluateTest(): Evaluation {
    const { model, data, plan, settings } = this.ready!;
    return evaluateModel(model, data.test, {
      inputShape: data.inputShape,
      exampleShape: data.exampleShape,
      plan,
      loss: settings.loss,
      classNames: data.classNames,
      batchSize: Math.max(256, settings.batchSize),
    });
  }

  /** The test-set evaluation of the weights as they are now (mid-epoch while training). */
  evaluateNow(): Result<Evaluation> {
    if (!this.ready) return err('run-not-ready', 'The run is still preparing (engine, model, data set): ask again once it has started.');
    try {
      if (this.ready.data.test.count === 0) return err('no-test-data', 'The data set has no test examples to evaluate on.');
      return ok(this.evaluateTest());
    } catch (error) {
      const value = toErrorValue(error, 'evaluation-failed');
      return err(value.code, value.message);
    }
  }
}

/** Folder data sets are resized to the Input layer's [height, width, channels] when it looks like an image. */
function imageSizeFor(inputShape: readonly (number | null)[]): [number, number, number] | undefined {
  const [, h, w, c] = inputShape;
  if (inputShape.length === 4 && h && w && (c === 1 || c === 3)) return [h, w, c];
  return undefined;
}
