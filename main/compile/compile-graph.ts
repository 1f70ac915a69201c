import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../graph-schema/document';
import { flattenGraph, tfjsFactoryName } from '../../graph-schema/flatten-graph';
import type { PrimitiveGraph } from '../../graph-schema/flatten-graph';
import type { GraphAnalysis } from '../../graph-schema/infer';
import { analyzeGraph } from '../../graph-schema/infer';

export class CompileError extends Error {
  constructor(
    readonly code: 'graph-invalid' | 'compile-failed',
    message: string,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

export interface CompiledGraph {
  model: tf.LayersModel;
  analysis: GraphAnalysis;
  primitives: PrimitiveGraph;
}

export interface CompileOptions {
  /** Seeds every weight initializer, so the same graph and seed give the same initial weights. */
  seed?: number;
  name?: string;
  /** Also refuse what TensorFlow.js builds but cannot train or run correctly (BatchNormalization off the last axis or without center or scale). */
  forTraining?: boolean;
}

type LayerFactory = (config: Record<string, unknown>) => tf.layers.Layer;

function seededInitializers(className: string, seed: number): Record<string, unknown> {
  const glorot = (offset: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: seed + offset });
  switch (className) {
    case 'Conv2D':
    case 'Dense':
      return { kernelInitializer: glorot(0) };
    case 'DepthwiseConv2D':
      return { depthwiseInitializer: glorot(0) };
    case 'SeparableConv2D':
      return { depthwiseInitializer: glorot(0), pointwiseInitializer: glorot(1) };
    default:
      return {};
  }
}

/** Settings TensorFlow.js 4.22 accepts but silently ignores: refused rather than trained wrongly. */
function refuseUnsupported(className: string, config: Record<string, unknown>, nodeId: string, rank: number | undefined, forTraining: boolean): void {
  if (className === 'BatchNormalization') {
    const axis = config.axis as number | undefined;
    if (forTraining && axis !== undefined && axis !== -1 && (rank === undefined || axis !== rank - 1)) {
      throw new CompileError('compile-failed', `Node ${nodeId}: TensorFlow.js computes BatchNormalization wrongly on an axis other than the last (channels). Set its axis to -1.`);
    }
    if (forTraining && (config.center === false || config.scale === false)) {
      throw new CompileError('compile-failed', `Node ${nodeId}: TensorFlow.js cannot train BatchNormalization with center or scale turned off. Turn both on.`);
    }
  }
  const dilation = config.dilationRate as number[] | undefined;
  if (className === 'DepthwiseConv2D' && dilation && dilation.some((d) => d > 1)) {
    throw new CompileError(
      'compile-failed',
      `Node ${nodeId}: TensorFlow.js ignores dilation in DepthwiseConv2D, so it cannot train this layer as drawn. Set its dilation to 1, or use a SeparableConv2D or Conv2D with dilation.`,
    );
  }
}

/** Builds a TensorFlow.js LayersModel with the functional API; composite blocks are expanded. */
export function compileGraph(graph: Graph, options: CompileOptions = {}): CompiledGraph {
  const analysis = analyzeGraph(graph);
  const firstError = analysis.diagnostics.find((d) => d.severity === 'error');
  if (firstError) {
    throw new CompileError('graph-invalid', `The graph cannot be compiled: ${firstError.message}${firstError.nodeId ? ` (node ${firstError.nodeId})` : ''}`);
  }
  if (analysis.outputs.length === 0) throw new CompileError('graph-invalid', 'The graph has no output layer.');
  const labels = new Map(graph.nodes.filter((n) => n.label).map((n) => [n.id, n.label!]));
  const primitives = flattenGraph(analysis, labels);
  const tensors = new Map<string, tf.SymbolicTensor>();
  const factories = tf.layers as unknown as Record<string, LayerFactory>;
  try {
    primitives.layers.forEach((layer, index) => {
      if (layer.keras.className === 'InputLayer') {
        const shape = (layer.keras.config.batchInputShape as (number | null)[]).slice(1) as number[];
        tensors.set(layer.name, tf.input({ shape, name: layer.name }));
        return;
      }
      const factory = factories[tfjsFactoryName(layer.keras.className)];
      if (!factory) throw new CompileError('compile-failed', `TensorFlow.js has no layer ${layer.keras.className} (node ${layer.nodeId}).`);
      const seeded = options.seed === undefined ? {} : seededInitializers(layer.keras.className, options.seed * 1000 + index);
      // tf.layers may write into the arrays it is given (Reshape fills in -1): hand it copies.
      const config = structuredClone(layer.keras.config);
      refuseUnsupported(layer.keras.className, config, layer.nodeId, layer.outputShape?.length, options.forTraining ?? false);
      const axis = config.axis as number | undefined;
      if (layer.keras.className === 'Concatenate' && axis !== undefined && axis < -1 && layer.outputShape) {
        // TensorFlow.js joins on the last axis for any negative axis; count from the front instead.
        config.axis = layer.outputShape.length + axis;
      }
      if (layer.keras.className === 'Reshape' && layer.outputShape) {
        // TensorFlow.js keeps a -1 unresolved while the batch size is unknown; pass the inferred shape.
        config.targetShape = layer.outputShape.slice(1);
      }
      const instance = factory({ ...config, ...seeded, name: layer.name });
      const ins = layer.inputs.map((n) => tensors.get(n)!);
      const out = instance.apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor;
      tensors.set(layer.name, out);
    });
    const model = tf.model({
      inputs: primitives.inputs.map((n) => tensors.get(n)!),
      outputs: primitives.outputs.map((n) => tensors.get(n)!),
      name: options.name ? options.name.replace(/[^A-Za-z0-9_]/g, '_') : 'netweave_model',
    });
    return { model, analysis, primitives };
  } catch (err) {
    if (err instanceof CompileError) throw err;
    throw new CompileError('compile-failed', `TensorFlow.js could not build the model: ${err instanceof Error ? err.message : String(err)}`);
  }
}
