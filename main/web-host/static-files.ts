import { promises as fs } from 'node:fs';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or undefined when it names
 * none (missing, a folder, or outside root after decoding "..", "%2e%2e" and
 * the like). "/" is index.html.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootAbsolute = path.resolve(root);
  const file = path.resolve(rootAbsolute, relative);
  if (file !== rootAbsolute && !file.startsWith(rootAbsolute + path.sep)) return undefined;
  try {
    // Symbolic links must not lead out of the folder either.
    const real = await fs.realpath(file);
    const realRoot = await fs.realpath(rootAbsolute);
    if (!real.startsWith(realRoot + path.sep)) return undefined;
    const stat = await fs.stat(real);
    return stat.isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
