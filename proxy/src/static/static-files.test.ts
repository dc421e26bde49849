import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir.ts';
import { createStaticFiles } from './static-files.ts';

const tmp = makeTempDir();
let server: Server;
let base: string;
beforeAll(async () => {
  tmp.write('app/index.html', '<!doctype html><title>kubeglass</title>');
  tmp.write('app/assets/index-Bx12cd34.js', 'export {}');
  tmp.write('app/assets/style-Aa99bb00.css', 'body{}');
  tmp.write('app/favicon.svg', '<svg/>');
  tmp.write('secret.txt', 'outside the root');
  server = createServer(createStaticFiles(`${tmp.path}/app`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  tmp.remove();
});

describe('static files', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/assets/index-Bx12cd34.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/style-Aa99bb00.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/favicon.svg', 'image/svg+xml', 'no-cache'],
  ])('serves %s as %s with cache-control %s', async (path, type, cache) => {
    const r = await fetch(`${base}${path}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(type);
    expect(r.headers.get('cache-control')).toBe(cache);
  });

  it('falls back to index.html for client-side routes, but not for missing files', async () => {
    const route = await fetch(`${base}/clusters-view/kind/pods`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>kubeglass</title>');
    expect((await fetch(`${base}/assets/gone-00000000.js`)).status).toBe(404);
  });

  it.each([
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/a%00b',
    '/a%5c..%5csecret.txt',
  ])('never serves files outside the root: %s', async (path) => {
    const r = await fetch(`${base}${path}`);
    expect(await r.text()).not.toContain('outside the root');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
