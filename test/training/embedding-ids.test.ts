import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { compileGraph } from '../../main/compile/compile-graph';
import type { Dataset } from '../../main/datasets/dataset-types';
import { embeddingIdProblem, embeddingReaders } from '../../main/training/embedding-ids';
import { GraphBuilder } from '../support/graph-builder';
import { runInProcess } from './training-test-utils';

// An Embedding reads integer ids; the app feeds float32 values, so a data set that is not ids in
// [0, input_dim) (every built-in image set) is refused before training, with what to do.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scratch = mkdtempSync(path.join(tmpdir(), 'netweave-embedding-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function dataset(values: number[], name = 'ids'): Dataset {
  const x = Float32Array.from(values);
  const split = { x, y: new Int32Array(values.length / 4), count: values.length / 4 };
  return { id: name, name, exampleShape: [4], numClasses: 2, classNames: ['a', 'b'], train: split, test: split, source: 'test' };
}

const embeddingGraph = (inputDim: number, afterDense = false) => {
  const g = new GraphBuilder().node('in', 'Input', { shape: [4] });
  if (afterDense) g.node('mix', 'Dense', { units: 4 });
  g.node('embed', 'Embedding', { inputDim, outputDim: 3 }).node('fl', 'Flatten').node('out', 'Dense', { units: 2, activation: 'softmax' });
  return g.chain(...(afterDense ? ['in', 'mix'] : ['in']), 'embed', 'fl', 'out').build();
};

describe('Embedding data check', () => {
  it('accepts whole-number ids below input_dim, and graphs without an Embedding', () => {
    const { model } = compileGraph(embeddingGraph(10));
    expect(embeddingReaders(model)).toEqual([{ layer: 'embed', inputDim: 10, fedByInput: true }]);
    expect(embeddingIdProblem(dataset([0, 9, 3, 3, 1, 2, 5, 7]), embeddingReaders(model))).toBeNull();
    model.dispose();
    expect(embeddingIdProblem(dataset([0.5, 0.1, 0.2, 0.3]), [])).toBeNull();
  });

  it('refuses scaled pixel values, ids past input_dim and negative ids, saying what to do', () => {
    const { model } = compileGraph(embeddingGraph(10));
    const readers = embeddingReaders(model);
    expect(embeddingIdProblem(dataset([0, 0.5, 1, 0.25], 'MNIST digits'), readers)).toMatch(/'MNIST digits'.*not whole numbers \(e\.g\. 0\.5\).*image data sets cannot feed an Embedding/);
    expect(embeddingIdProblem(dataset([0, 10, 1, 2]), readers)).toMatch(/the id 10 is outside 0 … 9.*raise input_dim/);
    expect(embeddingIdProblem(dataset([0, -1, 1, 2]), readers)).toMatch(/the id -1 is outside/);
    model.dispose();
  });

  it('refuses an Embedding that reads another layer\'s output (not ids)', () => {
    const { model } = compileGraph(embeddingGraph(10, true));
    expect(embeddingIdProblem(dataset([0, 1, 2, 3]), embeddingReaders(model))).toMatch(/straight from the Input layer/);
    model.dispose();
  });

  it('a run on MNIST with an Embedding stops with the reason; a CSV of ids trains', async () => {
    const mnist = createDocument(
      new GraphBuilder().node('in', 'Input', { shape: [784] }).node('embed', 'Embedding', { inputDim: 256, outputDim: 2 }).node('fl', 'Flatten').node('out', 'Dense', { units: 10, activation: 'softmax' }).chain('in', 'embed', 'fl', 'out').build(),
      'embedding on digits',
      { dataset: 'mnist', epochs: 1, batchSize: 32 },
    );
    const refused = await runInProcess({ document: mnist, limit: 100 });
    expect(refused.error).toMatchObject({ code: 'dataset-shape-mismatch', message: expect.stringMatching(/Embedding embed reads integer ids from 0 to 255.*not whole numbers/) });

    // Class 1 when id 3 appears among the four ids: learnable from the embedding of each id.
    const rows = Array.from({ length: 120 }, (_, i) => {
      const ids = [i % 7, (i * 3) % 7, (i * 5 + 1) % 7, (i * 2 + 3) % 7];
      return `${ids.join(',')},${ids.includes(3) ? 'yes' : 'no'}`;
    });
    const file = path.join(scratch, 'ids.csv');
    writeFileSync(file, ['a,b,c,d,label', ...rows].join('\n'));
    const ids = createDocument(embeddingGraph(7), 'embedding on ids', { dataset: `csv:${file}`, epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.05 });
    const run = await runInProcess({ document: ids });
    expect(run.error).toBeUndefined();
    expect(run.epochs.length).toBe(3);
    expect(run.epochs[2]!.loss).toBeLessThan(run.epochs[0]!.loss);
  }, 60_000);
});
