/**
 * The onnxruntime engine against the wasm engine and PyTorch, in one run: LeNet-5 and the MLP
 * 784-128-10 on the built-in MNIST (batch 32) by onnxruntime, wasm and PyTorch; ResNet-20 on
 * random CIFAR-shaped 32×32×3 data (batch 64) by onnxruntime and PyTorch. Same data, initial
 * weights and batch order everywhere (Adam 0.001). Each figure is printed with the load average
 * seen while it ran; the busy round repeats everything with one core taken by a spinner process
 * the bench starts and stops itself. Goals (quiet machine): LeNet-5 ≥ 1.2× PyTorch, MLP ≥ 1.5×,
 * ResNet-20 ≥ 1.0×.
 *
 *   node bin/run-ts.mjs test/bench/onnx-training-bench.ts [--limit N] [--resnet-batches N] [--no-busy] [--threads N] [--spinning]
 */
import * as tf from '@tensorflow/tfjs';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadDataset } from '../../main/datasets/index';
import { initEngine } from '../../main/engine/index';
import type { OnnxStepperOptions } from '../../main/engine/onnxruntime/onnx-stepper';
import { OnnxStepper } from '../../main/engine/onnxruntime/onnx-stepper';
import { planTargets } from '../../main/training/losses';
import type { PreparedData } from '../../main/training/prepare-data';
import { prepareData } from '../../main/training/prepare-data';
import { TrainingLoop } from '../../main/training/train-loop';
import { resolveTrainingSettings } from '../../main/training/training-settings';
import type { ResolvedTrainingSettings } from '../../shared/training-types';
import { lenetDocument, mlpDocument, runTorch } from './training-bench';

const seed = 7;
const pythonPath = '/usr/bin/python3';
const graphScript = fileURLToPath(new URL('./torch_graph_reference.py', import.meta.url));

interface Figure {
  imagesPerSecond: number;
  /** Mean of the 1-minute load average sampled at the start and the end of the figure. */
  load: number;
  firstLoss?: number;
  lastLoss?: number;
  /** onnxruntime only: per step, ms inside session.run and ms of the step outside it (feeds, targets, reading). */
  runMs?: number;
  outsideMs?: number;
  /** The whole training loop's time per step outside session.run (batch gathering, events included). */
  loopOutsideMs?: number;
  note?: string;
}

const load1 = (): number => os.loadavg()[0]!;

async function measured(fn: () => Promise<Omit<Figure, 'load'>>): Promise<Figure> {
  const before = load1();
  const figure = await fn();
  return { ...figure, load: (before + load1()) / 2 };
}

/** Images/s over the batches after the warm-up, from the time each batch ended. */
function speed(ends: number[], sizes: number[], warmup: number): number {
  const first = Math.min(warmup, ends.length - 2);
  const images = sizes.slice(first + 1).reduce((a, b) => a + b, 0);
  return images / ((ends.at(-1)! - ends[first]!) / 1000);
}

function batchSizes(count: number, batch: number): number[] {
  const sizes: number[] = [];
  for (let start = 0; start < count; start += batch) sizes.push(Math.min(batch, count - start));
  return sizes;
}

/** The app's training loop (one epoch) on wasm or with the onnxruntime step. */
async function runLoop(document: NetweaveDocument, data: PreparedData, settings: ResolvedTrainingSettings, warmup: number, engine: 'wasm' | 'onnxruntime', ort: Partial<OnnxStepperOptions>): Promise<Omit<Figure, 'load'>> {
  const { model } = compileGraph(document.graph, { seed: settings.seed });
  const plan = planTargets(settings.loss, model.outputs[0]!.shape, data.classNames.length);
  const stepper =
    engine === 'onnxruntime'
      ? await OnnxStepper.create(document, model, { batchSize: settings.batchSize, optimizer: settings.optimizer, loss: settings.loss, learningRate: settings.learningRate, seed: settings.seed, encoding: plan.encoding, units: plan.units, ...ort })
      : undefined;
  const losses: number[] = [];
  const ends: number[] = [];
  const marks: { run: number; overhead: number }[] = [];
  const loop = new TrainingLoop(model, data, {
    settings,
    plan,
    instrument: false,
    ...(stepper ? { stepper } : {}),
    onBatchLoss: (loss) => {
      losses.push(loss);
      ends.push(performance.now());
      if (stepper) marks.push({ run: stepper.runMs, overhead: stepper.overheadMs });
    },
  });
  await loop.run();
  loop.dispose();
  stepper?.dispose();
  model.dispose();
  const sizes = batchSizes(data.train.count, settings.batchSize);
  const figure: Omit<Figure, 'load'> = { imagesPerSecond: speed(ends, sizes, warmup), firstLoss: losses[0]!, lastLoss: losses.at(-1)! };
  if (stepper) {
    const first = Math.min(warmup, marks.length - 2);
    const steps = marks.length - 1 - first;
    const run = (marks.at(-1)!.run - marks[first]!.run) / steps;
    const perStep = (ends.at(-1)! - ends[first]!) / steps;
    figure.runMs = run;
    figure.outsideMs = (marks.at(-1)!.overhead - marks[first]!.overhead) / steps;
    figure.loopOutsideMs = perStep - run;
  }
  return figure;
}

/** ResNet-20's layers as a graph for torch_graph_reference.py, weights in PyTorch's layouts, in node order. */
function torchGraph(model: tf.LayersModel): { nodes: Record<string, unknown>[]; weights: Float32Array } {
  const nodes: Record<string, unknown>[] = [];
  const chunks: Float32Array[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    const inputs = (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => l.name);
    const values = layer.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
    const base = { name: layer.name, inputs, activation: (config.activation as string | undefined) ?? 'linear' };
    switch (className) {
      case 'InputLayer':
        nodes.push({ ...base, type: 'input' });
        break;
      case 'Conv2D': {
        const kernel = values[0]!;
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        const strides = config.strides as number[];
        const inShape = (layer.input as tf.SymbolicTensor).shape as number[];
        const pads = [0, 0, 0, 0];
        if (config.padding === 'same') {
          // TensorFlow's 'same': the extra cell of an odd total pad goes at the end.
          [0, 1].forEach((axis) => {
            const size = inShape[axis + 1]!;
            const k = axis === 0 ? kh : kw;
            const total = Math.max((Math.ceil(size / strides[axis]!) - 1) * strides[axis]! + k - size, 0);
            pads[axis] = Math.floor(total / 2);
            pads[axis + 2] = total - Math.floor(total / 2);
          });
        }
        const oihw = new Float32Array(kernel.data.length);
        for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) oihw[((o * cin + i) * kh + y) * kw + x] = kernel.data[((y * kw + x) * cin + i) * cout + o]!;
        chunks.push(oihw);
        if (values[1]) chunks.push(values[1].data);
        nodes.push({ ...base, type: 'conv', in: cin, out: cout, kernel: [kh, kw], stride: strides, pads, bias: values.length > 1 });
        break;
      }
      case 'BatchNormalization': {
        if (values.length !== 4) throw new Error('the graph reference needs batch-norm with center and scale');
        values.forEach((v) => chunks.push(v.data));
        nodes.push({ ...base, type: 'bn', channels: values[0]!.data.length, epsilon: config.epsilon, momentum: config.momentum });
        break;
      }
      case 'Activation':
        nodes.push({ ...base, type: 'activation' });
        break;
      case 'Add':
        nodes.push({ ...base, type: 'add' });
        break;
      case 'GlobalAveragePooling2D':
        nodes.push({ ...base, type: 'gap' });
        break;
      case 'Dense': {
        const kernel = values[0]!;
        const [inputs, units] = kernel.shape as [number, number];
        const torchWeight = new Float32Array(kernel.data.length);
        for (let r = 0; r < inputs; r++) for (let o = 0; o < units; o++) torchWeight[o * inputs + r] = kernel.data[r * units + o]!;
        chunks.push(torchWeight);
        if (values[1]) chunks.push(values[1].data);
        nodes.push({ ...base, type: 'dense', in: inputs, out: units, bias: values.length > 1 });
        break;
      }
      default:
        throw new Error(`the PyTorch graph reference has no ${className} layer`);
    }
  }
  const weights = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    weights.set(chunk, offset);
    offset += chunk.length;
  }
  return { nodes, weights };
}

interface CifarLike {
  x: Float32Array; // NHWC
  y: Int32Array;
  count: number;
}

function cifarLike(count: number): CifarLike {
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return { x: Float32Array.from({ length: count * 32 * 32 * 3 }, next), y: Int32Array.from({ length: count }, () => Math.floor(next() * 10)), count };
}

async function resnetOrt(document: NetweaveDocument, data: CifarLike, batch: number, warmup: number, ort: Partial<OnnxStepperOptions>): Promise<Omit<Figure, 'load'>> {
  const { model } = compileGraph(document.graph, { seed });
  const stepper = await OnnxStepper.create(document, model, { batchSize: batch, optimizer: 'adam', loss: 'categoricalCrossentropy', learningRate: 0.001, seed, encoding: 'one-hot', units: 10, ...ort });
  const size = 32 * 32 * 3;
  const ends: number[] = [];
  const losses: number[] = [];
  let mark = { run: 0, overhead: 0 };
  for (let start = 0, k = 0; start < data.count; start += batch, k++) {
    if (k === warmup + 1) mark = { run: stepper.runMs, overhead: stepper.overheadMs };
    const figures = await stepper.step(data.x.subarray(start * size, (start + batch) * size), data.y.subarray(start, start + batch), batch);
    losses.push(figures.loss);
    ends.push(performance.now());
  }
  const steps = ends.length - 1 - warmup;
  const figure = {
    imagesPerSecond: speed(ends, batchSizes(data.count, batch), warmup),
    firstLoss: losses[0]!,
    lastLoss: losses.at(-1)!,
    runMs: (stepper.runMs - mark.run) / steps,
    outsideMs: (stepper.overheadMs - mark.overhead) / steps,
  };
  stepper.dispose();
  model.dispose();
  return figure;
}

async function resnetTorch(document: NetweaveDocument, data: CifarLike, batch: number, warmup: number): Promise<Omit<Figure, 'load'>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netweave-torch-graph-'));
  try {
    const { model } = compileGraph(document.graph, { seed });
    const { nodes, weights } = torchGraph(model);
    model.dispose();
    const nchw = new Float32Array(data.x.length);
    for (let n = 0; n < data.count; n++) for (let yy = 0; yy < 32; yy++) for (let xx = 0; xx < 32; xx++) for (let c = 0; c < 3; c++) nchw[((n * 3 + c) * 32 + yy) * 32 + xx] = data.x[((n * 32 + yy) * 32 + xx) * 3 + c]!;
    const file = (name: string) => path.join(dir, name);
    await writeFile(file('weights.bin'), new Uint8Array(weights.buffer));
    await writeFile(file('x.bin'), new Uint8Array(nchw.buffer));
    await writeFile(file('y.bin'), new Uint8Array(data.y.buffer));
    await writeFile(file('orders.bin'), new Uint8Array(Int32Array.from({ length: data.count }, (_, i) => i).buffer));
    const manifest = { nodes, weightsFile: file('weights.bin'), xFile: file('x.bin'), yFile: file('y.bin'), ordersFile: file('orders.bin'), count: data.count, inputShape: [3, 32, 32], numClasses: 10, batchSize: batch, epochs: 1, learningRate: 0.001, threads: 2, warmupBatches: warmup };
    await writeFile(file('manifest.json'), JSON.stringify(manifest));
    const result = spawnSync(pythonPath, [graphScript, file('manifest.json')], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`torch_graph_reference.py failed: ${(result.stderr || result.error?.message || '').trim().split('\n').at(-1)}`);
    const out = JSON.parse(result.stdout) as { torch: string; threads: number; imagesPerSecond: number; losses: number[] };
    return { imagesPerSecond: out.imagesPerSecond, firstLoss: out.losses[0]!, lastLoss: out.losses.at(-1)!, note: `PyTorch ${out.torch}, ${out.threads} threads` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One core kept busy by a child process (so the busy figures need nobody else). */
function startSpinner(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function flag(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? Number(args[at + 1]) : undefined;
}

const rate = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(7);
const ms = (v: number | undefined): string => (v === undefined ? '' : `${v.toFixed(2)} ms`);

export async function runOnnxTrainingBench(args: string[] = []): Promise<void> {
  const limit = flag(args, '--limit') ?? 4096;
  const resnetBatches = flag(args, '--resnet-batches') ?? 5;
  const threads = flag(args, '--threads');
  const ort: Partial<OnnxStepperOptions> = { ...(threads ? { threads } : {}), ...(args.includes('--spinning') ? { spinning: true } : {}) };
  await initEngine('wasm');
  const dataset = await loadDataset('mnist', { seed, limit });
  const resnetDoc = (() => {
    const built = getTemplate('resnet-20')!.build();
    return createDocument(built.graph, 'ResNet-20', built.training);
  })();
  const cifar = cifarLike(64 * resnetBatches);
  console.log(`onnxruntime engine vs wasm vs PyTorch: MNIST ${dataset.train.count} images (batch 32, 1 epoch), ResNet-20 on ${cifar.count} random 32×32×3 images (batch 64); Adam 0.001; speed after the warm-up batches (5 for MNIST, 2 for ResNet-20).`);
  console.log(`onnxruntime: intra-op threads ${threads ?? os.availableParallelism()}, spinning ${args.includes('--spinning') ? 'on' : 'off'}; PyTorch 2 threads; ${os.availableParallelism()} cores. Load = 1-minute load average during the figure.`);

  const rounds = args.includes('--no-busy') ? ['quiet'] : ['as found', 'busy (+1 spinning core)'];
  if (rounds.length === 1) rounds[0] = 'as found';
  for (const round of rounds) {
    const spinner = round.startsWith('busy') ? startSpinner() : undefined;
    try {
      console.log(`\n--- ${round}`);
      for (const [name, document] of [
        ['LeNet-5', lenetDocument()],
        ['MLP 784-128-10', mlpDocument()],
      ] as const) {
        const settings = resolveTrainingSettings(document, { epochs: 1, batchSize: 32, seed, validationSplit: 0, shuffle: true, optimizer: 'adam', learningRate: 0.001, loss: 'categoricalCrossentropy' });
        const { model } = compileGraph(document.graph, { seed });
        const data = prepareData(dataset, model.inputs[0]!.shape, 0);
        model.dispose();
        const onnx = await measured(() => runLoop(document, data, settings, 5, 'onnxruntime', ort));
        const wasm = await measured(() => runLoop(document, data, settings, 5, 'wasm', ort));
        const torch = await measured(async () => {
          const t = await runTorch(document, data, settings, 5);
          return { imagesPerSecond: t.imagesPerSecond, firstLoss: t.batchLosses[0]!, lastLoss: t.batchLosses.at(-1)!, note: `PyTorch ${t.version}, ${t.threads} threads` };
        });
        console.log(`${name}`);
        console.log(`  onnxruntime ${rate(onnx.imagesPerSecond)} img/s  load ${onnx.load.toFixed(2)}  loss ${onnx.firstLoss!.toFixed(5)} → ${onnx.lastLoss!.toFixed(5)}  per step: run ${ms(onnx.runMs)}, step outside run ${ms(onnx.outsideMs)}, loop outside run ${ms(onnx.loopOutsideMs)}`);
        console.log(`  wasm        ${rate(wasm.imagesPerSecond)} img/s  load ${wasm.load.toFixed(2)}  loss ${wasm.firstLoss!.toFixed(5)} → ${wasm.lastLoss!.toFixed(5)}`);
        console.log(`  PyTorch     ${rate(torch.imagesPerSecond)} img/s  load ${torch.load.toFixed(2)}  loss ${torch.firstLoss!.toFixed(5)} → ${torch.lastLoss!.toFixed(5)}  (${torch.note})`);
        console.log(`  onnxruntime/PyTorch ${(onnx.imagesPerSecond / torch.imagesPerSecond).toFixed(2)} (goal ${name.startsWith('LeNet') ? '1.2' : '1.5'}), onnxruntime/wasm ${(onnx.imagesPerSecond / wasm.imagesPerSecond).toFixed(2)}`);
      }
      const onnx = await measured(() => resnetOrt(resnetDoc, cifar, 64, 2, ort));
      const torch = await measured(() => resnetTorch(resnetDoc, cifar, 64, 2));
      console.log('ResNet-20 (32×32×3, batch 64)');
      console.log(`  onnxruntime ${rate(onnx.imagesPerSecond)} img/s  load ${onnx.load.toFixed(2)}  loss ${onnx.firstLoss!.toFixed(5)} → ${onnx.lastLoss!.toFixed(5)}  per step: run ${ms(onnx.runMs)}, step outside run ${ms(onnx.outsideMs)}`);
      console.log(`  PyTorch     ${rate(torch.imagesPerSecond)} img/s  load ${torch.load.toFixed(2)}  loss ${torch.firstLoss!.toFixed(5)} → ${torch.lastLoss!.toFixed(5)}  (${torch.note})`);
      console.log(`  onnxruntime/PyTorch ${(onnx.imagesPerSecond / torch.imagesPerSecond).toFixed(2)} (goal 1.0)`);
    } finally {
      spinner?.kill();
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runOnnxTrainingBench(process.argv.slice(2));
}
