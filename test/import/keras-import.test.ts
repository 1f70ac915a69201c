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

describe.each(['small.keras', 'small.h5'])('Keras import of %s', (file) => {
  it('maps every layer, keeps the frozen flag, the weights and Keras counts', async () => {
    const imported = await importModelFile(path.join(dir, file));
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
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
