import type { OnnxAttribute, OnnxDim, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from '../export/onnx/onnx-proto';

/**
 * A minimal protocol-buffers reader for the ONNX messages (the inverse of export/onnx/onnx-proto.ts):
 * varints (64-bit through BigInt), fixed32/fixed64, length-delimited fields, packed repeated fields.
 * Tensors come back as float32 (float, float_data, raw_data, double) or int64 values; anything
 * malformed throws OnnxDecodeError, never reads past the buffer.
 */

export class OnnxDecodeError extends Error {
  readonly code = 'import-onnx-malformed';
}

/** A decoded tensor: numbers for every element type we read (int64 beyond 2^53 loses precision, which shapes never reach). */
export interface DecodedTensor extends Omit<OnnxTensor, 'data' | 'dataType'> {
  dataType: number;
  data: Float32Array | number[];
}

export type DecodedAttribute = Exclude<OnnxAttribute, { type: 'tensor' }> | { type: 'tensor'; value: DecodedTensor };
export interface DecodedNode extends Omit<OnnxNode, 'attributes'> {
  attributes: Record<string, DecodedAttribute>;
}
export interface DecodedGraph extends Omit<OnnxGraph, 'nodes' | 'initializers' | 'inputs' | 'outputs' | 'valueInfo'> {
  nodes: DecodedNode[];
  initializers: DecodedTensor[];
  inputs: (Omit<OnnxValueInfo, 'elemType'> & { elemType: number })[];
  outputs: (Omit<OnnxValueInfo, 'elemType'> & { elemType: number })[];
}
export interface DecodedModel extends Omit<OnnxModel, 'graph'> {
  graph: DecodedGraph;
}

interface Field {
  no: number;
  wire: number;
  /** Varint / fixed values. */
  int: bigint;
  /** Length-delimited payload. */
  bytes: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new OnnxDecodeError('The file ends inside a number (truncated?).');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
    }
    throw new OnnxDecodeError('A varint is longer than ten bytes: this is not a protobuf (ONNX) file.');
  }
  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) throw new OnnxDecodeError('A field runs past the end of the file (truncated?).');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  field(): Field {
    const key = this.varint();
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (no <= 0) throw new OnnxDecodeError('A field number is 0: this is not a protobuf (ONNX) file.');
    const empty = new Uint8Array(0);
    switch (wire) {
      case 0:
        return { no, wire, int: this.varint(), bytes: empty };
      case 1: {
        const b = this.take(8);
        return { no, wire, int: new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true), bytes: b };
      }
      case 2:
        return { no, wire, int: 0n, bytes: this.take(Number(this.varint())) };
      case 5: {
        const b = this.take(4);
        return { no, wire, int: BigInt(new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true)), bytes: b };
      }
      default:
        throw new OnnxDecodeError(`Wire type ${wire} is not used by ONNX: this is not an ONNX file.`);
    }
  }
}

function fields(buf: Uint8Array): Field[] {
  const r = new Reader(buf);
  const out: Field[] = [];
  while (!r.done) out.push(r.field());
  return out;
}

const str = (f: Field): string => utf8.decode(f.bytes);
const num = (f: Field): number => Number(f.int);

/** Repeated integers: packed (one length-delimited field) or one varint each. */
function ints(fs: Field[]): number[] {
  const out: number[] = [];
  for (const f of fs) {
    if (f.wire === 2) {
      const r = new Reader(f.bytes);
      while (!r.done) out.push(Number(r.varint()));
    } else out.push(num(f));
  }
  return out;
}

function floats(fs: Field[]): number[] {
  const out: number[] = [];
  for (const f of fs) {
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    if (f.wire === 2) {
      if (f.bytes.byteLength % 4) throw new OnnxDecodeError('A packed float list has a length that is not a multiple of 4.');
      for (let i = 0; i < f.bytes.byteLength; i += 4) out.push(view.getFloat32(i, true));
    } else if (f.wire === 5) out.push(view.getFloat32(0, true));
  }
  return out;
}

function doubles(fs: Field[]): number[] {
  const out: number[] = [];
  for (const f of fs) {
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    if (f.wire === 2) for (let i = 0; i + 8 <= f.bytes.byteLength; i += 8) out.push(view.getFloat64(i, true));
    else if (f.wire === 1) out.push(view.getFloat64(0, true));
  }
  return out;
}

const by = (fs: Field[], no: number): Field[] => fs.filter((f) => f.no === no);
const one = (fs: Field[], no: number): Field | undefined => fs.filter((f) => f.no === no).pop();

/** TensorProto.DataType numbers we read: FLOAT 1, INT32 6, INT64 7, DOUBLE 11 (and the 8/16-bit ints through int32_data). */
export function decodeTensor(buf: Uint8Array): DecodedTensor {
  const fs = fields(buf);
  const dims = ints(by(fs, 1));
  const dataType = num(one(fs, 2) ?? ({ int: 1n } as Field));
  const name = one(fs, 8) ? str(one(fs, 8)!) : '';
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = one(fs, 9)?.bytes;
  if (one(fs, 14)) throw new OnnxDecodeError(`Tensor "${name}" keeps its data in an external file; save the model with its weights inside (onnx.save with save_as_external_data=False).`);
  let data: Float32Array | number[];
  if (raw && raw.byteLength > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = dataType === 7 || dataType === 11 ? 8 : dataType === 1 || dataType === 6 ? 4 : dataType === 9 || dataType === 2 || dataType === 3 ? 1 : 0;
    if (size === 0) throw new OnnxDecodeError(`Tensor "${name}" has element type ${dataType}, which cannot be imported (float32 weights only).`);
    if (raw.byteLength !== count * size) throw new OnnxDecodeError(`Tensor "${name}" holds ${raw.byteLength} bytes for ${count} elements.`);
    if (dataType === 1) {
      const f = new Float32Array(count);
      for (let i = 0; i < count; i++) f[i] = view.getFloat32(i * 4, true);
      data = f;
    } else if (dataType === 11) data = Float32Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true));
    else if (dataType === 7) data = Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    else if (dataType === 6) data = Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
    else data = Array.from(raw);
  } else if (dataType === 1) data = Float32Array.from(floats(by(fs, 4)));
  else if (dataType === 11) data = Float32Array.from(doubles(by(fs, 10)));
  else if (dataType === 7) data = ints(by(fs, 7));
  else data = ints(by(fs, 5));
  if (data.length !== count) throw new OnnxDecodeError(`Tensor "${name}" has ${data.length} values for its shape [${dims.join(', ')}].`);
  return { name, dims, dataType, data };
}

function decodeAttribute(buf: Uint8Array): [string, DecodedAttribute] | null {
  const fs = fields(buf);
  const name = str(one(fs, 1) ?? ({ bytes: new Uint8Array() } as Field));
  const type = one(fs, 20) ? num(one(fs, 20)!) : 0;
  // AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7 (older files may omit the type).
  if (type === 1 || (type === 0 && one(fs, 2))) return [name, { type: 'float', value: floats(by(fs, 2))[0] ?? 0 }];
  if (type === 2 || (type === 0 && one(fs, 3))) return [name, { type: 'int', value: num(one(fs, 3) ?? ({ int: 0n } as Field)) }];
  if (type === 3 || (type === 0 && one(fs, 4))) return [name, { type: 'string', value: str(one(fs, 4) ?? ({ bytes: new Uint8Array() } as Field)) }];
  if (type === 4 || (type === 0 && one(fs, 5))) return [name, { type: 'tensor', value: decodeTensor(one(fs, 5)?.bytes ?? new Uint8Array()) }];
  if (type === 6 || (type === 0 && one(fs, 7))) return [name, { type: 'floats', value: floats(by(fs, 7)) }];
  if (type === 7 || (type === 0 && one(fs, 8))) return [name, { type: 'ints', value: ints(by(fs, 8)) }];
  return null;
}

function decodeNode(buf: Uint8Array): DecodedNode {
  const fs = fields(buf);
  const attributes: Record<string, DecodedAttribute> = {};
  for (const f of by(fs, 5)) {
    const a = decodeAttribute(f.bytes);
    if (a) attributes[a[0]] = a[1];
  }
  const domain = one(fs, 7) ? str(one(fs, 7)!) : '';
  return {
    opType: one(fs, 4) ? str(one(fs, 4)!) : '',
    name: one(fs, 3) ? str(one(fs, 3)!) : '',
    inputs: by(fs, 1).map(str),
    outputs: by(fs, 2).map(str),
    attributes,
    ...(domain ? { domain } : {}),
  };
}

function decodeValueInfo(buf: Uint8Array): Omit<OnnxValueInfo, 'elemType'> & { elemType: number } {
  const fs = fields(buf);
  const name = one(fs, 1) ? str(one(fs, 1)!) : '';
  const type = one(fs, 2);
  const tensorType = type ? one(fields(type.bytes), 1) : undefined;
  if (!tensorType) return { name, elemType: 0 };
  const tt = fields(tensorType.bytes);
  const elemType = one(tt, 1) ? num(one(tt, 1)!) : 0;
  const shape = one(tt, 2);
  if (!shape) return { name, elemType };
  const dims: OnnxDim[] = by(fields(shape.bytes), 1).map((d) => {
    const df = fields(d.bytes);
    const v = one(df, 1);
    const p = one(df, 2);
    return v ? num(v) : p ? str(p) : '?';
  });
  return { name, elemType, dims };
}

function decodeGraph(buf: Uint8Array): DecodedGraph {
  const fs = fields(buf);
  return {
    name: one(fs, 2) ? str(one(fs, 2)!) : '',
    nodes: by(fs, 1).map((f) => decodeNode(f.bytes)),
    initializers: by(fs, 5).map((f) => decodeTensor(f.bytes)),
    inputs: by(fs, 11).map((f) => decodeValueInfo(f.bytes)),
    outputs: by(fs, 12).map((f) => decodeValueInfo(f.bytes)),
  };
}

/** The bytes of an .onnx file → the model; throws OnnxDecodeError when they are not one. */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  const fs = fields(bytes);
  const graph = one(fs, 7);
  if (!graph || graph.wire !== 2 || !one(fs, 1)) throw new OnnxDecodeError('The file has no ONNX graph or IR version: it is not an ONNX model.');
  const kv = (f: Field) => {
    const e = fields(f.bytes);
    return { key: one(e, 1) ? str(one(e, 1)!) : '', value: one(e, 2) ? str(one(e, 2)!) : '' };
  };
  return {
    irVersion: num(one(fs, 1)!),
    producerName: one(fs, 2) ? str(one(fs, 2)!) : '',
    producerVersion: one(fs, 3) ? str(one(fs, 3)!) : '',
    opsetImports: by(fs, 8).map((f) => {
      const e = fields(f.bytes);
      return { domain: one(e, 1) ? str(one(e, 1)!) : '', version: one(e, 2) ? num(one(e, 2)!) : 0 };
    }),
    graph: decodeGraph(graph.bytes),
    metadata: by(fs, 14).map(kv),
  };
}
