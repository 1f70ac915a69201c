import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../graph-schema/document';
import { flattenGraph } from '../../graph-schema/flatten-graph';
import { layerSeed } from '../../graph-schema/layer-seed';
import { getLayerDef } from '../../graph-schema/registry';
import { entryFor, isExpands, isUnsupported } from '../../graph-schema/target-table';
import type { TfjsConstantWeight } from '../../graph-schema/tfjs-workarounds';
import { repeatedInputAliases, tfjsConfigFix, tfjsRefusal } from '../../graph-schema/tfjs-workarounds';
import { tfjsCompileTable } from './tfjs-compile-table';
import type { PrimitiveGraph } from '../../graph-schema/flatten-graph';
import type { GraphAnalysis } from '../../graph-schema/infer';
import { analyzeGraph } from '../../graph-schema/infer';
import { buildBlocker } from '../../graph-schema/graph-readiness';

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
  /** Also refuse what TensorFlow.js builds but cannot train correctly (see graph-schema/tfjs-workarounds.ts). */
  forTraining?: boolean;
  /** Weights to start from (an imported project's), by layer stable name; layers without an entry keep their initializers. */
  initialWeights?: ReadonlyMap<string, readonly { shape: number[]; values: Float32Array }[]>;
}

/** Seeded initializers for the config keys the kind names: each seed from the run seed, the layer's stable name and the key. */
function seededInitializers(kind: string, stableName: string, seed: number): Record<string, unknown> {
  const seeded: Record<string, unknown> = {};
  for (const [key, initializer] of Object.entries(getLayerDef(kind)?.initializers ?? {})) {
    seeded[key] = tf.initializers[initializer]({ seed: layerSeed(seed, stableName, key) });
  }
  return seeded;
}

/** Gives a built layer the constant weights TensorFlow.js reads but the layer does not have (see tfjsConfigFix). */
export function attachConstants(layer: tf.layers.Layer, constants: readonly TfjsConstantWeight[]): void {
  for (const c of constants) {
    // Read inside each training step's tidy scope, so each constant is freed with the step.
    (layer as unknown as Record<string, unknown>)[c.attribute] = { read: () => tf.fill([c.size], c.value) };
  }
}

/** Builds a TensorFlow.js LayersModel with the functional API; composite blocks are expanded. */
export function compileGraph(graph: Graph, options: CompileOptions = {}): CompiledGraph {
  const analysis = analyzeGraph(graph);
  const firstError = buildBlocker(analysis);
  if (firstError) {
    throw new CompileError('graph-invalid', `The graph cannot be compiled: ${firstError.message}${firstError.nodeId ? ` (node ${firstError.nodeId})` : ''}`);
  }
  if (analysis.outputs.length === 0) throw new CompileError('graph-invalid', 'The graph has no output layer.');
  const labels = new Map(graph.nodes.filter((n) => n.label).map((n) => [n.id, n.label!]));
  const primitives = flattenGraph(analysis, labels);
  const tensors = new Map<string, tf.SymbolicTensor>();
  const frozen = new Set(graph.nodes.filter((n) => n.trainable === false).map((n) => n.id));
  try {
    for (const layer of primitives.layers) {
      if (layer.keras.className === 'InputLayer') {
        const shape = (layer.keras.config.batchInputShape as (number | null)[]).slice(1) as number[];
        tensors.set(layer.name, tf.input({ shape, name: layer.name }));
        continue;
      }
      const entry = entryFor(tfjsCompileTable, layer.kind);
      if (isUnsupported(entry) || isExpands(entry)) {
        throw new CompileError('compile-failed', `Node ${layer.nodeId}: TensorFlow.js cannot build ${layer.kind}. ${isUnsupported(entry) ? entry.unsupported : 'It should have been expanded.'}`);
      }
      const facts = { kind: layer.kind, config: layer.keras.config, outputShape: layer.outputShape };
      const refusal = tfjsRefusal(facts);
      if (refusal && (!refusal.trainingOnly || options.forTraining)) throw new CompileError('compile-failed', `Node ${layer.nodeId}: ${refusal.message}`);
      // tf.layers may write into the arrays it is given (Reshape fills in -1): the fix hands it copies.
      const fix = tfjsConfigFix(facts);
      const seeded = options.seed === undefined ? {} : seededInitializers(layer.kind, layer.stableName, options.seed);
      const instance = (entry as (config: Record<string, unknown>) => tf.layers.Layer)({ ...fix.config, ...seeded, name: layer.name });
      const aliases = repeatedInputAliases(layer.name, layer.inputs);
      const ins = layer.inputs.map((n, i) => {
        const alias = aliases[i];
        return alias ? (tf.layers.activation({ activation: 'linear', name: alias.alias }).apply(tensors.get(n)!) as tf.SymbolicTensor) : tensors.get(n)!;
      });
      const out = instance.apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor;
      attachConstants(instance, fix.constants);
      if (frozen.has(layer.nodeId)) instance.trainable = false;
      const start = options.initialWeights?.get(layer.stableName);
      if (start) setInitialWeights(instance, start, layer.nodeId);
      tensors.set(layer.name, out);
    }
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

/** Gives a built layer stored weights; they must fit exactly (an edited layer keeps its fresh initial weights instead). */
function setInitialWeights(layer: tf.layers.Layer, weights: readonly { shape: number[]; values: Float32Array }[], nodeId: string): void {
  // The variables' own shapes (getWeights() hands out the variables themselves: never dispose them).
  const own = layer.weights;
  const fits = own.length === weights.length && own.every((w, i) => w.shape.length === weights[i]!.shape.length && w.shape.every((d, j) => d === weights[i]!.shape[j]));
  if (!fits) {
    throw new CompileError('compile-failed', `Node ${nodeId}: the stored weights do not fit the layer (its parameters changed since import). Remove the node's weights by replacing the node, or undo the change.`);
  }
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
  layer.setWeights(tensors);
  tf.dispose(tensors);
}
