import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { NetweaveDocument } from '../../../graph-schema/document';
import { prepareExport } from '../../../graph-schema/export/export-model';
import { buildOnnxModel } from '../../../graph-schema/export/onnx/export-onnx';
import { onnxTrainingOnlyLayers } from '../../../graph-schema/export/onnx/onnx-misc';
import type { OnnxTensor } from '../../../graph-schema/export/onnx/onnx-proto';
import { encodeModel } from '../../../graph-schema/export/onnx/onnx-proto';
import type { StepLoss, StepOptimizer, TrainingStep } from '../../../graph-schema/export/onnx/onnx-training-step';
import { buildTrainingStep } from '../../../graph-schema/export/onnx/onnx-training-step';
import type { FilterGradientStrategy } from '../../../graph-schema/export/onnx/onnx-gradients';
import { GradientError } from '../../../graph-schema/export/onnx/onnx-gradients';
import type { TorchLayout } from '../../../graph-schema/export/torch-weights-plan';
import { tfjsWeightLookup } from '../../export/onnx-file';
import { TrainingError } from '../../training/training-error';

export interface OnnxStepperOptions {
  batchSize: number;
  optimizer: StepOptimizer;
  loss: StepLoss;
  learningRate: number;
  seed: number;
  /** 'one-hot': targets [n, units]; 'binary': [n, 1] of 0/1. */
  encoding: 'one-hot' | 'binary';
  units: number;
  /** CUDA execution provider (onnxruntime-node's CUDA add-on must be installed). */
  gpu?: boolean;
  /** intra-op threads (default: the cores). */
  threads?: number;
  /** Spinning worker threads (default off: they steal cores from everything else on a busy machine). */
  spinning?: boolean;
  /** Per-layer gradient norms as outputs of every step (the teaching lab's), in `weightedLayers(model)` order. */
  norms?: boolean;
  /** Convolution filter gradients by size (default) or always one way (the tests cover both). */
  filterGradient?: FilterGradientStrategy;
  /** Values of the step to read back after every step as well (by name, chosen from the built step): a debugging and test probe. */
  probe?: (step: TrainingStep) => string[];
  /** Write onnxruntime's per-op profile (a JSON trace) to files starting with this path (the profile tool's). */
  profilePrefix?: string;
}

/** One weight of the tfjs model and its initializer in the ONNX step (layout moved as the export moved it). */
interface WeightLink {
  variable: tf.LayerVariable;
  initializer: string;
  layout: TorchLayout;
}

/** The figures of one step. */
export interface StepFigures {
  loss: number;
  correct: number;
  /** With `norms`: per weighted layer, Σ of its squared weight gradients and Σ of dLoss/d(output)². */
  weightSquares?: Float32Array;
  activationSquares?: Float32Array;
  /** With `probe`: each probed value's data and dims. */
  probes?: Record<string, { data: Float32Array; dims: readonly number[] }>;
}

/**
 * The training step of a document as one ONNX model run in onnxruntime: the forward part
 * is the ONNX export's graph built with the tfjs model's weights; weights, optimizer state
 * and batch-norm statistics stay onnxruntime tensors fed back between steps, and go back
 * into the tfjs model on `writeBack` (epoch ends, the end of the run).
 */
export class OnnxStepper {
  private readonly feeds: Record<string, ort.Tensor> = {};
  private readonly sessions = new Map<number, { step: TrainingStep; session: ort.InferenceSession }>();
  private readonly probed = new Map<number, string[]>();
  private stepCount = 0;
  private beta1Power = 1;
  private beta2Power = 1;
  /** Overhead outside session.run (feeding, reading), summed in ms (the benchmark reports it). */
  overheadMs = 0;
  runMs = 0;

  private constructor(
    private readonly document: NetweaveDocument,
    private readonly model: tf.LayersModel,
    private readonly links: WeightLink[],
    private readonly fixed: readonly OnnxTensor[],
    private readonly trainable: ReadonlySet<string>,
    private readonly inputDims: readonly number[],
    private readonly options: OnnxStepperOptions,
  ) {}

  static async create(document: NetweaveDocument, model: tf.LayersModel, options: OnnxStepperOptions): Promise<OnnxStepper> {
    const forward = buildForward(document, model);
    const stepper = new OnnxStepper(document, model, forward.links, forward.fixed, forward.trainable, forward.inputDims, options);
    stepper.reload();
    await stepper.sessionFor(options.batchSize);
    return stepper;
  }

  /** The tfjs model's weights → the step's inputs; optimizer state back to its initial values when `resetState`. */
  reload(resetState = false): void {
    for (const t of this.fixed) this.feeds[t.name] ??= new ort.Tensor('float32', t.data as Float32Array, [...t.dims]);
    for (const link of this.links) {
      const moved = toOnnxValues(link.variable, link.layout);
      this.feeds[link.initializer] = new ort.Tensor('float32', moved.values, moved.dims);
    }
    if (resetState) for (const key of Object.keys(this.feeds)) if (key.includes('/') && this.isStateSlot(key)) delete this.feeds[key];
  }

  private isStateSlot(name: string): boolean {
    for (const { step } of this.sessions.values()) if (step.state.some((s) => s.name === name)) return true;
    return false;
  }

  /** One step on the first n examples of x (row-major, NHWC) and their class labels. */
  async step(x: Float32Array, labels: Int32Array, n: number): Promise<StepFigures> {
    const t0 = performance.now();
    const { step, session } = await this.sessionFor(n);
    const size = this.inputDims.reduce((a, b) => a * b, 1);
    const { units, encoding } = this.options;
    const targets = new Float32Array(n * units);
    for (let i = 0; i < n; i++) {
      if (encoding === 'binary') targets[i] = labels[i]! === 1 ? 1 : 0;
      else targets[i * units + labels[i]!] = 1;
    }
    this.stepCount++;
    const feeds = this.feeds;
    feeds[step.inputs.x] = new ort.Tensor('float32', x.length === n * size ? x : x.slice(0, n * size), [n, ...this.inputDims]);
    feeds[step.inputs.targets] = new ort.Tensor('float32', targets, [n, units]);
    feeds[step.inputs.learningRate] = scalar(this.options.learningRate);
    // Adam's 1 − βᵗ as tfjs computes it: βᵗ a running float32 product, then 1 − βᵗ in float32.
    this.beta1Power = this.stepCount === 1 ? Math.fround(0.9) : Math.fround(this.beta1Power * Math.fround(0.9));
    this.beta2Power = this.stepCount === 1 ? Math.fround(0.999) : Math.fround(this.beta2Power * Math.fround(0.999));
    feeds[step.inputs.biasCorrection1] = scalar(Math.fround(1 - this.beta1Power));
    feeds[step.inputs.biasCorrection2] = scalar(Math.fround(1 - this.beta2Power));
    for (const slot of step.state) {
      if (!feeds[slot.name]) feeds[slot.name] = new ort.Tensor('float32', new Float32Array(slot.dims.reduce((a, d) => a * d, 1)).fill(slot.initial), [...slot.dims]);
    }
    const inputs: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) inputs[name] = feeds[name]!;
    const t1 = performance.now();
    const out = await session.run(inputs);
    const t2 = performance.now();
    for (const [w, o] of step.updatedWeights) feeds[w] = out[o]!;
    for (const [s, o] of step.updatedState) feeds[s] = out[o]!;
    for (const [s, o] of step.updatedStatistics) feeds[s] = out[o]!;
    const figures: StepFigures = { loss: (out[step.outputs.loss]!.data as Float32Array)[0]!, correct: Number((out[step.outputs.correct]!.data as Float32Array)[0]) };
    if (step.outputs.weightSquares && step.outputs.activationSquares) {
      figures.weightSquares = out[step.outputs.weightSquares]!.data as Float32Array;
      figures.activationSquares = out[step.outputs.activationSquares]!.data as Float32Array;
    }
    if (this.options.probe) {
      figures.probes = {};
      for (const name of this.probed.get(n) ?? []) figures.probes[name] = { data: out[name]!.data as Float32Array, dims: out[name]!.dims };
    }
    this.runMs += t2 - t1;
    this.overheadMs += t1 - t0 + (performance.now() - t2);
    return figures;
  }

  /** Whether every step reports per-layer gradient norms. */
  get measuresNorms(): boolean {
    return this.options.norms === true;
  }

  /** The step's current weights and statistics → the tfjs model (layout moved back). */
  writeBack(): void {
    for (const link of this.links) {
      const tensor = this.feeds[link.initializer]!;
      const values = fromOnnxValues(tensor.data as Float32Array, link.variable.shape as number[], link.layout);
      const next = tf.tensor(values, link.variable.shape as number[], 'float32');
      link.variable.write(next);
      next.dispose();
    }
  }

  /** The training-step model built for a batch size (after a step or `create` with it), e.g. to check or save it. */
  trainingStep(batch = this.options.batchSize): TrainingStep | undefined {
    return this.sessions.get(batch)?.step;
  }

  /** Ends the profile of every session (its trace is written then); with `profilePrefix` only. */
  endProfiling(): void {
    for (const { session } of this.sessions.values()) session.endProfiling();
  }

  dispose(): void {
    for (const { session } of this.sessions.values()) void session.release();
    this.sessions.clear();
  }

  private async sessionFor(batch: number): Promise<{ step: TrainingStep; session: ort.InferenceSession }> {
    const cached = this.sessions.get(batch);
    if (cached) return cached;
    const forward = buildForward(this.document, this.model);
    let step: TrainingStep;
    try {
      step = buildTrainingStep(
        { nodes: forward.graph.nodes, initializers: forward.graph.initializers, input: forward.input, inputDims: this.inputDims, output: forward.output, trainable: this.trainable, trainingOnly: forward.trainingOnly },
        { batch, loss: this.options.loss, optimizer: this.options.optimizer, seed: this.options.seed, ...(this.options.filterGradient ? { filterGradient: this.options.filterGradient } : {}), ...(this.options.norms ? { normLayers: normLayers(this.model, this.links, this.trainable, forward.layerOutputs) } : {}) },
      );
    } catch (error) {
      if (error instanceof GradientError) throw new TrainingError('engine-unsupported', `The onnxruntime engine cannot train this graph: ${error.message}. Train it with the wasm or cpu engine.`);
      throw error;
    }
    const probed = this.options.probe?.(step) ?? [];
    this.probed.set(batch, probed);
    const model = probed.length === 0 ? step.model : { ...step.model, graph: { ...step.model.graph, outputs: [...step.model.graph.outputs, ...probed.map((name) => ({ name, elemType: 'float' as const }))] } };
    const bytes = encodeModel(model);
    const session = await ort.InferenceSession.create(bytes, sessionOptions(this.options)).catch((error: unknown) => {
      // onnxruntime 1.30's optimiser folds a ZeroPadding2D Pad into the pooling after it and then rejects its
      // own result; the model is valid (onnx.checker passes): build it again with that fusion level off.
      if (!String(error).includes('Pad should be smaller than kernel')) throw error;
      return ort.InferenceSession.create(bytes, { ...sessionOptions(this.options), graphOptimizationLevel: 'basic' });
    });
    const entry = { step, session };
    // Keep at most the full batch and one short last batch.
    if (this.sessions.size >= 2) for (const [k, v] of this.sessions) if (k !== this.options.batchSize) { void v.session.release(); this.sessions.delete(k); }
    this.sessions.set(batch, entry);
    return entry;
  }
}

function scalar(v: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.of(v), []);
}

export function sessionOptions(options: Pick<OnnxStepperOptions, 'gpu' | 'threads' | 'spinning' | 'profilePrefix'>): ort.InferenceSession.SessionOptions {
  return {
    ...(options.profilePrefix ? { enableProfiling: true, profileFilePrefix: options.profilePrefix } : {}),
    executionProviders: options.gpu ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // Unused initializers (scalars a rule did not need) are harmless: keep the log quiet.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } },
  };
}

/** The export's forward graph for the document with the model's weights, and the weight ↔ initializer links. */
function buildForward(document: NetweaveDocument, model: tf.LayersModel) {
  const prepared = prepareExport(document);
  const { lookup } = tfjsWeightLookup(model);
  const placed: { layer: string; weight: string; initializer: string; layout: TorchLayout }[] = [];
  const built = buildOnnxModel(document, lookup, { onWeightPlaced: (p) => placed.push(p) });
  if (!built.ok) throw new TrainingError(built.error.code === 'export-unsupported' ? 'engine-unsupported' : built.error.code, `The onnxruntime engine cannot train this graph: ${built.error.message}`);
  const graph = built.model.graph;
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) throw new TrainingError('graph-invalid', 'The onnxruntime engine trains networks with one input and one output.');
  const trainableVariables = new Set(model.trainableWeights.map((w) => w.name));
  const links: WeightLink[] = [];
  const trainable = new Set<string>();
  for (const p of placed) {
    const layer = model.getLayer(p.layer);
    const variable = layer.weights.find((w) => ((w.originalName || w.name).split('/').pop() ?? '').replace(/_\d+$/, '') === p.weight);
    if (!variable) throw new TrainingError('weights-mismatch', `Layer ${p.layer} has no ${p.weight} weight.`);
    links.push({ variable, initializer: p.initializer, layout: p.layout });
    if (trainableVariables.has(variable.name)) trainable.add(p.initializer);
  }
  const linked = new Set(links.map((l) => l.initializer));
  const fixed = graph.initializers.filter((t) => t.dataType === 'float' && !linked.has(t.name));
  const input = graph.inputs[0]!;
  const inputDims = (input.dims ?? []).slice(1).map((d) => Number(d));
  // Layers that are Identities in the graph but act while training (noise, channel dropout).
  const trainingOnly = prepared.ok ? onnxTrainingOnlyLayers(prepared.model, built.layerOutputs, built.layerLayouts) : new Map();
  return { graph, links, fixed, trainable, input: input.name, output: graph.outputs[0]!.name, inputDims, layerOutputs: built.layerOutputs, trainingOnly };
}

/** The layers with trained weights, in the order of the training loop's `weightedLayers(model)`, with their step values. */
function normLayers(model: tf.LayersModel, links: readonly WeightLink[], trainable: ReadonlySet<string>, layerOutputs: ReadonlyMap<string, string>) {
  const trained = new Set(model.trainableWeights);
  const out: { layer: string; output: string; weights: string[] }[] = [];
  for (const layer of model.layers) {
    const variables = new Set(layer.trainableWeights.filter((w) => trained.has(w)));
    if (variables.size === 0) continue;
    const weights = links.filter((l) => variables.has(l.variable) && trainable.has(l.initializer)).map((l) => l.initializer);
    out.push({ layer: layer.name, output: layerOutputs.get(layer.name) ?? '', weights });
  }
  return out;
}

function toOnnxValues(variable: tf.LayerVariable, layout: TorchLayout): { dims: number[]; values: Float32Array } {
  const shape = variable.shape as number[];
  // tidy returns the tensor only: tidy walks what it returns, element by element for a typed array
  // (tens of millions of weights overflow its Set).
  const moved = tf.tidy(() => {
    const v = variable.read();
    if (layout === 'conv-kernel') return tf.transpose(v, [3, 2, 0, 1]);
    // Conv1D: [k, in, out] → [out, in, k].
    if (layout === 'conv1d-kernel') return tf.transpose(v, [2, 1, 0]);
    if (layout === 'depthwise-kernel') {
      const [kh, kw, cin, mult] = shape as [number, number, number, number];
      return tf.reshape(tf.transpose(v, [2, 3, 0, 1]), [cin * mult, 1, kh, kw]);
    }
    if (layout === 'dense-kernel') return tf.transpose(v, [1, 0]);
    return tf.clone(v);
  });
  const result = { dims: moved.shape, values: Float32Array.from(moved.dataSync() as Float32Array) };
  moved.dispose();
  return result;
}

function fromOnnxValues(values: Float32Array, shape: number[], layout: TorchLayout): Float32Array {
  const moved = tf.tidy(() => {
    if (layout === 'conv-kernel') {
      const [kh, kw, cin, cout] = shape as [number, number, number, number];
      return tf.transpose(tf.tensor(values, [cout, cin, kh, kw]), [2, 3, 1, 0]);
    }
    if (layout === 'conv1d-kernel') {
      const [k, cin, cout] = shape as [number, number, number];
      return tf.transpose(tf.tensor(values, [cout, cin, k]), [2, 1, 0]);
    }
    if (layout === 'depthwise-kernel') {
      const [kh, kw, cin, mult] = shape as [number, number, number, number];
      return tf.transpose(tf.tensor(values, [cin, mult, kh, kw]), [2, 3, 0, 1]);
    }
    if (layout === 'dense-kernel') {
      const [inputs, units] = shape as [number, number];
      return tf.transpose(tf.tensor(values, [units, inputs]), [1, 0]);
    }
    return tf.tensor(values);
  });
  const result = Float32Array.from(moved.dataSync() as Float32Array);
  moved.dispose();
  return result;
}
