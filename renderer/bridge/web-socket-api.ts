import type { CallInput, CallName, CallResults, EventName, EventPayloads, NetweaveApi } from '../../shared/contract';
import type { WireMessage, WireRequest } from '../../shared/channels';
import type { Result } from '../../shared/result';
import { err } from '../../shared/result';

/** The part of the WebSocket interface this client uses (the browser's, or the ws package's in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type SocketFactory = (url: string) => SocketLike;

const openState = 1;

const disconnected = (): Result<never> =>
  err('host-disconnected', 'The connection to the Netweave host was lost. Make sure it is still running (npm run serve), then reload the page.');

function openSocket(factory: SocketFactory, url: string): Promise<SocketLike> {
  return new Promise((resolve, reject) => {
    const socket = factory(url);
    let settled = false;
    socket.addEventListener('open', () => {
      settled = true;
      resolve(socket);
    });
    const fail = (): void => {
      if (settled) return;
      settled = true;
      reject(new Error(`Cannot reach the Netweave host at ${url}: open the app with the URL the host printed (it carries the access token).`));
    };
    socket.addEventListener('error', fail);
    socket.addEventListener('close', fail);
  });
}

/**
 * A NetweaveApi over the web host's WebSocket: calls are matched to their
 * results by id; events go to the listeners registered with `on`. When the
 * connection drops, pending calls resolve to 'host-disconnected' and the next
 * call tries to connect again.
 */
export async function connectWebSocketApi(url: string, factory: SocketFactory = (u) => new WebSocket(u)): Promise<NetweaveApi> {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let socket: SocketLike | undefined;
  let connecting: Promise<SocketLike> | undefined;

  function attach(opened: SocketLike): SocketLike {
    opened.addEventListener('message', (event) => {
      let message: WireMessage;
      try {
        message = JSON.parse(String(event.data)) as WireMessage;
      } catch {
        return;
      }
      if (message.type === 'result') {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.result as Result<unknown>);
      } else if (message.type === 'event') {
        for (const listener of listeners.get(message.event) ?? []) {
          try {
            listener(message.payload);
          } catch (error) {
            console.error(`A listener of "${message.event}" failed`, error);
          }
        }
      }
    });
    opened.addEventListener('close', () => {
      if (socket === opened) socket = undefined;
      for (const resolve of pending.values()) resolve(disconnected());
      pending.clear();
    });
    socket = opened;
    return opened;
  }

  async function ready(): Promise<SocketLike | undefined> {
    if (socket && socket.readyState === openState) return socket;
    connecting ??= openSocket(factory, url).then(attach);
    try {
      return await connecting;
    } catch {
      return undefined;
    } finally {
      connecting = undefined;
    }
  }

  attach(await openSocket(factory, url));

  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallResults[N]>> {
      const open = await ready();
      if (!open) return disconnected();
      const id = nextId++;
      const request: WireRequest = { type: 'call', id, name, input };
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        try {
          open.send(JSON.stringify(request));
        } catch {
          pending.delete(id);
          resolve(disconnected());
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}
