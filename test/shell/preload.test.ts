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

function runPreload(pathForFile: (file: unknown) => string = () => '') {
  const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const rendererListeners = new Map<string, (event: unknown, message: unknown) => void>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.set(key, api) },
    webUtils: { getPathForFile: pathForFile },
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

  it('exposes exactly call and on under window.netweave, and one function for drops under window.netweaveDrop', () => {
    const { exposed } = runPreload();
    expect([...exposed.keys()].sort()).toEqual(['netweave', 'netweaveDrop']);
    expect(Object.keys(exposed.get('netweave')!).sort()).toEqual(['call', 'on']);
    expect(Object.keys(exposed.get('netweaveDrop')!)).toEqual(['handleFor']);
  });

  it('sends a dropped file’s path to main on the drop channel only, and nothing when it has none', async () => {
    const dropped = { name: 'net.netweave' };
    const { exposed, invoked } = runPreload((file) => {
      if (file !== dropped) throw new TypeError('not a File');
      return '/home/user/net.netweave';
    });
    const drop = exposed.get('netweaveDrop')!.handleFor!;
    expect(await drop(dropped)).toEqual({ ok: true, value: 'answer' });
    // Something that is not a File (or a File made by script, whose path is '') sends an empty path, which main refuses.
    await drop('/etc/passwd');
    expect(invoked).toEqual([
      ['netweave:drop', '/home/user/net.netweave'],
      ['netweave:drop', ''],
    ]);
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
