import type { NetweaveDocument } from '../../document';
import { activationEntry, entryFor, isExpands, isUnsupported, translationFor } from '../../target-table';
import type { ExportLayer, ExportModel } from '../export-model';
import { prepareExport } from '../export-model';
import type { TfjsWeightName, TorchLayout } from '../torch-weights-plan';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import type { OnnxModel } from './onnx-proto';
import { encodeModel } from './onnx-proto';
import type { OnnxLayerContext, OnnxLayout, OnnxValue, WeightTensor } from './onnx-table';
import { onnxActivations as onnxActivationsProbe, onnxTable, onnxWeightLayout, OnnxRefusal } from './onnx-table';

/** Looks a weight up by layer name and TensorFlow.js weight name ("kernel", "moving_mean", …). */
export type WeightLookup = (layer: string, weight: TfjsWeightName) => WeightTensor | undefined;

export interface OnnxExportOptions {
  /** The layout of rank-4 inputs and outputs: 'nhwc' like the app (default) or 'nchw'. */
  layout?: 'nhwc' | 'nchw';
  /** Class names, written into metadata_props. */
  classNames?: readonly string[];
  producerVersion?: string;
  /** Called with each weight taken, so the caller can check none was left over. */
  onWeightUsed?: (layer: string, weight: TfjsWeightName) => void;
  /** Called with each weight's initializer and the layout it was moved to (the training engine maps weights both ways). */
  onWeightPlaced?: (placed: { layer: string; weight: TfjsWeightName; initializer: string; layout: TorchLayout }) => void;
}

export type OnnxExportError = { code: 'graph-invalid' | 'export-unsupported' | 'weights-mismatch'; message: string; nodeId?: string };
export type OnnxBuildResult = { ok: true; model: OnnxModel; nodesPerLayer: Map<string, number>; layerOutputs: Map<string, string>; layerLayouts: Map<string, OnnxLayout> } | { ok: false; error: OnnxExportError };

function layerWhere(layer: ExportLayer): string {
  return layer.block ? `layer ${layer.name} of block ${layer.block.label} (node ${layer.nodeId})` : `node ${layer.nodeId}`;
}

/** Every layer ONNX cannot express, refused before anything is built. */
export function onnxSupportProblem(model: ExportModel): OnnxExportError | null {
  for (const layer of model.layers) {
    const entry = entryFor(onnxTable, layer.kind);
    if (isUnsupported(entry)) {
      return { code: 'export-unsupported', message: `${layer.kind} (${layerWhere(layer)}) cannot be exported to ONNX: ${entry.unsupported}`, nodeId: layer.nodeId };
    }
    if (isExpands(entry)) return { code: 'export-unsupported', message: `${layer.kind} (${layerWhere(layer)}) was not expanded.`, nodeId: layer.nodeId };
    const activation = layer.params.activation;
    if (typeof activation === 'string') {
      const a = activationEntry(onnxActivationsProbe, activation);
      if (isUnsupported(a)) return { code: 'export-unsupported', message: `Activation ${activation} of ${layerWhere(layer)} cannot be exported to ONNX: ${a.unsupported}`, nodeId: layer.nodeId };
    }
  }
  return null;
}

/**
 * Builds the ONNX model of a document in memory: graph inputs named after the
 * input layers (batch dimension "batch"), one translation per layer from the
 * target table, graph outputs named after the output layers. Nothing is written;
 * a refusal names the node.
 */
export function buildOnnxModel(document: NetweaveDocument, weights: WeightLookup, options: OnnxExportOptions = {}): OnnxBuildResult {
  const prepared = prepareExport(document);
  if (!prepared.ok) return prepared;
  const model = prepared.model;
  const problem = onnxSupportProblem(model);
  if (problem) return { ok: false, error: problem };
  const channelsFirst = options.layout === 'nchw';
  const b = new OnnxGraphBuilder(model.modelName);
  // Graph inputs and outputs take the layers' own names; values inside get suffixes where they clash.
  const outputNames = new Map(model.outputs.map((o) => [o, b.uniqueName(o)]));
  const values = new Map<string, OnnxValue>();
  // One transposed copy per value and layout, shared by every consumer.
  const converted = new Map<string, string>();
  const inLayout = (value: OnnxValue, layout: OnnxLayout, rank: number): OnnxValue => {
    if (value.layout === layout || rank !== 4) return { name: value.name, layout: rank === 4 ? value.layout : 'native' };
    const key = `${value.name}→${layout}`;
    let name = converted.get(key);
    if (!name) {
      name = b.op('Transpose', [value.name], { perm: { type: 'ints', value: layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1] } }, `${value.name}_${layout === 'nchw' ? 'nchw' : 'nhwc'}`);
      converted.set(key, name);
    }
    return { name, layout };
  };
  const nodesPerLayer = new Map<string, number>();
  let current: ExportLayer | undefined;
  try {
    for (const layer of model.layers) {
      const translation = translationFor(onnxTable, layer.kind)!;
      current = layer;
      if (layer.kind === 'Input') {
        const shape = layer.outputShape;
        const rank4 = shape.length === 4;
        const dims = shape.slice(1).map((d) => d as number);
        const onnxDims = rank4 && channelsFirst ? ['batch', dims[2]!, dims[0]!, dims[1]!] : ['batch', ...dims];
        const name = b.addInput(layer.name, onnxDims, 'float', `${rank4 ? (channelsFirst ? 'NCHW' : 'NHWC') : 'features'} input of shape (${onnxDims.join(', ')})`);
        values.set(layer.name, { name, layout: rank4 && channelsFirst ? 'nchw' : 'native' });
        continue;
      }
      const wanted = translation.inputLayout(layer);
      const sources = layer.inputs.map((n, i) => {
        const v = values.get(n)!;
        const rank = layer.inputShapes[i]!.length;
        const first = values.get(layer.inputs[0]!)!;
        return inLayout(v, wanted === 'any' ? (layer.inputShapes[0]!.length === 4 ? first.layout : 'native') : wanted, rank);
      });
      b.currentLayer = layer.name;
      const before = b.nodes.length;
      const c: OnnxLayerContext = {
        b,
        inputs: sources,
        p: layer.params,
        base: layer.variable,
        weight: (name, layout) => {
          const tensor = weights(layer.name, name);
          if (!tensor) throw new WeightMissing(`${layerWhere(layer)} has no ${name} weight in the model; export from the model trained from this graph.`);
          options.onWeightUsed?.(layer.name, name);
          const moved = onnxWeightLayout(tensor, layout);
          const initializer = b.addInitializer(`${layer.variable}.${name}`, moved.dims, moved.values);
          options.onWeightPlaced?.({ layer: layer.name, weight: name, initializer, layout });
          return initializer;
        },
      };
      values.set(layer.name, translation.forward(layer, c));
      b.currentLayer = undefined;
      nodesPerLayer.set(layer.name, b.nodes.length - before);
    }
  } catch (err) {
    if (err instanceof OnnxRefusal) return { ok: false, error: { code: 'export-unsupported', message: `ONNX export refused for ${current ? layerWhere(current) : 'the graph'}: ${err.message}`, ...(current ? { nodeId: current.nodeId } : {}) } };
    if (err instanceof WeightMissing) return { ok: false, error: { code: 'weights-mismatch', message: err.message, ...(current ? { nodeId: current.nodeId } : {}) } };
    throw err;
  }
  for (const output of model.outputs) {
    const layer = model.byName.get(output)!;
    const rank4 = layer.outputShape.length === 4;
    const value = inLayout(values.get(output)!, rank4 && channelsFirst ? 'nchw' : 'native', layer.outputShape.length);
    const dims = layer.outputShape.slice(1).map((d) => d as number);
    const onnxDims = rank4 && channelsFirst ? ['batch', dims[2]!, dims[0]!, dims[1]!] : ['batch', ...dims];
    const name = outputNames.get(output)!;
    b.addNode('Identity', [value.name], { outputs: [name] });
    b.addOutput(name, onnxDims, 'float', `output of layer ${output}`);
  }
  const inputLayer = model.byName.get(model.inputs[0]!)!;
  const metadata: Record<string, string> = {
    'netweave.inputShape': JSON.stringify(inputLayer.outputShape.slice(1)),
    'netweave.inputLayout': inputLayer.outputShape.length === 4 ? (channelsFirst ? 'NCHW' : 'NHWC') : 'features',
    'netweave.inputs': JSON.stringify(model.inputs),
    'netweave.outputs': JSON.stringify(model.outputs),
  };
  if (options.classNames) metadata['netweave.classNames'] = JSON.stringify(options.classNames);
  return {
    ok: true,
    model: b.toModel({ producerVersion: options.producerVersion ?? '1', metadata, docString: `${model.title}, exported by Netweave` }),
    nodesPerLayer,
    // Each layer's output value (the training step's per-layer gradient norms read them).
    layerOutputs: new Map([...values].map(([layer, value]) => [layer, value.name])),
    // And its layout (which axis a 4-D value's channels are on).
    layerLayouts: new Map([...values].map(([layer, value]) => [layer, value.layout])),
  };
}

class WeightMissing extends Error {}

/** buildOnnxModel, then the bytes of the .onnx file. */
export function exportOnnx(document: NetweaveDocument, weights: WeightLookup, options: OnnxExportOptions = {}): { ok: true; bytes: Uint8Array } | { ok: false; error: OnnxExportError } {
  const built = buildOnnxModel(document, weights, options);
  if (!built.ok) return built;
  return { ok: true, bytes: encodeModel(built.model) };
}
