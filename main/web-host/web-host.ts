import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { EventName, EventPayloads } from '../../shared/contract';
import type { WireMessage } from '../../shared/channels';
import { err } from '../../shared/result';
import type { AppServices } from '../services/app-services';
import { createAppServices } from '../services/app-services';
import { createRootAccess, workspaceRoot } from '../services/file-access';
import { contentSecurityPolicy } from '../services/content-security-policy';
import type { TrainingPort } from '../services/training-port';
import { allowedOrigins, checkRequest, createToken } from './request-guard';
import type { GuardSettings } from './request-guard';
import { contentTypeFor, resolveStaticFile } from './static-files';

export interface WebHostOptions {
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  userDataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  training?: TrainingPort;
  /** The only folder whose files the page may name (default: the current folder). */
  root?: string;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  cookieName: string;
  services: AppServices;
  /** The workspace root, resolved. */
  root: string;
  close(): Promise<void>;
}

export const callPath = '/api/call';
export const socketPath = '/api/ws';
/** Projects are at most 64 MiB; their JSON inside a request a little more. */
const maxRequestBytes = 80 * 1024 * 1024;

function securityHeaders(port: number): Record<string, string> {
  const sockets = allowedOrigins(port).map((o) => o.replace(/^http:/, 'ws:'));
  return {
    'Content-Security-Policy': contentSecurityPolicy(sockets),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function sendText(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(`${text}\n`);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

async function readBody(req: http.IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxRequestBytes) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
  socket.destroy();
}

/**
 * Serves the built renderer and the contract (HTTP POST /api/call and a
 * WebSocket at /api/ws for calls and events) on 127.0.0.1 only. Nothing is
 * answered without this launch's token, a loopback Host and, when the
 * browser names one, our own Origin.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = createToken();
  const server = http.createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxRequestBytes });
  const clients = new Set<WebSocket>();

  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
    const message = JSON.stringify({ type: 'event', event, payload } satisfies WireMessage);
    for (const client of clients) if (client.readyState === client.OPEN) client.send(message);
  };
  const root = await workspaceRoot(options.root ?? process.cwd());
  const services = createAppServices({
    host: 'web',
    userDataDir: options.userDataDir,
    access: createRootAccess(root),
    emit,
    ...(options.training ? { training: options.training } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Cookies ignore ports: a per-port name keeps two hosts on one machine apart.
  const cookieName = `netweave_token_${port}`;
  const guard: GuardSettings = { port, token, cookieName };
  const headers = securityHeaders(port);
  const rendererDir = path.resolve(options.rendererDir);

  async function handleCall(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendText(res, 405, 'Use POST.', { Allow: 'POST', ...headers });
    // A JSON content type cannot be sent by a plain HTML form: one more wall against cross-site posts.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendJson(res, 415, err('payload-invalid', 'Send the call as application/json.'), headers);
    }
    const body = await readBody(req);
    if (body === 'too-large') return sendJson(res, 413, err('payload-invalid', `The request is larger than ${maxRequestBytes} bytes.`), headers);
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return sendJson(res, 400, err('payload-invalid', 'The request body is not valid JSON.'), headers);
    }
    const { name, input } = (typeof message === 'object' && message !== null ? message : {}) as { name?: unknown; input?: unknown };
    sendJson(res, 200, await services.call(name, input), headers);
  }

  async function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD', ...headers });
    const file = await resolveStaticFile(rendererDir, url.pathname);
    if (!file) {
      const built = await fs.stat(path.join(rendererDir, 'index.html')).catch(() => undefined);
      if (!built) return sendText(res, 503, `The app's pages are not built (${rendererDir} has no index.html). Run "npm run build:renderer", then reload.`, headers);
      return sendText(res, 404, 'Not found.', headers);
    }
    const body = await fs.readFile(file);
    const isPage = file.endsWith('.html');
    res.writeHead(200, {
      'Content-Type': contentTypeFor(file),
      'Content-Length': String(body.length),
      // Hashed asset names never change content; the page itself must always be fresh.
      'Cache-Control': isPage ? 'no-store' : 'private, max-age=31536000, immutable',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  server.on('request', (req, res) => {
    const verdict = checkRequest(req, guard);
    if (!verdict.ok) {
      const hint = verdict.status === 401 ? ' Open the app with the URL (token included) that the host printed when it started.' : '';
      return sendText(res, verdict.status, `Refused: ${verdict.reason}.${hint}`, headers);
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (verdict.tokenFromQuery && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Trade the token in the address bar for a cookie the page's assets carry, then drop it from the URL.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
        ...headers,
      });
      return res.end();
    }
    const work = url.pathname === callPath ? handleCall(req, res) : url.pathname.startsWith('/api/') ? Promise.resolve(sendText(res, 404, 'No such endpoint.', headers)) : handleStatic(req, res, url);
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, err('internal-error', `The host failed: ${error instanceof Error ? error.message : String(error)}`), headers);
      else res.destroy();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const verdict = checkRequest(req, guard);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status, `Refused: ${verdict.reason}.`);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== socketPath) return refuseUpgrade(socket, 404, 'No such endpoint.');
    sockets.handleUpgrade(req, socket, head, (client) => sockets.emit('connection', client, req));
  });

  sockets.on('connection', (client: WebSocket) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => clients.delete(client));
    client.on('message', (data: WebSocket.RawData) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return; // Nothing to answer: without an id there is no caller to tell.
      }
      const { type, id, name, input } = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
      if (type !== 'call' || typeof id !== 'number') return;
      void services.call(name, input).then((result) => {
        if (client.readyState === client.OPEN) client.send(JSON.stringify({ type: 'result', id, result } satisfies WireMessage));
      });
    });
  });

  const origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    cookieName,
    root,
    services,
    close: () => {
      closing ??= (async () => {
        for (const client of clients) client.terminate();
        sockets.close();
        await services.dispose();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
