// `npm run bench`: every benchmark in turn, each in its own process so one
// engine's state cannot colour another's figures. Pass names to run a subset:
//   npm run bench -- inference training
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

const benches: { name: string; file: string; args: string[]; what: string }[] = [
  { name: 'inference', file: 'inference-bench.ts', args: [], what: 'graph inference on a 1,000-node graph' },
  { name: 'engine', file: 'engine-bench.ts', args: ['--no-sweep', '--no-profile', '--cpu-batches', '3'], what: 'LeNet-5 training speed per engine' },
  { name: 'training', file: 'training-bench.ts', args: [], what: 'netweave vs a plain tfjs loop vs PyTorch, same data, weights and batch order' },
  { name: 'training', file: 'onnx-training-bench.ts', args: [], what: 'the onnxruntime engine vs wasm vs PyTorch (LeNet-5, MLP, ResNet-20), as found and with one core busy' },
  { name: 'gradient-norms', file: 'gradient-norms-bench.ts', args: [], what: 'cost of the per-layer gradient norms (teaching lab), instrumented vs not' },
  { name: 'editor', file: 'editor-bench.ts', args: [], what: 'the editor in headless Chromium: time to interactive, frame rates' },
];

const wanted = process.argv.slice(2);
let failed = 0;
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  console.log(`\n=== ${bench.name}: ${bench.what}`);
  const run = spawnSync(process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(here, bench.file), ...bench.args], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`=== ${bench.name} failed (exit ${run.status ?? run.signal})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
