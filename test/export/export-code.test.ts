import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeTargets, exportCode, exportFileName, findUnsupported } from '../../graph-schema/export/export-code';
import { prepareExport } from '../../graph-schema/export/export-model';
import { toTorchLayout } from '../../graph-schema/export/torch-weights-plan';
import { importTypescript, projectTempDir, python, runPythonJson, templateDocument, torchStatus, typecheckStrict } from './export-test-utils';
import { documentOf } from './torch-cases';

const scratch = projectTempDir('export-code');
afterAll(() => scratch.remove());

describe('exportCode', () => {
  it('reports a graph with errors as graph-invalid, naming the node at fault, for every target', () => {
    const document = documentOf('broken', [
      { id: 'in', kind: 'Input', params: { shape: [4, 4, 1] } },
      { id: 'too_big', kind: 'Conv2D', params: { filters: 2, kernelSize: [7, 7] } },
      { id: 'flat', kind: 'Flatten' },
    ]);
    for (const target of codeTargets) {
      const result = exportCode(document, target);
      expect(result).toMatchObject({ ok: false, error: { code: 'graph-invalid', nodeId: 'too_big' } });
      if (!result.ok) expect(result.error.message).toMatch(/too_big/);
    }
    const inputOnly = documentOf('input only', [{ id: 'in', kind: 'Input', params: { shape: [3] } }]);
    expect(exportCode(inputOnly, 'ts')).toMatchObject({ ok: false, error: { code: 'graph-invalid' } });
  });

  it('names the node and the target of a layer kind the target cannot express', () => {
    const prepared = prepareExport(templateDocument('lenet5'));
    if (!prepared.ok) throw new Error(prepared.error.message);
    const conv = prepared.model.layers.find((l) => l.name === 'conv2')!;
    conv.kind = 'LocallyConnected2D';
    for (const [target, name] of [
      ['ts', 'TypeScript (TensorFlow.js)'],
      ['pytorch', 'PyTorch'],
      ['keras', 'Python Keras'],
    ] as const) {
      const error = findUnsupported(prepared.model, target);
      expect(error).toMatchObject({ code: 'export-unsupported', nodeId: 'conv2' });
      expect(error!.message).toContain(name);
      expect(error!.message).toContain('LocallyConnected2D');
    }
  });

  it.each(['hard_sigmoid', 'hard_swish'] as const)('exports %s to PyTorch and Keras, and the TypeScript export says why not', (activation) => {
    const document = documentOf(activation, [
      { id: 'in', kind: 'Input', params: { shape: [6] } },
      { id: 'out', kind: 'Dense', params: { units: 3, activation } },
    ]);
    const ts = exportCode(document, 'ts');
    expect(ts.ok).toBe(false);
    if (!ts.ok) {
      expect(ts.error).toMatchObject({ code: 'export-unsupported', nodeId: 'out' });
      expect(ts.error.message).toMatch(/Keras 3|no hard_swish/);
      expect(ts.error.message).toMatch(/export to PyTorch or Keras/);
    }
    const torch = exportCode(document, 'pytorch');
    expect(torch.ok && torch.code).toContain(activation === 'hard_sigmoid' ? 'F.hardsigmoid(' : 'F.hardswish(');
    const keras = exportCode(document, 'keras');
    expect(keras.ok && keras.code).toContain(`activation="${activation}"`);
  });

  it('PyTorch hardsigmoid and hardswish are Keras 3 hard_sigmoid and hard_swish: relu6(x + 3) / 6 and x · relu6(x + 3) / 6', () => {
    const torch = torchStatus();
    if (!torch.available) {
      console.info(`not checked: ${torch.reason}`);
      return;
    }
    const xs = [-5, -3, -2.5, -1, -0.2, 0, 0.4, 1, 2.9, 3, 4.5];
    const script = `import json, torch, torch.nn.functional as F\nx = torch.tensor(${JSON.stringify(xs)})\nprint(json.dumps([F.hardsigmoid(x).tolist(), F.hardswish(x).tolist()]))`;
    const [sigmoid, swish] = JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8' })) as [number[], number[]];
    const relu6 = (v: number): number => Math.min(Math.max(v, 0), 6);
    xs.forEach((x, i) => {
      expect(sigmoid[i]).toBeCloseTo(relu6(x + 3) / 6, 6);
      expect(swish[i]).toBeCloseTo((x * relu6(x + 3)) / 6, 6);
    });
  });

  it('refuses training code for a model with two outputs, naming the extra output', () => {
    const document = documentOf('two outputs', [
      { id: 'in', kind: 'Input', params: { shape: [4] } },
      { id: 'a', kind: 'Dense', params: { units: 2 } },
      { id: 'b', kind: 'Dense', params: { units: 3 }, from: ['in'] },
    ]);
    expect(exportCode(document, 'pytorch').ok).toBe(true);
    expect(exportCode(document, 'pytorch', { includeTraining: true })).toMatchObject({ ok: false, error: { code: 'export-unsupported', nodeId: 'b' } });
  });

  it('is a pure function of the document: the same code twice, the document untouched', () => {
    const document = templateDocument('resnet18');
    const before = JSON.stringify(document);
    for (const target of codeTargets) {
      const first = exportCode(document, target, { includeTraining: true });
      const second = exportCode(document, target, { includeTraining: true });
      expect(first).toEqual(second);
    }
    expect(JSON.stringify(document)).toBe(before);
  });

  it('file names come from the document name', () => {
    const document = templateDocument('lenet5');
    expect(exportFileName(document, 'ts')).toBe('lenet_5_modern_variant.ts');
    expect(exportFileName(document, 'pytorch')).toBe('lenet_5_modern_variant.py');
    expect(exportFileName(document, 'keras')).toBe('lenet_5_modern_variant_keras.py');
    const result = exportCode(document, 'keras');
    expect(result.ok && result.fileName).toBe('lenet_5_modern_variant_keras.py');
  });

  it('turns awkward labels and ids into valid, unique identifiers in TypeScript and Python', async () => {
    const document = documentOf('labels', [
      { id: 'in', kind: 'Input', params: { shape: [6] } },
      { id: 'class', kind: 'Dense', params: { units: 3 } },
      { id: '3x3', kind: 'Dense', params: { units: 3 } },
      { id: 'for', kind: 'Dense', params: { units: 3 } },
      { id: 'n-1', kind: 'Dense', params: { units: 3 } },
      { id: 'n_1', kind: 'Dense', params: { units: 3 } },
      { id: 'forward', kind: 'Dense', params: { units: 3 } },
      { id: 'self', kind: 'Dropout', params: { rate: 0.1 } },
      { id: 'train', kind: 'Dense', params: { units: 2 } },
    ]);
    const labels: Record<string, string> = { '3x3': 'Conv 3×3 (wide)', for: 'conv 3×3 wide', class: 'class' };
    for (const node of document.graph.nodes) if (labels[node.id]) node.label = labels[node.id];
    const ts = exportCode(document, 'ts');
    const torch = exportCode(document, 'pytorch', { includeTraining: true });
    const keras = exportCode(document, 'keras');
    if (!ts.ok || !torch.ok || !keras.ok) throw new Error('export failed');
    const declared = [...ts.code.matchAll(/const (\w+) = /g)].map((m) => m[1]!);
    expect(new Set(declared).size).toBe(declared.length);
    expect(declared).toContain('class_tensor');
    expect(declared).toContain('conv_3_3_wide');
    expect(declared).toContain('conv_3_3_wide_2');
    const file = path.join(scratch.dir, 'labels.ts');
    writeFileSync(file, ts.code);
    expect(typecheckStrict([file])).toEqual([]);
    const model = (await importTypescript<{ buildModel(): tf.LayersModel }>(file)).buildModel();
    // Layer names stay those of the graph, whatever the variables are called.
    expect(model.layers.map((l) => l.name)).toEqual(['in', 'class', 'n_3x3', 'for', 'n_1', 'n_1_2', 'forward', 'self', 'train']);
    model.dispose();
    if (existsSync(python)) {
      const files = [torch, keras].map((r, i) => {
        const f = path.join(scratch.dir, `labels_${i}.py`);
        writeFileSync(f, r.code);
        return f;
      });
      const results = runPythonJson<{ ok: boolean; error?: string }[]>(path.join(import.meta.dirname, 'python-harness.py'), ['parse', ...files]);
      expect(results.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok']);
    }
  });
});

describe('weights in PyTorch layout', () => {
  // Values 0, 1, 2, … so that each position shows where it came from.
  const counting = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);

  it('conv kernel [kh, kw, in, out] → [out, in, kh, kw]', () => {
    const { shape, values } = toTorchLayout(counting(2 * 3 * 4 * 5), [2, 3, 4, 5], 'conv-kernel');
    expect(shape).toEqual([5, 4, 2, 3]);
    // torch[o][c][i][j] = keras[i][j][c][o]
    for (const [o, c, i, j] of [[0, 0, 0, 0], [4, 3, 1, 2], [2, 1, 0, 2], [1, 3, 1, 0]] as const) {
      expect(values[((o * 4 + c) * 2 + i) * 3 + j]).toBe(((i * 3 + j) * 4 + c) * 5 + o);
    }
  });

  it('depthwise kernel [kh, kw, in, multiplier] → [in · multiplier, 1, kh, kw], output channel c · multiplier + m', () => {
    const { shape, values } = toTorchLayout(counting(3 * 2 * 4 * 2), [3, 2, 4, 2], 'depthwise-kernel');
    expect(shape).toEqual([8, 1, 3, 2]);
    for (const [c, m, i, j] of [[0, 0, 0, 0], [3, 1, 2, 1], [1, 0, 1, 1], [2, 1, 0, 1]] as const) {
      expect(values[((c * 2 + m) * 3 + i) * 2 + j]).toBe(((i * 2 + j) * 4 + c) * 2 + m);
    }
  });

  it('dense kernel [in, units] → [units, in]; vectors as they are', () => {
    const dense = toTorchLayout(counting(6), [3, 2], 'dense-kernel');
    expect(dense).toEqual({ shape: [2, 3], values: Float32Array.from([0, 2, 4, 1, 3, 5]) });
    expect(toTorchLayout(counting(4), [4], 'as-is')).toEqual({ shape: [4], values: counting(4) });
  });
});
