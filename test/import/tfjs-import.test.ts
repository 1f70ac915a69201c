import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetweaveDocument } from '../../graph-schema/document';
import { flattenGraph } from '../../graph-schema/flatten-graph';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument } from '../../graph-schema/load-save';
import { templates } from '../../graph-schema/templates/index';
import { documentFromTemplate } from '../../main/cli/resolve-graph-source';
import { compileGraph } from '../../main/compile/compile-graph';
import { saveModelFiles } from '../../main/export/tfjs-model-files';
import { importModelFile, writeImportedProject } from '../../main/import/import-model';
import { readProjectWeights } from '../../main/import/weights-store';
import { useWasm } from '../engine/engine-test-utils';

/**
 * TensorFlow.js writes real layers models here (model.json + weights.bin through tf.LayersModel.save),
 * and the importer reads them back: the same primitive layers, params, wiring, totals and predictions.
 */

let scratch: string;
beforeAll(async () => {
  await useWasm();
  scratch = await mkdtemp(path.join(tmpdir(), 'netweave-import-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

// Weights of these templates are hundreds of MB: their graphs round-trip, predictions are checked on the others.
const heavy = new Set(['vgg16', 'alexnet', 'resnet50']);

async function roundTrip(document: NetweaveDocument, dir: string) {
  const compiled = compileGraph(document.graph, { seed: 7 });
  await saveModelFiles(compiled.model, dir);
  const imported = await importModelFile(path.join(dir, 'model.json'));
  const projectFile = path.join(dir, 'imported.netweave');
  await writeImportedProject(imported, projectFile);
  const loaded = loadDocument(await readFile(projectFile, 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded));
  return { compiled, imported, projectFile, document: loaded.document };
}

describe('TensorFlow.js layers model import', () => {
  for (const template of templates) {
    it(`${template.id}: template → tfjs model → import gives the same layers, totals${heavy.has(template.id) ? '' : ' and predictions'}`, async () => {
      const original = documentFromTemplate(template.id)!;
      const dir = path.join(scratch, template.id);
      const { compiled, imported, projectFile, document } = await roundTrip(original, dir);
      expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // Same primitive layers (blocks come back expanded), params and wiring.
      const primitives = flattenGraph(analyzeGraph(original.graph)).layers;
      expect(document.graph.nodes.map((n) => n.id).sort()).toEqual(primitives.map((l) => l.name).sort());
      const byId = new Map(document.graph.nodes.map((n) => [n.id, n]));
      for (const layer of primitives) {
        const node = byId.get(layer.name)!;
        expect(node.kind, layer.name).toBe(layer.kind);
        expect(node.params, layer.name).toEqual(JSON.parse(JSON.stringify(layer.params)));
        expect(document.graph.edges.filter((e) => e.target === layer.name).map((e) => e.source), layer.name).toEqual(layer.inputs);
      }
      const before = analyzeGraph(original.graph).totals;
      const after = analyzeGraph(document.graph).totals;
      expect(after).toEqual(before);
      expect(after.total).toBe(compiled.model.countParams());
      if (!heavy.has(template.id)) {
        const weights = await readProjectWeights(projectFile, document);
        const rebuilt = compileGraph(document.graph, { seed: 99, ...(weights ? { initialWeights: weights } : {}) });
        const shape = compiled.model.inputs[0]!.shape.slice(1) as number[];
        const x = tf.randomUniform([2, ...shape], 0, 1, 'float32', 3);
        const a = (compiled.model.predict(x) as tf.Tensor).dataSync();
        const b = (rebuilt.model.predict(x) as tf.Tensor).dataSync();
        expect(b.length).toBe(a.length);
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        expect(worst).toBeLessThanOrEqual(1e-5);
        rebuilt.model.dispose();
        x.dispose();
      }
      compiled.model.dispose();
      await rm(dir, { recursive: true, force: true });
    }, 120_000);
  }

  it('reports a layer it cannot map on a placeholder node, and keeps the rest', async () => {
    const dir = path.join(scratch, 'unknown');
    const { compiled } = await roundTrip(documentFromTemplate('mlp-mnist')!, dir);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const layers = (json.modelTopology.model_config ?? json.modelTopology).config.layers as { class_name: string; config: Record<string, unknown> }[];
    const victim = layers.find((l) => l.class_name === 'Dense')!;
    victim.class_name = 'TotallyCustomLayer';
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
    const imported = await importModelFile(path.join(dir, 'model.json'));
    const placeholder = imported.document.graph.nodes.find((n) => n.kind.endsWith('TotallyCustomLayer'))!;
    expect(placeholder).toBeDefined();
    expect(imported.diagnostics).toContainEqual(expect.objectContaining({ code: 'import-layer-unknown', severity: 'error', nodeId: placeholder.id }));
    expect(imported.document.graph.nodes.length).toBe(layers.length);
    compiled.model.dispose();
  });

  it('reads frozen layers (trainable: false) and counts their weights as non-trainable, like TensorFlow.js', async () => {
    const original = documentFromTemplate('lenet5')!;
    const frozenIds = original.graph.nodes.filter((n) => n.kind === 'Conv2D').map((n) => n.id);
    for (const n of original.graph.nodes) if (frozenIds.includes(n.id)) n.trainable = false;
    const dir = path.join(scratch, 'frozen');
    const { compiled, document } = await roundTrip(original, dir);
    const tfTrainable = compiled.model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
    const totals = analyzeGraph(document.graph).totals;
    expect(totals.trainable).toBe(tfTrainable);
    expect(totals.total).toBe(compiled.model.countParams());
    expect(totals.nonTrainable).toBeGreaterThan(0);
    expect(document.graph.nodes.filter((n) => n.trainable === false).map((n) => n.id).sort()).toEqual(frozenIds.sort());
    compiled.model.dispose();
  });
});
