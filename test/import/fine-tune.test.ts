import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { createDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument } from '../../graph-schema/load-save';
import { compileGraph } from '../../main/compile/compile-graph';
import { saveModelFiles } from '../../main/export/tfjs-model-files';
import { importModelFile, writeImportedProject } from '../../main/import/import-model';
import { readProjectWeights } from '../../main/import/weights-store';
import { useWasm } from '../engine/engine-test-utils';
import { floats, runInProcess } from '../training/training-test-utils';

/**
 * Transfer learning on an imported model: a TensorFlow.js model with frozen layers is imported, its head
 * replaced by a Dense for 4 classes and trained on an image folder; the frozen weights must come out
 * bit-identical and the new head must have learned.
 */

let scratch: string;
beforeAll(async () => {
  await useWasm();
  scratch = await mkdtemp(path.join(tmpdir(), 'netweave-finetune-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

function baseModel(): NetweaveDocument {
  const node = (id: string, kind: string, params: Record<string, unknown>, trainable = true) => ({ id, kind, params, position: { x: 0, y: 0 }, ...(trainable ? {} : { trainable: false }) });
  return createDocument(
    {
      nodes: [
        node('input', 'Input', { shape: [8, 8, 3] }),
        node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], activation: 'relu' }, false),
        node('flat', 'Flatten', {}),
        node('features', 'Dense', { units: 8, activation: 'relu' }, false),
        node('head', 'Dense', { units: 10, activation: 'softmax' }),
      ],
      edges: [
        { id: 'e1', source: 'input', sourcePort: 'out', target: 'conv', targetPort: 'in' },
        { id: 'e2', source: 'conv', sourcePort: 'out', target: 'flat', targetPort: 'in' },
        { id: 'e3', source: 'flat', sourcePort: 'out', target: 'features', targetPort: 'in' },
        { id: 'e4', source: 'features', sourcePort: 'out', target: 'head', targetPort: 'in' },
      ],
    },
    'base',
  );
}

async function writeImageFolder(dir: string): Promise<void> {
  const colours = [[230, 20, 20], [20, 230, 20], [20, 20, 230], [230, 230, 20]];
  for (let c = 0; c < colours.length; c++) {
    await mkdir(path.join(dir, `class${c}`), { recursive: true });
    for (let k = 0; k < 8; k++) {
      const png = new PNG({ width: 8, height: 8 });
      for (let i = 0; i < 64; i++) {
        const noise = (i * 37 + k * 11) % 25;
        png.data[i * 4] = colours[c]![0]! - noise;
        png.data[i * 4 + 1] = colours[c]![1]! - noise;
        png.data[i * 4 + 2] = colours[c]![2]! - noise;
        png.data[i * 4 + 3] = 255;
      }
      await writeFile(path.join(dir, `class${c}`, `${k}.png`), PNG.sync.write(png));
    }
  }
}

describe('fine-tuning an imported model', () => {
  it('keeps frozen weights bit-identical while a replaced head learns', async () => {
    const modelDir = path.join(scratch, 'model');
    const compiled = compileGraph(baseModel().graph, { seed: 5 });
    await saveModelFiles(compiled.model, modelDir);
    compiled.model.dispose();
    const imported = await importModelFile(modelDir);
    const projectFile = path.join(scratch, 'project.netweave');
    await writeImportedProject(imported, projectFile);
    const loaded = loadDocument(await readFile(projectFile, 'utf8'));
    if (!loaded.ok) throw new Error(loaded.error.message);
    const document = loaded.document;
    expect(document.graph.nodes.filter((n) => n.trainable === false).map((n) => n.id).sort()).toEqual(['conv', 'features']);
    const stored = (await readProjectWeights(projectFile, document))!;

    // Replace the head: ordinary editing, a new node id, so it starts from fresh weights.
    document.graph.nodes = document.graph.nodes.filter((n) => n.id !== 'head');
    document.graph.edges = document.graph.edges.filter((e) => e.target !== 'head');
    document.graph.nodes.push({ id: 'head4', kind: 'Dense', params: { units: 4, activation: 'softmax' }, position: { x: 0, y: 0 } });
    document.graph.edges.push({ id: 'e-head4', source: 'features', sourcePort: 'out', target: 'head4', targetPort: 'in' });
    const totals = analyzeGraph(document.graph).totals;
    expect(totals.trainable).toBe(8 * 4 + 4);
    expect(totals.nonTrainable).toBe(3 * 3 * 3 * 4 + 4 + 6 * 6 * 4 * 8 + 8);

    const data = path.join(scratch, 'images');
    await writeImageFolder(data);
    const run = await runInProcess({
      document,
      dataset: `folder:${data}`,
      epochs: 8,
      batchSize: 8,
      learningRate: 0.05,
      seed: 3,
      validationSplit: 0,
      weightsDir: path.resolve(path.dirname(projectFile), document.weights!.path),
    });
    expect(run.error).toBeUndefined();
    const model = run.models.at(-1)!;
    const values = floats(model.serialized.weightData);
    const byName = new Map<string, Float32Array>();
    let offset = 0;
    for (const spec of model.serialized.weightSpecs) {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      byName.set(spec.name, values.slice(offset, offset + n));
      offset += n;
    }
    // Frozen: bit-identical to the imported weights.
    for (const [node, names] of [['conv', ['conv/kernel', 'conv/bias']], ['features', ['features/kernel', 'features/bias']]] as const) {
      names.forEach((name, i) => expect(Array.from(byName.get(name)!), name).toEqual(Array.from(stored.get(node)![i]!.values)));
    }
    // The new head learned: the loss fell, and the data set is easy enough to be learned.
    const first = run.epochs[0]!;
    const last = run.epochs.at(-1)!;
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.accuracy ?? 0).toBeGreaterThan(0.5);
  }, 120_000);
});
