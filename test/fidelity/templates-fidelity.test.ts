import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../graph-schema/infer';
import { templates } from '../../graph-schema/templates/index';
import { compileGraph } from '../../main/compile/compile-graph';

// What graph-schema infers must be what TensorFlow.js builds: every node's output shape and every count.
const weightCount = (ws: tf.LayerVariable[]): number => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(templates.map((t) => [t.id, t] as const))('template %s', (_id, template) => {
  it('compiles to a TensorFlow.js model with the inferred shapes and counts', () => {
    const { graph } = template.build();
    const analysis = analyzeGraph(graph);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { model, primitives } = compileGraph(graph);
    try {
      expect(model.countParams()).toBe(analysis.totals.total);
      expect(weightCount(model.trainableWeights)).toBe(analysis.totals.trainable);
      expect(weightCount(model.nonTrainableWeights)).toBe(analysis.totals.nonTrainable);
      for (const id of analysis.order) {
        const layer = model.getLayer(primitives.nodeOutput.get(id)!);
        expect({ id, shape: layer.outputShape }).toEqual({ id, shape: analysis.nodes.get(id)!.outputShape });
      }
      // Per node, the parameters of the layers it became (a block: all of its layers).
      for (const id of analysis.order) {
        const names = primitives.layers.filter((l) => l.nodeId === id).map((l) => l.name);
        const counted = names.reduce((n, name) => n + model.getLayer(name).countParams(), 0);
        const info = analysis.nodes.get(id)!;
        expect({ id, params: counted }).toEqual({ id, params: info.paramCount.trainable + info.paramCount.nonTrainable });
      }
    } finally {
      model.dispose();
    }
  });
});

describe('published figures', () => {
  const totals = (id: string) => analyzeGraph(templates.find((t) => t.id === id)!.build().graph).totals;
  it('match Keras Applications and the references', () => {
    expect(totals('vgg16').total).toBe(138_357_544);
    expect(totals('resnet50')).toMatchObject({ total: 25_636_712, trainable: 25_583_592, nonTrainable: 53_120 });
    expect(totals('lenet5').total).toBe(61_706);
    expect(totals('mlp-mnist').total).toBe(101_770);
    expect(totals('alexnet').total).toBe(62_378_344);
    expect(totals('resnet18').trainable).toBe(11_689_512);
    expect(totals('mobilenet')).toMatchObject({ total: 4_253_864, trainable: 4_231_976, nonTrainable: 21_888 });
    expect(totals('mobilenet-v2')).toMatchObject({ total: 3_538_984, trainable: 3_504_872, nonTrainable: 34_112 });
    expect(totals('densenet121')).toMatchObject({ total: 8_062_504, trainable: 7_978_856, nonTrainable: 83_648 });
  });
});
