import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../graph-schema/infer';
import { loadDocument } from '../../graph-schema/load-save';
import { compileGraph } from '../../main/compile/compile-graph';
import { initEngine } from '../../main/engine/index';
import { onnxBytesFromModel } from '../../main/export/onnx-file';
import { importModelFile, writeImportedProject } from '../../main/import/import-model';
import { ImportError } from '../../main/import/imported-model';
import { readProjectWeights } from '../../main/import/weights-store';
import { allTemplateIds, projectTempDir, templateDocument } from '../export/export-test-utils';
import { randomizeWeights } from '../export/torch-cases';
import { runCli } from '../support/run-cli';

/**
 * ONNX import: our own exports of every template come back with the same totals and (for the small
 * ones) the same predictions, in both input layouts; a model written by onnx.helper (Debian's
 * python3-onnx, NCHW as PyTorch writes them) imports with its weights and predicts what onnxruntime does.
 */

const heavy = new Set(['alexnet', 'vgg16', 'resnet50']);
const scratch = projectTempDir('onnx-import');
beforeAll(async () => {
  await initEngine('wasm');
});
afterAll(() => scratch.remove());

async function importProject(file: string, name: string) {
  const imported = await importModelFile(file);
  const projectFile = path.join(scratch.dir, `${name}.netweave`);
  await writeImportedProject(imported, projectFile);
  const loaded = loadDocument(await readFile(projectFile, 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded));
  const weights = await readProjectWeights(projectFile, loaded.document);
  return { imported, document: loaded.document, weights };
}

function worstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(b.length).toBe(a.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('ONNX import', () => {
  for (const id of allTemplateIds) {
    const layouts: ('nhwc' | 'nchw')[] = heavy.has(id) ? ['nhwc'] : ['nhwc', 'nchw'];
    for (const layout of layouts) {
      it(`${id} (${layout}): template → ONNX → import gives the same totals${heavy.has(id) ? '' : ' and predictions'}`, async () => {
        const original = templateDocument(id);
        const { model } = compileGraph(original.graph, { seed: 7 });
        if (!heavy.has(id)) randomizeWeights(model, 5);
        const bytes = onnxBytesFromModel(original, model, { layout });
        if (!bytes.ok) throw new Error(bytes.error.message);
        const file = path.join(scratch.dir, `${id}-${layout}.onnx`);
        await writeFile(file, bytes.bytes);
        const { imported, document, weights } = await importProject(file, `${id}-${layout}`);
        expect(imported.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
        expect(analyzeGraph(document.graph).totals).toEqual(analyzeGraph(original.graph).totals);
        if (!heavy.has(id)) {
          const rebuilt = compileGraph(document.graph, { seed: 99, ...(weights ? { initialWeights: weights } : {}) });
          const x = tf.randomUniform([3, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 3);
          const a = (model.predict(x) as tf.Tensor).dataSync();
          const b = (rebuilt.model.predict(x) as tf.Tensor).dataSync();
          expect(worstDiff(a, b), id).toBeLessThanOrEqual(1e-4);
          rebuilt.model.dispose();
          x.dispose();
        }
        model.dispose();
      }, 300_000);
    }
  }

  it('imports an NCHW model written by onnx.helper (not our exporter) with its weights, predicting what onnxruntime does', async () => {
    const file = path.join(scratch.dir, 'helper.onnx');
    const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(3)
w = numpy_helper.from_array(rng.normal(0, 0.5, (4, 3, 3, 3)).astype(np.float32), 'conv_w')
b = numpy_helper.from_array(rng.normal(0, 0.1, (4,)).astype(np.float32), 'conv_b')
fw = numpy_helper.from_array(rng.normal(0, 0.3, (5, 4 * 4 * 4)).astype(np.float32), 'fc_w')
fb = numpy_helper.from_array(rng.normal(0, 0.1, (5,)).astype(np.float32), 'fc_b')
nodes = [
  helper.make_node('Conv', ['x', 'conv_w', 'conv_b'], ['c'], kernel_shape=[3, 3], pads=[1, 1, 1, 1], name='conv'),
  helper.make_node('Relu', ['c'], ['r']),
  helper.make_node('MaxPool', ['r'], ['p'], kernel_shape=[2, 2], strides=[2, 2]),
  helper.make_node('Flatten', ['p'], ['f'], axis=1),
  helper.make_node('Gemm', ['f', 'fc_w', 'fc_b'], ['g'], transB=1, name='fc'),
  helper.make_node('Softmax', ['g'], ['y'], axis=1),
]
graph = helper.make_graph(nodes, 'helper_cnn', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 3, 8, 8])],
  [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 5])], [w, b, fw, fb])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='onnx-helper')
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const { imported, document, weights } = await importProject(file, 'helper');
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(document.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    const conv = document.graph.nodes.find((n) => n.kind === 'Conv2D')!;
    expect(conv.params).toMatchObject({ filters: 4, padding: 'same', activation: 'relu' });
    expect(document.graph.nodes.find((n) => n.kind === 'Input')!.params).toEqual({ shape: [8, 8, 3] });
    expect(analyzeGraph(document.graph).totals.total).toBe(4 * 27 + 4 + 64 * 5 + 5);
    const rebuilt = compileGraph(document.graph, { seed: 1, initialWeights: weights! });
    const nchw = tf.randomUniform([2, 3, 8, 8], -1, 1, 'float32', 9);
    const session = await ort.InferenceSession.create(await readFile(file));
    const expected = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(nchw.dataSync()), [2, 3, 8, 8]) })).y!.data as Float32Array;
    await session.release();
    const got = (rebuilt.model.predict(tf.transpose(nchw, [0, 2, 3, 1])) as tf.Tensor).dataSync();
    expect(worstDiff(expected, got)).toBeLessThanOrEqual(1e-5);
    rebuilt.model.dispose();
  }, 120_000);

  it('maps ConvTranspose (Keras same, U-Net valid, and PyTorch padding=1 + output_padding=1 as valid + Cropping2D) and nearest Resize to UpSampling2D, predicting what onnxruntime does', async () => {
    const file = path.join(scratch.dir, 'upsampling.onnx');
    const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(11)
def t(name, shape):
  return numpy_helper.from_array(rng.uniform(-0.5, 0.5, shape).astype(np.float32), name)
inits = [t('a_w', (3, 4, 3, 3)), t('a_b', (4,)), t('b_w', (4, 2, 3, 3)), t('b_b', (2,)), t('c_w', (2, 3, 2, 2)),
  numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), 'up2'), numpy_helper.from_array(np.array([1, 1, 2, 3], np.float32), 'up23')]
nodes = [
  helper.make_node('ConvTranspose', ['x', 'a_w', 'a_b'], ['a'], kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1], name='keras_same'),
  helper.make_node('Relu', ['a'], ['ar']),
  helper.make_node('ConvTranspose', ['ar', 'b_w', 'b_b'], ['b'], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1], name='torch_style'),
  helper.make_node('Resize', ['b', '', 'up2'], ['r1'], mode='nearest'),
  helper.make_node('Resize', ['r1', '', 'up23'], ['r2'], mode='nearest', coordinate_transformation_mode='asymmetric', nearest_mode='floor'),
  helper.make_node('ConvTranspose', ['r2', 'c_w'], ['y'], kernel_shape=[2, 2], strides=[2, 2], name='unet_up'),
]
graph = helper.make_graph(nodes, 'up', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 3, 3, 2])],
  [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 3, 96, 96])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const { imported, document, weights } = await importProject(file, 'upsampling');
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(document.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Conv2DTranspose', 'Conv2DTranspose', 'Cropping2D', 'UpSampling2D', 'UpSampling2D', 'Conv2DTranspose']);
    const params = document.graph.nodes.map((n) => n.params);
    expect(params[1]).toMatchObject({ filters: 4, padding: 'same', outputPadding: [-1, -1], activation: 'relu' });
    expect(params[2]).toMatchObject({ filters: 2, padding: 'valid', outputPadding: [-1, -1] });
    expect(params[3]).toEqual({ heightCropping: [1, 0], widthCropping: [1, 0] });
    expect(params[4]).toEqual({ size: [2, 2], interpolation: 'nearest' });
    expect(params[5]).toEqual({ size: [2, 3], interpolation: 'nearest' });
    expect(params[6]).toMatchObject({ filters: 3, padding: 'valid', useBias: false });
    const rebuilt = compileGraph(document.graph, { seed: 1, initialWeights: weights! });
    const nchw = tf.randomUniform([2, 3, 3, 2], -1, 1, 'float32', 4);
    const session = await ort.InferenceSession.create(await readFile(file));
    const expected = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(nchw.dataSync()), [2, 3, 3, 2]) })).y!;
    await session.release();
    // 3×2 → 6×4 (same) → 12×8 (cropped) → 24×16 (nearest) → 48×48 (nearest 2×3) → 96×96 (valid).
    expect(expected.dims).toEqual([2, 3, 96, 96]);
    const got = tf.transpose(rebuilt.model.predict(tf.transpose(nchw, [0, 2, 3, 1])) as tf.Tensor, [0, 3, 1, 2]).dataSync();
    expect(worstDiff(expected.data as Float32Array, got)).toBeLessThanOrEqual(1e-4);
    rebuilt.model.dispose();
  }, 120_000);

  it('maps a linear Resize with half-pixel centres to a bilinear UpSampling2D, and refuses one without', async () => {
    const file = path.join(scratch.dir, 'linear.onnx');
    const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
s = numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), 's')
nodes = [helper.make_node('Resize', ['x', '', 's'], ['a'], mode='linear', coordinate_transformation_mode='half_pixel'),
  helper.make_node('Resize', ['x', '', 's'], ['b'], mode='linear', coordinate_transformation_mode='align_corners')]
graph = helper.make_graph(nodes, 'g', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 2, 4, 4])],
  [helper.make_tensor_value_info('a', TensorProto.FLOAT, None), helper.make_tensor_value_info('b', TensorProto.FLOAT, None)], [s])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const imported = await importModelFile(file);
    const up = imported.document.graph.nodes.filter((n) => n.kind === 'UpSampling2D');
    expect(up.map((n) => n.params)).toEqual([{ size: [2, 2], interpolation: 'bilinear' }]);
    expect(imported.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join(' ')).toMatch(/align_corners has no Keras equivalent/);
  }, 60_000);

  it('refuses a ConvTranspose it cannot express with a placeholder naming why, and a Resize by a fraction', async () => {
    const file = path.join(scratch.dir, 'grouped.onnx');
    const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
w = numpy_helper.from_array(np.ones((4, 1, 3, 3), np.float32), 'w')
s = numpy_helper.from_array(np.array([1, 1, 1.5, 1.5], np.float32), 's')
nodes = [helper.make_node('ConvTranspose', ['x', 'w'], ['a'], kernel_shape=[3, 3], group=2),
  helper.make_node('Resize', ['x', '', 's'], ['y'], mode='nearest')]
graph = helper.make_graph(nodes, 'g', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 4, 4, 4])],
  [helper.make_tensor_value_info('a', TensorProto.FLOAT, None), helper.make_tensor_value_info('y', TensorProto.FLOAT, None)], [w, s])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const imported = await importModelFile(file);
    const errors = imported.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join(' | ');
    expect(errors).toMatch(/group > 1/);
    expect(errors).toMatch(/not an UpSampling2D/);
    expect(imported.document.graph.nodes.filter((n) => n.kind.startsWith('Unmapped:')).map((n) => n.kind).sort()).toEqual(['Unmapped:ConvTranspose', 'Unmapped:Resize']);
  }, 60_000);

  // fc_w and flat are written as float_data / int64_data (negative varints), the others as raw_data.
  it('maps the common CNN operator set of an NCHW model (Pad, depthwise Conv, BatchNormalization, Relu, AveragePool, Concat, GlobalAveragePool, Reshape, Dropout, MatMul+Add)', async () => {
    const file = path.join(scratch.dir, 'ops.onnx');
    const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(5)
def t(name, shape, lo=-0.5, hi=0.5):
  return numpy_helper.from_array(rng.uniform(lo, hi, shape).astype(np.float32), name)
inits = [t('dw_w', (4, 1, 3, 3)), t('bn_s', (4,), 0.5, 1.5), t('bn_b', (4,)), t('bn_m', (4,)), t('bn_v', (4,), 0.5, 1.5),
  t('pw_w', (6, 4, 1, 1)), t('pw_b', (6,)), t('side_w', (2, 4, 1, 1)), t('side_b', (2, 1, 1)), helper.make_tensor('fc_w', TensorProto.FLOAT, [8, 3], rng.uniform(-0.5, 0.5, 24).tolist()), t('fc_b', (3,)),
  numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), 'pads'),
  numpy_helper.from_array(np.array(0, np.float32), 'lo'), numpy_helper.from_array(np.array(6, np.float32), 'hi'),
  helper.make_tensor('flat', TensorProto.INT64, [2], [0, -1]), numpy_helper.from_array(np.array(0.3, np.float32), 'ratio')]
nodes = [
  helper.make_node('Pad', ['x', 'pads'], ['padded']),
  helper.make_node('Conv', ['padded', 'dw_w'], ['dw'], kernel_shape=[3, 3], group=4),
  helper.make_node('BatchNormalization', ['dw', 'bn_s', 'bn_b', 'bn_m', 'bn_v'], ['bn'], epsilon=1e-3),
  helper.make_node('Relu', ['bn'], ['r6']),
  helper.make_node('Conv', ['r6', 'pw_w', 'pw_b'], ['pw'], kernel_shape=[1, 1]),
  helper.make_node('AveragePool', ['x'], ['avg'], kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=0),
  helper.make_node('Conv', ['avg', 'side_w'], ['side_nb'], kernel_shape=[1, 1]),
  helper.make_node('Add', ['side_nb', 'side_b'], ['side']),
  helper.make_node('Concat', ['pw', 'side'], ['cat'], axis=1),
  helper.make_node('GlobalAveragePool', ['cat'], ['gap']),
  helper.make_node('Reshape', ['gap', 'flat'], ['vec']),
  helper.make_node('Dropout', ['vec', 'ratio'], ['drop']),
  helper.make_node('MatMul', ['drop', 'fc_w'], ['mm']),
  helper.make_node('Add', ['mm', 'fc_b'], ['logits']),
  helper.make_node('Tanh', ['logits'], ['y']),
]
graph = helper.make_graph(nodes, 'ops', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 4, 6, 6])],
  [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 3])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const { imported, document, weights } = await importProject(file, 'ops');
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(document.graph.nodes.map((n) => n.kind).sort()).toEqual(
      ['Input', 'ZeroPadding2D', 'DepthwiseConv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'AveragePooling2D', 'Conv2D', 'Concatenate', 'GlobalAveragePooling2D', 'Dropout', 'Dense'].sort(),
    );
    expect(document.graph.nodes.find((n) => n.kind === 'Activation')!.params).toEqual({ activation: 'relu' });
    expect(document.graph.nodes.find((n) => n.kind === 'Dense')!.params).toMatchObject({ units: 3, useBias: true, activation: 'tanh' });
    const rebuilt = compileGraph(document.graph, { seed: 1, initialWeights: weights! });
    const nchw = tf.randomUniform([2, 4, 6, 6], -1, 1, 'float32', 4);
    const session = await ort.InferenceSession.create(await readFile(file));
    const expected = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(nchw.dataSync()), [2, 4, 6, 6]) })).y!.data as Float32Array;
    await session.release();
    const got = (rebuilt.model.predict(tf.transpose(nchw, [0, 2, 3, 1])) as tf.Tensor).dataSync();
    expect(worstDiff(expected, got)).toBeLessThanOrEqual(1e-5);
    rebuilt.model.dispose();
  }, 120_000);

  it('LeakyRelu, Clip(0, 6) and the element-wise Mul / Max of two values come in as LeakyReLU, ReLU6, Multiply and Maximum layers', async () => {
    const file = path.join(scratch.dir, 'merge.onnx');
    const script = `
import sys, onnx, numpy as np
from onnx import helper, TensorProto, numpy_helper
inits = [numpy_helper.from_array(np.array(0, np.float32), 'lo'), numpy_helper.from_array(np.array(6, np.float32), 'hi')]
nodes = [helper.make_node('LeakyRelu', ['x'], ['a'], alpha=0.2), helper.make_node('Sigmoid', ['x'], ['s']),
  helper.make_node('Mul', ['a', 's'], ['m']), helper.make_node('Max', ['m', 'x'], ['c']), helper.make_node('Clip', ['c', 'lo', 'hi'], ['y'])]
graph = helper.make_graph(nodes, 'g', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 6])], [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 6])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const { imported, document } = await importProject(file, 'merge');
    const kinds = document.graph.nodes.map((n) => n.kind);
    expect([...kinds].sort()).toEqual(['Activation', 'Activation', 'Input', 'LeakyReLU', 'Maximum', 'Multiply']);
    expect(document.graph.nodes.find((n) => n.kind === 'LeakyReLU')!.params.negativeSlope).toBeCloseTo(0.2, 6);
    expect(document.graph.nodes.filter((n) => n.kind === 'Activation').map((n) => n.params.activation).sort()).toEqual(['relu6', 'sigmoid']);
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // x→LeakyRelu, x→Sigmoid, x→Max, LeakyRelu→Mul, Sigmoid→Mul, Mul→Max, Max→Clip.
    expect(document.graph.edges.length).toBe(7);
  }, 60_000);

  it('an operator without a layer kind becomes a placeholder node with a diagnostic, not a crash', async () => {
    const file = path.join(scratch.dir, 'unmapped.onnx');
    const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto
nodes = [helper.make_node('Sin', ['x'], ['l']), helper.make_node('Sigmoid', ['l'], ['y'])]
graph = helper.make_graph(nodes, 'g', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 6])], [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 6])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)]), sys.argv[1])
`;
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    const imported = await importModelFile(file);
    expect(imported.document.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Unmapped:Sin', 'Activation']);
    expect(imported.diagnostics).toEqual([expect.objectContaining({ code: 'import-onnx-op-unknown', severity: 'error', nodeId: imported.document.graph.nodes[1]!.id })]);
    expect(imported.document.graph.edges.map((e) => [e.source, e.target])).toEqual([
      [imported.document.graph.nodes[0]!.id, imported.document.graph.nodes[1]!.id],
      [imported.document.graph.nodes[1]!.id, imported.document.graph.nodes[2]!.id],
    ]);
  }, 60_000);

  it('a truncated or garbage file gives a coded error', async () => {
    const original = templateDocument('lenet5');
    const { model } = compileGraph(original.graph, { seed: 7 });
    const bytes = onnxBytesFromModel(original, model);
    model.dispose();
    if (!bytes.ok) throw new Error(bytes.error.message);
    const truncated = path.join(scratch.dir, 'truncated.onnx');
    await writeFile(truncated, bytes.bytes.subarray(0, Math.floor(bytes.bytes.length / 2)));
    const garbage = path.join(scratch.dir, 'garbage.onnx');
    await writeFile(garbage, 'this is not an ONNX model at all\n');
    for (const file of [truncated, garbage]) {
      const err = await importModelFile(file).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).code).toBe('import-onnx-malformed');
    }
  }, 60_000);

  it('CLI: export lenet5 --to onnx, import, summary gives 61,706', async () => {
    const onnxFile = path.join(scratch.dir, 'cli.onnx');
    const project = path.join(scratch.dir, 'cli.netweave');
    expect((await runCli(['export', 'lenet5', '--to', 'onnx', '-o', onnxFile], { timeoutMs: 60_000 })).code).toBe(0);
    const run = await runCli(['import', onnxFile, '-o', project], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse((await runCli(['summary', project, '--json'])).stdout);
    expect(summary.totals.total).toBe(61706);
  }, 120_000);
});
