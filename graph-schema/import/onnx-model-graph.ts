import type { GraphEdge, GraphNode } from '../document';
import { createDocument } from '../document';
import { getLayerDef } from '../registry';
import type { ImportDiagnostic, ImportedGraph } from './keras-model-graph';
import { placeholderKindPrefix } from './keras-model-graph';
import type { DecodedModel, DecodedNode, DecodedTensor } from './onnx-decode';
import { convKernelToHwio, denseKernelFrom, depthwiseKernelToHwim, flattenRowsToNhwc } from './onnx-weights';
import type { OnnxTransposeAxis } from './onnx-transpose-settings';
import { kerasTransposeSettings, onnxTransposeLength } from './onnx-transpose-settings';
import { transposeAxis } from '../kinds/transpose-geometry';

/**
 * An ONNX graph → a Netweave graph with NHWC layers. Rank-4 values remember whether ONNX sees them
 * as NCHW (conv/pool data) or as our own NHWC tensor; layout Transposes then disappear, and a Flatten
 * of NCHW data is our Flatten with the next Dense kernel's rows permuted. Each layer is built as a
 * Keras config and read back through its kind's fromKeras; what cannot be mapped becomes a placeholder
 * node with a diagnostic. Pure: main/import/import-onnx.ts reads the file.
 */

export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

export interface ImportedOnnxGraph extends Omit<ImportedGraph, 'weightNodes'> {
  weights: Map<string, WeightArray[]>;
}

type Layout = 'nchw' | 'nhwc';

interface Val {
  node: string;
  /** The ONNX value this node first produced (for consumer counts when fusing). */
  root: string;
  /** Our (NHWC, batch-less) shape; undefined when a placeholder left it unknown. */
  shape: number[] | undefined;
  layout: Layout;
  /** Flattened from NCHW data of this NHWC shape: ONNX's element order is C,H,W. */
  flatFrom?: [number, number, number];
  /** Our GlobalPooling output [C] that ONNX still sees as [N,C,1,1]. */
  squeezed?: boolean;
}

interface Layer {
  id: string;
  className: string;
  config: Record<string, unknown>;
  inputs: string[];
  weights: WeightArray[];
  label: string;
  /** Set for placeholders. */
  problem?: { code: string; message: string };
}

class Unmappable extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (message: string, code = 'import-onnx-op-unsupported'): never => {
  throw new Unmappable(code, message);
};

/** Element-wise ONNX operators → our merge layers (used when the registry has the kind). */
const mergeKinds: Record<string, string> = { Add: 'Add', Sum: 'Add', Sub: 'Subtract', Mul: 'Multiply', Max: 'Maximum', Min: 'Minimum', Mean: 'Average' };

function sameOffsets(size: number, k: number, s: number, d: number): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export function onnxModelToGraph(model: DecodedModel, name = 'Imported ONNX model'): ImportedOnnxGraph {
  const diagnostics: ImportDiagnostic[] = [];
  const g = model.graph;
  const meta = new Map(model.metadata.map((m) => [m.key, m.value]));
  const consts = new Map<string, DecodedTensor>(g.initializers.map((t) => [t.name, t]));
  const vals = new Map<string, Val>();
  const layers: Layer[] = [];
  const used = new Set<string>();
  const consumers = new Map<string, number>();
  for (const n of g.nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  for (const o of g.outputs) consumers.set(o.name, (consumers.get(o.name) ?? 0) + 1);
  const uid = (base: string): string => {
    const b = base.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[._-]+/, '').slice(0, 120) || 'layer';
    let id = b;
    for (let i = 2; used.has(id); i++) id = `${b}_${i}`;
    used.add(id);
    return id;
  };
  const byId = new Map<string, Layer>();
  const add = (base: string, className: string, config: Record<string, unknown>, inputs: string[], weights: WeightArray[] = []): Layer => {
    const layer: Layer = { id: uid(base), className, config, inputs, weights, label: base };
    layers.push(layer);
    byId.set(layer.id, layer);
    return layer;
  };

  // Graph inputs (those not initializers). Our exporter says its layout in metadata; others are NCHW.
  const declaredLayout = meta.get('netweave.inputLayout');
  let metaShape: number[] | undefined;
  try {
    const s = JSON.parse(meta.get('netweave.inputShape') ?? 'null');
    if (Array.isArray(s) && s.every((d) => typeof d === 'number')) metaShape = s;
  } catch {
    metaShape = undefined;
  }
  for (const input of g.inputs) {
    if (consts.has(input.name)) continue;
    const dims = (input.dims ?? []).slice(1);
    let known = dims.every((d) => typeof d === 'number' && d > 0) ? (dims as number[]) : undefined;
    const nchw = dims.length === 3 && declaredLayout !== 'NHWC';
    let shape = known && nchw ? [known[1]!, known[2]!, known[0]!] : known;
    if (!shape && metaShape && g.inputs.filter((i) => !consts.has(i.name)).length === 1) shape = metaShape;
    if (!shape) {
      diagnostics.push({ code: 'import-onnx-input-shape', severity: 'error', message: `Input "${input.name}" has shape [${(input.dims ?? []).join(', ')}]; every size but the batch must be known. Set it on the Input node after importing.` });
      shape = dims.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
      known = shape;
    }
    const layer = add(input.name, 'InputLayer', { batchInputShape: [null, ...shape] }, []);
    vals.set(input.name, { node: layer.id, root: input.name, shape, layout: nchw ? 'nchw' : 'nhwc' });
  }

  const constOf = (valueName: string | undefined): DecodedTensor | undefined => (valueName ? consts.get(valueName) : undefined);
  const val = (valueName: string): Val => vals.get(valueName) ?? fail(`reads "${valueName}", which no earlier node or input produces`, 'import-onnx-value-unknown');
  const shapeOf = (v: Val): number[] => v.shape ?? fail('its input shape is unknown (an earlier node was not imported)');
  const spatial = (v: Val, op: string): [number, number, number] => {
    const s = shapeOf(v);
    if (s.length !== 3 || v.squeezed) fail(`${op} needs image data (N,C,H,W); its input has shape [${s.join(', ')}]`);
    if (v.layout !== 'nchw') fail(`${op} reads channels-last data as NCHW, which our channels-last layers cannot express`);
    return s as [number, number, number];
  };
  const out = (node: DecodedNode, layer: Layer, v: Omit<Val, 'node' | 'root'>): void => {
    const o = node.outputs[0]!;
    vals.set(o, { ...v, node: layer.id, root: o });
  };
  const alias = (node: DecodedNode, v: Val, changes: Partial<Val> = {}): void => {
    vals.set(node.outputs[0]!, { ...v, ...changes });
  };
  const ints = (n: DecodedNode, key: string, fallback: number[]): number[] => {
    const a = n.attributes[key];
    return a && a.type === 'ints' ? [...a.value] : fallback;
  };
  const int = (n: DecodedNode, key: string, fallback: number): number => {
    const a = n.attributes[key];
    return a && a.type === 'int' ? a.value : fallback;
  };
  const float = (n: DecodedNode, key: string, fallback: number): number => {
    const a = n.attributes[key];
    return a && a.type === 'float' ? a.value : fallback;
  };
  const str = (n: DecodedNode, key: string, fallback: string): string => {
    const a = n.attributes[key];
    return a && a.type === 'string' ? a.value : fallback;
  };
  const floatValues = (t: DecodedTensor): Float32Array => (t.data instanceof Float32Array ? t.data : Float32Array.from(t.data));
  const baseName = (n: DecodedNode, weight?: string): string => {
    const w = weight ?? '';
    if (w.includes('.')) return w.slice(0, w.lastIndexOf('.'));
    return n.outputs[0] || n.name || n.opType;
  };

  /** Window attributes → Keras padding; uneven or larger pads go into a ZeroPadding2D before the layer. */
  const window = (n: DecodedNode, x: Val, kernel: [number, number], op: string, pad: boolean): { input: string; padding: 'valid' | 'same'; strides: number[]; dilation: number[]; out: [number, number] } => {
    const [h, w] = spatial(x, op);
    const strides = ints(n, 'strides', [1, 1]);
    const dilation = ints(n, 'dilations', [1, 1]);
    if (int(n, 'ceil_mode', 0) !== 0) fail(`${op} with ceil_mode=1 has no Keras equivalent`);
    const autoPad = str(n, 'auto_pad', 'NOTSET');
    const same = [sameOffsets(h, kernel[0], strides[0]!, dilation[0]!), sameOffsets(w, kernel[1], strides[1]!, dilation[1]!)];
    let pads = ints(n, 'pads', [0, 0, 0, 0]);
    if (autoPad === 'SAME_UPPER') pads = [same[0]![0], same[1]![0], same[0]![1], same[1]![1]];
    else if (autoPad === 'SAME_LOWER') pads = [same[0]![1], same[1]![1], same[0]![0], same[1]![0]];
    const [t, l, b, r] = pads as [number, number, number, number];
    const outSize = (size: number, k: number, s: number, d: number, p: number) => Math.floor((size + p - ((k - 1) * d + 1)) / s) + 1;
    const result = [outSize(h, kernel[0], strides[0]!, dilation[0]!, t + b), outSize(w, kernel[1], strides[1]!, dilation[1]!, l + r)] as [number, number];
    if (t + l + b + r === 0) return { input: x.node, padding: 'valid', strides, dilation, out: result };
    if (t === same[0]![0] && b === same[0]![1] && l === same[1]![0] && r === same[1]![1]) return { input: x.node, padding: 'same', strides, dilation, out: result };
    if (!pad) fail(`${op} pads [${pads.join(', ')}] differ from Keras 'same' and zeros would change its result`);
    const zp = add(`${baseName(n)}_pad`, 'ZeroPadding2D', { padding: [[t, b], [l, r]] }, [x.node]);
    return { input: zp.id, padding: 'valid', strides, dilation, out: result };
  };

  /** Folds an activation into the layer that produced x when nothing else reads it. */
  const activate = (n: DecodedNode, x: Val, activation: string): void => {
    const producer = byId.get(x.node);
    const foldable = producer && ['Conv2D', 'Dense', 'DepthwiseConv2D', 'Conv2DTranspose'].includes(producer.className) && producer.config.activation === 'linear';
    if (foldable && consumers.get(x.root) === 1 && consumers.get(n.inputs[0]!) === 1 && !x.flatFrom) {
      producer.config.activation = activation;
      alias(n, x);
      return;
    }
    const layer = add(baseName(n), 'Activation', { activation }, [x.node]);
    out(n, layer, { shape: x.shape, layout: x.layout, ...(x.flatFrom ? { flatFrom: x.flatFrom } : {}), ...(x.squeezed ? { squeezed: true } : {}) });
  };

  const dense = (n: DecodedNode, x: Val, kernel: DecodedTensor, transB: boolean, alpha: number, bias?: DecodedTensor, beta = 1): void => {
    const s = shapeOf(x);
    if (s.length !== 1) fail(`${n.opType} on data of shape [${s.join(', ')}] is not a Dense layer (rank 2 only)`);
    if (kernel.dims.length !== 2) fail(`${n.opType} weight of shape [${kernel.dims.join(', ')}] is not a matrix`);
    const from = denseKernelFrom(floatValues(kernel), kernel.dims as [number, number], transB);
    const units = from.units;
    let k = from.kernel;
    const inputs = k.length / units;
    if (inputs !== s[0]) fail(`${n.opType} weight has ${inputs} rows for ${s[0]} input features`);
    if (alpha !== 1) k = k.map((v) => v * alpha);
    if (x.flatFrom) k = flattenRowsToNhwc(k, x.flatFrom, units);
    const weights: WeightArray[] = [{ shape: [inputs, units], values: k }];
    if (bias) {
      const b = floatValues(bias);
      if (b.length !== units && b.length !== 1) fail(`${n.opType} bias of ${b.length} values for ${units} units`);
      weights.push({ shape: [units], values: Float32Array.from({ length: units }, (_, i) => (b.length === 1 ? b[0]! : b[i]!) * beta) });
    }
    const layer = add(baseName(n, kernel.name), 'Dense', { units, activation: 'linear', useBias: !!bias }, [x.node], weights);
    out(n, layer, { shape: [units], layout: 'nhwc' });
  };

  const translate = (n: DecodedNode): void => {
    const op = n.opType;
    if (n.domain && n.domain !== 'ai.onnx') fail(`operator ${n.domain}.${op} is not a standard ONNX operator`);
    if (op === 'Constant') {
      const v = n.attributes.value;
      if (v?.type !== 'tensor') fail('Constant without a tensor value');
      consts.set(n.outputs[0]!, { ...(v!.value as DecodedTensor), name: n.outputs[0]! });
      return;
    }
    const x = val(n.inputs[0] ?? '');
    switch (op) {
      case 'Identity':
        return alias(n, x);
      case 'Dropout': {
        const ratio = constOf(n.inputs[1]);
        const rate = ratio ? Number(ratio.data[0]) : float(n, 'ratio', 0.5);
        const layer = add(baseName(n), 'Dropout', { rate }, [x.node]);
        return out(n, layer, { shape: x.shape, layout: x.layout, ...(x.flatFrom ? { flatFrom: x.flatFrom } : {}), ...(x.squeezed ? { squeezed: true } : {}) });
      }
      case 'Transpose': {
        const perm = ints(n, 'perm', []).join(',');
        const s = shapeOf(x);
        if (s.length === 3 && !x.squeezed) {
          if (perm === '0,2,3,1' && x.layout === 'nchw') return alias(n, x, { layout: 'nhwc' });
          if (perm === '0,3,1,2' && x.layout === 'nhwc') return alias(n, x, { layout: 'nchw' });
        }
        if (perm === [...Array(s.length + 1).keys()].join(',')) return alias(n, x);
        return fail(`Transpose with perm [${perm}] is not a layout change between NCHW and NHWC`);
      }
      case 'Relu':
        return activate(n, x, 'relu');
      case 'Sigmoid':
        return activate(n, x, 'sigmoid');
      case 'Tanh':
        return activate(n, x, 'tanh');
      case 'Selu':
        return activate(n, x, 'selu');
      case 'Softplus':
        return activate(n, x, 'softplus');
      case 'Softsign':
        return activate(n, x, 'softsign');
      case 'Elu':
        if (float(n, 'alpha', 1) !== 1) fail('Elu with alpha ≠ 1 has no equivalent');
        return activate(n, x, 'elu');
      case 'Softmax': {
        const s = shapeOf(x);
        const rank = s.length + 1;
        const given = int(n, 'axis', -1);
        const axis = given < 0 ? rank + given : given;
        // On NCHW images axis 1 is the channels: our channels-last softmax (per pixel, as a U-Net's head).
        const channels = x.layout === 'nchw' && rank === 4 ? axis === 1 : axis === rank - 1;
        if (channels) return activate(n, x, 'softmax');
        if (x.layout === 'nchw' || axis < 1 || axis >= rank) fail(`Softmax over axis ${given} of NCHW data has no channels-last equivalent`);
        const layer = add(baseName(n), 'Softmax', { axis }, [x.node]);
        return out(n, layer, { shape: s, layout: x.layout, ...(x.flatFrom ? { flatFrom: x.flatFrom } : {}), ...(x.squeezed ? { squeezed: true } : {}) });
      }
      case 'Clip': {
        const lo = constOf(n.inputs[1]);
        const hi = constOf(n.inputs[2]);
        const min = lo ? Number(lo.data[0]) : float(n, 'min', -Infinity);
        const max = hi ? Number(hi.data[0]) : float(n, 'max', Infinity);
        if (min === 0 && max === 6) return activate(n, x, 'relu6');
        if (min === 0 && max === Infinity) return activate(n, x, 'relu');
        return fail(`Clip(${min}, ${max}) has no equivalent (only Clip(0, 6) = ReLU6)`);
      }
      case 'LeakyRelu': {
        if (!getLayerDef('LeakyReLU')) return fail('LeakyRelu has no layer kind here; use a ReLU or another activation');
        const layer = add(baseName(n), 'LeakyReLU', { negativeSlope: float(n, 'alpha', 0.01) }, [x.node]);
        return out(n, layer, { shape: x.shape, layout: x.layout, ...(x.flatFrom ? { flatFrom: x.flatFrom } : {}), ...(x.squeezed ? { squeezed: true } : {}) });
      }
      case 'Conv': {
        const w = constOf(n.inputs[1]) ?? fail('Conv weights are not an initializer');
        if (w.dims.length !== 4) fail(`Conv${w.dims.length - 2}D is not supported (2-D only)`);
        const [outC, inPerGroup, kh, kw] = w.dims as [number, number, number, number];
        const group = int(n, 'group', 1);
        const [, , c] = spatial(x, 'Conv');
        const win = window(n, x, [kh, kw], 'Conv', true);
        const bias = constOf(n.inputs[2]);
        const common = { kernelSize: [kh, kw], strides: win.strides, padding: win.padding, dilationRate: win.dilation, activation: 'linear', useBias: !!bias };
        const weights: WeightArray[] = [];
        let layer: Layer;
        if (group === 1 && inPerGroup === c) {
          weights.push({ shape: [kh, kw, c, outC], values: convKernelToHwio(floatValues(w), outC, c, kh, kw) });
          if (bias) weights.push({ shape: [outC], values: floatValues(bias) });
          layer = add(baseName(n, w.name), 'Conv2D', { filters: outC, ...common }, [win.input], weights);
        } else if (group === c && inPerGroup === 1 && outC % c === 0) {
          const mult = outC / c;
          weights.push({ shape: [kh, kw, c, mult], values: depthwiseKernelToHwim(floatValues(w), c, mult, kh, kw) });
          if (bias) weights.push({ shape: [outC], values: floatValues(bias) });
          layer = add(baseName(n, w.name), 'DepthwiseConv2D', { depthMultiplier: mult, ...common }, [win.input], weights);
        } else return fail(`Conv with group=${group} (grouped convolution) is not supported`);
        return out(n, layer, { shape: [win.out[0], win.out[1], outC], layout: 'nchw' });
      }
      case 'MaxPool':
      case 'AveragePool': {
        const kernel = ints(n, 'kernel_shape', []);
        if (kernel.length !== 2) fail(`${op} over ${kernel.length} dimensions is not supported (2-D only)`);
        const [, , c] = spatial(x, op);
        const hasPads = ints(n, 'pads', [0, 0, 0, 0]).some((p) => p !== 0) || str(n, 'auto_pad', 'NOTSET').startsWith('SAME');
        if (op === 'AveragePool' && hasPads && int(n, 'count_include_pad', 0) !== 0) fail('AveragePool with count_include_pad=1 has no Keras equivalent');
        const win = window(n, x, kernel as [number, number], op, false);
        const layer = add(baseName(n), op === 'MaxPool' ? 'MaxPooling2D' : 'AveragePooling2D', { poolSize: kernel, strides: win.strides, padding: win.padding }, [win.input]);
        return out(n, layer, { shape: [win.out[0], win.out[1], c], layout: 'nchw' });
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const [, , c] = spatial(x, op);
        const layer = add(baseName(n), op === 'GlobalAveragePool' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D', {}, [x.node]);
        return out(n, layer, { shape: [c], layout: 'nhwc', squeezed: true });
      }
      case 'Flatten':
      case 'Reshape': {
        const s = shapeOf(x);
        let target: number[] | undefined;
        if (op === 'Flatten') {
          if (int(n, 'axis', 1) !== 1) fail('Flatten with axis ≠ 1 is not supported');
        } else {
          const t = constOf(n.inputs[1]) ?? fail('Reshape whose shape is computed in the graph is not supported');
          const onnxDims = s.length === 3 && x.layout === 'nchw' && !x.squeezed ? [s[2]!, s[0]!, s[1]!] : x.squeezed ? [s[0]!, 1, 1] : s;
          const wanted = Array.from(t.data, Number).slice(1).map((d, i) => (d === 0 ? onnxDims[i]! : d));
          const total = onnxDims.reduce((a, b) => a * b, 1);
          const known = wanted.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
          target = wanted.map((d) => (d === -1 ? total / known : d));
          if (Number(t.data[0]) !== 0 && Number(t.data[0]) !== -1 && Number(t.data[0]) !== 1) diagnostics.push({ code: 'import-onnx-batch-fixed', severity: 'warning', message: `Reshape "${n.name}" fixes the batch size; it is imported as any batch.` });
        }
        const flat = !target || target.length === 1;
        if (flat && (s.length === 1 || x.squeezed)) return alias(n, x, { squeezed: false });
        if (flat) {
          const layer = add(baseName(n), 'Flatten', {}, [x.node]);
          const size = s.reduce((a, b) => a * b, 1);
          return out(n, layer, { shape: [size], layout: 'nhwc', ...(s.length === 3 && x.layout === 'nchw' && size > 1 && s[2]! > 1 ? { flatFrom: s as [number, number, number] } : {}) });
        }
        if (s.length === 3 && x.layout === 'nchw') return fail('Reshape of NCHW image data to another image shape has no channels-last equivalent');
        const layer = add(baseName(n), 'Reshape', { targetShape: target }, [x.node]);
        return out(n, layer, { shape: target, layout: 'nhwc' });
      }
      case 'Gemm': {
        if (int(n, 'transA', 0) !== 0) fail('Gemm with transA=1 is not a Dense layer');
        const w = constOf(n.inputs[1]) ?? fail('Gemm weights are not an initializer');
        const c = n.inputs[2] ? (constOf(n.inputs[2]) ?? fail('Gemm bias is not an initializer')) : undefined;
        return dense(n, x, w, int(n, 'transB', 0) === 1, float(n, 'alpha', 1), c, float(n, 'beta', 1));
      }
      case 'MatMul': {
        const w = constOf(n.inputs[1]) ?? fail('MatMul of two computed values is not a Dense layer');
        return dense(n, x, w, false, 1);
      }
      case 'Add':
      case 'Sum':
      case 'Sub':
      case 'Mul':
      case 'Max':
      case 'Min':
      case 'Mean': {
        const k = constOf(n.inputs[1]);
        if (k && op === 'Add') {
          // A bias after MatMul or a bias-less Conv folds into it.
          const producer = byId.get(x.node);
          const size = producer?.className === 'Dense' ? Number(producer.config.units) : producer?.className === 'Conv2D' ? Number(producer.config.filters) : -1;
          if (producer && producer.config.useBias === false && producer.config.activation === 'linear' && consumers.get(x.root) === 1 && k.data.length === size) {
            producer.config.useBias = true;
            producer.weights.push({ shape: [size], values: floatValues(k) });
            return alias(n, x);
          }
          return fail('Add of a constant (other than a layer bias) has no equivalent');
        }
        const kind = mergeKinds[op]!;
        if (k) return fail(`${op} with a constant has no layer equivalent`);
        if (!getLayerDef(kind)) return fail(`${op} has no layer kind here (no ${kind} layer)`);
        const sources = n.inputs.map(val);
        if (sources.some((v) => v.layout !== x.layout || !!v.flatFrom !== !!x.flatFrom || (v.shape ?? []).join() !== (x.shape ?? []).join())) fail(`${op} of values of different shapes or layouts (broadcasting) is not supported`);
        const layer = add(baseName(n), kind, {}, sources.map((v) => v.node));
        return out(n, layer, { shape: x.shape, layout: x.layout });
      }
      case 'Concat': {
        const sources = n.inputs.map(val);
        const s = shapeOf(x);
        const axis = int(n, 'axis', 1);
        const rank = s.length + 1;
        const a = axis < 0 ? axis + rank : axis;
        if (sources.some((v) => v.layout !== x.layout || v.squeezed)) fail('Concat of values in different layouts is not supported');
        const ours = s.length === 3 && x.layout === 'nchw' ? [-1, 3, 1, 2][a]! : a;
        if (ours <= 0) fail('Concat along the batch axis is not a layer');
        const shape = [...s];
        shape[ours - 1] = sources.reduce((t, v) => t + shapeOf(v)[ours - 1]!, 0);
        const layer = add(baseName(n), 'Concatenate', { axis: ours === s.length ? -1 : ours }, sources.map((v) => v.node));
        return out(n, layer, { shape, layout: x.layout });
      }
      case 'BatchNormalization': {
        const s = shapeOf(x);
        if (s.length === 3) spatial(x, op);
        else if (s.length !== 1) fail(`BatchNormalization of rank-${s.length + 1} data is not supported`);
        const t = [1, 2, 3, 4].map((i) => constOf(n.inputs[i]) ?? fail('BatchNormalization parameters are not initializers'));
        const channels = s[s.length - 1]!;
        if (t.some((p) => p.data.length !== channels)) fail('BatchNormalization parameters do not match the channel count');
        if (n.outputs.length > 1 && n.outputs.slice(1).some((o) => o && consumers.get(o))) fail('BatchNormalization in training mode is not supported');
        const layer = add(
          baseName(n, t[0]!.name),
          'BatchNormalization',
          { axis: -1, epsilon: float(n, 'epsilon', 1e-5), momentum: float(n, 'momentum', 0.9), center: true, scale: true },
          [x.node],
          t.map((p) => ({ shape: [channels], values: floatValues(p) })),
        );
        return out(n, layer, { shape: s, layout: x.layout });
      }
      case 'Pad': {
        const s = shapeOf(x);
        spatial(x, op);
        if (str(n, 'mode', 'constant') !== 'constant') fail(`Pad in ${str(n, 'mode', '')} mode has no equivalent (zeros only)`);
        const value = constOf(n.inputs[2]);
        if (value && Number(value.data[0]) !== 0) fail('Pad with a non-zero value has no equivalent');
        const pads = n.inputs[1] ? Array.from((constOf(n.inputs[1]) ?? fail('Pad sizes are computed in the graph')).data, Number) : ints(n, 'pads', []);
        if (pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5] || pads.some((p) => p < 0)) fail('Pad of other than the image height and width is not supported');
        const [t, l, b, r] = [pads[2]!, pads[3]!, pads[6]!, pads[7]!];
        const layer = add(baseName(n), 'ZeroPadding2D', { padding: [[t, b], [l, r]] }, [x.node]);
        return out(n, layer, { shape: [s[0]! + t + b, s[1]! + l + r, s[2]!], layout: 'nchw' });
      }
      case 'ConvTranspose': {
        const w = constOf(n.inputs[1]) ?? fail('ConvTranspose weights are not an initializer');
        if (w.dims.length !== 4) fail(`ConvTranspose over ${w.dims.length - 2} dimensions is not supported (2-D only)`);
        if (int(n, 'group', 1) !== 1) fail('ConvTranspose with group > 1 has no Keras equivalent');
        if (n.attributes.output_shape) fail('ConvTranspose with output_shape is not supported; give pads and output_padding');
        // ONNX keeps (Cin, Cout, kh, kw); Keras' kernel is (kh, kw, Cout, Cin).
        const [cin, cout, kh, kw] = w.dims as [number, number, number, number];
        const [h, wd, c] = spatial(x, op);
        if (c !== cin) fail(`ConvTranspose weights expect ${cin} channels, its input has ${c}`);
        const strides = ints(n, 'strides', [1, 1]);
        const dilations = ints(n, 'dilations', [1, 1]);
        const autoPad = str(n, 'auto_pad', 'NOTSET');
        if (autoPad !== 'NOTSET' && autoPad !== 'VALID') fail(`ConvTranspose with auto_pad=${autoPad} is not supported; give explicit pads`);
        const pads = autoPad === 'VALID' ? [0, 0, 0, 0] : ints(n, 'pads', [0, 0, 0, 0]);
        const outputPadding = ints(n, 'output_padding', [0, 0]);
        const axes = [0, 1].map((i) => ({
          n: [h, wd][i]!,
          kernel: [kh, kw][i]!,
          stride: strides[i]!,
          dilation: dilations[i]!,
          padBegin: pads[i]!,
          padEnd: pads[i + 2]!,
          outputPadding: outputPadding[i]!,
        })) as [OnnxTransposeAxis, OnnxTransposeAxis];
        const settings = kerasTransposeSettings(axes);
        const bias = constOf(n.inputs[2]);
        const weights: WeightArray[] = [{ shape: [kh, kw, cout, cin], values: convKernelToHwio(floatValues(w), cin, cout, kh, kw) }];
        if (bias) weights.push({ shape: [cout], values: floatValues(bias) });
        const shape = [onnxTransposeLength(axes[0]), onnxTransposeLength(axes[1]), cout];
        const base = { filters: cout, kernelSize: [kh, kw], strides, dilationRate: dilations, activation: 'linear', useBias: !!bias };
        // Keras config: output_padding None is the inferred size.
        if (settings) {
          const config = { ...base, padding: settings.padding, outputPadding: settings.outputPadding[0] < 0 ? null : settings.outputPadding };
          return out(n, add(baseName(n, w.name), 'Conv2DTranspose', config, [x.node], weights), { shape, layout: 'nchw' });
        }
        // Pads Keras never makes (PyTorch's padding=1, output_padding=1 cuts the first cell): the 'valid' result, then a Cropping2D.
        // Keras' inferred 'valid' length is used when it reaches far enough (TensorFlow.js has no output padding).
        const valid = axes.map((a) => transposeAxis(a.n, a.kernel, a.stride, 'valid', null, a.dilation).out);
        const inferred = axes.every((a, i) => a.padBegin + shape[i]! <= valid[i]!);
        const lengths = inferred ? valid : axes.map((a) => transposeAxis(a.n, a.kernel, a.stride, 'valid', a.outputPadding, a.dilation).out);
        const full = add(`${baseName(n, w.name)}_full`, 'Conv2DTranspose', { ...base, padding: 'valid', outputPadding: inferred ? null : outputPadding.slice(0, 2) }, [x.node], weights);
        const cut = axes.map((a, i) => [a.padBegin, lengths[i]! - a.padBegin - shape[i]!]);
        const crop = add(baseName(n, w.name), 'Cropping2D', { cropping: cut }, [full.id]);
        return out(n, crop, { shape, layout: 'nchw' });
      }
      case 'Resize':
      case 'Upsample': {
        const [h, wd, c] = spatial(x, op);
        const scalesInput = op === 'Resize' ? n.inputs[2] : n.inputs[1];
        const scales = constOf(scalesInput && scalesInput !== '' ? scalesInput : undefined);
        const sizes = op === 'Resize' ? constOf(n.inputs[3] && n.inputs[3] !== '' ? n.inputs[3] : undefined) : undefined;
        const factors = scales && scales.data.length === 4 ? Array.from(scales.data, Number) : sizes && sizes.data.length === 4 ? [1, 1, Number(sizes.data[2]) / h, Number(sizes.data[3]) / wd] : ints(n, 'scales', []);
        if (factors.length !== 4 || factors[0] !== 1 || factors[1] !== 1 || !factors.slice(2).every((f) => Number.isInteger(f) && f >= 1)) {
          fail(`${op} by [${factors.join(', ')}] is not an UpSampling2D (whole factors on height and width only)`);
        }
        const mode = str(n, 'mode', 'nearest');
        const transform = str(n, 'coordinate_transformation_mode', 'half_pixel');
        const nearestMode = str(n, 'nearest_mode', 'round_prefer_floor');
        let interpolation: 'nearest' | 'bilinear';
        if (mode === 'nearest') {
          // Keras repeats cell floor(i / s); these ONNX rules pick the same cell for whole factors.
          const same =
            op === 'Upsample' ||
            (['half_pixel', 'pytorch_half_pixel'].includes(transform) && nearestMode.startsWith('round')) ||
            (['asymmetric', 'tf_half_pixel_for_nn'].includes(transform) && nearestMode === 'floor');
          if (!same) fail(`${op} nearest with ${transform} / ${nearestMode} picks other cells than Keras' UpSampling2D`);
          interpolation = 'nearest';
        } else if (mode === 'linear' && op === 'Resize' && ['half_pixel', 'pytorch_half_pixel'].includes(transform)) {
          interpolation = 'bilinear';
        } else return fail(`${op} in ${mode} mode with ${transform} has no Keras equivalent (nearest, or linear with half-pixel centres)`);
        const size = [factors[2]!, factors[3]!];
        const layer = add(baseName(n), 'UpSampling2D', { size, interpolation }, [x.node]);
        return out(n, layer, { shape: [h * size[0]!, wd * size[1]!, c], layout: 'nchw' });
      }
      default:
        return fail(`operator ${op} has no equivalent here`, 'import-onnx-op-unknown');
    }
  };

  for (const n of g.nodes) {
    try {
      translate(n);
    } catch (err) {
      if (!(err instanceof Unmappable)) throw err;
      const inputs = n.inputs.map((i) => vals.get(i)).filter((v): v is Val => !!v);
      const layer = add(baseName(n), `${placeholderKindPrefix}${n.opType}`, {}, [...new Set(inputs.map((v) => v.node))]);
      layer.problem = { code: err.code, message: `ONNX node "${n.name || n.outputs[0]}" (${n.opType}): ${err.message}.` };
      for (const o of n.outputs) if (o) vals.set(o, { node: layer.id, root: o, shape: undefined, layout: inputs[0]?.layout ?? 'nhwc' });
    }
  }
  for (const o of g.outputs) {
    const v = vals.get(o.name);
    if (v?.shape?.length === 3 && v.layout === 'nchw') diagnostics.push({ code: 'import-onnx-output-layout', severity: 'warning', message: `Output "${o.name}" is NCHW in the ONNX model; the imported graph gives it channels-last (NHWC).`, nodeId: v.node });
  }

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const weights = new Map<string, WeightArray[]>();
  for (const layer of layers) {
    const placeholder = (code: string, message: string): GraphNode => {
      diagnostics.push({ code, severity: 'error', message: `${message} A placeholder node stands in its place: replace it with a layer that does the same.`, nodeId: layer.id });
      const onnxOp = layer.className.startsWith(placeholderKindPrefix) ? layer.className.slice(placeholderKindPrefix.length) : layer.className;
      return { id: layer.id, kind: `${placeholderKindPrefix}${onnxOp}`, label: `${layer.label} (${onnxOp}, not imported)`, params: { onnxOpType: onnxOp, problem: message }, position: { x: 0, y: 0 } };
    };
    let node: GraphNode;
    if (layer.problem) node = placeholder(layer.problem.code, layer.problem.message);
    else {
      const kind = layer.className === 'InputLayer' ? 'Input' : layer.className;
      const def = getLayerDef(kind);
      const result = def?.fromKeras ? def.fromKeras(layer.className, layer.config) : { problem: { code: 'import-layer-unknown', message: `${kind} has no layer kind here.` } };
      if ('problem' in result) node = placeholder(result.problem.code, result.problem.message);
      else {
        node = { id: layer.id, kind, label: layer.label, params: result.params, position: { x: 0, y: 0 } };
        if (layer.weights.length) weights.set(layer.id, layer.weights);
      }
    }
    nodes.push(node);
    for (const source of layer.inputs) edges.push({ id: `e${edges.length + 1}`, source, sourcePort: 'out', target: layer.id, targetPort: 'in' });
  }
  const document = createDocument({ nodes, edges }, g.name || name);
  return { document, diagnostics, weights };
}
