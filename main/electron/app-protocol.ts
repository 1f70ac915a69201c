import { promises as fs } from 'node:fs';
import { protocol } from 'electron';
import { contentTypeFor, resolveStaticFile } from '../web-host/static-files';
import { appHost, appScheme, electronContentSecurityPolicy } from './window-config';

/** Must run before the app is ready: app:// behaves like an https origin ('self', fetch, module workers). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Serves the built renderer under app://netweave/, with the app's CSP on every response. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === appHost && request.method === 'GET' ? await resolveStaticFile(rendererDir, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(await fs.readFile(file), {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(file),
        'Content-Security-Policy': electronContentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
