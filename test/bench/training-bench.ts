/**
 * Training speed benchmark: on the built-in MNIST, with the same initial
 * weights and the same batch order, LeNet-5 and an MLP 784-128-10 are trained
 * (1) by netweave's training loop, (2) by a plain hand-written TensorFlow.js
 * loop on the same engine, (3) by PyTorch (Debian's /usr/bin/python3, 2
 * threads) through torch_reference.py, and (4) through the training service
 * (worker thread). Prints images/s, the ratios netweave/plain (goal: ≥ 0.95,
 * i.e. at most 5% overhead) and netweave/PyTorch, and the losses, which agree
 * when weights and order are really the same.
 *
 *   node bin/run-ts.mjs test/bench/training-bench.ts [--epochs N] [--limit N] [--repeats N] [--no-torch] [--no-service]
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadDataset } from '../../main/datasets/index';
import type { EngineInfo, EnginePreference } from '../../main/engine/index';
import { initEngine } from '../../main/engine/index';
import { planTargets } from '../../main/training/losses';
import type { PreparedData } from '../../main/training/prepare-data';
import { prepareData } from '../../main/training/prepare-data';
import { epochOrders } from '../../main/training/seeded-random';
import { TrainingLoop } from '../../main/training/train-loop';
import { createTrainingService } from '../../main/training/training-service';
import { resolveTrainingSettings } from '../../main/training/training-settings';
import type { ResolvedTrainingSettings, TrainingEvent } from '../../shared/training-types';

export interface TrainingBenchOptions {
  engine?: EnginePreference;
  epochs?: number;
  /** Training examples (default: all 8,000 of the built-in MNIST's training split). */
  limit?: number;
  batchSize?: number;
  /** netweave and plain loops run alternately this many times; the best speed of each counts. */
  repeats?: number;
  /** Batches left out of the timing at the start (allocation, JIT). */
  warmupBatches?: number;
  torch?: boolean;
  service?: boolean;
  log?: (line: string) => void;
}

export interface LoopFigures {
  imagesPerSecond: number;
  epochLosses: number[];
  batchLosses: number[];
}

export interface ModelBenchResult {
  model: string;
  netweave: LoopFigures;
  /** The faster of the two plain loops (the stricter comparison). */
  plain: LoopFigures & { feed: 'gather' | 'copy' };
  plainGather: LoopFigures;
  plainCopy: LoopFigures;
  service?: { imagesPerSecond: number; epochLosses: number[] };
  torch?: LoopFigures & { version: string; threads: number };
  torchSkipped?: string;
  /** netweave images/s ÷ the faster plain loop's images/s: 0.95 or more meets the ≤ 5% overhead goal. */
  netweaveOverPlain: number;
  netweaveOverTorch?: number;
}

export interface TrainingBenchResult {
  engine: EngineInfo;
  trainCount: number;
  batchSize: number;
  epochs: number;
  models: ModelBenchResult[];
}

const seed = 7;
const pythonPath = '/usr/bin/python3';
const torchScript = fileURLToPath(new URL('./torch_reference.py', import.meta.url));

export function mlpDocument(): NetweaveDocument {
  const nodes = [
    { id: 'input', kind: 'Input', params: { shape: [784] }, position: { x: 0, y: 0 } },
    { id: 'hidden', kind: 'Dense', params: { units: 128, activation: 'relu' }, position: { x: 0, y: 100 } },
    { id: 'output', kind: 'Dense', params: { units: 10, activation: 'softmax' }, position: { x: 0, y: 200 } },
  ];
  const edges = [
    { id: 'e1', source: 'input', sourcePort: 'out', target: 'hidden', targetPort: 'in' },
    { id: 'e2', source: 'hidden', sourcePort: 'out', target: 'output', targetPort: 'in' },
  ];
  return createDocument({ nodes, edges }, 'MLP 784-128-10', { dataset: 'mnist' });
}

export function lenetDocument(): NetweaveDocument {
  const built = getTemplate('lenet5')!.build();
  return createDocument(built.graph, 'LeNet-5', built.training);
}

/** Images per second over the batches after the warm-up, from the time each batch ended. */
function speed(batchEnds: number[], batchSizes: number[], warmup: number): number {
  const first = Math.min(warmup, batchEnds.length - 2);
  const images = batchSizes.slice(first + 1).reduce((a, b) => a + b, 0);
  return images / ((batchEnds.at(-1)! - batchEnds[first]!) / 1000);
}

function epochMeans(batchLosses: number[], batchSizes: number[], batchesPerEpoch: number): number[] {
  const means: number[] = [];
  for (let start = 0; start < batchLosses.length; start += batchesPerEpoch) {
    let sum = 0;
    let count = 0;
    for (let i = start; i < Math.min(start + batchesPerEpoch, batchLosses.length); i++) {
      sum += batchLosses[i]! * batchSizes[i]!;
      count += batchSizes[i]!;
    }
    means.push(sum / count);
  }
  return means;
}

function batchSizesFor(count: number, batchSize: number, epochs: number): number[] {
  const sizes: number[] = [];
  for (let e = 0; e < epochs; e++) for (let start = 0; start < count; start += batchSize) sizes.push(Math.min(batchSize, count - start));
  return sizes;
}

export async function runNetweaveLoop(document: NetweaveDocument, data: PreparedData, settings: ResolvedTrainingSettings, warmup: number): Promise<LoopFigures> {
  const { model } = compileGraph(document.graph, { seed: settings.seed });
  const plan = planTargets(settings.loss, model.outputs[0]!.shape, data.classNames.length);
  const batchLosses: number[] = [];
  const batchEnds: number[] = [];
  const loop = new TrainingLoop(model, data, {
    settings,
    plan,
    onBatchLoss: (loss) => {
      batchLosses.push(loss);
      batchEnds.push(performance.now());
    },
  });
  await loop.run();
  loop.dispose();
  model.dispose();
  const sizes = batchSizesFor(data.train.count, settings.batchSize, settings.epochs);
  return { imagesPerSecond: speed(batchEnds, sizes, warmup), epochLosses: epochMeans(batchLosses, sizes, Math.ceil(data.train.count / settings.batchSize)), batchLosses };
}

/**
 * What someone would write by hand: minimize in a tidy, read the loss. Two
 * ways of feeding batches: 'gather' keeps the whole set on the engine and
 * gathers each batch there; 'copy' copies each batch's examples from the
 * typed arrays into a new tensor (as netweave does).
 */
export async function runPlainLoop(document: NetweaveDocument, data: PreparedData, settings: ResolvedTrainingSettings, warmup: number, feed: 'gather' | 'copy'): Promise<LoopFigures> {
  const { model } = compileGraph(document.graph, { seed: settings.seed });
  const count = data.train.count;
  const numClasses = data.classNames.length;
  const exampleSize = data.inputShape.reduce((a, b) => a * b, 1);
  const xs = feed === 'gather' ? tf.tensor(data.train.x, [count, ...data.inputShape]) : undefined;
  const ys = feed === 'gather' ? tf.tidy(() => tf.oneHot(tf.tensor1d(data.train.y, 'int32'), numClasses).toFloat()) : undefined;
  const optimizer = tf.train.adam(settings.learningRate);
  const nextOrder = epochOrders(count, settings.seed, settings.shuffle);
  const batchLosses: number[] = [];
  const batchEnds: number[] = [];
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const order = nextOrder();
    for (let start = 0; start < count; start += settings.batchSize) {
      const batch = order.subarray(start, Math.min(start + settings.batchSize, count));
      const cost = tf.tidy(() => {
        let xb: tf.Tensor;
        let yb: tf.Tensor;
        if (xs && ys) {
          const indices = tf.tensor1d(batch, 'int32');
          xb = tf.gather(xs, indices);
          yb = tf.gather(ys, indices);
        } else {
          const values = new Float32Array(batch.length * exampleSize);
          const labels = new Int32Array(batch.length);
          batch.forEach((index, j) => {
            values.set(data.train.x.subarray(index * exampleSize, (index + 1) * exampleSize), j * exampleSize);
            labels[j] = data.train.y[index]!;
          });
          xb = tf.tensor(values, [batch.length, ...data.inputShape]);
          yb = tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat();
        }
        return optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(yb, model.apply(xb, { training: true }) as tf.Tensor)) as tf.Scalar, true)!;
      });
      batchLosses.push(cost.dataSync()[0]!);
      batchEnds.push(performance.now());
      cost.dispose();
    }
  }
  tf.dispose([xs, ys].filter((t): t is tf.Tensor => t !== undefined));
  optimizer.dispose();
  model.dispose();
  const sizes = batchSizesFor(count, settings.batchSize, settings.epochs);
  return { imagesPerSecond: speed(batchEnds, sizes, warmup), epochLosses: epochMeans(batchLosses, sizes, Math.ceil(count / settings.batchSize)), batchLosses };
}

async function runThroughService(document: NetweaveDocument, settings: ResolvedTrainingSettings, limit: number | undefined, engine: EnginePreference | undefined) {
  const service = createTrainingService();
  try {
    const epochs: Extract<TrainingEvent, { type: 'epoch' }>[] = [];
    const end = await new Promise<TrainingEvent>((resolve, reject) => {
      void service
        .start({ document, epochs: settings.epochs + 1, batchSize: settings.batchSize, seed: settings.seed, validationSplit: 0, ...(limit ? { limit } : {}), ...(engine ? { engine } : {}) }, (event) => {
          if (event.type === 'epoch') epochs.push(event);
          if (event.type === 'finished' || event.type === 'error') resolve(event);
        })
        .then((started) => !started.ok && reject(new Error(started.error.message)));
    });
    if (end.type === 'error') throw new Error(`${end.code}: ${end.message}`);
    // One more epoch than the other loops: its speed is the warm one; the losses of the epochs before it are comparable.
    return { imagesPerSecond: epochs.at(-1)!.imagesPerSecond, epochLosses: epochs.slice(0, -1).map((e) => e.loss) };
  } finally {
    await service.dispose();
  }
}

function torchAvailable(): string | undefined {
  const probe = spawnSync(pythonPath, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error) return `${pythonPath} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${pythonPath} has no torch/numpy (install Debian's python3-torch)`;
  return undefined;
}

/** The layers in PyTorch's terms and their weights in PyTorch's layouts (conv OIHW, dense [out, in], flatten in C-H-W order). */
function torchLayers(model: tf.LayersModel): { layers: Record<string, unknown>[]; weights: Float32Array } {
  const layers: Record<string, unknown>[] = [];
  const chunks: Float32Array[] = [];
  let flattenedFrom: number[] | undefined;
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    const values = layer.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
    switch (className) {
      case 'InputLayer':
        break;
      case 'Conv2D': {
        const kernel = values[0]!;
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        const strides = config.strides as number[];
        const padding = config.padding as string;
        if (padding === 'same' && (strides.some((s) => s !== 1) || kh % 2 === 0 || kw % 2 === 0)) throw new Error('the reference supports "same" padding only with stride 1 and odd kernels');
        const oihw = new Float32Array(kernel.data.length);
        for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) oihw[((o * cin + i) * kh + y) * kw + x] = kernel.data[((y * kw + x) * cin + i) * cout + o]!;
        chunks.push(oihw);
        if (values[1]) chunks.push(values[1].data);
        layers.push({ type: 'conv', in: cin, out: cout, kernel: [kh, kw], stride: strides, padding: padding === 'same' ? [(kh - 1) / 2, (kw - 1) / 2] : [0, 0], bias: values.length > 1, activation: config.activation });
        break;
      }
      case 'MaxPooling2D':
        if (config.padding !== 'valid') throw new Error('the reference supports valid max pooling only');
        layers.push({ type: 'maxpool', size: config.poolSize ?? config.pool_size, stride: config.strides });
        break;
      case 'Flatten': {
        const shape = (layer.inputSpec?.[0]?.shape ?? (layer.input as tf.SymbolicTensor).shape).slice(1) as number[];
        flattenedFrom = shape.length === 3 ? shape : undefined;
        layers.push({ type: 'flatten' });
        break;
      }
      case 'Dense': {
        const kernel = values[0]!;
        const [inputs, units] = kernel.shape as [number, number];
        const torchWeight = new Float32Array(kernel.data.length);
        for (let r = 0; r < inputs; r++) {
          // A Flatten after a conv stacks H-W-C here but C-H-W in PyTorch: move each row to its PyTorch place.
          let target = r;
          if (flattenedFrom) {
            const [h, w, c] = flattenedFrom as [number, number, number];
            const channel = r % c;
            const x = Math.floor(r / c) % w;
            const y = Math.floor(r / (c * w));
            target = (channel * h + y) * w + x;
          }
          for (let o = 0; o < units; o++) torchWeight[o * inputs + target] = kernel.data[r * units + o]!;
        }
        flattenedFrom = undefined;
        chunks.push(torchWeight);
        if (values[1]) chunks.push(values[1].data);
        layers.push({ type: 'dense', in: inputs, out: units, bias: values.length > 1, activation: config.activation });
        break;
      }
      default:
        throw new Error(`the PyTorch reference has no ${className} layer`);
    }
  }
  const weights = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    weights.set(chunk, offset);
    offset += chunk.length;
  }
  return { layers, weights };
}

export async function runTorch(document: NetweaveDocument, data: PreparedData, settings: ResolvedTrainingSettings, warmup: number): Promise<LoopFigures & { version: string; threads: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netweave-torch-'));
  try {
    const { model } = compileGraph(document.graph, { seed: settings.seed });
    const { layers, weights } = torchLayers(model);
    model.dispose();
    const count = data.train.count;
    let x = data.train.x;
    let inputShape = data.inputShape;
    if (inputShape.length === 3) {
      // NHWC → NCHW (a copy even for one channel, where the layout is the same).
      const [h, w, c] = inputShape as [number, number, number];
      const nchw = new Float32Array(x.length);
      for (let n = 0; n < count; n++) for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) for (let ch = 0; ch < c; ch++) nchw[((n * c + ch) * h + yy) * w + xx] = x[((n * h + yy) * w + xx) * c + ch]!;
      x = nchw;
      inputShape = [c, h, w];
    }
    const nextOrder = epochOrders(count, settings.seed, settings.shuffle);
    const orders = new Int32Array(count * settings.epochs);
    for (let e = 0; e < settings.epochs; e++) orders.set(nextOrder(), e * count);
    const file = (name: string) => path.join(dir, name);
    await writeFile(file('weights.bin'), new Uint8Array(weights.buffer));
    await writeFile(file('x.bin'), new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    await writeFile(file('y.bin'), new Uint8Array(data.train.y.buffer, data.train.y.byteOffset, data.train.y.byteLength));
    await writeFile(file('orders.bin'), new Uint8Array(orders.buffer));
    const manifest = {
      layers,
      weightsFile: file('weights.bin'),
      xFile: file('x.bin'),
      yFile: file('y.bin'),
      ordersFile: file('orders.bin'),
      count,
      inputShape,
      numClasses: data.classNames.length,
      batchSize: settings.batchSize,
      epochs: settings.epochs,
      learningRate: settings.learningRate,
      threads: 2,
      warmupBatches: warmup,
    };
    await writeFile(file('manifest.json'), JSON.stringify(manifest));
    const result = spawnSync(pythonPath, [torchScript, file('manifest.json')], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`torch_reference.py failed: ${(result.stderr || result.error?.message || '').trim().split('\n').at(-1)}`);
    const output = JSON.parse(result.stdout) as { torch: string; threads: number; imagesPerSecond: number; losses: number[] };
    const sizes = batchSizesFor(count, settings.batchSize, settings.epochs);
    return { imagesPerSecond: output.imagesPerSecond, epochLosses: epochMeans(output.losses, sizes, Math.ceil(count / settings.batchSize)), batchLosses: output.losses, version: output.torch, threads: output.threads };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fmtRate = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(8);
const fmtLoss = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(6)).padStart(11);

export async function runTrainingBench(options: TrainingBenchOptions = {}): Promise<TrainingBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const engine = await initEngine(options.engine);
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const repeats = Math.max(1, options.repeats ?? 3);
  const warmup = options.warmupBatches ?? 10;
  const dataset = await loadDataset('mnist', { seed, ...(options.limit ? { limit: options.limit } : {}) });
  const torchSkip = options.torch === false ? 'turned off (--no-torch)' : torchAvailable();
  log(`Training benchmark on ${engine.name} (${engine.description})`);
  log(`Built-in MNIST: ${dataset.train.count} training images, batch ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}, Adam 0.001, categorical cross-entropy; same initial weights and batch order everywhere; speed after ${warmup} warm-up batches, best of ${repeats} for the tfjs loops.`);
  if (torchSkip) log(`PyTorch skipped: ${torchSkip}.`);

  const results: ModelBenchResult[] = [];
  for (const [name, document] of [
    ['LeNet-5', lenetDocument()],
    ['MLP 784-128-10', mlpDocument()],
  ] as const) {
    const settings = resolveTrainingSettings(document, { epochs, batchSize, seed, validationSplit: 0, shuffle: true, optimizer: 'adam', learningRate: 0.001, loss: 'categoricalCrossentropy' });
    const { model } = compileGraph(document.graph, { seed });
    const data = prepareData(dataset, model.inputs[0]!.shape, 0);
    model.dispose();
    const best = (a: LoopFigures | undefined, b: LoopFigures): LoopFigures => (a && a.imagesPerSecond >= b.imagesPerSecond ? a : b);
    let netweave: LoopFigures | undefined;
    let plainGather: LoopFigures | undefined;
    let plainCopy: LoopFigures | undefined;
    const contenders = [
      async () => void (netweave = best(netweave, await runNetweaveLoop(document, data, settings, warmup))),
      async () => void (plainGather = best(plainGather, await runPlainLoop(document, data, settings, warmup, 'gather'))),
      async () => void (plainCopy = best(plainCopy, await runPlainLoop(document, data, settings, warmup, 'copy'))),
    ];
    // Interleaved, and in a rotating order, so that a busy spell on the machine or what one loop leaves behind (heap, JIT state) hits every loop alike.
    for (let r = 0; r < repeats; r++) {
      for (let k = 0; k < contenders.length; k++) await contenders[(r + k) % contenders.length]!();
    }
    const plain = plainGather!.imagesPerSecond >= plainCopy!.imagesPerSecond ? { ...plainGather!, feed: 'gather' as const } : { ...plainCopy!, feed: 'copy' as const };
    const result: ModelBenchResult = { model: name, netweave: netweave!, plain, plainGather: plainGather!, plainCopy: plainCopy!, netweaveOverPlain: netweave!.imagesPerSecond / plain.imagesPerSecond };
    if (options.service !== false) result.service = await runThroughService(document, settings, options.limit, options.engine);
    if (torchSkip) result.torchSkipped = torchSkip;
    else {
      result.torch = await runTorch(document, data, settings, warmup);
      result.netweaveOverTorch = netweave!.imagesPerSecond / result.torch.imagesPerSecond;
    }
    results.push(result);

    log('');
    log(`${name.padEnd(28)}  images/s  1st batch loss  epoch loss  last batch loss`);
    log(`  netweave loop               ${fmtRate(netweave!.imagesPerSecond)} ${fmtLoss(netweave!.batchLosses[0])}    ${fmtLoss(netweave!.epochLosses.at(-1))}     ${fmtLoss(netweave!.batchLosses.at(-1))}`);
    log(`  plain tfjs loop (gather)    ${fmtRate(plainGather!.imagesPerSecond)} ${fmtLoss(plainGather!.batchLosses[0])}    ${fmtLoss(plainGather!.epochLosses.at(-1))}     ${fmtLoss(plainGather!.batchLosses.at(-1))}`);
    log(`  plain tfjs loop (copy)      ${fmtRate(plainCopy!.imagesPerSecond)} ${fmtLoss(plainCopy!.batchLosses[0])}    ${fmtLoss(plainCopy!.epochLosses.at(-1))}     ${fmtLoss(plainCopy!.batchLosses.at(-1))}`);
    if (result.service) log(`  netweave service (worker)*  ${fmtRate(result.service.imagesPerSecond)} ${'-'.padStart(11)}    ${fmtLoss(result.service.epochLosses.at(-1))}`);
    if (result.torch) log(`  ${`PyTorch ${result.torch.version} (${result.torch.threads} thr.)`.padEnd(28)}${fmtRate(result.torch.imagesPerSecond)} ${fmtLoss(result.torch.batchLosses[0])}    ${fmtLoss(result.torch.epochLosses.at(-1))}     ${fmtLoss(result.torch.batchLosses.at(-1))}`);
    const overhead = (1 / result.netweaveOverPlain - 1) * 100;
    log(`  netweave/plain ${result.netweaveOverPlain.toFixed(3)} against the faster plain loop (${plain.feed}): overhead ${overhead.toFixed(1)}%, goal ≤ 5%${result.netweaveOverTorch ? `; netweave/PyTorch ${result.netweaveOverTorch.toFixed(3)}` : ''}`);
  }
  if (options.service !== false) log('\n* the service runs one epoch more; its speed is that last epoch\'s average (worker thread, events, snapshots included).');
  return { engine, trainCount: dataset.train.count, batchSize, epochs, models: results };
}

function flag(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? Number(args[at + 1]) : undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const engineAt = args.indexOf('--engine');
  await runTrainingBench({
    ...(flag(args, '--epochs') ? { epochs: flag(args, '--epochs')! } : {}),
    ...(flag(args, '--limit') ? { limit: flag(args, '--limit')! } : {}),
    ...(flag(args, '--repeats') ? { repeats: flag(args, '--repeats')! } : {}),
    ...(engineAt >= 0 ? { engine: args[engineAt + 1] as EnginePreference } : {}),
    torch: !args.includes('--no-torch'),
    service: !args.includes('--no-service'),
  });
}
