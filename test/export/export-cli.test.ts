import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { exportCode } from '../../graph-schema/export/export-code';
import { analyzeGraph } from '../../graph-schema/infer';
import { compileGraph } from '../../main/compile/compile-graph';
import { loadModelFiles, saveModelFiles } from '../../main/export/tfjs-model-files';
import { projectTempDir, templateDocument } from './export-test-utils';
import { documentOf } from './torch-cases';

// `netweave export` run as a user runs it: a child process, its exit code, its output lines.

const cli = path.join(process.cwd(), 'bin', 'netweave.mjs');
const scratch = projectTempDir('export-cli');
const at = (name: string): string => path.join(scratch.dir, name);

function netweave(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: scratch.dir, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeProject(name: string, document: NetweaveDocument): string {
  const file = at(name);
  writeFileSync(file, JSON.stringify(document, null, 1));
  return file;
}

let lenetWeights: string;
let lenetReference: Float32Array[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const { model } = compileGraph(templateDocument('lenet5').graph, { seed: 9 });
  lenetWeights = at('lenet-trained');
  await saveModelFiles(model, lenetWeights);
  lenetReference = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
});

afterAll(() => scratch.remove());

describe('netweave export', () => {
  it('--to ts writes the code of exportCode for a template', () => {
    const out = at('lenet5.ts');
    const run = netweave('export', 'lenet5', '--to', 'ts', '-o', out);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`Wrote ${out}`);
    const expected = exportCode(templateDocument('lenet5'), 'ts');
    expect(expected.ok && readFileSync(out, 'utf8')).toBe(expected.ok && expected.code);
  });

  it('--to keras --training on a project file writes Keras code with training code', () => {
    const project = writeProject('xor.netweave.json', templateDocument('mlp-xor'));
    const out = at('xor_keras.py');
    const run = netweave('export', project, '--to', 'keras', '--training', '-o', out);
    expect(run.status).toBe(0);
    const code = readFileSync(out, 'utf8');
    expect(code).toContain('def train(');
    expect(code).toContain('"loss": "binaryCrossentropy"');
  });

  it('--to pytorch --weights DIR writes the module and its weights beside it, in PyTorch layout', () => {
    const out = at('lenet.py');
    const run = netweave('export', 'lenet5', '--to', 'pytorch', '--weights', lenetWeights, '-o', out);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([`Wrote ${out}`, `Wrote ${at('lenet.weights.json')}`, `Wrote ${at('lenet.weights.bin')}`]);
    const manifest = JSON.parse(readFileSync(at('lenet.weights.json'), 'utf8')) as { data: string; tensors: { key: string; shape: number[]; offset: number }[] };
    expect(manifest.data).toBe('lenet.weights.bin');
    const conv1 = manifest.tensors.find((t) => t.key === 'conv1.weight')!;
    expect(conv1.shape).toEqual([6, 1, 5, 5]);
    expect(manifest.tensors.find((t) => t.key === 'fc1.weight')!.shape).toEqual([120, 400]);
    const bytes = readFileSync(at('lenet.weights.bin'));
    expect(bytes.byteLength).toBe(61_706 * 4);
    // conv1.weight[o][0][i][j] is the Keras kernel[i][j][0][o].
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const kernel = lenetReference[0]!;
    for (const [o, i, j] of [[0, 0, 0], [5, 4, 4], [3, 1, 2]] as const) expect(data[conv1.offset / 4 + (o * 5 + i) * 5 + j]).toBe(kernel[(i * 5 + j) * 6 + o]);
  });

  it('--to tfjs-model writes model.json + weights.bin: fresh weights, or those of --weights DIR', async () => {
    const fresh = netweave('export', 'lenet5', '--to', 'tfjs-model', '-o', at('fresh'));
    expect(fresh.status).toBe(0);
    const freshModel = await loadModelFiles(at('fresh'));
    expect(freshModel.countParams()).toBe(analyzeGraph(templateDocument('lenet5').graph).totals.total);
    expect(freshModel.layers.map((l) => l.name)).toEqual(['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'fc2', 'output']);
    freshModel.dispose();

    const copied = netweave('export', 'lenet5', '--to', 'tfjs-model', '--weights', lenetWeights, '-o', at('copied'));
    expect(copied.status).toBe(0);
    const copiedModel = await loadModelFiles(at('copied'));
    expect(copiedModel.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(lenetReference.map((w) => Array.from(w)));
    copiedModel.dispose();
  });

  it('refuses what a target cannot express: exit 2, one line naming node and target, nothing written', () => {
    const project = writeProject(
      'dilated.netweave.json',
      documentOf('dilated depthwise', [
        { id: 'in', kind: 'Input', params: { shape: [9, 9, 2] } },
        { id: 'spread', kind: 'DepthwiseConv2D', params: { kernelSize: [3, 3], dilationRate: [2, 2] } },
        { id: 'flat', kind: 'Flatten' },
      ]),
    );
    for (const [target, out] of [
      ['ts', at('dilated.ts')],
      ['tfjs-model', at('dilated-model')],
    ] as const) {
      const run = netweave('export', project, '--to', target, '-o', out);
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^netweave: .*TypeScript \(TensorFlow\.js\).*spread.*\[export-unsupported\]$/);
      expect(existsSync(out)).toBe(false);
    }
    expect(netweave('export', project, '--to', 'pytorch', '-o', at('dilated.py')).status).toBe(0);
  });

  it('reports input problems on one line with exit 2 and writes nothing', () => {
    const invalid = writeProject(
      'invalid.netweave.json',
      documentOf('invalid', [
        { id: 'in', kind: 'Input', params: { shape: [3, 3, 1] } },
        { id: 'big', kind: 'Conv2D', params: { filters: 1, kernelSize: [5, 5] } },
      ]),
    );
    const cases: [string[], RegExp, string][] = [
      [['export', invalid, '--to', 'pytorch', '-o', at('invalid.py')], /\[graph-invalid\]$/, at('invalid.py')],
      [['export', 'no-such-template', '--to', 'ts', '-o', at('none.ts')], /No such file or template/, at('none.ts')],
      [['export', 'lenet5', '--to', 'ts', '--weights', lenetWeights, '-o', at('w.ts')], /--weights applies to the pytorch and tfjs-model targets/, at('w.ts')],
      [['export', 'resnet18', '--to', 'pytorch', '--weights', lenetWeights, '-o', at('resnet.py')], /(no layer|trained from another graph).*\[weights-mismatch\]$/, at('resnet.py')],
      [['export', 'lenet5', '--to', 'pytorch', '--weights', at('missing-dir'), '-o', at('m.py')], /No model\.json in .*\[model-not-found\]$/, at('m.py')],
    ];
    for (const [args, message, out] of cases) {
      const run = netweave(...args);
      expect(run.status, args.join(' ')).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    expect(existsSync(at('resnet.weights.json'))).toBe(false);
  });
});
