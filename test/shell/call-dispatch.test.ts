import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../../graph-schema/document';
import type { CallHandlers } from '../../shared/contract';
import { callNames, callSchemas } from '../../shared/contract';
import { createAppServices } from '../../main/services/app-services';
import { dispatchCall } from '../../main/services/call-dispatch';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();

function services() {
  return createAppServices({ host: 'web', userDataDir: tempDir(), emit: () => undefined });
}

const tinyDocument = createDocument({ nodes: [{ id: 'in', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } }], edges: [] }, 'tiny');

describe('call dispatch', () => {
  it('has a handler for every call of the contract, and none beyond it', () => {
    const handlers = services().handlers;
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(callSchemas).sort());
    for (const name of callNames) expect(typeof handlers[name]).toBe('function');
  });

  it('makes a handler map without every call a type error (checked by tsc)', () => {
    const { 'host.info': _dropped, ...rest } = services().handlers;
    // @ts-expect-error: 'host.info' is missing, so this is not a CallHandlers.
    const incomplete: CallHandlers = rest;
    expect(Object.keys(incomplete)).not.toContain('host.info');
  });

  it.each([['no.such.call'], [42], [null], [undefined], ['__proto__'], ['constructor'], ['toString']])('answers unknown-call for %s', async (name) => {
    const result = await services().call(name, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });

  it('refuses a malformed save, names the field and writes nothing', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'broken.netweave');
    const document = structuredClone(tinyDocument) as unknown as { graph: { nodes: { id: unknown }[] } };
    document.graph.nodes[0]!.id = 5;
    const result = await services().call('project.save', { handle: target, document });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('payload-invalid');
    expect(result.error.message).toContain('document.graph.nodes.0.id');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['project.save', { document: tinyDocument }, 'handle'],
    ['project.save', { handle: '', document: tinyDocument }, 'handle'],
    ['project.fromTemplate', { templateId: 7 }, 'templateId'],
    ['training.start', { document: tinyDocument, epochs: -1 }, 'epochs'],
    ['export.code', { document: tinyDocument, target: 'cobol' }, 'target'],
    ['dataset.pick', { kind: 'idx', handle: 3 }, 'handle'],
    ['app.documentState', { dirty: 'yes' }, 'dirty'],
  ])('refuses %s with %j, naming "%s"', async (name, input, field) => {
    const result = await services().call(name, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('payload-invalid');
    expect(result.error.message).toContain(`"${field}"`);
  });

  it.each([[undefined], [null], ['text'], [[1, 2]]])('refuses a payload that is not an object (%j)', async (input) => {
    const result = await services().call('host.info', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'payload-invalid' } });
  });

  it('turns a throwing handler into an internal-error value', async () => {
    const handlers = { ...services().handlers, 'host.info': async () => Promise.reject(new Error('boom')) } as CallHandlers;
    const result = await dispatchCall(handlers, 'host.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal-error' } });
    if (!result.ok) expect(result.error.message).toContain('boom');
  });

  it('hands the handler the validated payload, defaults filled and unknown keys dropped', async () => {
    let seen: unknown;
    const handlers = { ...services().handlers, 'graph.summary': async (input: unknown) => ((seen = input), { ok: true as const, value: { nodes: [], totals: { trainable: 0, nonTrainable: 0, total: 0 }, diagnostics: [] } }) } as CallHandlers;
    const raw = structuredClone(tinyDocument) as Record<string, unknown>;
    delete raw.training;
    await dispatchCall(handlers, 'graph.summary', { document: raw, extra: 'dropped' });
    expect(seen).not.toHaveProperty('extra');
    expect((seen as { document: { training: { optimizer: string } } }).document.training.optimizer).toBe('adam');
  });
});
