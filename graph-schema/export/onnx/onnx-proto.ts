import { ProtoMessage } from './protobuf-writer';

/**
 * The ONNX messages the exporter writes, as plain data, and their encoding.
 * Field numbers follow onnx.proto (ONNX IR); only the fields we use are modelled.
 */

/** TensorProto.DataType values. */
export const onnxDataType = { float: 1, int32: 6, int64: 7, bool: 9 } as const;
export type OnnxElemType = keyof typeof onnxDataType;

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  dataType: OnnxElemType;
  /** float: Float32Array; int64: BigInt64Array; int32: Int32Array; bool: Uint8Array. Written as raw little-endian data. */
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
  docString?: string;
}

/** AttributeProto with its type, as onnx.proto's AttributeType numbers it. */
export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxTensor }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'ints'; value: readonly number[] };

const attributeTypeNumber: Record<OnnxAttribute['type'], number> = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, OnnxAttribute>>;
  domain?: string;
  docString?: string;
}

/** A dimension: a size, or a symbolic name such as "batch". */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxElemType;
  /** Omitted: shape unknown. */
  dims?: readonly OnnxDim[];
  docString?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  valueInfo?: readonly OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  irVersion: number;
  opsetImports: readonly { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  modelVersion?: number;
  docString?: string;
  graph: OnnxGraph;
  metadata: readonly { key: string; value: string }[];
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawBytes(tensor: OnnxTensor): Uint8Array {
  const { data } = tensor;
  if (littleEndianHost || data instanceof Uint8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((v: number | bigint, i: number) => {
    if (data instanceof Float32Array) view.setFloat32(i * 4, v as number, true);
    else if (data instanceof Int32Array) view.setInt32(i * 4, v as number, true);
    else view.setBigInt64(i * 8, v as bigint, true);
  });
  return out;
}

export function encodeTensor(tensor: OnnxTensor): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of tensor.dims) m.varint(1, d);
  m.varint(2, onnxDataType[tensor.dataType]);
  m.string(8, tensor.name);
  if (tensor.docString) m.string(12, tensor.docString);
  m.bytes(9, rawBytes(tensor));
  return m;
}

export function encodeAttribute(name: string, attribute: OnnxAttribute): ProtoMessage {
  const m = new ProtoMessage();
  m.string(1, name);
  m.varint(20, attributeTypeNumber[attribute.type]);
  switch (attribute.type) {
    case 'float':
      m.float(2, attribute.value);
      break;
    case 'int':
      m.varint(3, attribute.value);
      break;
    case 'string':
      m.string(4, attribute.value);
      break;
    case 'tensor':
      m.message(5, encodeTensor(attribute.value));
      break;
    case 'floats':
      for (const v of attribute.value) m.float(7, v);
      break;
    case 'ints':
      for (const v of attribute.value) m.varint(8, v);
      break;
  }
  return m;
}

export function encodeNode(node: OnnxNode): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of node.inputs) m.string(1, i);
  for (const o of node.outputs) m.string(2, o);
  m.string(3, node.name);
  m.string(4, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes)) m.message(5, encodeAttribute(name, attribute));
  if (node.docString) m.string(6, node.docString);
  if (node.domain) m.string(7, node.domain);
  return m;
}

export function encodeValueInfo(info: OnnxValueInfo): ProtoMessage {
  const tensorType = new ProtoMessage().varint(1, onnxDataType[info.elemType]);
  if (info.dims) {
    const shape = new ProtoMessage();
    for (const d of info.dims) shape.message(1, typeof d === 'number' ? new ProtoMessage().varint(1, d) : new ProtoMessage().string(2, d));
    tensorType.message(2, shape);
  }
  const m = new ProtoMessage().string(1, info.name).message(2, new ProtoMessage().message(1, tensorType));
  if (info.docString) m.string(3, info.docString);
  return m;
}

export function encodeGraph(graph: OnnxGraph): ProtoMessage {
  const m = new ProtoMessage();
  for (const node of graph.nodes) m.message(1, encodeNode(node));
  m.string(2, graph.name);
  for (const t of graph.initializers) m.message(5, encodeTensor(t));
  if (graph.docString) m.string(10, graph.docString);
  for (const v of graph.inputs) m.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) m.message(12, encodeValueInfo(v));
  for (const v of graph.valueInfo ?? []) m.message(13, encodeValueInfo(v));
  return m;
}

/** The model as the bytes of an .onnx file. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const m = new ProtoMessage();
  m.varint(1, model.irVersion);
  m.string(2, model.producerName);
  m.string(3, model.producerVersion);
  if (model.modelVersion !== undefined) m.varint(5, model.modelVersion);
  if (model.docString) m.string(6, model.docString);
  m.message(7, encodeGraph(model.graph));
  for (const opset of model.opsetImports) m.message(8, new ProtoMessage().string(1, opset.domain).varint(2, opset.version));
  for (const entry of model.metadata) m.message(14, new ProtoMessage().string(1, entry.key).string(2, entry.value));
  return m.finish();
}
