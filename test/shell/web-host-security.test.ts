import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDocument } from '../../graph-schema/document';
import type { WebHost } from '../../main/web-host/web-host';
import { startWebHost } from '../../main/web-host/web-host';
import { tokensEqual } from '../../main/web-host/request-guard';
import { parseContentSecurityPolicy } from '../../main/services/content-security-policy';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();
const hosts: WebHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

function rendererFixture(): string {
  const dir = tempDir('netweave-renderer-');
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>fixture page</title><script type="module" src="./assets/app.js"></script>');
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("fixture app");');
  return dir;
}

async function start(rendererDir = rendererFixture()): Promise<WebHost> {
  const host = await startWebHost({ rendererDir, userDataDir: tempDir('netweave-user-') });
  hosts.push(host);
  return host;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so that Host and Origin can be set to anything (fetch would not allow it). */
function request(port: number, options: { path?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const cookieOf = (host: WebHost): string => `${host.cookieName}=${host.token}`;

function postCall(host: WebHost, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(host.port, {
    path: '/api/call',
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookieOf(host), Origin: host.origin, ...headers },
    body: JSON.stringify(body),
  });
}

/** Resolves to the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(url: string, options: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => reject(error));
  });
}

describe('web host: who may connect', () => {
  it('listens on the loopback interface only', async () => {
    const host = await start();
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      console.log('No non-loopback IPv4 address on this machine: the refusal from another interface is not exercised.');
      return;
    }
    const reached = await new Promise<string>((resolve) => {
      const req = http.get({ host: external.address, port: host.port, path: '/', timeout: 3000 }, () => resolve('answered'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.on('timeout', () => (req.destroy(), resolve('timeout')));
    });
    expect(reached).not.toBe('answered');
  });

  it('refuses every request without the token, static files included', async () => {
    const host = await start();
    for (const p of ['/', '/index.html', '/assets/app.js', '/api/call', '/favicon.ico']) {
      const reply = await request(host.port, { path: p });
      expect(reply.status, p).toBe(401);
      expect(reply.body).not.toContain('fixture');
    }
    expect((await postCall(host, { name: 'host.info', input: {} }, { Cookie: '' })).status).toBe(401);
  });

  it('refuses a wrong token, and the token of another host', async () => {
    const a = await start();
    const b = await start();
    expect(a.token).not.toBe(b.token);
    expect((await request(a.port, { path: `/?token=${b.token}` })).status).toBe(401);
    expect((await request(a.port, { path: '/', headers: { Cookie: `${a.cookieName}=${b.token}` } })).status).toBe(401);
    expect((await request(a.port, { path: `/?token=${a.token.slice(0, -1)}` })).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const host = await start();
    const first = await request(host.port, { path: `/?token=${host.token}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0]!;
    expect(cookie.startsWith(`${host.cookieName}=${host.token};`)).toBe(true);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    const page = await request(host.port, { path: '/', headers: { Cookie: cookieOf(host) } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('fixture page');
    const asset = await request(host.port, { path: '/assets/app.js', headers: { Cookie: cookieOf(host) } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it.each([['evil.example'], ['evil.example:PORT'], ['127.0.0.1:1'], ['localhost.evil.example:PORT']])('refuses a foreign Host header (%s) even with the token', async (given) => {
    const host = await start();
    const reply = await request(host.port, { path: '/', headers: { Host: given.replace('PORT', String(host.port)), Cookie: cookieOf(host) } });
    expect(reply.status).toBe(403);
  });

  it('refuses a request with no Host header at all', async () => {
    const host = await start();
    const net = await import('node:net');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(host.port, '127.0.0.1', () => socket.write(`GET / HTTP/1.0\r\nCookie: ${cookieOf(host)}\r\n\r\n`));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toContain('403');
  });

  it.each([['http://evil.example'], ['http://127.0.0.1:1'], ['null'], ['https://127.0.0.1:PORT']])('refuses a foreign Origin (%s) even with the token', async (origin) => {
    const host = await start();
    const reply = await postCall(host, { name: 'host.info', input: {} }, { Origin: origin.replace('PORT', String(host.port)) });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('"ok":true');
  });

  it('refuses a request the browser marks cross-site', async () => {
    const host = await start();
    expect((await request(host.port, { path: '/', headers: { Cookie: cookieOf(host), 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
  });

  it('answers a call with the token and our own Origin, and accepts localhost as the host name', async () => {
    const host = await start();
    const reply = await postCall(host, { name: 'host.info', input: {} });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { host: 'web', nativeDialogs: false } });
    const local = await request(host.port, { path: '/', headers: { Host: `localhost:${host.port}`, Cookie: cookieOf(host) } });
    expect(local.status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token or from a foreign Origin or Host', async () => {
    const host = await start();
    const url = `ws://127.0.0.1:${host.port}/api/ws`;
    expect(await upgradeStatus(url, { origin: host.origin })).toBe(401);
    expect(await upgradeStatus(url, { origin: host.origin, headers: { Cookie: `${host.cookieName}=wrong` } })).toBe(401);
    expect(await upgradeStatus(url, { origin: 'http://evil.example', headers: { Cookie: cookieOf(host) } })).toBe(403);
    expect(await upgradeStatus(url, { origin: host.origin, headers: { Cookie: cookieOf(host), Host: 'evil.example' } })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/elsewhere`, { origin: host.origin, headers: { Cookie: cookieOf(host) } })).toBe(404);
    expect(await upgradeStatus(url, { origin: host.origin, headers: { Cookie: cookieOf(host) } })).toBe(101);
  });

  it('sends a strict Content-Security-Policy and no-referrer with the page', async () => {
    const host = await start();
    const page = await request(host.port, { path: '/', headers: { Cookie: cookieOf(host) } });
    const csp = parseContentSecurityPolicy(String(page.headers['content-security-policy']));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(expect.arrayContaining([`ws://127.0.0.1:${host.port}`]));
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
  });
});

describe('web host: what it serves', () => {
  it.each([['/../package.json'], ['/%2e%2e/%2e%2e/package.json'], ['/assets/..%2f..%2fsecret.txt'], ['/%00index.html'], ['/assets']])('serves nothing outside the renderer folder (%s)', async (p) => {
    const root = tempDir('netweave-outer-');
    const rendererDir = path.join(root, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), 'page');
    writeFileSync(path.join(root, 'secret.txt'), 'TOP SECRET');
    writeFileSync(path.join(root, 'package.json'), 'TOP SECRET');
    const host = await start(rendererDir);
    const reply = await request(host.port, { path: p, headers: { Cookie: cookieOf(host) } });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('TOP SECRET');
  });

  it('says how to build the pages when the renderer is not built', async () => {
    const host = await start(tempDir('netweave-empty-'));
    const reply = await request(host.port, { path: '/', headers: { Cookie: cookieOf(host) } });
    expect(reply.status).toBe(503);
    expect(reply.body).toContain('npm run build:renderer');
  });

  it('answers a malformed payload with payload-invalid and writes no file', async () => {
    const host = await start();
    const dir = tempDir();
    const target = path.join(dir, 'x.netweave');
    const document = createDocument({ nodes: [], edges: [] }) as unknown as Record<string, unknown>;
    document.graph = { nodes: 'not a list', edges: [] };
    const reply = await postCall(host, { name: 'project.save', input: { handle: target, document } });
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body);
    expect(result).toMatchObject({ ok: false, error: { code: 'payload-invalid' } });
    expect(result.error.message).toContain('document.graph.nodes');
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('answers bodies that are not JSON, or not sent as JSON, with error values', async () => {
    const host = await start();
    const notJson = await request(host.port, { path: '/api/call', method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookieOf(host) }, body: '{"name":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'payload-invalid' } });
    const form = await request(host.port, { path: '/api/call', method: 'POST', headers: { 'Content-Type': 'text/plain', Cookie: cookieOf(host) }, body: '{"name":"host.info","input":{}}' });
    expect(form.status).toBe(415);
    const unknown = await postCall(host, { name: 'fs.readFile', input: { path: '/etc/passwd' } });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });
});

describe('token comparison', () => {
  it('accepts only the identical token', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abd', 'abc')).toBe(false);
    expect(tokensEqual('abcd', 'abc')).toBe(false);
    expect(tokensEqual('', 'abc')).toBe(false);
  });
});
