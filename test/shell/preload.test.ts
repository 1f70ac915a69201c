import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built preload, run the way a sandboxed preload runs: a bare context whose
// `require` knows only 'electron'.

let dir: string;
let source: string;

beforeAll(async () => {
  mkdirSync(path.join(process.cwd(), '.tmp'), { recursive: true });
  dir = mkdtempSync(path.join(process.cwd(), '.tmp', 'preload-'));
  // @ts-expect-error: a plain ES module of the build scripts, without type declarations
  const { buildElectron } = await import('../../scripts/lib/build-steps.mjs');
  await buildElectron({ force: true, log: () => undefined, outDir: dir });
  source = readFileSync(path.join(dir, 'preload.cjs'), 'utf8');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runPreload() {
  const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const rendererListeners = new Map<string, (event: unknown, message: unknown) => void>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'answer' }),
      send: (...args: unknown[]) => sent.push(args),
      on: (channel: string, listener: (event: unknown, message: unknown) => void) => rendererListeners.set(channel, listener),
    },
  };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require "${name}"`);
    return electron;
  };
  const module = { exports: {} };
  vm.runInNewContext(source, { require: sandboxRequire, module, exports: module.exports, console });
  return { exposed, invoked, sent, rendererListeners, required };
}

describe('preload', () => {
  it('requires nothing but electron', () => {
    expect(runPreload().required).toEqual(['electron']);
  });

  it('exposes exactly call and on, under window.netweave', () => {
    const { exposed } = runPreload();
    expect([...exposed.keys()]).toEqual(['netweave']);
    expect(Object.keys(exposed.get('netweave')!).sort()).toEqual(['call', 'on']);
  });

  it('passes calls to main on the call channel and returns main’s answer', async () => {
    const { exposed, invoked } = runPreload();
    const answer = await exposed.get('netweave')!.call!('host.info', {});
    expect(invoked).toEqual([['netweave:call', 'host.info', {}]]);
    expect(answer).toEqual({ ok: true, value: 'answer' });
  });

  it('delivers events of the contract to their listeners until unsubscribed, and refuses unknown events', () => {
    const { exposed, sent, rendererListeners } = runPreload();
    const api = exposed.get('netweave')!;
    const seen: unknown[] = [];
    const off = api.on!('training.event', (payload: unknown) => seen.push(payload)) as () => void;
    expect(sent).toEqual([['netweave:listening', 'training.event']]);
    const deliver = rendererListeners.get('netweave:event')!;
    deliver({}, { event: 'training.event', payload: { type: 'batch' } });
    deliver({}, { event: 'app.command', payload: { command: 'save' } });
    expect(seen).toEqual([{ type: 'batch' }]);
    off();
    deliver({}, { event: 'training.event', payload: { type: 'epoch' } });
    expect(seen).toHaveLength(1);
    expect(() => api.on!('ipc.raw', () => undefined)).toThrow(/Unknown event/);
  });
});
