import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument, saveDocument } from '../../graph-schema/load-save';
import { defaultParams } from '../../graph-schema/params';
import { layerKindNames, layerRegistry } from '../../graph-schema/registry';

// Every registered kind survives save → load with its parameters and its figures unchanged.
describe.each(layerKindNames.filter((k) => k !== 'Input'))('%s', (kind) => {
  it('round-trips through save and load', () => {
    const def = layerRegistry[kind];
    const params = defaultParams(def.params) as Record<string, unknown>;
    const image = ['Dense', 'Dropout', 'Activation', 'BatchNormalization', 'Flatten', 'Reshape'].includes(kind) ? [4, 4, 2] : [16, 16, 8];
    const shape = kind === 'Reshape' ? [784] : image;
    const inputs = Math.max(def.inputs.min, 1);
    const nodes = [
      { id: 'in', kind: 'Input', params: { shape }, position: { x: 0, y: 0 } },
      { id: 'layer', kind, label: `my ${kind}`, params, position: { x: 12.5, y: 80 } },
    ];
    const edges = Array.from({ length: inputs }, (_, i) => ({ id: `e${i}`, source: 'in', sourcePort: 'out', target: 'layer', targetPort: 'in' }));
    const doc = createDocument({ nodes, edges }, `${kind} probe`);
    const loaded = loadDocument(saveDocument(doc));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.warnings).toEqual([]);
    expect(loaded.document.graph).toEqual(doc.graph);
    const before = analyzeGraph(doc.graph);
    const after = analyzeGraph(loaded.document.graph);
    expect(before.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(after.nodes.get('layer')!.outputShape).toEqual(before.nodes.get('layer')!.outputShape);
    expect(after.totals).toEqual(before.totals);
  });
});
