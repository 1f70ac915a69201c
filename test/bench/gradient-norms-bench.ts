// Cost of the teaching lab's gradient instrumentation: the same training loop
// with and without per-layer gradient norms, same data, weights and batch order.
//   node bin/run-ts.mjs test/bench/gradient-norms-bench.ts [--limit N] [--repeats N]
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { createDocument } from '../../graph-schema/document';
import type { NetweaveDocument } from '../../graph-schema/document';
import { deepMlpGraph } from '../../graph-schema/templates/deep-mlp';
import { lenet5Template } from '../../graph-schema/templates/lenet5';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadDataset } from '../../main/datasets/index';
import { initEngine } from '../../main/engine/index';
import { planTargets } from '../../main/training/losses';
import { prepareData } from '../../main/training/prepare-data';
import { TrainingLoop } from '../../main/training/train-loop';
import { resolveTrainingSettings } from '../../main/training/training-settings';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const limit = arg('limit', 2000);
const repeats = arg('repeats', 3);

async function trainingMs(document: NetweaveDocument, instrument: boolean): Promise<number> {
  const settings = resolveTrainingSettings(document, { epochs: 1, validationSplit: 0 });
  const dataset = await loadDataset('mnist', { limit, seed: 1 });
  const { model } = compileGraph(document.graph, { seed: 1 });
  const plan = planTargets(settings.loss, model.outputs[0]!.shape, dataset.numClasses);
  const loop = new TrainingLoop(model, prepareData(dataset, model.inputs[0]!.shape, 0), { settings, plan, instrument });
  const outcome = await loop.run();
  loop.dispose();
  model.dispose();
  return outcome.trainingMs;
}

const engine = await initEngine('wasm');
console.log(`engine ${engine.name}, ${limit} MNIST examples, best of ${repeats}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const lenet = lenet5Template.build();
const nets: [string, NetweaveDocument][] = [
  ['deep-mlp (30 sigmoid × 32)', createDocument(deepMlpGraph(true), 'deep', { dataset: 'mnist', batchSize: 32 })],
  ['lenet5', createDocument(lenet.graph, 'lenet5', { ...lenet.training, batchSize: 32 })],
];
for (const [name, document] of nets) {
  const best = { off: Infinity, on: Infinity };
  for (let r = 0; r < repeats; r++) {
    best.off = Math.min(best.off, await trainingMs(document, false));
    best.on = Math.min(best.on, await trainingMs(document, true));
  }
  const overhead = (best.on / best.off - 1) * 100;
  console.log(`${name.padEnd(28)} plain ${best.off.toFixed(0)} ms, instrumented ${best.on.toFixed(0)} ms: ${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)}% (budget 15%)`);
}
console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
