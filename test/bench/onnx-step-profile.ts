/**
 * Where the onnxruntime training step spends its time: runs a few steps of LeNet-5, the MLP or
 * ResNet-20 with onnxruntime's profiler on and prints the time per op type (and the slowest
 * single nodes) over the steps after the warm-up. Prints the load average beside the figures.
 *
 *   node bin/run-ts.mjs test/bench/onnx-step-profile.ts [lenet5|mlp|resnet-20] [--steps N] [--top N] [--filter-gradient auto|patches|conv]
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { getTemplate } from '../../graph-schema/templates/index';
import { compileGraph } from '../../main/compile/compile-graph';
import { initEngine } from '../../main/engine/index';
import { OnnxStepper } from '../../main/engine/onnxruntime/onnx-stepper';
import { lenetDocument, mlpDocument } from './training-bench';

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

const nets: Record<string, { document: () => NetweaveDocument; batch: number; input: number[] }> = {
  lenet5: { document: lenetDocument, batch: 32, input: [28, 28, 1] },
  mlp: { document: mlpDocument, batch: 32, input: [28, 28, 1] },
  'resnet-20': {
    document: () => {
      const built = getTemplate('resnet-20')!.build();
      return createDocument(built.graph, 'ResNet-20', built.training);
    },
    batch: 64,
    input: [32, 32, 3],
  },
};

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const which = args.find((a) => !a.startsWith('--') && nets[a]) ?? 'lenet5';
  const steps = flag(args, '--steps') ?? 20;
  const top = flag(args, '--top') ?? 12;
  const warmup = 3;
  const strategy = args[args.indexOf('--filter-gradient') + 1];
  const filterGradient = args.includes('--filter-gradient') && (strategy === 'auto' || strategy === 'patches' || strategy === 'conv') ? strategy : undefined;
  const net = nets[which]!;
  await initEngine('wasm');
  const document = net.document();
  const { model } = compileGraph(document.graph, { seed: 7 });
  const dir = await mkdtemp(path.join(tmpdir(), 'netweave-ort-profile-'));
  const stepper = await OnnxStepper.create(document, model, {
    batchSize: net.batch,
    optimizer: 'adam',
    loss: 'categoricalCrossentropy',
    learningRate: 0.001,
    seed: 7,
    encoding: 'one-hot',
    units: 10,
    profilePrefix: path.join(dir, 'step'),
    ...(filterGradient ? { filterGradient } : {}),
  });
  const size = net.input.reduce((a, b) => a * b, 1);
  let state = 7;
  const x = Float32Array.from({ length: net.batch * size }, () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32));
  const y = Int32Array.from({ length: net.batch }, (_, i) => i % 10);
  const loadBefore = os.loadavg()[0]!;
  const start = performance.now();
  for (let i = 0; i < steps; i++) await stepper.step(x, y, net.batch);
  const wallMs = performance.now() - start;
  stepper.endProfiling();
  const nodes = stepper.trainingStep()!.model.graph.nodes.length;
  stepper.dispose();
  model.dispose();
  const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
  if (!file) throw new Error(`onnxruntime wrote no profile under ${dir}`);
  const events = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as TraceEvent[];
  await rm(dir, { recursive: true, force: true });
  // Node events come once per run; skip the warm-up runs (the first `warmup` model_run events).
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const kernel = events.filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time'));
  const perRun = Math.round(kernel.length / Math.max(1, runs.length));
  const measured = kernel.slice(perRun * warmup);
  const counted = Math.max(1, runs.length - warmup);
  const byOp = new Map<string, { us: number; count: number }>();
  const byNode = new Map<string, number>();
  let total = 0;
  for (const e of measured) {
    const op = e.args?.op_name ?? '?';
    const entry = byOp.get(op) ?? { us: 0, count: 0 };
    entry.us += e.dur ?? 0;
    entry.count++;
    byOp.set(op, entry);
    const node = e.name!.replace(/_kernel_time$/, '');
    byNode.set(`${op} ${node}`, (byNode.get(`${op} ${node}`) ?? 0) + (e.dur ?? 0));
    total += e.dur ?? 0;
  }
  const runUs = runs.slice(warmup).reduce((a, e) => a + (e.dur ?? 0), 0) / counted;
  console.log(`${which}: ${nodes} step nodes, batch ${net.batch}, ${steps} steps (${warmup} warm-up), ${(wallMs / steps).toFixed(2)} ms/step wall (with profiling), model_run ${(runUs / 1000).toFixed(2)} ms, kernels ${(total / counted / 1000).toFixed(2)} ms per step; load ${loadBefore.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`);
  console.log('per op type (ms per step, share of kernel time, nodes):');
  for (const [op, { us, count }] of [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
    console.log(`  ${op.padEnd(22)} ${(us / counted / 1000).toFixed(3).padStart(8)} ms  ${((100 * us) / total).toFixed(1).padStart(5)}%  ×${Math.round(count / counted)}`);
  }
  console.log('slowest nodes (ms per step):');
  for (const [node, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(us / counted / 1000).toFixed(3).padStart(8)} ms  ${node}`);
}

await main();
