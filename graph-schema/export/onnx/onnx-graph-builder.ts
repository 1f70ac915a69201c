import type { OnnxAttribute, OnnxDim, OnnxElemType, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-proto';

/** The IR version and opset the exporter writes (Debian's onnx 1.12 reads IR ≤ 8, opset ≤ 17). */
export const onnxIrVersion = 8;
export const onnxOpsetVersion = 13;

/** Attribute constructors, so that an int is never mistaken for a float. */
export const attr = {
  int: (value: number): OnnxAttribute => ({ type: 'int', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ type: 'ints', value }),
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ type: 'floats', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
  tensor: (value: OnnxTensor): OnnxAttribute => ({ type: 'tensor', value }),
};

/** A node as recorded by the builder, with the layer it came from (for gradient rules and messages). */
export interface BuiltNode extends OnnxNode {
  /** The layer (ExportLayer.name) whose translation emitted it; undefined for graph plumbing. */
  layer?: string;
}

export interface NodeOptions {
  attributes?: Record<string, OnnxAttribute>;
  /** Base of the output value names (made unique); default: the op type in lower case. */
  outputBase?: string;
  /** Number of outputs (default 1), or their exact names. */
  outputs?: number | readonly string[];
}

/**
 * Builds one ONNX graph in memory: every value and node name is unique (a
 * requested name that is taken gets a numeric suffix), initializers are
 * float32 or int64 tensors, and `layer` tags the nodes of the layer being
 * translated. `toModel` wraps it as an IR 8 / opset 13 model.
 */
export class OnnxGraphBuilder {
  readonly nodes: BuiltNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private readonly taken = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** Set while a layer is translated: its nodes carry it. */
  currentLayer: string | undefined;

  constructor(readonly name: string) {}

  /** A value name not used yet, from a base ("conv1" → "conv1", then "conv1_1", …). */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'value';
    let name = clean;
    for (let i = 1; this.taken.has(name); i++) name = `${clean}_${i}`;
    this.taken.add(name);
    return name;
  }

  private uniqueNodeName(base: string): string {
    let name = base;
    for (let i = 1; this.nodeNames.has(name); i++) name = `${base}_${i}`;
    this.nodeNames.add(name);
    return name;
  }

  /** A graph input; returns its (unique) name. */
  addInput(base: string, dims: readonly OnnxDim[], elemType: OnnxElemType = 'float', docString?: string): string {
    const name = this.uniqueName(base);
    this.inputs.push({ name, elemType, dims, ...(docString ? { docString } : {}) });
    return name;
  }

  /** Declares an existing value as a graph output. */
  addOutput(value: string, dims: readonly OnnxDim[], elemType: OnnxElemType = 'float', docString?: string): void {
    this.outputs.push({ name: value, elemType, dims, ...(docString ? { docString } : {}) });
  }

  /** A float32 initializer (a weight); returns its name. */
  addInitializer(base: string, dims: readonly number[], values: Float32Array, docString?: string): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== values.length) throw new Error(`Initializer ${base}: ${values.length} values for dims [${dims.join(', ')}]`);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], dataType: 'float', data: values, ...(docString ? { docString } : {}) });
    return name;
  }

  /** An int64 initializer (shapes, pads, axes); a 1-D tensor unless dims are given. */
  addInt64(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], dataType: 'int64', data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  /** A float scalar initializer (dims []). */
  addScalar(base: string, value: number): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [], dataType: 'float', data: Float32Array.of(value) });
    return name;
  }

  /** Adds a node; returns its output names. Empty input names stand for omitted optional inputs. */
  addNode(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    const base = options.outputBase ?? opType.toLowerCase();
    const outputs =
      typeof options.outputs === 'object' ? [...options.outputs] : Array.from({ length: options.outputs ?? 1 }, (_, i) => this.uniqueName(i === 0 ? base : `${base}_out${i}`));
    this.nodes.push({
      opType,
      name: this.uniqueNodeName(`${base}/${opType}`),
      inputs: [...inputs],
      outputs,
      attributes: options.attributes ?? {},
      ...(this.currentLayer !== undefined ? { layer: this.currentLayer } : {}),
    });
    return outputs;
  }

  /** A node with one output; returns its name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}, outputBase?: string): string {
    return this.addNode(opType, inputs, { attributes, ...(outputBase !== undefined ? { outputBase } : {}) })[0]!;
  }

  graph(docString?: string): OnnxGraph {
    return {
      name: this.name,
      nodes: this.nodes.map(({ layer: _layer, ...node }) => node),
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      ...(docString ? { docString } : {}),
    };
  }

  toModel(options: { producerVersion: string; metadata?: Record<string, string>; docString?: string; opset?: number }): OnnxModel {
    return {
      irVersion: onnxIrVersion,
      opsetImports: [{ domain: '', version: options.opset ?? onnxOpsetVersion }],
      producerName: 'Netweave',
      producerVersion: options.producerVersion,
      ...(options.docString ? { docString: options.docString } : {}),
      graph: this.graph(),
      metadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
  }
}
