/**
 * A minimal protocol-buffers writer: just what the ONNX messages need (varints,
 * 32-bit floats, length-delimited bytes, strings and nested messages). Pure and
 * portable: the result is a Uint8Array. Message bodies are kept as lists of chunks,
 * so large weight buffers are copied once, when the file is assembled.
 */

const wireVarint = 0;
const wireFixed32 = 5;
const wireLength = 2;

const utf8 = new TextEncoder();

/** One message under construction. Fields are written in the order they are added. */
export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  get byteLength(): number {
    return this.length + this.scratch.length;
  }

  private flush(): void {
    if (this.scratch.length === 0) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.length += this.scratch.length;
    this.scratch = [];
  }

  private tag(field: number, wire: number): void {
    pushVarint(this.scratch, field * 8 + wire);
  }

  /** int32/int64/enum/bool as a varint; negative values take ten bytes, as protobuf's int64 does. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, wireVarint);
    pushVarint(this.scratch, value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, wireFixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.scratch.push(...bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, wireLength);
    pushVarint(this.scratch, value.byteLength);
    // Small values stay in the scratch buffer; big ones (weights) are kept as they are.
    if (value.byteLength < 256) {
      for (const b of value) this.scratch.push(b);
    } else {
      this.flush();
      this.chunks.push(value);
      this.length += value.byteLength;
    }
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, value: ProtoMessage): this {
    this.tag(field, wireLength);
    pushVarint(this.scratch, value.byteLength);
    this.flush();
    value.flush();
    for (const chunk of value.chunks) this.chunks.push(chunk);
    this.length += value.length;
    return this;
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}

function pushVarint(out: number[], value: number | bigint): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Not an integer: ${value}`);
    if (value >= 0) {
      // Integers beyond 2^31 cannot use the bitwise operators.
      while (value >= 0x80) {
        out.push((value % 0x80) | 0x80);
        value = Math.floor(value / 0x80);
      }
      out.push(value);
      return;
    }
    value = BigInt(value);
  }
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}
