import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tfjsCompileTable } from '../../main/compile/tfjs-compile-table';
import { kerasActivations, kerasTable } from '../../graph-schema/export/keras-table';
import { torchActivations, torchTable } from '../../graph-schema/export/torch-layers';
import { typescriptTable } from '../../graph-schema/export/typescript-table';
import { activationNames } from '../../graph-schema/kinds/common';
import { isComposite } from '../../graph-schema/layer-def';
import { layerKindNames, layerRegistry } from '../../graph-schema/registry';
import { isExpands, isUnsupported } from '../../graph-schema/target-table';
import { tfjsActivations } from '../../graph-schema/tfjs-workarounds';

const tables = { tfjs: tfjsCompileTable, ts: typescriptTable, pytorch: torchTable, keras: kerasTable } as const;

describe('target tables', () => {
  it.each(layerKindNames)('%s: every table says how, expands a block, or says why not', (kind) => {
    const def = layerRegistry[kind];
    for (const [target, table] of Object.entries(tables)) {
      const entry = table[kind];
      if (isComposite(def)) expect(isExpands(entry), `${target} should expand ${kind}`).toBe(true);
      else expect(isExpands(entry), `${target} cannot expand the primitive ${kind}`).toBe(false);
      if (isUnsupported(entry)) expect(entry.unsupported.length, `${target} gives ${kind} no reason`).toBeGreaterThan(15);
    }
  });

  it.each(layerKindNames.filter((k) => !isComposite(layerRegistry[k])))('%s: the stated TensorFlow.js factory is the compiled one and builds the Keras class', (kind) => {
    const def = layerRegistry[kind];
    const entry = tfjsCompileTable[kind];
    if (isUnsupported(entry) && def.tfjsFactory === undefined) {
      // A kind tf.layers lacks (Subtract): the compile table says why, and the kind names no factory.
      expect(typescriptTable[kind], `${kind}: the TypeScript export must refuse what TensorFlow.js cannot build`).toEqual(entry);
      return;
    }
    expect(def.tfjsFactory, `${kind} states no tfjsFactory`).toBeDefined();
    const factory = (tf.layers as unknown as Record<string, unknown>)[def.tfjsFactory!];
    expect(factory, `tf.layers has no ${def.tfjsFactory}`).toBeTypeOf('function');
    if (!isUnsupported(entry)) expect(entry).toBe(factory);
  });

  it('every activation has an entry in every activation table', () => {
    for (const table of [tfjsActivations, kerasActivations, torchActivations]) {
      expect(Object.keys(table).sort()).toEqual([...activationNames].sort());
    }
  });
});
