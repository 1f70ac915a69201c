import { realpathSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebHost } from '../../main/web-host/web-host';
import { startWebHost } from '../../main/web-host/web-host';
import { checkRequest } from '../../main/web-host/request-guard';
import { parseServeArgs } from '../../main/web-host/serve-cli';
import { useTempDirs } from '../shell/temp-dirs';

const tempDir = useTempDirs();
const hosts: WebHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

function post(host: WebHost, cookie: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: '/api/call', method: 'POST', headers: { Host: `127.0.0.1:${host.port}`, Cookie: cookie, 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('web host workspace root', () => {
  it('defaults to the current folder and takes --root DIR', () => {
    expect(parseServeArgs([], '/work/x').root).toBe('/work/x');
    expect(parseServeArgs(['--root', 'data'], '/work/x').root).toBe('/work/x/data');
    expect(parseServeArgs(['--root=/srv/w'], '/work/x').root).toBe('/srv/w');
  });

  it('serves only files below its root, resolved; a planted cookie of the same name does not lock the user out', async () => {
    const root = tempDir('netweave-root-');
    const outside = tempDir('netweave-outside-');
    writeFileSync(path.join(outside, 'p.netweave'), 'SECRET');
    const host = await startWebHost({ rendererDir: tempDir('netweave-renderer-'), userDataDir: tempDir('netweave-user-'), root });
    hosts.push(host);
    expect(host.root).toBe(realpathSync(root));
    const good = `${host.cookieName}=${host.token}`;
    // Another page on 127.0.0.1 can set a cookie of our name; it comes first in the header.
    const planted = `${host.cookieName}=planted-by-another-port; ${good}`;
    const refused = await post(host, planted, { name: 'project.open', input: { handle: path.join(outside, 'p.netweave') } });
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'access-refused' } });
    expect(refused.body).not.toContain('SECRET');
    const wrongOnly = await post(host, `${host.cookieName}=planted-1; ${host.cookieName}=planted-2`, { name: 'host.info', input: {} });
    expect(wrongOnly.status).toBe(401);
  });

  it('the guard accepts a request when any cookie of the token name matches, and only then', () => {
    const settings = { port: 4000, token: 'a'.repeat(43), cookieName: 'netweave_token_4000' };
    const req = (cookie: string) => ({ headers: { host: '127.0.0.1:4000', cookie }, url: '/api/call' }) as unknown as http.IncomingMessage;
    expect(checkRequest(req(`netweave_token_4000=x; netweave_token_4000=${settings.token}`), settings).ok).toBe(true);
    expect(checkRequest(req(`netweave_token_4000=${settings.token}; netweave_token_4000=x`), settings).ok).toBe(true);
    expect(checkRequest(req('netweave_token_4000=x; netweave_token_4000=y'), settings).ok).toBe(false);
  });
});
