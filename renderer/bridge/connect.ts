import type { NetweaveApi } from '../../shared/contract';
import { connectWebSocketApi } from './web-socket-api';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    netweave?: NetweaveApi;
  }
}

/** The web host's socket on the page's own origin (the page was served by that host). */
export function socketUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/ws`;
}

let connection: Promise<NetweaveApi> | undefined;

/**
 * The app's one way to reach main. In Electron the preload has put the API on
 * window.netweave; in a browser it is the web host that served this page,
 * reached over a WebSocket that carries the host's cookie. Calling it again
 * returns the same connection; a failed attempt is forgotten so it can be retried.
 */
export function connectNetweave(): Promise<NetweaveApi> {
  if (typeof window !== 'undefined' && window.netweave) return Promise.resolve(window.netweave);
  connection ??= connectWebSocketApi(socketUrlFor(window.location)).catch((error: unknown) => {
    connection = undefined;
    throw error;
  });
  return connection;
}
