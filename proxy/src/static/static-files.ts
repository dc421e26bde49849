// Serves the built app (dist/app). Files need no session: they hold no data, and the page must
// load before it can present the cookie. Paths that look like client-side routes (no file
// extension) fall back to index.html; missing assets are a plain 404. Hashed assets under
// /assets/ are immutable for a year; index.html is always revalidated so a rebuild shows at once.
import { createReadStream, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Vite names bundle files like index-3f2a9c1b.js: safe to cache forever. */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function fileStat(path: string): Stats | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

function plain(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function createStaticFiles(root: string) {
  const base = normalize(root + sep);
  return function serveStatic(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      plain(res, 405, 'method not allowed');
      return;
    }
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      plain(res, 400, 'bad path');
      return;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) {
      plain(res, 400, 'bad path');
      return;
    }
    const candidate = normalize(join(base, decoded));
    if (!candidate.startsWith(base)) {
      plain(res, 400, 'bad path');
      return;
    }
    let file = candidate;
    let st = decoded.endsWith('/') ? undefined : fileStat(file);
    if (!st) {
      if (extname(decoded) !== '' && !decoded.endsWith('/')) {
        plain(res, 404, 'not found');
        return;
      }
      file = join(base, 'index.html');
      st = fileStat(file);
      if (!st) {
        plain(res, 404, 'the app is not built: run `npm run build`');
        return;
      }
    }
    const isIndex = file.endsWith(`${sep}index.html`);
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control':
        !isIndex && decoded.startsWith('/assets/') && HASHED.test(decoded)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
