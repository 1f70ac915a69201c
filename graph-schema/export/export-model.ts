import type { NetweaveDocument, TrainingSettings } from '../document';
import { flattenGraph } from '../flatten-graph';
import { buildBlocker } from '../graph-readiness';
import type { GraphTotals } from '../infer';
import { analyzeGraph, analyzeLayer } from '../infer';
import type { ParamCount } from '../layer-def';
import type { LayerParams } from '../params';
import { getLayerDef } from '../registry';
import type { Shape } from '../shape';
import { IdentifierAllocator } from './identifiers';

/** One primitive layer as every code emitter sees it: names, config, shapes, counts. */
export interface ExportLayer {
  /** Layer name in the built model; equal to the one compileGraph gives it. */
  name: string;
  /** Identifier of its output tensor in generated code. */
  variable: string;
  kind: string;
  /** Keras / TensorFlow.js class name and camelCase config. */
  className: string;
  config: Record<string, unknown>;
  params: LayerParams;
  /** Names of the input layers, in order. */
  inputs: string[];
  inputShapes: Shape[];
  outputShape: Shape;
  paramCount: ParamCount;
  nodeId: string;
  /** Set for layers of a composite block's expansion. */
  block?: ExportBlock;
  /** What the layer does in a few words, e.g. "6 @ 5×5, same, relu". */
  description: string;
}

export interface ExportBlock {
  nodeId: string;
  kind: string;
  label: string;
  description: string;
  outputShape: Shape;
  paramCount: ParamCount;
}

export interface ExportModel {
  /** The document's name, for comments. */
  title: string;
  /** Identifier-safe model name. */
  modelName: string;
  layers: ExportLayer[];
  byName: Map<string, ExportLayer>;
  /** Names of the input and output layers. */
  inputs: string[];
  outputs: string[];
  totals: GraphTotals;
  training: TrainingSettings;
}

export type PrepareResult = { ok: true; model: ExportModel } | { ok: false; error: { code: 'graph-invalid'; message: string; nodeId?: string } };

/**
 * Analyses a document and lays out what every exporter needs. Refuses a graph
 * with errors, naming the first node at fault.
 */
export function prepareExport(document: NetweaveDocument): PrepareResult {
  const analysis = analyzeGraph(document.graph);
  const firstError = buildBlocker(analysis);
  if (firstError) {
    return {
      ok: false,
      error: {
        code: 'graph-invalid',
        message: `The graph cannot be exported: ${firstError.message}${firstError.nodeId ? ` (node ${firstError.nodeId})` : ''}`,
        ...(firstError.nodeId ? { nodeId: firstError.nodeId } : {}),
      },
    };
  }
  if (analysis.outputs.length === 0) {
    return { ok: false, error: { code: 'graph-invalid', message: 'The graph cannot be exported: it has no output layer. Add a final layer.' } };
  }
  const labels = new Map(document.graph.nodes.filter((n) => n.label).map((n) => [n.id, n.label!]));
  const primitives = flattenGraph(analysis, labels);
  const frozen = new Set(document.graph.nodes.filter((n) => n.trainable === false).map((n) => n.id));
  const identifiers = new IdentifierAllocator();
  const shapes = new Map<string, Shape>();
  const layers: ExportLayer[] = [];
  const blocks = new Map<string, ExportBlock>();
  for (const layer of primitives.layers) {
    const def = getLayerDef(layer.kind)!;
    const inputShapes = layer.inputs.map((n) => shapes.get(n)!);
    // Inner layers of a block carry no shape of their own: infer them the way the analysis does.
    const outcome = analyzeLayer(def, layer.params, inputShapes);
    const outputShape = outcome.shape ?? layer.outputShape;
    if (!outputShape) {
      return { ok: false, error: { code: 'graph-invalid', message: `The shape of layer ${layer.name} cannot be inferred.`, nodeId: layer.nodeId } };
    }
    shapes.set(layer.name, outputShape);
    const node = analysis.nodes.get(layer.nodeId)!;
    let block: ExportBlock | undefined;
    if (layer.blockLabel !== undefined) {
      block = blocks.get(layer.nodeId);
      if (!block) {
        const blockDef = getLayerDef(node.kind)!;
        block = {
          nodeId: layer.nodeId,
          kind: node.kind,
          label: layer.blockLabel,
          description: blockDef.describe(node.params),
          outputShape: node.outputShape!,
          paramCount: node.paramCount,
        };
        blocks.set(layer.nodeId, block);
      }
    }
    // A user's label names the variable; otherwise the layer name (node id, or block id + part) does.
    const userLabel = block ? undefined : labels.get(layer.nodeId);
    layers.push({
      name: layer.name,
      variable: identifiers.allocate(userLabel ?? layer.name),
      kind: layer.kind,
      className: layer.keras.className,
      // A frozen node (or block) exports its layers as Keras' trainable=False.
      config: frozen.has(layer.nodeId) ? { ...layer.keras.config, trainable: false } : layer.keras.config,
      params: outcome.params,
      inputs: layer.inputs,
      inputShapes,
      outputShape,
      paramCount: outcome.count,
      nodeId: layer.nodeId,
      ...(block ? { block } : {}),
      description: describeLayer(layer.kind, outcome.params, block ? layer.label : undefined),
    });
  }
  return {
    ok: true,
    model: {
      title: document.name,
      modelName: identifiers.allocate(document.name || 'netweave_model'),
      layers,
      byName: new Map(layers.map((l) => [l.name, l])),
      inputs: primitives.inputs,
      outputs: primitives.outputs,
      totals: analysis.totals,
      training: document.training,
    },
  };
}

function describeLayer(kind: string, params: LayerParams, innerLabel: string | undefined): string {
  const def = getLayerDef(kind)!;
  const detail = def.describe(params);
  const what = innerLabel ?? def.label;
  return detail ? `${what}: ${detail}` : what;
}
