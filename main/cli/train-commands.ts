import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { escapeControl } from '../../shared/escape-control';
import { SingleBar } from 'cli-progress';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import type { Evaluation, TrainingEvent, TrainRequest } from '../../shared/training-types';
import { parseEnginePreference } from '../engine/index';
import { readModelDir } from '../training/model-io';
import { evaluateSavedModel, predictWithSavedModel } from '../training/saved-model-tasks';
import { createTrainingService } from '../training/training-service';
import { action, fail } from './cli-support';
import { resolveGraphSource } from './resolve-graph-source';

interface TrainOptions {
  data?: string;
  epochs?: string;
  batch?: string;
  limit?: string;
  engine?: string;
  out?: string;
  seed?: string;
  lr?: string;
  optimizer?: string;
  from?: string;
  json?: boolean;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} must be a whole number ≥ 1 (got "${value}").`);
  return n;
}

function nonNegativeInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${flag} must be a whole number ≥ 0 (got "${value}").`);
  return n;
}

const percent = (x: number | undefined): string => (x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const seconds = (ms: number): string => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

function defaultOutDir(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.resolve(`netweave-model-${stamp}`);
}

async function documentForTraining(source: string | undefined, from: string | undefined): Promise<NetweaveDocument> {
  if (source) return (await resolveGraphSource(source)).document;
  if (!from) fail('Name a project file or template to train (see `netweave templates`), or pass --from DIR to continue a saved model.');
  const saved = await readModelDir(from);
  if (!saved.document) fail(`${from} has no netweave.json with the project: name the project file or template as well as --from.`);
  return saved.document;
}

/** Progress on a terminal: one bar per epoch on stderr; otherwise plain lines, or JSON lines with --json. */
function createReporter(json: boolean): { onEvent: (event: TrainingEvent) => void; close: () => void } {
  const tty = !json && process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  const closeBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  let lastStage = '';
  return {
    close: closeBar,
    onEvent(event) {
      switch (event.type) {
        case 'preparing':
          if (!json && event.stage !== lastStage) process.stderr.write(`${escapeControl(event.message, false)}…\n`);
          lastStage = event.stage;
          return;
        case 'started':
          if (json) console.log(JSON.stringify(event));
          else {
            process.stderr.write(`Data: ${escapeControl(event.datasetName ?? event.dataset, false)}\n`);
            process.stderr.write(
              `Training on ${event.engine.name}: ${event.trainCount} examples (${event.validationCount} for validation, ${event.testCount} for testing), ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} of ${event.batchesPerEpoch} batches.\n`,
            );
          }
          return;
        case 'batch':
          if (!tty) return;
          if (!bar) {
            bar = new SingleBar({
              format: `epoch ${event.epoch} {bar} {value}/{total} | loss {loss} | acc {acc} | {ips} img/s`,
              barsize: 24,
              hideCursor: true,
              stream: process.stderr,
              clearOnComplete: true,
            });
            bar.start(event.batchesPerEpoch, 0, { loss: '-', acc: '-', ips: '-' });
          }
          bar.update(event.batch, { loss: event.loss.toFixed(4), acc: percent(event.accuracy), ips: Math.round(event.imagesPerSecond) });
          return;
        case 'epoch': {
          closeBar();
          if (json) {
            console.log(JSON.stringify(event));
            return;
          }
          const validation = event.validationLoss === undefined ? '' : `  val_loss ${event.validationLoss.toFixed(4)}  val_acc ${percent(event.validationAccuracy)}`;
          const eta = event.etaMs > 0 ? `  eta ${seconds(event.etaMs)}` : '';
          process.stderr.write(
            `epoch ${event.epoch}/${event.epochs}  loss ${event.loss.toFixed(4)}  acc ${percent(event.accuracy)}${validation}  ${Math.round(event.imagesPerSecond)} img/s  ${seconds(event.elapsedMs)}${eta}\n`,
          );
          for (const warning of event.warnings ?? []) process.stderr.write(`warning: ${escapeControl(warning, false)}\n`);
          return;
        }
        case 'finished':
        case 'error':
          closeBar();
      }
    },
  };
}

/** Ends the process now, as the default Ctrl-C would: no waiting for a worker busy inside the engine. */
function quitNow(): never {
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
  // Where a signal cannot end the process (Windows), exit as directly as Node allows.
  process.exit(130);
}

function trainOnce(request: TrainRequest, json: boolean, outDir: string, saveUntrained = false): Promise<number> {
  const service = createTrainingService();
  const reporter = createReporter(json);
  let runId: string | undefined;
  let interrupted = 0;
  let epochsDone = 0;
  const onSigint = (): void => {
    interrupted++;
    if (interrupted > 1 || !runId) {
      process.stderr.write('\nQuitting now; nothing more is saved.\n');
      quitNow();
    }
    process.stderr.write(
      epochsDone === 0
        ? `\nStopping: no epoch has finished yet, so ${saveUntrained ? 'the untrained model is saved (--save-untrained)' : 'nothing will be saved (pass --save-untrained to keep the untrained model)'}. Ctrl-C again to quit now.\n`
        : `\nStopping after this batch; the model keeps the weights of epoch ${epochsDone}, the last finished one (Ctrl-C again to quit now).\n`,
    );
    void service.stop(runId);
  };
  process.on('SIGINT', onSigint);
  return new Promise<number>((resolve, reject) => {
    const finish = async (event: Extract<TrainingEvent, { type: 'finished' }>): Promise<number> => {
      if (event.stopped && event.epochsCompleted === 0 && !saveUntrained) {
        if (json) console.log(JSON.stringify({ type: 'result', engine: event.engine.name, stopped: true, epochsCompleted: 0, modelDir: null, files: [] }));
        else console.log('Stopped before the first epoch finished: nothing was trained, nothing saved.');
        return 130;
      }
      const saved = await service.saveModel(event.runId, outDir);
      if (!saved.ok) throw Object.assign(new Error(saved.error.message), { code: saved.error.code });
      const evaluation: Evaluation | null = event.evaluation;
      if (json) {
        console.log(
          JSON.stringify({
            type: 'result',
            engine: event.engine.name,
            stopped: event.stopped,
            epochsCompleted: event.epochsCompleted,
            testAccuracy: evaluation?.accuracy ?? null,
            testLoss: evaluation?.loss ?? null,
            testCount: evaluation?.count ?? 0,
            elapsedMs: event.elapsedMs,
            modelDir: saved.value.dir,
            files: saved.value.files,
          }),
        );
      } else {
        console.log(`Engine: ${event.engine.name} (${event.engine.description})`);
        if (event.stopped) console.log(`Stopped after ${event.epochsCompleted} finished epoch${event.epochsCompleted === 1 ? '' : 's'}.`);
        console.log(evaluation ? `Test accuracy: ${percent(evaluation.accuracy)} (loss ${evaluation.loss.toFixed(4)}, ${evaluation.count} examples)` : 'Test accuracy: - (no test examples)');
        console.log(`Model saved to ${escapeControl(saved.value.dir)}`);
      }
      return 0;
    };
    const onEvent = (event: TrainingEvent): void => {
      if (event.type === 'epoch') epochsDone = event.epoch;
      reporter.onEvent(event);
      if (event.type === 'finished') {
        finish(event).then(
          (code) => resolve(code),
          (error: unknown) => reject(error),
        );
      } else if (event.type === 'error') {
        reject(Object.assign(new Error(event.message), { code: event.code }));
      }
    };
    service.start(request, onEvent).then(
      (started) => {
        if (started.ok) runId = started.value.runId;
        else reject(Object.assign(new Error(started.error.message), { code: started.error.code }));
      },
      (error: unknown) => reject(error),
    );
  }).finally(() => {
    process.off('SIGINT', onSigint);
    reporter.close();
    void service.dispose();
  });
}

export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('train a network on a data set in a worker and save the model (model.json + weights.bin)')
    .argument('[file-or-template]', 'a project file or a template id (optional with --from)')
    .option('--data <ref>', 'data set: mnist, xor, idx:DIR, cifar10:DIR, csv:FILE, folder:DIR (default: the project\'s)')
    .option('--epochs <n>', 'number of epochs')
    .option('--batch <n>', 'batch size')
    .option('--limit <n>', 'use at most this many training examples')
    .option('--engine <name>', 'auto, tensorflow, tensorflow-gpu, onnxruntime, onnxruntime-gpu, wasm or cpu')
    .option('--out <dir>', 'where to save the model (default ./netweave-model-<time>)')
    .option('--seed <n>', 'seed of the initial weights and batch order')
    .option('--lr <rate>', 'learning rate')
    .option('--optimizer <name>', 'sgd, momentum, rmsprop, adagrad or adam')
    .option('--from <dir>', 'continue training a saved model')
    .option('--json', 'print one JSON line per epoch and a final JSON line')
    .option('--save-untrained', 'on Ctrl-C before the first epoch ends, still save the (untrained) model')
    .action(
      action(async (source: string | undefined, opts: TrainOptions) => {
        if (opts.engine) parseEnginePreference(opts.engine);
        const learningRate = opts.lr === undefined ? undefined : Number(opts.lr);
        if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate))) fail(`--lr must be a positive number (got "${opts.lr}").`);
        const document = await documentForTraining(source, opts.from);
        const request: TrainRequest = { document };
        const epochs = positiveInteger(opts.epochs, '--epochs');
        const batchSize = positiveInteger(opts.batch, '--batch');
        const limit = positiveInteger(opts.limit, '--limit');
        const seed = nonNegativeInteger(opts.seed, '--seed');
        if (opts.data) request.dataset = opts.data;
        if (epochs !== undefined) request.epochs = epochs;
        if (batchSize !== undefined) request.batchSize = batchSize;
        if (limit !== undefined) request.limit = limit;
        if (seed !== undefined) request.seed = seed;
        if (learningRate !== undefined) request.learningRate = learningRate;
        if (opts.optimizer) request.optimizer = opts.optimizer as TrainRequest['optimizer'];
        if (opts.engine) request.engine = opts.engine;
        if (opts.from) request.fromModelDir = path.resolve(opts.from);
        // An imported project keeps its weights beside it; they are where training starts.
        if (source && document.weights && existsSync(source)) request.weightsDir = path.resolve(path.dirname(source), document.weights.path);
        return trainOnce(request, opts.json === true, opts.out ? path.resolve(opts.out) : defaultOutDir(), (opts as { saveUntrained?: boolean }).saveUntrained === true);
      }),
    );

  program
    .command('evaluate')
    .description('evaluate a saved model on the test split of a data set')
    .argument('<model-dir>', 'a folder with model.json and weights.bin')
    .option('--data <ref>', 'data set (default: the one the model was trained on)')
    .option('--limit <n>', 'cap the training examples (the test split shrinks in proportion)')
    .option('--engine <name>', 'auto, tensorflow, tensorflow-gpu, onnxruntime, onnxruntime-gpu, wasm or cpu')
    .option('--json', 'print one JSON object')
    .action(
      action(async (dir: string, opts: { data?: string; limit?: string; engine?: string; json?: boolean }) => {
        const limit = positiveInteger(opts.limit, '--limit');
        const result = await evaluateSavedModel(dir, {
          ...(opts.data ? { data: opts.data } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(opts.engine ? { engine: opts.engine } : {}),
        });
        const { evaluation } = result;
        if (opts.json) {
          const samples = evaluation.samples.map(({ image: _image, ...rest }) => rest);
          console.log(JSON.stringify({ engine: result.engine.name, dataset: result.dataset, ...evaluation, samples }));
          return;
        }
        console.log(`Engine: ${result.engine.name}`);
        console.log(`Data set: ${escapeControl(result.dataset.name, false)} (${evaluation.count} test examples)`);
        console.log(`Accuracy: ${percent(evaluation.accuracy)}  loss ${evaluation.loss.toFixed(4)}`);
        const width = Math.max(5, ...evaluation.classNames.map((n) => n.length));
        console.log(`${'class'.padEnd(width)}  accuracy  confusion (predicted →)`);
        evaluation.classNames.forEach((name, c) => {
          const row = evaluation.confusion[c] ?? [];
          console.log(`${escapeControl(name, false).padEnd(width)}  ${percent(evaluation.perClassAccuracy[c]).padStart(8)}  ${row.map((v) => String(v).padStart(5)).join('')}`);
        });
      }),
    );

  program
    .command('predict')
    .description('predict classes with a saved model, for test examples of a data set or examples in a JSON file')
    .argument('<model-dir>', 'a folder with model.json and weights.bin')
    .option('--data <ref>', 'data set whose first test examples to predict (default: the one the model was trained on)')
    .option('--input <file>', 'JSON file: an array of examples (arrays of numbers)')
    .option('--count <n>', 'how many test examples (default 10)')
    .option('--engine <name>', 'auto, tensorflow, tensorflow-gpu, onnxruntime, onnxruntime-gpu, wasm or cpu')
    .option('--json', 'print one JSON object')
    .action(
      action(async (dir: string, opts: { data?: string; input?: string; count?: string; engine?: string; json?: boolean }) => {
        if (opts.input && opts.data) fail('Pass either --data or --input, not both.');
        const count = positiveInteger(opts.count, '--count');
        const result = await predictWithSavedModel(dir, {
          ...(opts.data ? { data: opts.data } : {}),
          ...(opts.input ? { inputFile: opts.input } : {}),
          ...(count !== undefined ? { count } : {}),
          ...(opts.engine ? { engine: opts.engine } : {}),
        });
        if (opts.json) {
          console.log(JSON.stringify({ engine: result.engine.name, classNames: result.classNames, predictions: result.predictions }));
          return;
        }
        for (const p of result.predictions) {
          const truth = p.label === undefined ? '' : `  actual ${escapeControl(String(result.classNames[p.label] ?? p.label), false)}${p.label === p.predicted ? '' : '  ✗'}`;
          console.log(`#${p.index}  predicted ${escapeControl(p.predictedName, false)} (${percent(p.confidence)})${truth}`);
        }
      }),
    );
}
