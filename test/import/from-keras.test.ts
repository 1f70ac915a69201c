import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { freezeUpTo, nodesUpTo, setTrainable } from '../../graph-schema/edit/freeze-edits';
import { snakeCase } from '../../graph-schema/kinds/keras-config-read';
import { resolveParams } from '../../graph-schema/params';
import { layerRegistry } from '../../graph-schema/registry';
import { documentFromTemplate } from '../../main/cli/resolve-graph-source';

const snake = (config: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(config).map(([k, v]) => [snakeCase(k), v]));
const primitives = Object.values(layerRegistry).filter((def) => def.keras);

describe('fromKeras is the inverse of keras()', () => {
  it('every primitive kind defines fromKeras', () => {
    expect(primitives.filter((def) => !def.fromKeras).map((d) => d.kind)).toEqual([]);
  });
  for (const def of primitives) {
    it(`${def.kind}: defaults and the template's own params come back, camelCase and snake_case`, () => {
      const samples = [resolveParams(def.params, {}).params];
      for (const t of ['lenet5', 'resnet18', 'googlenet', 'mlp-mnist']) {
        for (const n of documentFromTemplate(t)!.graph.nodes) if (n.kind === def.kind) samples.push(resolveParams(def.params, n.params).params);
      }
      for (const params of samples) {
        const { className, config } = def.keras!(params as never);
        const plain = JSON.parse(JSON.stringify(params));
        expect(def.fromKeras!(className, config)).toEqual({ params: plain });
        expect(def.fromKeras!(className, snake(config))).toEqual({ params: plain });
      }
    });
  }
  it('refuses what has no equivalent, with a code', () => {
    expect(layerRegistry.Conv2D.fromKeras!('Conv2D', { filters: 8, kernel_size: 3, data_format: 'channels_first' })).toEqual({ problem: expect.objectContaining({ code: 'keras-channels-first' }) });
    expect(layerRegistry.Dense.fromKeras!('Dense', { units: 3, activation: 'gelu_fancy' })).toEqual({ problem: expect.objectContaining({ code: 'keras-activation-unsupported' }) });
    expect(layerRegistry.Conv2D.fromKeras!('Conv2D', { filters: 8, kernel_size: 3, groups: 2 })).toEqual({ problem: expect.objectContaining({ code: 'keras-option-unsupported' }) });
    expect(layerRegistry.Input.fromKeras!('InputLayer', { batch_shape: [null, null, 3] })).toEqual({ problem: expect.objectContaining({ code: 'keras-input-shape-unknown' }) });
    // Keras' shorthands: an int for a pair, pool strides defaulting to the pool size.
    expect(layerRegistry.MaxPooling2D.fromKeras!('MaxPooling2D', { pool_size: 3 })).toEqual({ params: { poolSize: [3, 3], strides: [3, 3], padding: 'valid' } });
  });
});

describe('freeze edits', () => {
  it('freezes a selection, everything up to a node, and unfreezes', () => {
    const doc = documentFromTemplate('lenet5')!;
    const ids = doc.graph.nodes.map((n) => n.id);
    const middle = ids[3]!;
    const upTo = nodesUpTo(doc, middle);
    expect(upTo).toContain(ids[0]);
    expect(upTo).toContain(middle);
    expect(upTo).not.toContain(ids.at(-1));
    expect(freezeUpTo(doc, middle)).toBe(upTo.length);
    expect(doc.graph.nodes.filter((n) => n.trainable === false).map((n) => n.id)).toEqual(upTo);
    expect(setTrainable(doc, [middle], true)).toBe(1);
    expect(doc.graph.nodes.find((n) => n.id === middle)!.trainable).toBeUndefined();
    expect(setTrainable(createDocument({ nodes: [], edges: [] }), ['x'], false)).toBe(0);
  });
});
