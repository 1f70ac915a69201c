import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TrainingEvent } from '../../shared/training-types';
import { ok } from '../../shared/result';
import type { TrainingPort } from '../../main/services/training-port';
import { unavailableTraining } from '../../main/services/training-port';
import { startWebHost } from '../../main/web-host/web-host';
import type { WebHost } from '../../main/web-host/web-host';
import type { SocketFactory, SocketLike } from '../../renderer/bridge/web-socket-api';
import { connectWebSocketApi } from '../../renderer/bridge/web-socket-api';
import { socketUrlFor } from '../../renderer/bridge/connect';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netweave-bridge-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A training engine that reports two batches and a finish, so events can be watched end to end. */
const scriptedTraining: TrainingPort = {
  ...unavailableTraining('the lab calls are not scripted here'),
  start: async (_request, onEvent) => {
    setTimeout(() => {
      onEvent({ type: 'batch', runId: 'run-1', epoch: 0, batch: 0, batchesPerEpoch: 2, loss: 2.3, imagesPerSecond: 100 });
      onEvent({ type: 'batch', runId: 'run-1', epoch: 0, batch: 1, batchesPerEpoch: 2, loss: 2.1, imagesPerSecond: 100 });
    }, 10);
    return ok({ runId: 'run-1' });
  },
  stop: async () => ok({ stopped: true }),
  evaluate: async () => ok({ loss: 0, accuracy: 1, classNames: [], confusion: [], perClassAccuracy: [], samples: [], count: 0 }),
  saveModel: async (_runId, dir) => ok({ dir, files: [] }),
  dispose: async () => undefined,
};

async function host(): Promise<WebHost> {
  const started = await startWebHost({ rendererDir: tempDir(), userDataDir: tempDir(), training: scriptedTraining });
  cleanup.push(() => started.close());
  return started;
}

/** What a browser page of the host does: same origin, the host's cookie sent along. */
function pageSocket(h: WebHost): SocketFactory {
  return (url) => {
    const socket = new WebSocket(url, { origin: h.origin, headers: { Cookie: `${h.cookieName}=${h.token}` } });
    cleanup.push(() => socket.terminate());
    return socket as unknown as SocketLike;
  };
}

describe('renderer bridge over the web host', () => {
  it('derives the socket address from the page address', () => {
    expect(socketUrlFor({ protocol: 'http:', host: '127.0.0.1:4100' })).toBe('ws://127.0.0.1:4100/api/ws');
    expect(socketUrlFor({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api/ws');
  });

  it('runs calls, keeps concurrent results apart and returns error values', async () => {
    const h = await host();
    const api = await connectWebSocketApi(`ws://127.0.0.1:${h.port}/api/ws`, pageSocket(h));
    const [info, list, bad] = await Promise.all([
      api.call('host.info', {}),
      api.call('templates.list', {}),
      api.call('project.fromTemplate', { templateId: 12 as unknown as string }),
    ]);
    expect(info).toMatchObject({ ok: true, value: { host: 'web' } });
    expect(list.ok && list.value.some((t) => t.id === 'lenet5')).toBe(true);
    expect(bad).toMatchObject({ ok: false, error: { code: 'payload-invalid' } });
  });

  it('delivers training events to listeners until they unsubscribe', async () => {
    const h = await host();
    const api = await connectWebSocketApi(`ws://127.0.0.1:${h.port}/api/ws`, pageSocket(h));
    const seen: TrainingEvent[] = [];
    const off = api.on('training.event', (event) => seen.push(event));
    const document = await api.call('project.fromTemplate', { templateId: 'mlp-xor' });
    if (!document.ok) throw new Error(document.error.message);
    expect(await api.call('training.start', { document: document.value, epochs: 1 })).toEqual({ ok: true, value: { runId: 'run-1' } });
    await expect.poll(() => seen.length).toBe(2);
    expect(seen.map((e) => (e.type === 'batch' ? e.loss : null))).toEqual([2.3, 2.1]);
    off();
    await api.call('training.start', { document: document.value });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(2);
  });

  it('fails to connect without the token, and reports host-disconnected once the host is gone', async () => {
    const h = await host();
    const url = `ws://127.0.0.1:${h.port}/api/ws`;
    await expect(connectWebSocketApi(url, (u) => new WebSocket(u, { origin: h.origin }) as unknown as SocketLike)).rejects.toThrow(/token/);
    const api = await connectWebSocketApi(url, pageSocket(h));
    await h.close();
    const result = await api.call('host.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'host-disconnected' } });
  });
});
