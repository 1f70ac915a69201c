import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../graph-schema/infer';
import { compileGraph } from '../../main/compile/compile-graph';
import { importModelFile } from '../../main/import/import-model';
import { useWasm } from '../engine/engine-test-utils';

/**
 * Keras fixtures: TensorFlow/Keras cannot be installed here, so test/fixtures/keras/write-keras-fixtures.py
 * writes them by hand with h5py in Keras's own formats (Keras 3 .keras zip, Keras 2 legacy .h5).
 * These files are not produced by our own exporter.
 */

const script = fileURLToPath(new URL('../fixtures/keras/write-keras-fixtures.py', import.meta.url));
let dir: string;
let expected: Record<string, number[][]>;
beforeAll(async () => {
  await useWasm();
  dir = await mkdtemp(path.join(tmpdir(), 'netweave-keras-'));
  execFileSync('/usr/bin/python3', [script, dir]);
  expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// The .keras variants hold the same model and weights in each layout Keras writes (see the writer):
// small.keras as Keras 3.0–3.5, small-named.keras as Keras ≥ 3.6 (a `name` attribute on each vars
// group), small-2.13.keras as tf.keras 2.13/2.14 (_layer_checkpoint_dependencies, a weighted layer
// using up two numbers), swapped-named.keras with its Dense groups out of config order (the names decide).
describe.each(['small.keras', 'small-named.keras', 'small-2.13.keras', 'swapped-named.keras', 'small.h5'])('Keras import of %s', (file) => {
  it('maps every layer, keeps the frozen flag, the weights and Keras counts', async () => {
    const imported = await importModelFile(path.join(dir, file));
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(imported.diagnostics.filter((d) => d.code.startsWith('import-weights'))).toEqual([]);
    const nodes = imported.document.graph.nodes;
    expect(nodes.map((n) => n.kind)).toEqual(['Input', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    expect(nodes.find((n) => n.id === 'conv')!.trainable).toBe(false);
    expect(nodes.find((n) => n.id === 'conv')!.params).toMatchObject({ filters: 3, kernelSize: [3, 3], padding: 'same', activation: 'relu' });
    expect(nodes.find((n) => n.id === 'bn')!.params).toMatchObject({ axis: file.endsWith('.h5') ? 3 : -1 });
    expect(nodes.find((n) => n.id === 'image')!.params).toEqual({ shape: [6, 6, 2] });
    for (const [layer, arrays] of Object.entries(expected)) {
      const got = imported.weights.get(layer)!;
      expect(got.map((a) => Array.from(a.values)), layer).toEqual(arrays.map((a) => Array.from(Float32Array.from(a))));
    }
    // Keras' split: the frozen conv's 57 weights and the batch norm's moving statistics are non-trainable.
    const totals = analyzeGraph(imported.document.graph).totals;
    expect(totals).toMatchObject({ trainable: 3 * 2 + 27 * 48 + 48 * 4 + 4, nonTrainable: 3 * 3 * 2 * 3 + 3 + 3 * 2 });
    // The weights load into the compiled model and it runs (softmax rows sum to 1).
    const compiled = compileGraph(imported.document.graph, { initialWeights: imported.weights });
    const y = compiled.model.predict(tf.ones([1, 6, 6, 2])) as tf.Tensor;
    expect(y.sum().dataSync()[0]).toBeCloseTo(1, 5);
    compiled.model.dispose();
  });
});

describe('Keras 3 weight paths', () => {
  it('DepthwiseConv2D, BatchNormalization without beta and SeparableConv2D: the weights in Keras order give the output numpy computes', async () => {
    const imported = await importModelFile(path.join(dir, 'separable.keras'));
    expect(imported.diagnostics.filter((d) => d.severity === 'error' || d.code.startsWith('import-weights'))).toEqual([]);
    expect(imported.document.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'DepthwiseConv2D', 'BatchNormalization', 'SeparableConv2D', 'Flatten', 'Dense']);
    expect(imported.weights.get('dw')!.map((a) => a.shape)).toEqual([[3, 3, 2, 2], [4]]);
    expect(imported.weights.get('bn2')!.map((a) => a.shape)).toEqual([[4], [4], [4]]);
    expect(imported.weights.get('sep')!.map((a) => a.shape)).toEqual([[2, 2, 4, 1], [1, 1, 4, 3], [3]]);
    const { input, output } = JSON.parse(await readFile(path.join(dir, 'expected-separable.json'), 'utf8')) as { input: number[]; output: number[] };
    const compiled = compileGraph(imported.document.graph, { initialWeights: imported.weights });
    const y = tf.tidy(() => Array.from((compiled.model.predict(tf.tensor4d(input, [1, 5, 5, 2])) as tf.Tensor).dataSync()));
    compiled.model.dispose();
    y.forEach((v, i) => expect(Math.abs(v - output[i]!), `output ${i}: ${v} vs ${output[i]}`).toBeLessThan(1e-4));
  });

  it('a .keras file whose weights are in model.weights.npz says so instead of failing or keeping fresh weights silently', async () => {
    const { zipSync, strToU8, unzipSync } = await import('fflate');
    const { writeFile } = await import('node:fs/promises');
    const source = unzipSync(new Uint8Array(await readFile(path.join(dir, 'small.keras'))));
    const npzFile = path.join(dir, 'npz.keras');
    await writeFile(npzFile, zipSync({ 'config.json': source['config.json']!, 'metadata.json': source['metadata.json']!, 'model.weights.npz': strToU8('not read') }));
    const imported = await importModelFile(npzFile);
    expect(imported.diagnostics).toContainEqual(expect.objectContaining({ code: 'import-weights-missing', message: expect.stringMatching(/model\.weights\.npz/) }));
    expect(imported.weights.size).toBe(0);
  });
});
