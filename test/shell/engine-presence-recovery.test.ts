import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import { listEngines } from '../../main/engine/engine-presence';
import { tempPathFor, writeFileAtomic } from '../../main/services/atomic-write';
import { RecoveryStore } from '../../main/services/recovery-store';
import { engineNames } from '../../shared/training-types';

const dir = mkdtempSync(path.join(os.tmpdir(), 'netweave-presence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine presence', () => {
  it('lists every engine; a package that does not resolve is absent with what to install', () => {
    const installed = new Set(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    const list = listEngines((pkg) => {
      if (!installed.has(pkg)) throw new Error(`Cannot find module '${pkg}'`);
      return pkg;
    });
    expect(list.map((e) => e.name)).toEqual([...engineNames]);
    const byName = Object.fromEntries(list.map((e) => [e.name, e])) as Record<(typeof engineNames)[number], (typeof list)[number]>;
    expect(byName.tensorflow.present).toBe(true);
    expect(byName.cpu.present).toBe(true);
    expect(byName['tensorflow-gpu'].present).toBe(false);
    expect(byName['tensorflow-gpu'].missing).toContain('install @tensorflow/tfjs-node-gpu');
    expect(byName['tensorflow-gpu'].missing).toContain('CUDA');
    expect(byName.onnxruntime.missing).toContain('onnxruntime-node');
  });
});

describe('save errors and recovery', () => {
  it('a long target name gets a temp name that fits, so the save succeeds', async () => {
    const target = path.join(dir, `${'a'.repeat(240)}.netweave`);
    expect(Buffer.byteLength(path.basename(tempPathFor(target)))).toBeLessThanOrEqual(255);
    await writeFileAtomic(target, 'x');
  });

  it('an impossible name fails naming the target and the reason, not the temp file', async () => {
    const target = path.join(dir, `${'b'.repeat(300)}.netweave`);
    const error = await writeFileAtomic(target, 'x').then(() => null, (e: Error) => e);
    expect(error?.message).toContain(target);
    expect(error?.message).toContain('too long');
    expect(error?.message).not.toContain('netweave-tmp');
  });

  it('the recovery file keeps the project file it belongs to, and ignores a relative one', async () => {
    const store = new RecoveryStore(dir);
    const file = path.join(dir, 'p.netweave');
    await store.write(createDocument({ nodes: [], edges: [] }, 'P'), new Date(), file);
    expect((await store.read())?.file).toBe(file);
    writeFileSync(store.file, JSON.stringify({ savedAt: 'x', file: 'rel.netweave', document: JSON.parse(JSON.stringify(createDocument({ nodes: [], edges: [] }, 'Q'))) }));
    const read = await store.read();
    expect(read?.document.name).toBe('Q');
    expect(read?.file).toBeUndefined();
  });
});
