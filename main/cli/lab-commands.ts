import type { Command } from 'commander';
import type { LayerGradientNorm, TrainingEvent, TrainRequest } from '../../shared/training-types';
import { escapeControl } from '../../shared/escape-control';
import { parseEnginePreference } from '../engine/index';
import { landscapeSavedModel } from '../training/saved-model-tasks';
import { createTrainingService } from '../training/training-service';
import type { TrainingService } from '../training/training-service';
import { action, fail } from './cli-support';
import { resolveGraphSource } from './resolve-graph-source';

interface CompareOptions {
  data?: string;
  epochs?: string;
  limit?: string;
  batch?: string;
  seed?: string;
  engine?: string;
  json?: boolean;
}

export interface CompareRun {
  name: string;
  graph: string;
  testAccuracy: number | null;
  testLoss: number | null;
  elapsedMs: number;
  gradientNorms: { nodeId: string; depth: number; norm: number }[];
}

function wholeNumber(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`${flag} must be a whole number ≥ ${min} (got "${value}").`);
  return n;
}

/** One run to its end; resolves with its figures (last-epoch weight-gradient norms). */
function trainForCompare(service: TrainingService, request: TrainRequest, source: string, log: (line: string) => void): Promise<CompareRun> {
  return new Promise<CompareRun>((resolve, reject) => {
    let norms: LayerGradientNorm[] = [];
    const onEvent = (event: TrainingEvent): void => {
      if (event.type === 'started') {
        log(`${source}: data ${escapeControl(event.datasetName ?? event.dataset, false)}; ${event.trainCount} training, ${event.testCount} test examples on ${event.engine.name}`);
      } else if (event.type === 'epoch') {
        norms = event.gradientNorms ?? norms;
        log(`${source}: epoch ${event.epoch}/${event.epochs} loss ${event.loss.toFixed(4)}${event.accuracy !== undefined ? ` accuracy ${(event.accuracy * 100).toFixed(1)}%` : ''}`);
      } else if (event.type === 'finished') {
        resolve({
          name: request.name ?? request.document.name,
          graph: source,
          testAccuracy: event.evaluation?.accuracy ?? null,
          testLoss: event.evaluation?.loss ?? null,
          elapsedMs: event.elapsedMs,
          gradientNorms: norms.map((n) => ({ nodeId: n.nodeId, depth: n.depth, norm: n.weightNorm })),
        });
      } else if (event.type === 'error') reject(Object.assign(new Error(`${source}: ${event.message}`), { code: event.code }));
    };
    service.start(request, onEvent).then(
      (started) => {
        if (!started.ok) reject(Object.assign(new Error(`${source}: ${started.error.message}`), { code: started.error.code }));
      },
      reject,
    );
  });
}

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? x.toFixed(4) : x.toExponential(2));

/** Norms by depth, one column per run (rows: the deepest run's layers). */
export function compareTable(runs: readonly CompareRun[]): string {
  const depth = Math.max(0, ...runs.map((r) => r.gradientNorms.length));
  const width = Math.max(12, ...runs.map((r) => r.graph.length + 2));
  const lines = [`${'depth'.padEnd(6)}${runs.map((r) => escapeControl(r.graph, false).padStart(width)).join('')}`];
  lines.push(`${'acc'.padEnd(6)}${runs.map((r) => (r.testAccuracy === null ? '-' : `${(r.testAccuracy * 100).toFixed(1)}%`).padStart(width)).join('')}`);
  lines.push(`${'loss'.padEnd(6)}${runs.map((r) => (r.testLoss === null ? '-' : r.testLoss.toFixed(4)).padStart(width)).join('')}`);
  lines.push('weight-gradient L2 norm per layer with weights, last epoch (0 = first layer):');
  for (let d = 0; d < depth; d++) {
    lines.push(`${String(d).padEnd(6)}${runs.map((r) => { const n = r.gradientNorms[d]; return (n ? `${fmt(n.norm)} ${escapeControl(n.nodeId, false)}` : '').padStart(width); }).join('')}`);
  }
  return lines.join('\n');
}

export function registerLabCommands(program: Command): void {
  program
    .command('compare')
    .description('train several graphs with the same seed and data order; print test figures and gradient norms by depth')
    .argument('<graphs...>', 'two or more project files or template ids')
    .requiredOption('--data <ref>', 'data set: mnist, xor, idx:DIR, cifar10:DIR, csv:FILE, folder:DIR')
    .option('--epochs <n>', 'number of epochs (default: each project\'s)')
    .option('--limit <n>', 'use at most this many training examples')
    .option('--batch <n>', 'batch size')
    .option('--seed <n>', 'seed of the initial weights and batch order (default 1)')
    .option('--engine <name>', 'auto, tensorflow, tensorflow-gpu, onnxruntime, onnxruntime-gpu, wasm or cpu')
    .option('--json', 'the last line is {"runs":[…]}')
    .action(
      action(async (sources: string[], opts: CompareOptions) => {
        if (sources.length < 2) fail('compare needs at least two graphs (project files or template ids).');
        if (opts.engine) parseEnginePreference(opts.engine);
        const epochs = wholeNumber(opts.epochs, '--epochs', 1);
        const limit = wholeNumber(opts.limit, '--limit', 1);
        const batchSize = wholeNumber(opts.batch, '--batch', 1);
        const seed = wholeNumber(opts.seed, '--seed', 0) ?? 1;
        const documents = await Promise.all(sources.map(async (s) => (await resolveGraphSource(s)).document));
        const service = createTrainingService();
        const log = (line: string): void => void process.stderr.write(`${line}\n`);
        const runs: CompareRun[] = [];
        try {
          // One after the other: on a small machine two runs at once would each take twice as long and share the cores.
          for (const [i, document] of documents.entries()) {
            const request: TrainRequest = { document, dataset: opts.data!, seed, name: document.name, instrument: true };
            if (epochs !== undefined) request.epochs = epochs;
            if (limit !== undefined) request.limit = limit;
            if (batchSize !== undefined) request.batchSize = batchSize;
            if (opts.engine) request.engine = opts.engine;
            runs.push(await trainForCompare(service, request, sources[i]!, log));
          }
        } finally {
          await service.dispose();
        }
        if (!opts.json) {
          console.log(compareTable(runs));
          return;
        }
        console.log(JSON.stringify({ runs: runs.map(({ name, graph, testAccuracy, testLoss, gradientNorms, elapsedMs }) => ({ name, graph, testAccuracy, testLoss, elapsedMs, gradientNorms })) }));
      }),
    );

  program
    .command('landscape')
    .description('loss landscape of a saved model (Li et al. 2018): loss on a fixed batch over a 2-D grid of filter-normalized directions')
    .argument('<model-dir>', 'a folder with model.json and weights.bin')
    .requiredOption('--data <ref>', 'data set the loss is measured on')
    .option('--grid <n>', 'points per axis (default 15)')
    .option('--span <x>', 'the grid spans [-x, x] (default 1)')
    .option('--batch <n>', 'examples in the fixed batch (default 256)')
    .option('--engine <name>', 'auto, tensorflow, tensorflow-gpu, onnxruntime, onnxruntime-gpu, wasm or cpu')
    .option('--json', 'print one JSON object {alphas, betas, losses}')
    .action(
      action(async (dir: string, opts: { data: string; grid?: string; span?: string; batch?: string; engine?: string; json?: boolean }) => {
        const grid = wholeNumber(opts.grid, '--grid', 3);
        const batch = wholeNumber(opts.batch, '--batch', 1);
        const span = opts.span === undefined ? undefined : Number(opts.span);
        if (span !== undefined && !(span > 0 && Number.isFinite(span))) fail(`--span must be a positive number (got "${opts.span}").`);
        const result = await landscapeSavedModel(dir, {
          data: opts.data,
          ...(grid !== undefined ? { grid } : {}),
          ...(batch !== undefined ? { batch } : {}),
          ...(span !== undefined ? { span } : {}),
          ...(opts.engine ? { engine: opts.engine } : {}),
          onProgress: (done, total) => {
            if (!opts.json && process.stderr.isTTY) process.stderr.write(`\r${done}/${total}`);
          },
        });
        if (opts.json) {
          console.log(JSON.stringify({ engine: result.engine.name, dataset: result.dataset, alphas: result.alphas, betas: result.betas, losses: result.losses }));
          return;
        }
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(`Loss on ${escapeControl(result.dataset.name, false)}; rows α, columns β:`);
        console.log(`${'α\\β'.padStart(7)}${result.betas.map((b) => b.toFixed(2).padStart(8)).join('')}`);
        result.losses.forEach((row, i) => console.log(`${result.alphas[i]!.toFixed(2).padStart(7)}${row.map((l) => l.toFixed(3).padStart(8)).join('')}`));
      }),
    );
}
