import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the web host: only a page the launching user opened with
 * this launch's token, on this machine's loopback. Every request (static
 * files too) and every WebSocket upgrade passes through checkRequest.
 */

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface GuardSettings {
  port: number;
  token: string;
  cookieName: string;
}

export type GuardVerdict = { ok: true; tokenFromQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/**
 * Every value of cookie `name`, in order. Cookies ignore ports, so a page on another
 * 127.0.0.1 port can plant one of the same name ahead of ours: each is tried.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/** The first value of cookie `name`. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  return readCookies(header, name)[0];
}

function presentedTokens(req: IncomingMessage, url: URL, cookieName: string): { token: string; fromQuery: boolean }[] {
  const found: { token: string; fromQuery: boolean }[] = [];
  const query = url.searchParams.get('token');
  if (query) found.push({ token: query, fromQuery: true });
  for (const cookie of readCookies(req.headers.cookie, cookieName).slice(0, 20)) {
    if (cookie) found.push({ token: cookie, fromQuery: false });
  }
  const header = req.headers['x-netweave-token'];
  if (typeof header === 'string' && header) found.push({ token: header, fromQuery: false });
  return found;
}

export function checkRequest(req: IncomingMessage, settings: GuardSettings): GuardVerdict {
  // Host first: a DNS-rebinding page reaches the loopback port under a foreign host name.
  const host = req.headers.host;
  if (!host || !allowedHosts(settings.port).includes(host.toLowerCase())) {
    return { ok: false, status: 403, reason: 'foreign Host' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(settings.port).includes(origin.toLowerCase())) {
    return { ok: false, status: 403, reason: 'foreign Origin' };
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    return { ok: false, status: 403, reason: 'cross-site request' };
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  const tokens = presentedTokens(req, url, settings.cookieName);
  const valid = tokens.find((t) => tokensEqual(t.token, settings.token));
  if (!valid) return { ok: false, status: 401, reason: tokens.length === 0 ? 'no token' : 'wrong token' };
  return { ok: true, tokenFromQuery: valid.fromQuery };
}
