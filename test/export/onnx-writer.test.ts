import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attr, OnnxGraphBuilder } from '../../graph-schema/export/onnx/onnx-graph-builder';
import { encodeModel } from '../../graph-schema/export/onnx/onnx-proto';
import { ProtoMessage } from '../../graph-schema/export/onnx/protobuf-writer';

const checker = path.join(import.meta.dirname, 'onnx-check.py');

// Kept free of the template imports: the writer is tested on its own.
function runPythonJson<T>(script: string, args: string[]): T {
  return JSON.parse(execFileSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8', timeout: 60_000 })) as T;
}

describe('protobuf writer', () => {
  it('writes varints as protobuf does, negatives as ten bytes', () => {
    expect(Array.from(new ProtoMessage().varint(1, 300).finish())).toEqual([0x08, 0xac, 0x02]);
    expect(Array.from(new ProtoMessage().varint(2, 0).finish())).toEqual([0x10, 0x00]);
    expect(Array.from(new ProtoMessage().varint(1, -1).finish())).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    // 2^35 does not fit the 32-bit bitwise operators.
    expect(Array.from(new ProtoMessage().varint(1, 2 ** 35).finish())).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => new ProtoMessage().varint(1, 1.5)).toThrow(/integer/);
  });

  it('writes floats, strings and nested messages with their lengths', () => {
    expect(Array.from(new ProtoMessage().float(2, 1).finish())).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(Array.from(new ProtoMessage().string(1, 'hé').finish())).toEqual([0x0a, 0x03, 0x68, 0xc3, 0xa9]);
    const inner = new ProtoMessage().varint(1, 5);
    expect(Array.from(new ProtoMessage().message(3, inner).varint(4, 1).finish())).toEqual([0x1a, 0x02, 0x08, 0x05, 0x20, 0x01]);
    // Large payloads are kept as chunks and assembled once, in order.
    const big = new Uint8Array(1000).map((_, i) => i % 251);
    const out = new ProtoMessage().varint(1, 7).bytes(2, big).varint(3, 9).finish();
    expect(Array.from(out.subarray(0, 5))).toEqual([0x08, 0x07, 0x12, 0xe8, 0x07]);
    expect(Array.from(out.subarray(5, 1005))).toEqual(Array.from(big));
    expect(Array.from(out.subarray(1005))).toEqual([0x18, 0x09]);
  });
});

describe('ONNX graph builder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onnx-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes unique names and a model the onnx checker accepts with every attribute type read back', () => {
    const b = new OnnxGraphBuilder('tiny');
    const x = b.addInput('x', ['batch', 3]);
    expect(b.uniqueName('x')).toBe('x_1');
    const w = b.addInitializer('w', [3, 2], Float32Array.from([1, 2, 3, 4, 5, 6]));
    const bias = b.addInitializer('w', [2], Float32Array.from([0.5, -0.5]));
    expect([w, bias]).toEqual(['w', 'w_1']);
    const y = b.op('Gemm', [x, w, bias], { alpha: attr.float(0.25), transB: attr.int(0) }, 'y');
    const shape = b.addInt64('shape', [0, -1]);
    const r = b.op('Reshape', [y, shape], {}, 'y');
    expect(r).toBe('y_1');
    const s = b.op('Softmax', [r], { axis: attr.int(-1) }, 'probs');
    const t = b.op('Transpose', [s], { perm: attr.ints([1, 0]) });
    b.addNode('Identity', [t], { outputs: ['out'] });
    b.addOutput('out', [2, 'batch']);
    const bytes = encodeModel(b.toModel({ producerVersion: 'test', metadata: { 'netweave.classNames': '["a","b"]' } }));
    expect(bytes).toBeInstanceOf(Uint8Array);
    const file = path.join(dir, 'tiny.onnx');
    writeFileSync(file, bytes);
    const [result] = runPythonJson<{ ok: boolean; error: string | null; ir: number; opsets: Record<string, number>; nodes: string[]; inputs: [string, (number | string)[]][]; metadata: Record<string, string>; attributes: Record<string, unknown> }[]>(checker, [file]);
    expect(result!.error).toBeNull();
    expect(result!.ok).toBe(true);
    expect(result!.ir).toBe(8);
    expect(result!.opsets).toEqual({ '': 13 });
    expect(result!.nodes).toEqual(['Gemm', 'Reshape', 'Softmax', 'Transpose', 'Identity']);
    expect(result!.inputs).toEqual([['x', ['batch', 3]]]);
    expect(result!.metadata).toEqual({ 'netweave.classNames': '["a","b"]' });
    expect(result!.attributes['y/Gemm.alpha']).toBe(0.25);
    expect(result!.attributes['probs/Softmax.axis']).toBe(-1);
    expect(result!.attributes['transpose/Transpose.perm']).toEqual([1, 0]);
  });
});
