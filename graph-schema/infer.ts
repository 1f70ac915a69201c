import type { Diagnostic, LayerProblem } from './diagnostics';
import type { Graph, GraphEdge, GraphNode } from './document';
import type { LayerDef, ParamCount } from './layer-def';
import { expandBlock, stopWalk, walkExpansion } from './expansion-walk';
import type { LayerParams } from './params';
import { sizeProblem } from './graph-readiness';
import { resolveParams } from './params';
import { getLayerDef } from './registry';
import type { Shape } from './shape';

export interface NodeAnalysis {
  id: string;
  kind: string;
  /** Parameters with defaults filled in; what the compiler and exporters use. */
  params: LayerParams;
  inputShapes: (Shape | null)[];
  outputShape: Shape | null;
  paramCount: ParamCount;
  macs: number;
  hasError: boolean;
}

export interface GraphTotals {
  trainable: number;
  nonTrainable: number;
  total: number;
  macs: number;
}

export interface GraphAnalysis {
  /** Node ids in topological order (nodes inside a cycle are left out). */
  order: string[];
  nodes: Map<string, NodeAnalysis>;
  /** Shape carried by each edge; null when unknown. */
  edgeShapes: Map<string, Shape | null>;
  /** Incoming edges of each node, in input order. */
  incoming: Map<string, GraphEdge[]>;
  inputs: string[];
  outputs: string[];
  diagnostics: Diagnostic[];
  totals: GraphTotals;
}

/** The one output and one input port of every layer. */
export const outputPort = 'out';
export const inputPort = 'in';

const zeroCount: ParamCount = { trainable: 0, nonTrainable: 0 };

/**
 * The canvas re-analyses on every edit, and immer keeps unchanged nodes as the
 * same objects: remember each node's outcome keyed by its input shapes.
 * Callers must therefore replace a node to change it, never mutate it in place.
 */
const layerCache = new WeakMap<GraphNode, { key: string; outcome: LayerOutcome }>();

function shapesKey(shapes: readonly (Shape | null)[]): string {
  let key = '';
  for (const s of shapes) key += s === null ? '?|' : `${s.join(',')}|`;
  return key;
}

function analyzeNodeCached(node: GraphNode, def: LayerDef, inputShapes: readonly Shape[]): LayerOutcome {
  const key = shapesKey(inputShapes);
  const hit = layerCache.get(node);
  if (hit && hit.key === key) return hit.outcome;
  const outcome = analyzeLayer(def, node.params, inputShapes);
  layerCache.set(node, { key, outcome });
  return outcome;
}

interface LayerOutcome {
  params: LayerParams;
  shape: Shape | null;
  count: ParamCount;
  macs: number;
  problems: LayerProblem[];
}

/**
 * Checks, infers and counts one layer given its input shapes. Shared by the
 * graph walk and by composite blocks, whose expansion is walked the same way.
 */
export function analyzeLayer(def: LayerDef, storedParams: Record<string, unknown> | undefined, inputShapes: readonly Shape[]): LayerOutcome {
  const resolved = resolveParams(def.params, storedParams);
  const problems: LayerProblem[] = [...resolved.typeProblems, ...resolved.rangeProblems];
  const params = resolved.params;
  if (problems.length === 0 && def.validate) {
    const p = def.validate(params);
    if (p) problems.push(p);
  }
  if (problems.length > 0) return { params, shape: null, count: zeroCount, macs: 0, problems };
  if (def.expand) return analyzeExpansion(def, params, inputShapes);
  const result = def.inferShape!(inputShapes, params);
  if ('problem' in result) return { params, shape: null, count: zeroCount, macs: 0, problems: [result.problem] };
  const count = def.paramCount ? def.paramCount(inputShapes, params, result.shape) : zeroCount;
  const macs = def.macs ? def.macs(inputShapes, params, result.shape) : 0;
  return { params, shape: result.shape, count, macs, problems };
}

function analyzeExpansion(def: LayerDef, params: LayerParams, inputShapes: readonly Shape[]): LayerOutcome {
  let trainable = 0;
  let nonTrainable = 0;
  let macs = 0;
  let problem: LayerProblem | null = null;
  const walk = walkExpansion<Shape>(expandBlock(def, params, inputShapes), inputShapes, ({ node, def: inner, inputs }) => {
    if (!inner) throw new Error(`${def.kind} expands to unknown kind ${node.kind}`);
    const outcome = analyzeLayer(inner, node.params, inputs as Shape[]);
    if (outcome.problems.length > 0 || !outcome.shape) {
      const first = outcome.problems[0]!;
      problem = { ...first, message: `${def.label} › ${node.label}: ${first.message}` };
      return stopWalk;
    }
    trainable += outcome.count.trainable;
    nonTrainable += outcome.count.nonTrainable;
    macs += outcome.macs;
    return outcome.shape;
  });
  if (problem || !walk.output) return { params, shape: null, count: zeroCount, macs: 0, problems: problem ? [problem] : [] };
  return { params, shape: walk.output, count: { trainable, nonTrainable }, macs, problems: [] };
}

function diag(code: Diagnostic['code'], severity: Diagnostic['severity'], message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity, message, ...where };
}

/** Nodes that lie on a cycle (Tarjan's strongly connected components, iterative). */
function nodesOnCycles(ids: readonly string[], outgoing: Map<string, GraphEdge[]>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Set<string>();
  let counter = 0;
  const allowed = new Set(ids);
  for (const start of ids) {
    if (index.has(start)) continue;
    const work: { id: string; edge: number }[] = [{ id: start, edge: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = (outgoing.get(frame.id) ?? []).filter((e) => allowed.has(e.target));
      if (frame.edge < out.length) {
        const next = out[frame.edge++]!.target;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ id: next, edge: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = (outgoing.get(frame.id) ?? []).some((e) => e.target === frame.id);
        if (component.length > 1 || selfLoop) component.forEach((m) => result.add(m));
      }
    }
  }
  return result;
}

/** Full analysis of a graph: order, shapes, counts and diagnostics. Never throws on user data. */
export function analyzeGraph(graph: Graph): GraphAnalysis {
  const diagnostics: Diagnostic[] = [];
  const nodeById = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodeById.has(node.id)) {
      diagnostics.push(diag('duplicate-id', 'error', `Two nodes share the id "${node.id}"; the second is ignored. Give each node its own id.`, { nodeId: node.id }));
      continue;
    }
    nodeById.set(node.id, node);
  }
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const id of nodeById.keys()) {
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  const edgeIds = new Set<string>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) {
      diagnostics.push(diag('duplicate-id', 'error', `Two edges share the id "${edge.id}"; the second is ignored.`, { edgeId: edge.id }));
      continue;
    }
    edgeIds.add(edge.id);
    if (!nodeById.has(edge.source) || !nodeById.has(edge.target)) {
      const missing = nodeById.has(edge.source) ? edge.target : edge.source;
      diagnostics.push(diag('dangling-edge', 'error', `Edge "${edge.id}" refers to node "${missing}", which does not exist. Delete the edge.`, { edgeId: edge.id }));
      continue;
    }
    if (edge.sourcePort !== outputPort || edge.targetPort !== inputPort) {
      // Every layer has one output port and one input port (multi-input layers take several edges on it).
      const bad = edge.sourcePort !== outputPort ? `output port "${edge.sourcePort}"` : `input port "${edge.targetPort}"`;
      diagnostics.push(diag('unknown-port', 'error', `Edge "${edge.id}" uses ${bad}, which no layer has (use "${outputPort}" → "${inputPort}"). Delete the edge and connect it again.`, { edgeId: edge.id }));
      continue;
    }
    incoming.get(edge.target)!.push(edge);
    outgoing.get(edge.source)!.push(edge);
  }

  // Kahn's algorithm; whatever is left sits on or behind a cycle.
  const pending = new Map<string, number>();
  const queue: string[] = [];
  for (const [id, ins] of incoming) {
    pending.set(id, ins.length);
    if (ins.length === 0) queue.push(id);
  }
  const order: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    order.push(id);
    for (const e of outgoing.get(id)!) {
      const left = pending.get(e.target)! - 1;
      pending.set(e.target, left);
      if (left === 0) queue.push(e.target);
    }
  }
  if (order.length < nodeById.size) {
    const blocked = [...nodeById.keys()].filter((id) => pending.get(id)! > 0);
    const cyclic = nodesOnCycles(blocked, outgoing);
    for (const id of cyclic) {
      diagnostics.push(diag('cycle', 'error', 'This layer is part of a cycle: data would flow back into itself. Remove one of the edges that loops back.', { nodeId: id }));
    }
    // Layers after a cycle get no shape: say so rather than report what cannot be known.
    for (const id of blocked) {
      if (cyclic.has(id)) continue;
      diagnostics.push(diag('after-cycle', 'warning', 'This layer follows a cycle, so its shape and parameters cannot be checked. Break the cycle first.', { nodeId: id }));
    }
  }
  /** Final layers that sit behind a cycle still count as outputs for the "no output" check. */
  const blockedFinal = order.length < nodeById.size && [...nodeById.keys()].some((id) => pending.get(id)! > 0 && outgoing.get(id)!.length === 0);

  const nodes = new Map<string, NodeAnalysis>();
  const edgeShapes = new Map<string, Shape | null>();
  let trainable = 0;
  let nonTrainable = 0;
  let macs = 0;
  const inputs: string[] = [];
  const unused = new Set<string>();

  for (const id of order) {
    const node = nodeById.get(id)!;
    const ins = incoming.get(id)!;
    const outs = outgoing.get(id)!;
    const inputShapes = ins.map((e) => edgeShapes.get(e.id) ?? null);
    const info: NodeAnalysis = {
      id,
      kind: node.kind,
      params: node.params as LayerParams,
      inputShapes,
      outputShape: null,
      paramCount: zeroCount,
      macs: 0,
      hasError: false,
    };
    nodes.set(id, info);
    const fail = (d: Diagnostic): void => {
      diagnostics.push(d);
      if (d.severity === 'error') info.hasError = true;
    };
    const def = getLayerDef(node.kind);
    if (!def) {
      fail(diag('unknown-kind', 'error', `Unknown layer kind "${node.kind}". Replace this node with a known layer kind.`, { nodeId: id }));
      continue;
    }
    if (def.kind === 'Input') inputs.push(id);
    const isolated = ins.length === 0 && outs.length === 0 && nodeById.size > 1;
    if (def.kind === 'Input' && outs.length === 0 && nodeById.size > 1) {
      unused.add(id);
      diagnostics.push(diag('unused-node', 'warning', 'This Input feeds no layer. Connect it or delete it.', { nodeId: id }));
    } else if (isolated) {
      unused.add(id);
      diagnostics.push(diag('unused-node', 'warning', `${def.label} is not connected to anything. Connect it or delete it.`, { nodeId: id }));
    } else if (ins.length < def.inputs.min) {
      fail(
        diag(
          'missing-input',
          'error',
          `${def.label} needs ${def.inputs.min === def.inputs.max ? def.inputs.min : `at least ${def.inputs.min}`} input${def.inputs.min === 1 ? '' : 's'}, has ${ins.length}. Connect ${def.inputs.min - ins.length} more.`,
          { nodeId: id },
        ),
      );
    } else if (ins.length > def.inputs.max) {
      fail(
        diag(
          'too-many-inputs',
          'error',
          def.inputs.max === 0
            ? `${def.label} takes no inputs; remove the edges into it.`
            : `${def.label} takes ${def.inputs.max === 1 ? 'one input' : `at most ${def.inputs.max} inputs`}, has ${ins.length}. Merge the branches with Add or Concatenate first.`,
          { nodeId: id },
        ),
      );
    }
    if (info.hasError || unused.has(id) || inputShapes.some((s) => s === null)) {
      // Still report parameter problems on nodes whose inputs are unknown.
      const resolved = resolveParams(def.params, node.params);
      info.params = resolved.params;
      for (const p of [...resolved.typeProblems, ...resolved.rangeProblems]) fail(diag(p.code, 'error', p.message, { nodeId: id, param: p.param }));
      if (def.kind !== 'Input' || info.hasError) {
        for (const e of outs) edgeShapes.set(e.id, null);
        continue;
      }
    }
    const outcome = analyzeNodeCached(node, def, inputShapes as Shape[]);
    const oversize = sizeProblem(def.label, outcome.shape, outcome.count, outcome.macs);
    if (oversize) {
      // Figures past 2^53 are not exact: the layer is refused, and nothing after it is computed from them.
      info.params = outcome.params;
      fail(diag('size-overflow', 'error', oversize, { nodeId: id }));
      for (const e of outs) edgeShapes.set(e.id, null);
      continue;
    }
    info.params = outcome.params;
    for (const p of outcome.problems) fail(diag(p.code, 'error', p.message, { nodeId: id, param: p.param }));
    info.outputShape = outcome.shape;
    // A frozen layer's weights all count as non-trainable (Keras' split).
    if (node.trainable === false) outcome.count = { trainable: 0, nonTrainable: outcome.count.trainable + outcome.count.nonTrainable };
    info.paramCount = outcome.count;
    info.macs = outcome.macs;
    trainable += outcome.count.trainable;
    nonTrainable += outcome.count.nonTrainable;
    macs += outcome.macs;
    for (const e of outs) edgeShapes.set(e.id, outcome.shape);
  }
  for (const edge of graph.edges) if (!edgeShapes.has(edge.id) && edgeIds.has(edge.id)) edgeShapes.set(edge.id, null);

  const outputs = order.filter((id) => outgoing.get(id)!.length === 0 && !unused.has(id) && nodes.get(id)!.kind !== 'Input');
  if (nodeById.size > 0) {
    if (inputs.length === 0) diagnostics.push(diag('no-input', 'error', 'The graph has no Input layer. Add one from the palette and connect it to the first layer.'));
    if (outputs.length === 0 && !blockedFinal) {
      diagnostics.push(diag('no-output', 'error', 'The graph has no output: every layer feeds another, or nothing follows the Input. Add a final layer (e.g. Dense with softmax).'));
    }
    if (outputs.length > 1) {
      for (const id of outputs) {
        diagnostics.push(diag('multiple-outputs', 'warning', `The graph has ${outputs.length} outputs; training uses a single one. Merge the branches or delete the extra ones.`, { nodeId: id }));
      }
    }
  }

  return {
    order,
    nodes,
    edgeShapes,
    incoming,
    inputs,
    outputs,
    diagnostics,
    totals: { trainable, nonTrainable, total: trainable + nonTrainable, macs },
  };
}
