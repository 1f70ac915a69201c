import * as tf from '@tensorflow/tfjs';
import { readNodeWeights } from '../import/weights-store';
import type { EpochFigures } from './learning-check';
import { learningWarnings } from './learning-check';
import { checkTrainingMemory, engineMemoryLimit, estimateTrainingMemory } from './memory-estimate';
import { compileGraph } from '../compile/compile-graph';
import { checkDatasetFits, loadDataset } from '../datasets/index';
import { checkEmbeddingIds } from './embedding-ids';
import type { EnginePreference } from '../engine/index';
import { enginePreferenceFromEnv, initEngine, parseEnginePreference } from '../engine/index';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import type { EngineInfo, Evaluation, ResolvedTrainingSettings, TrainingEvent, TrainRequest } from '../../shared/training-types';
import { graphHash } from '../../graph-schema/graph-hash';
import { evaluateModel } from './evaluate';
import type { LabSubject } from './lab-tasks';
import type { TargetPlan } from './losses';
import { planTargets } from './losses';
import type { NetweaveModelMetadata, SerializedModel } from './model-io';
import { loadModelFromDir, serializeModel } from './model-io';
import type { PreparedData } from './prepare-data';
import { prepareData } from './prepare-data';
import { createSeededRandom } from './seeded-random';
import type { TrainingLoopOptions } from './train-loop';
import { TrainingLoop } from './train-loop';
import { OnnxStepper } from '../engine/onnxruntime/onnx-stepper';
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
  /** Pause / resume / step between batches (the worker's control); absent ⇒ never paused. */
  pause?: TrainingLoopOptions['pause'];
}

/** Where the run stands: what `evaluateNow` needs. */
interface Ready {
  model: tf.LayersModel;
  data: PreparedData;
  plan: TargetPlan;
  settings: ResolvedTrainingSettings;
  nodeOutput: Map<string, string>;
  nodeLayers: Map<string, string[]>;
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
  private finished = false;
  private stepper: OnnxStepper | undefined;
  /** The onnxruntime step while the loop runs (lab calls take its weights). */
  private stepping: OnnxStepper | undefined;

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
      let engine = await initEngine(preference);
      this.engine = engine;
      // Dropout masks and any unseeded initialiser draw from Math.random: seeding it makes a run repeatable.
      Math.random = createSeededRandom(settings.seed + 0x9e3779b9);

      // Before anything is allocated: refuse a model the engine cannot hold, with the figures.
      checkTrainingMemory(
        estimateTrainingMemory(request.document.graph, settings.batchSize, settings.optimizer),
        engineMemoryLimit(engine.name),
        engine.name,
        settings.batchSize,
      );
      hooks.emit({ type: 'preparing', stage: 'model', message: request.fromModelDir ? `Loading the model in ${request.fromModelDir}` : 'Building the model' });
      const compiled = request.fromModelDir
        ? undefined
        : compileGraph(request.document.graph, {
            seed: settings.seed,
            name: request.document.name,
            forTraining: true,
            ...(request.weightsDir ? { initialWeights: await readNodeWeights(request.weightsDir) } : {}),
          });
      const model = compiled ? compiled.model : (await loadModelFromDir(request.fromModelDir!)).model;
      // Canvas node ↔ compiled layers (a loaded model's layers stand for themselves).
      const nodeOutput = compiled ? new Map(compiled.primitives.nodeOutput) : new Map(model.layers.map((l) => [l.name, l.name]));
      const nodeOfLayer = new Map<string, string>(compiled ? compiled.primitives.layers.map((l) => [l.name, l.nodeId]) : model.layers.map((l) => [l.name, l.name]));
      const nodeLayers = new Map<string, string[]>();
      for (const [layer, nodeId] of nodeOfLayer) nodeLayers.set(nodeId, [...(nodeLayers.get(nodeId) ?? []), layer]);
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
      checkEmbeddingIds(dataset, model);
      const plan = planTargets(settings.loss, outputShape, dataset.numClasses);
      const data = prepareData(dataset, inputShape, settings.validationSplit);
      this.ready = { model, data, plan, settings, nodeOutput, nodeLayers };

      let stepper: OnnxStepper | undefined;
      const chosen = preference ?? enginePreferenceFromEnv();
      const forcedOnnx = chosen === 'onnxruntime' || chosen === 'onnxruntime-gpu';
      if (engine.name === 'onnxruntime' || engine.name === 'onnxruntime-gpu') {
        try {
          stepper = await OnnxStepper.create(request.document, model, {
            batchSize: settings.batchSize,
            optimizer: settings.optimizer,
            loss: settings.loss,
            learningRate: settings.learningRate,
            seed: settings.seed,
            encoding: plan.encoding,
            units: plan.units,
            gpu: engine.name === 'onnxruntime-gpu',
            // Runs that ask for gradient norms get them as outputs of the step.
            norms: request.instrument === true,
          });
        } catch (error) {
          // auto falls back to TensorFlow.js on the backend it started; a forced onnxruntime says why not.
          if (forcedOnnx) throw error;
          engine = { name: engine.backend, backend: engine.backend, native: false, description: `TensorFlow.js (${engine.backend}): ONNX Runtime cannot train this graph (${toErrorValue(error).message}).` };
          this.engine = engine;
        }
      }
      this.stepper = stepper;
      const history: EpochFigures[] = [];
      loop = new TrainingLoop(model, data, {
        settings,
        plan,
        shouldStop: () => hooks.shouldStop(),
        onBatch: (progress) => hooks.emit(progress),
        onEpoch: async (progress) => {
          history.push({ epoch: progress.epoch, loss: progress.loss, ...(progress.accuracy !== undefined ? { accuracy: progress.accuracy } : {}) });
          const warnings = learningWarnings(history, { numClasses: dataset.numClasses, loss: settings.loss, learningRate: settings.learningRate });
          hooks.emit(warnings.length > 0 ? { ...progress, warnings } : progress);
          await this.ship(progress.epoch);
        },
        ...(hooks.beforeBatch ? { beforeBatch: hooks.beforeBatch } : {}),
        ...(hooks.pause ? { pause: hooks.pause } : {}),
        instrument: request.instrument ?? true,
        ...(stepper ? { stepper } : {}),
        nodeOf: (layer) => nodeOfLayer.get(layer) ?? layer,
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
        graphHash: graphHash(request.document.graph),
        name: request.name ?? request.document.name,
        paused: hooks.pause?.isPaused() ?? false,
      });
      await this.ship(0);
      this.stepping = stepper;
      const outcome = await loop.run();
      // From here the model holds the run's result (a stop restores the last finished epoch): no more write-backs.
      this.stepping = undefined;
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
      this.stepping = undefined;
      this.stepper?.dispose();
      this.stepper = undefined;
      this.finished = true;
    }
  }

  /** The model and data for the lab calls, once the run has started. */
  labSubject(): Result<LabSubject> {
    const ready = this.ready;
    if (!ready) return err('run-not-ready', 'The run is still preparing (engine, model, data set): ask again once it has started.');
    // The onnxruntime step keeps the weights between epochs: the lab sees those of the last finished batch.
    this.stepping?.writeBack();
    return ok({ model: ready.model, data: ready.data, plan: ready.plan, loss: ready.settings.loss, seed: ready.settings.seed, nodeOutput: ready.nodeOutput, nodeLayers: ready.nodeLayers });
  }

  /** Whether run() has returned (finished, stopped or failed). */
  get done(): boolean {
    return this.finished;
  }

  /** Frees the model (after run() has returned): what an in-process caller does instead of ending the worker. */
  dispose(): void {
    this.ready?.model.dispose();
    this.ready = undefined;
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
