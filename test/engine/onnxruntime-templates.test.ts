import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../../graph-schema/templates/index';
import { encodeModel } from '../../graph-schema/export/onnx/onnx-proto';
import { compileGraph } from '../../main/compile/compile-graph';
import { OnnxStepper } from '../../main/engine/onnxruntime/onnx-stepper';
import { planTargets } from '../../main/training/losses';
import { projectTempDir, runPythonJson, templateDocument } from '../export/export-test-utils';

// Every template compiles to one training-step model (forward, backward, optimizer) that Debian's
// onnx.checker accepts (full_check) and onnxruntime runs a step of, batch 4. The ImageNet-sized
// templates (tens of millions of weights, 224×224 inputs) run one example per step: 3–10 s each
// on two cores, where a batch would take tens of seconds and gigabytes.

const checker = path.join(import.meta.dirname, '..', 'export', 'onnx-check.py');
const huge = new Set(['alexnet', 'vgg16', 'googlenet', 'resnet18', 'resnet50', 'mobilenet', 'mobilenet-v2', 'densenet121']);

/** Templates the onnxruntime engine refuses, and the words its reason must contain. */
const refused = new Map<string, string>([
  // A per-pixel output: the app's training (every engine) takes classifiers with one vector per example.
  ['unet-small', 'a classifier must output one vector per example'],
]);

const temp = projectTempDir('onnx-training-steps');
const written: { id: string; file: string }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => temp.remove());

describe('every template as an onnxruntime training step', () => {
  for (const template of templates) {
    const batch = huge.has(template.id) ? 1 : 4;
    it(`${template.id}: one step (batch ${batch}) runs, changes the weights, and the model is written for the checker`, async () => {
      const document = templateDocument(template.id);
      const model = compileGraph(document.graph, { seed: 1, forTraining: true }).model;
      try {
        const outputShape = model.outputs[0]!.shape;
        const units = outputShape[1] as number;
        const loss = units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
        const create = async () => {
          const plan = planTargets(loss, outputShape, units === 1 ? 2 : units);
          return OnnxStepper.create(document, model, { batchSize: batch, optimizer: 'sgd', loss, learningRate: 0.01, seed: 1, encoding: plan.encoding, units: plan.units });
        };
        const reason = refused.get(template.id);
        if (reason) {
          await expect(create()).rejects.toThrow(reason);
          return;
        }
        const stepper = await create();
        const inputDims = (model.inputs[0]!.shape.slice(1) as number[]);
        const size = inputDims.reduce((p, d) => p * d, 1);
        const x = Float32Array.from({ length: batch * size }, (_, i) => Math.sin(i * 0.37));
        const labels = Int32Array.from({ length: batch }, (_, i) => (units === 1 ? i % 2 : (i * 7) % units));
        // The last layer's weights: a deep plain sigmoid net's first layers get gradients of ~1e-19 (its lesson).
        const kernel = model.trainableWeights.at(-2)!;
        const before = Float32Array.from(kernel.read().dataSync() as Float32Array);
        const figures = await stepper.step(x, labels, batch);
        expect(Number.isFinite(figures.loss), `loss ${figures.loss}`).toBe(true);
        expect(figures.correct).toBeGreaterThanOrEqual(0);
        expect(figures.correct).toBeLessThanOrEqual(batch);
        stepper.writeBack();
        const after = kernel.read().dataSync() as Float32Array;
        expect(after.some((v, i) => v !== before[i]), `${kernel.name} moved`).toBe(true);
        const file = path.join(temp.dir, `${template.id}.onnx`);
        writeFileSync(file, encodeModel(stepper.trainingStep(batch)!.model));
        written.push({ id: template.id, file });
        stepper.dispose();
      } finally {
        model.dispose();
      }
    }, 180_000);
  }

  it('onnx.checker (full_check) accepts every training step written above', () => {
    expect(written.length).toBe(templates.length - refused.size);
    const results = runPythonJson<{ file: string; ok: boolean; error: string | null }[]>(checker, written.map((w) => w.file), 600_000);
    for (const [i, result] of results.entries()) expect(result.error, written[i]!.id).toBeNull();
  }, 600_000);
});
