import type { GraphEdge, GraphNode, NetweaveDocument } from '../document';
import { createDocument } from '../document';
import { getLayerDef } from '../registry';
import { tfjsStandInKind } from '../tfjs-workarounds';

/**
 * A Keras / TensorFlow.js model config → a Netweave graph. Pure: the file readers (main/import/) hand
 * it the parsed model config; every layer it cannot map becomes a placeholder node with a diagnostic.
 * Understood spellings: TensorFlow.js' saved topology (snake_case, inbound_nodes as
 * [[name, nodeIndex, tensorIndex, kwargs]]), Keras 2 (the same) and Keras 3 (objects wrapped as
 * {module, class_name, config, registered_name}, inbound_nodes as {args, kwargs} with
 * `__keras_tensor__` history, batch_shape).
 */

/** A problem found while importing; codes are stable (`import-…`, or a kind's `keras-…` from its fromKeras). */
export interface ImportDiagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
}

export interface ImportedGraph {
  document: NetweaveDocument;
  diagnostics: ImportDiagnostic[];
  /** Keras layer name → the node that holds its weights (the first call of a shared layer). */
  weightNodes: Map<string, string>;
}

/** Kind given to a node that stands for a layer that could not be mapped; analysis reports it as unknown. */
export const placeholderKindPrefix = 'Unmapped:';

type Json = Record<string, unknown>;

interface LayerEntry {
  className: string;
  name: string;
  config: Json;
  /** One list of sources per call of the layer: [layer name, node index, tensor index]. */
  calls: [string, number, number][][];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function sourceOf(v: unknown): [string, number, number] | null {
  // TensorFlow.js / Keras 2: [name, nodeIndex, tensorIndex, kwargs]
  if (Array.isArray(v) && typeof v[0] === 'string') return [v[0], Number(v[1] ?? 0), Number(v[2] ?? 0)];
  // Keras 3: {class_name: '__keras_tensor__', config: {keras_history: [name, node, tensor]}}
  if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config)) {
    const h = v.config.keras_history;
    if (Array.isArray(h) && typeof h[0] === 'string') return [h[0], Number(h[1] ?? 0), Number(h[2] ?? 0)];
  }
  return null;
}

/** All tensors referenced inside a (possibly nested) call structure, in order. */
function collectSources(v: unknown, out: [string, number, number][]): void {
  const s = sourceOf(v);
  if (s) {
    out.push(s);
    return;
  }
  if (Array.isArray(v)) for (const x of v) collectSources(x, out);
  else if (isObject(v)) for (const x of Object.values(v)) collectSources(x, out);
}

function callsOf(inbound: unknown): [string, number, number][][] {
  if (!Array.isArray(inbound)) return [];
  return inbound.map((call) => {
    const sources: [string, number, number][] = [];
    if (isObject(call) && 'args' in call) collectSources(call.args, sources);
    else if (Array.isArray(call)) for (const t of call) {
      const s = sourceOf(t);
      if (s) sources.push(s);
    }
    return sources;
  });
}

function unwrap(layer: Json): LayerEntry {
  const config = isObject(layer.config) ? layer.config : {};
  const className = String(layer.class_name ?? layer.className ?? '');
  const name = String(layer.name ?? config.name ?? className);
  return { className, name, config, calls: callsOf(layer.inbound_nodes ?? layer.inboundNodes) };
}

function safeId(name: string, used: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 180) || 'layer';
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
  used.add(id);
  return id;
}

/** Keras 3 and tf.keras dtype policies are objects; TensorFlow.js strings. Only float32 computes the same here. */
function dtypeProblem(config: Json): string | null {
  const d = config.dtype;
  const name = isObject(d) ? (isObject(d.config) ? d.config.name : d.name) : d;
  if (name === undefined || name === null || name === 'float32') return null;
  return `dtype ${JSON.stringify(name)} is imported as float32`;
}

function diag(code: string, severity: 'error' | 'warning', message: string, nodeId?: string): ImportDiagnostic {
  return { code, severity, message, ...(nodeId ? { nodeId } : {}) };
}

/** Reads `{class_name, config}` of a Sequential or functional model (Model / Functional). */
export function kerasModelToGraph(model: Json, name = 'Imported model'): ImportedGraph {
  const diagnostics: ImportDiagnostic[] = [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const weightNodes = new Map<string, string>();
  const used = new Set<string>();
  const className = String(model.class_name ?? model.className ?? '');
  const config = isObject(model.config) ? model.config : {};
  const rawLayers = Array.isArray(config.layers) ? (config.layers as unknown[]).filter(isObject) : Array.isArray(model.layers) ? (model.layers as unknown[]).filter(isObject) : [];
  let entries = rawLayers.map(unwrap);

  if (className === 'Sequential') {
    // A Sequential is a chain; its input comes from an InputLayer or the first layer's batch input shape.
    const chained: LayerEntry[] = [];
    const first = entries[0];
    if (first && first.className !== 'InputLayer') {
      const shape = first.config.batch_input_shape ?? first.config.batchInputShape ?? first.config.batch_shape ?? config.build_input_shape ?? config.batch_input_shape;
      chained.push({ className: 'InputLayer', name: `${first.name}_input`, config: { batch_input_shape: shape }, calls: [] });
    }
    chained.push(...entries);
    entries = chained.map((e, i) => ({ ...e, calls: i === 0 ? [] : [[[chained[i - 1]!.name, 0, 0]]] }));
  } else if (className !== 'Model' && className !== 'Functional' && className !== '') {
    diagnostics.push(diag('import-model-class', 'warning', `The model class "${className}" is read as a functional model.`));
  }

  // Node id of each call of each layer: `${layer}@${callIndex}`.
  const callNode = new Map<string, string>();
  for (const entry of entries) {
    const calls = entry.className === 'InputLayer' || entry.calls.length === 0 ? [[] as [string, number, number][]] : entry.calls;
    if (calls.length > 1) {
      diagnostics.push(
        diag('import-shared-layer', 'warning', `Layer "${entry.name}" is shared by ${calls.length} calls; each call became its own node with a copy of the weights (they are no longer tied).`),
      );
    }
    calls.forEach((sources, callIndex) => {
      const id = safeId(calls.length > 1 ? `${entry.name}_call${callIndex}` : entry.name, used);
      callNode.set(`${entry.name}@${callIndex}`, id);
      if (callIndex === 0) weightNodes.set(entry.name, id);
      nodes.push(layerNode(entry, id, diagnostics));
      sources.forEach(([source, nodeIndex], port) => {
        edges.push({ id: `e${edges.length + 1}`, source: `${source}@${nodeIndex}`, sourcePort: 'out', target: id, targetPort: 'in' });
        void port;
      });
    });
  }
  // Sources named by Keras call keys → node ids; an edge from an unknown layer is reported and left out.
  const kept: GraphEdge[] = [];
  for (const e of edges) {
    const source = callNode.get(e.source) ?? callNode.get(`${e.source.split('@')[0]}@0`);
    if (!source) {
      diagnostics.push(diag('import-edge-unknown', 'error', `Node "${e.target}" reads from "${e.source.split('@')[0]}", which the model does not define; connect its input by hand.`, e.target));
      continue;
    }
    kept.push({ ...e, source });
  }
  const document = createDocument({ nodes, edges: kept }, String(config.name ?? name));
  return { document, diagnostics, weightNodes };
}

function layerNode(entry: LayerEntry, id: string, diagnostics: ImportDiagnostic[]): GraphNode {
  // A layer TensorFlow.js wrote for a kind it has no class of (a SpatialDropout2D saved as a Dropout) reads back as that kind.
  const standIn = tfjsStandInKind(entry.className, entry.config);
  const kind = entry.className === 'InputLayer' ? 'Input' : (standIn ?? entry.className);
  const def = getLayerDef(kind);
  const trainable = entry.config.trainable === false ? { trainable: false } : {};
  const placeholder = (code: string, message: string): GraphNode => {
    diagnostics.push(diag(code, 'error', `${message} A placeholder node stands in its place: replace it with a layer that does the same.`, id));
    return {
      id,
      kind: `${placeholderKindPrefix}${entry.className}`,
      label: `${entry.name} (${entry.className}, not imported)`,
      params: { kerasClassName: entry.className, problem: message },
      position: { x: 0, y: 0 },
      ...trainable,
    };
  };
  if (!def || def.expand || !def.fromKeras) return placeholder('import-layer-unknown', `Layer "${entry.name}" of class ${entry.className} has no equivalent here.`);
  const result = def.fromKeras(standIn ?? entry.className, entry.config);
  if ('problem' in result) return placeholder(result.problem.code, result.problem.message);
  const dtype = dtypeProblem(entry.config);
  if (dtype) diagnostics.push(diag('import-dtype', 'warning', `Layer "${entry.name}": ${dtype}.`, id));
  return { id, kind, label: entry.name, params: result.params, position: { x: 0, y: 0 }, ...trainable };
}
