import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type ProxyFixture,
  SECRET,
  send,
  startProxyFixture,
  UPSTREAM_TOKEN,
} from './testing/proxy-fixture.ts';

let f: ProxyFixture;
let port: number;
beforeAll(async () => {
  f = await startProxyFixture({ timeoutMs: 400 });
  port = f.proxy.port;
});
afterAll(async () => {
  // Checked last, over everything every test made the proxy log.
  const log = f.logs.join('');
  expect(log.length).toBeGreaterThan(0);
  for (const secret of [SECRET, UPSTREAM_TOKEN, 'exec-token-', f.pki.client.keyPem.split('\n')[1] ?? 'x']) {
    expect(log).not.toContain(secret);
  }
  await f.close();
});

const json = (body: string): unknown => JSON.parse(body);

describe('session', () => {
  it('refuses API routes without the session secret (401 Status)', async () => {
    const r = await send(port, '/-/contexts');
    expect(r.status).toBe(401);
    expect(json(r.body)).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    expect((await send(port, '/clusters/tls/api/v1/pods')).status).toBe(401);
    expect((await send(port, '/-/contexts', { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect((await send(port, '/-/contexts', { headers: { cookie: 'kubeglass_session=wrong' } })).status).toBe(
      401,
    );
  });

  it('accepts Authorization: Bearer <secret> and lists contexts without credentials (KC-09)', async () => {
    const r = await send(port, '/-/contexts', { headers: bearer });
    expect(r.status).toBe(200);
    const list = json(r.body) as { current: string; contexts: { name: string; error?: string }[] };
    expect(list.current).toBe('tls');
    expect(list.contexts.map((c) => c.name)).toEqual([
      'tls',
      'cert',
      'plain',
      'dead',
      'broken',
      'exec',
      'exec-missing',
      'exec-expired',
    ]);
    expect(list.contexts.find((c) => c.name === 'broken')?.error).toMatch(/user "nobody" does not exist/);
    expect(r.body).not.toContain(UPSTREAM_TOKEN);
    expect(r.body).not.toContain('BEGIN');
  });

  it('exchanges ?token= once for an HttpOnly SameSite=Strict cookie and redirects without it', async () => {
    const r = await send(port, `/pods?ns=a&token=${SECRET}`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/pods?ns=a');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^kubeglass_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/$/);
    const pair = cookie.split(';')[0] ?? '';
    expect((await send(port, '/-/contexts', { headers: { cookie: `other=1; ${pair}` } })).status).toBe(200);
  });

  it('refuses a wrong ?token=', async () => {
    const r = await send(port, '/?token=guess');
    expect(r.status).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('serves the app without a session, with index.html fallback and cache headers', async () => {
    const index = await send(port, '/namespaces/default/pods');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await send(port, '/assets/index-abcdef1234.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await send(port, '/assets/missing-00000000.js')).status).toBe(404);
    expect((await send(port, '/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
  });

  it('healthz needs no session', async () => {
    expect((await send(port, '/-/healthz')).status).toBe(200);
  });
});

describe('HTTPS on the same port (for tools: client-go sends tokens only over TLS)', () => {
  const secureGet = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          headers: { host: `127.0.0.1:${port}`, ...headers },
          ca: f.proxy.certificatePem,
          agent: false,
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('serves the same routes with the same rules over TLS, verified by the per-launch certificate', async () => {
    expect((await secureGet('/-/contexts', {})).status).toBe(401);
    const ok = await secureGet('/clusters/tls/api/v1/pods', bearer);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ kind: 'PodList' });
    expect(String(ok.headers['content-security-policy'])).toContain(`wss://127.0.0.1:${port}`);
    const https = await secureGet('/-/contexts', { ...bearer, origin: `https://127.0.0.1:${port}` });
    expect(https.status).toBe(200);
    expect((await secureGet('/-/contexts', { ...bearer, origin: `http://127.0.0.1:${port}` })).status).toBe(
      403,
    );
  });

  it('publishes its certificate (public data) without a session', async () => {
    const r = await send(port, '/-/tls.crt');
    expect(r.status).toBe(200);
    expect(r.body).toBe(f.proxy.certificatePem);
    expect(r.body).not.toContain('PRIVATE KEY');
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host (DNS rebinding) with 421, even with the secret', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `127.0.0.1.evil:${port}`,
    ]) {
      const r = await send(port, '/-/contexts', { headers: { ...bearer, host } });
      expect(r.status).toBe(421);
    }
    expect((await send(port, '/', { headers: { host: 'evil.example' } })).status).toBe(421);
    expect(
      (await send(port, '/-/contexts', { headers: { ...bearer, host: `localhost:${port}` } })).status,
    ).toBe(200);
  });

  it('refuses a foreign Origin (CSRF) with 403 and never answers with CORS headers', async () => {
    const evil = await send(port, '/-/contexts', { headers: { ...bearer, origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect((await send(port, '/-/contexts', { headers: { ...bearer, origin: 'null' } })).status).toBe(403);
    const own = await send(port, '/-/contexts', {
      headers: { ...bearer, origin: `http://127.0.0.1:${port}` },
    });
    expect(own.status).toBe(200);
    for (const r of [evil, own]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('security headers', () => {
  it('every response carries CSP, nosniff and no-referrer', async () => {
    for (const r of [
      await send(port, '/'),
      await send(port, '/-/contexts'),
      await send(port, '/-/contexts', { headers: bearer }),
      await send(port, '/clusters/tls/api/v1/pods', { headers: bearer }),
      await send(port, '/clusters/tls/api/%2e%2e/x', { headers: bearer }),
    ]) {
      const csp = String(r.headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "img-src 'self' data:",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('forwarding', () => {
  it("forwards with the context token and never the browser's Authorization, Cookie, Impersonate-* or X-Remote-*", async () => {
    const before = f.tls.requests.length;
    const r = await send(port, '/clusters/tls/api/v1/pods?limit=5', {
      headers: {
        cookie: `kubeglass_session=${SECRET}; other=1`,
        authorization: 'Bearer forged',
        'impersonate-user': 'system:admin',
        'impersonate-group': 'system:masters',
        'impersonate-extra-scopes': 'all',
        'x-remote-user': 'admin',
        'x-remote-group': 'system:masters',
        connection: 'x-hop',
        'x-hop': 'drop',
        'accept-encoding': 'gzip',
      },
    });
    expect(r.status).toBe(200);
    expect(json(r.body)).toMatchObject({ kind: 'PodList' });
    const seen = f.tls.requests.slice(before);
    expect(seen).toHaveLength(1);
    const got = seen[0]!;
    expect(got.url).toBe('/api/v1/pods?limit=5');
    expect(got.headers.authorization).toBe(`Bearer ${UPSTREAM_TOKEN}`);
    expect(got.headers.cookie).toBeUndefined();
    expect(got.headers['x-hop']).toBeUndefined();
    expect(got.headers['accept-encoding']).toBe('identity');
    expect(Object.keys(got.headers).filter((h) => /^(impersonate-|x-remote-)/.test(h))).toEqual([]);
  });

  it('a plain-HTTP context gets no credentials at all (KC-06)', async () => {
    const before = f.plain.requests.length;
    await send(port, '/clusters/plain/api/v1/pods', { headers: bearer });
    const got = f.plain.requests.slice(before)[0];
    expect(got?.headers.authorization).toBeUndefined();
  });

  it('presents the client certificate of a cert context', async () => {
    const before = f.tls.requests.length;
    const r = await send(port, '/clusters/cert/api/v1/pods', { headers: bearer });
    expect(r.status).toBe(200);
    expect(f.tls.requests.slice(before)[0]?.clientCertCn).toBe('test-admin');
  });

  it('re-runs an exec plugin once when the apiserver answers 401', async () => {
    const before = f.tls.requests.length;
    const r = await send(port, '/clusters/exec/api/v1/pods', { headers: bearer });
    expect(r.status).toBe(200);
    expect(f.execRuns()).toBe(2);
    expect(f.tls.requests.slice(before).map((q) => q.headers.authorization)).toEqual([
      'Bearer exec-token-1',
      'Bearer exec-token-2',
    ]);
  });

  it('passes Status bodies, Retry-After and Warning through; strips Set-Cookie, CORS and auth challenges', async () => {
    const r = await send(port, '/clusters/tls/api/v1/throttled', { headers: bearer });
    expect(r.status).toBe(429);
    expect(json(r.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'TooManyRequests',
      code: 429,
    });
    expect(r.headers['retry-after']).toBe('7');
    expect(r.headers.warning).toBe('299 - "slow down"');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const unauth = await send(port, '/clusters/plain/api/v1/pods', { headers: bearer });
    expect(unauth.headers['www-authenticate']).toBeUndefined();
  });

  it.each([
    '/clusters/tls/api/%2e%2e/%2e%2e/healthz',
    '/clusters/tls/api/%252e%252e/x',
    '/clusters/tls/api/v1%2f..%2f..%2fx',
    '/clusters/tls/api/v1%5c..%5cx',
    '/clusters/tls/api//127.0.0.1/x',
  ])('refuses traversal %s without contacting the upstream', async (path) => {
    const before = f.tls.requests.length;
    const r = await send(port, path, { headers: bearer });
    expect(r.status).toBe(400);
    expect(f.tls.requests.length).toBe(before);
  });

  it('never contacts a server that is not in the kubeconfig (no SSRF)', async () => {
    const before = f.tls.requests.length + f.plain.requests.length;
    const attempts = [
      `/clusters/${encodeURIComponent(f.plain.url)}/api/v1/pods`,
      `/clusters/127.0.0.1:${port}/api/v1/pods`,
      '/clusters/tls/healthz',
      `http://127.0.0.1:${f.plain.url.split(':')[2]}/clusters/tls/api/v1/pods`,
    ];
    for (const path of attempts) {
      const r = await send(port, path, { headers: bearer });
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    expect(f.tls.requests.length + f.plain.requests.length).toBe(before);
  });

  it('limits request bodies (413 Status) and forwards bodies under the limit', async () => {
    const big = await send(port, '/clusters/tls/api/v1/namespaces/a/configmaps', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: Buffer.alloc(4 * 1024 * 1024, 0x20),
    });
    expect(big.status).toBe(413);
    expect(json(big.body)).toMatchObject({ kind: 'Status', code: 413 });
    const small = await send(port, '/clusters/tls/api/v1/namespaces/a/configmaps', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: Buffer.alloc(1024, 0x20),
    });
    expect(small.status).toBe(201);
    expect(json(small.body)).toEqual({ received: 1024 });
  });

  it('answers 502 Status naming the context when the upstream is unreachable or the context is broken', async () => {
    const dead = await send(port, '/clusters/dead/api/v1/pods', { headers: bearer });
    expect(dead.status).toBe(502);
    expect(json(dead.body)).toMatchObject({ kind: 'Status', code: 502 });
    expect((json(dead.body) as { message: string }).message).toMatch(
      /context "dead": cannot reach .*ECONNREFUSED/,
    );
    const broken = await send(port, '/clusters/broken/api/v1/pods', { headers: bearer });
    expect(broken.status).toBe(502);
    expect(broken.body).toMatch(/context \\"broken\\" is not usable/);
    expect((await send(port, '/clusters/ghost/api/v1/pods', { headers: bearer })).status).toBe(404);
  });

  it('an exec plugin returning an already expired credential is a 401 Status (credentials expired), not a 502', async () => {
    const r = await send(port, '/clusters/exec-expired/api/v1/pods', { headers: bearer });
    expect(r.status).toBe(401);
    const status = JSON.parse(r.body) as { kind: string; reason: string; message: string };
    expect(status.kind).toBe('Status');
    expect(status.reason).toBe('Unauthorized');
    expect(status.message).toMatch(
      /context "exec-expired": credentials expired: .*already expired credential/,
    );
    // Nothing reached the cluster with the stale token.
    expect(f.tls.requests.some((q) => q.headers.authorization === 'Bearer stale-token')).toBe(false);
  });

  it('a missing exec plugin is a 502 Status with its installHint; other contexts keep working', async () => {
    const r = await send(port, '/clusters/exec-missing/api/v1/pods', { headers: bearer });
    expect(r.status).toBe(502);
    const message = (json(r.body) as { message: string }).message;
    expect(message).toMatch(
      /context "exec-missing": credentials failed: exec plugin "kubeglass-no-such-plugin" was not found/,
    );
    expect(message).toContain('install it with: brew install no-such-plugin');
    expect((await send(port, '/clusters/tls/api/v1/pods', { headers: bearer })).status).toBe(200);
  });

  it('answers 504 Status naming the context when a non-watch request times out', async () => {
    const r = await send(port, '/clusters/tls/api/v1/slow', { headers: bearer });
    expect(r.status).toBe(504);
    expect(json(r.body)).toMatchObject({ kind: 'Status', code: 504, reason: 'Timeout' });
    expect(r.body).toMatch(/context \\"tls\\"/);
  });
});

describe('streaming', () => {
  it('delivers watch chunks before the upstream ends, and closes the upstream when the client aborts', async () => {
    const baseline = f.tls.openConnections();
    const chunks: string[] = [];
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/clusters/tls/api/v1/pods?watch=true',
      headers: { ...bearer, host: `127.0.0.1:${port}` },
      agent: false,
    });
    const gotChunk = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`chunk ${n} not received`)), 5000);
        const check = setInterval(() => {
          if (chunks.length >= n) {
            clearTimeout(t);
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
    req.on('response', (res) => {
      expect(res.headers['content-encoding']).toBeUndefined();
      res.on('data', (c: Buffer) => chunks.push(c.toString()));
    });
    req.on('error', () => {});
    req.end();
    await gotChunk(1);
    expect(chunks[0]).toContain('"first"');
    expect(f.tls.openWatches()).toBe(1);
    f.tls.tick('second');
    await gotChunk(2);
    expect(chunks.join('')).toContain('"second"');
    // Longer than the 400 ms non-watch timeout: watches are exempt (BR-10).
    await new Promise((r) => setTimeout(r, 600));
    f.tls.tick('third');
    await gotChunk(3);
    req.destroy();
    const end = Date.now() + 3000;
    while (f.tls.openWatches() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(f.tls.openWatches()).toBe(0);
    expect(f.tls.openConnections()).toBeLessThanOrEqual(baseline);
  });
});
