import { featureAxis } from '../../kinds/common';
import type { ExportLayer, ExportModel } from '../export-model';
import { attr } from './onnx-graph-builder';
import type { OnnxLayerContext, OnnxLayout, OnnxTranslation, OnnxValue } from './onnx-table';
import type { TrainingOnlyLayer } from './onnx-training-step';

/** ONNX translations of PReLU, LayerNormalization, Embedding, GaussianNoise and SpatialDropout2D (opset 13). */

const native = (): OnnxLayout => 'native';

/** PRelu with Keras' alpha (the input's channels-last shape, 1 on shared axes), which broadcasts from the right. */
export const onnxPrelu: OnnxTranslation = {
  inputLayout: native,
  forward: (_layer, c) => ({ name: c.b.op('PRelu', [c.inputs[0]!.name, c.weight('alpha', 'as-is')], {}, c.base), layout: 'native' }),
};

/**
 * LayerNormalization is an op from opset 17 on; at opset 13 it is written out as Keras computes it:
 * (x − mean) / √(variance + ε) · γ + β, the statistics over the axis of each example.
 */
export const onnxLayerNormalization: OnnxTranslation = {
  inputLayout: native,
  forward: (layer: ExportLayer, c: OnnxLayerContext): OnnxValue => {
    const b = c.b;
    const x = c.inputs[0]!.name;
    const rank = layer.outputShape.length;
    const axis = featureAxis(c.p.axis as number, rank)!;
    const size = layer.outputShape[axis] as number;
    const axes = { axes: attr.ints([axis]), keepdims: attr.int(1) };
    const mean = b.op('ReduceMean', [x], axes, `${c.base}_mean`);
    const centered = b.op('Sub', [x, mean], {}, `${c.base}_centered`);
    const variance = b.op('ReduceMean', [b.op('Mul', [centered, centered], {}, `${c.base}_squared`)], axes, `${c.base}_variance`);
    const std = b.op('Sqrt', [b.op('Add', [variance, b.addScalar(`${c.base}_epsilon`, c.p.epsilon as number)], {}, `${c.base}_variance_eps`)], {}, `${c.base}_std`);
    const last = !c.p.scale && !c.p.center;
    let out = b.op('Div', [centered, std], {}, last ? c.base : `${c.base}_normed`);
    // γ and β run along the axis: shaped (C, 1, …, 1) so they broadcast onto it.
    const along = (weight: string, name: string): string =>
      axis === rank - 1 ? weight : b.op('Reshape', [weight, b.addInt64(`${c.base}_${name}_shape`, [size, ...new Array<number>(rank - 1 - axis).fill(1)])], {}, `${c.base}_${name}`);
    if (c.p.scale) out = b.op('Mul', [out, along(c.weight('gamma', 'as-is'), 'gamma')], {}, c.p.center ? `${c.base}_scaled` : c.base);
    if (c.p.center) out = b.op('Add', [out, along(c.weight('beta', 'as-is'), 'beta')], {}, c.base);
    return { name: out, layout: 'native' };
  },
};

/** Ids arrive as float values (every graph input is float, as in the app); cast to int64 and gathered from the table. */
export const onnxEmbedding: OnnxTranslation = {
  inputLayout: native,
  forward: (_layer, c) => {
    // TensorFlow.js and Keras cast the float ids to integers (toward zero), as Cast does.
    const ids = c.b.op('Cast', [c.inputs[0]!.name], { to: attr.int(7) }, `${c.base}_ids`);
    return { name: c.b.op('Gather', [c.weight('embeddings', 'as-is'), ids], { axis: attr.int(0) }, c.base), layout: 'native' };
  },
};

/** Noise is added while training only: at inference GaussianNoise passes its input through. */
export const onnxGaussianNoise: OnnxTranslation = {
  inputLayout: () => 'any',
  forward: (_layer, c) => ({ name: c.b.op('Identity', [c.inputs[0]!.name], {}, c.base), layout: c.inputs[0]!.layout }),
};

/** Dropout is used while training only: at inference SpatialDropout2D passes its input through. */
export const onnxSpatialDropout2D: OnnxTranslation = {
  inputLayout: () => 'any',
  forward: (_layer, c) => ({ name: c.b.op('Identity', [c.inputs[0]!.name], {}, c.base), layout: c.inputs[0]!.layout }),
};

/**
 * The layers that are Identities in the ONNX graph but act while training (GaussianNoise, SpatialDropout2D),
 * by their output value, for the training step to rewrite.
 */
export function onnxTrainingOnlyLayers(model: ExportModel, layerOutputs: ReadonlyMap<string, string>, layerLayouts: ReadonlyMap<string, OnnxLayout>): Map<string, TrainingOnlyLayer> {
  const found = new Map<string, TrainingOnlyLayer>();
  for (const layer of model.layers) {
    const value = layerOutputs.get(layer.name);
    if (!value) continue;
    if (layer.kind === 'GaussianNoise') found.set(value, { kind: 'gaussian-noise', stddev: Number(layer.params.stddev) });
    if (layer.kind === 'SpatialDropout2D') found.set(value, { kind: 'channel-dropout', rate: Number(layer.params.rate), channelAxis: layerLayouts.get(layer.name) === 'nchw' ? 1 : 3 });
  }
  return found;
}
