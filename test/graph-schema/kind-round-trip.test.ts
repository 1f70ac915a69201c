import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument, saveDocument } from '../../graph-schema/load-save';
import { defaultParams } from '../../graph-schema/params';
import { layerKindNames, layerRegistry } from '../../graph-schema/registry';

/** Input shapes (batch left out) a kind is tried on, most kinds' natural one first. */
const probeInputs: readonly number[][] = [[16, 16, 8], [4, 4, 2], [784], [8, 6], [16, 8]];

function probeGraph(kind: string, params: Record<string, unknown>, shape: number[], inputs: number) {
  const nodes = [
    { id: 'in', kind: 'Input', params: { shape }, position: { x: 0, y: 0 } },
    { id: 'layer', kind, label: `my ${kind}`, params, position: { x: 12.5, y: 80 } },
  ];
  const edges = Array.from({ length: inputs }, (_, i) => ({ id: `e${i}`, source: 'in', sourcePort: 'out', target: 'layer', targetPort: 'in' }));
  return { nodes, edges };
}

// Every registered kind survives save → load with its parameters and its figures unchanged.
describe.each(layerKindNames.filter((k) => k !== 'Input'))('%s', (kind) => {
  it('round-trips through save and load', () => {
    const def = layerRegistry[kind];
    const params = defaultParams(def.params) as Record<string, unknown>;
    const inputs = Math.max(def.inputs.min, 1);
    // The first probe input the kind accepts with its default parameters (no hand-kept list of kinds).
    const probe = probeInputs.find((shape) => analyzeGraph(probeGraph(kind, params, shape, inputs)).diagnostics.every((d) => d.severity !== 'error'));
    expect(probe, `${kind} accepts none of the probe inputs with its default parameters: add one to probeInputs`).toBeDefined();
    const { nodes, edges } = probeGraph(kind, params, probe!, inputs);
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
