// The standalone server over real sockets: TLS with the generated CA, the authenticator chain,
// the core's answers passed through unchanged, and watch streaming/abort semantics.
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueClientCertificate } from './certificates.ts';
import { type SimServer, startSimServer } from './sim-server.ts';

type Auth = 'none' | 'admin-cert' | 'viewer-cert' | 'admin-token' | 'viewer-token';

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json(): Record<string, unknown>;
}

let server: SimServer;

function requestOptions(auth: Auth, path: string, method: string): https.RequestOptions {
  const url = new URL(path, server.url);
  const options: https.RequestOptions = {
    hostname: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method,
    ca: server.caPem,
    // A fresh connection per request: keeps the open-connection count and the certificate per call exact.
    agent: false,
    headers: { accept: 'application/json' },
  };
  if (auth === 'admin-cert')
    Object.assign(options, { cert: server.adminCert.certPem, key: server.adminCert.keyPem });
  if (auth === 'viewer-cert')
    Object.assign(options, { cert: server.viewerCert.certPem, key: server.viewerCert.keyPem });
  if (auth === 'admin-token')
    options.headers = { ...options.headers, authorization: `Bearer ${server.adminToken}` };
  if (auth === 'viewer-token')
    options.headers = { ...options.headers, authorization: `Bearer ${server.readOnlyToken}` };
  return options;
}

function call(auth: Auth, path: string, method = 'GET', body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(requestOptions(auth, path, method), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => JSON.parse(text) as Record<string, unknown>,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    if (body !== undefined) {
      req.setHeader('content-type', 'application/json');
      req.end(typeof body === 'string' ? body : JSON.stringify(body));
    } else req.end();
  });
}

function configMap(name: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: 'v' } };
}

beforeAll(async () => {
  server = await startSimServer({ pods: 20 });
});
afterAll(async () => {
  await server?.close();
});

describe('TLS and authentication', () => {
  it('completes a TLS handshake with the generated CA and answers 401 without credentials', async () => {
    const reply = await call('none', '/api/v1/namespaces');
    expect(reply.status).toBe(401);
    expect(reply.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('fails the handshake for a client that does not trust the CA', async () => {
    const options = requestOptions('admin-token', '/version', 'GET');
    delete options.ca;
    const error = await new Promise<Error>((resolve) => {
      const req = https.request(options, () => resolve(new Error('unexpected response')));
      req.on('error', resolve);
      req.end();
    });
    expect(String((error as { code?: unknown }).code)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });

  it.each(['admin-cert', 'admin-token', 'viewer-cert', 'viewer-token'] as const)(
    'lets %s read',
    async (auth) => {
      const reply = await call(auth, '/api/v1/namespaces');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json().kind).toBe('NamespaceList');
    },
  );

  it.each(['admin-cert', 'admin-token'] as const)('lets %s create', async (auth) => {
    const reply = await call(auth, '/api/v1/namespaces/default/configmaps', 'POST', configMap(`by-${auth}`));
    expect(reply.status, reply.text).toBe(201);
    expect((reply.json().metadata as { name: string }).name).toBe(`by-${auth}`);
  });

  it.each(['viewer-cert', 'viewer-token'] as const)('answers 403 Forbidden to %s on create', async (auth) => {
    const reply = await call(auth, '/api/v1/namespaces/default/configmaps', 'POST', configMap(`by-${auth}`));
    expect(reply.status, reply.text).toBe(403);
    expect(reply.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
  });

  it('treats a client certificate from another CA as anonymous (401, not a TLS error)', async () => {
    const foreign = issueClientCertificate(createCertificateAuthority(), {
      user: 'mallory',
      groups: ['system:masters'],
    });
    for (let i = 0; i < 3; i++) {
      const options = {
        ...requestOptions('none', '/api/v1/namespaces', 'GET'),
        cert: foreign.certPem,
        key: foreign.keyPem,
      };
      const status = await new Promise<number>((resolve, reject) => {
        https
          .request(options, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(401);
    }
  });

  it('answers 401 to a wrong token', async () => {
    const options = requestOptions('none', '/api/v1/namespaces', 'GET');
    options.headers = { ...options.headers, authorization: 'Bearer not-the-token' };
    const status = await new Promise<number>((resolve, reject) => {
      https
        .request(options, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(401);
  });
});

describe('request bodies', () => {
  it('refuses a body over 3 MiB with a 413 Status', async () => {
    const huge = JSON.stringify({ ...configMap('huge'), data: { k: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    const reply = await call('admin-token', '/api/v1/namespaces/default/configmaps', 'POST', huge);
    expect(reply.status).toBe(413);
    expect(reply.json()).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
  });

  it('passes the core’s error for malformed JSON through as a Status', async () => {
    const reply = await call('admin-token', '/api/v1/namespaces/default/configmaps', 'POST', '{"kind":');
    expect(reply.status).toBe(400);
    expect(reply.json().kind).toBe('Status');
  });
});

describe('watch streaming', () => {
  /** Open a watch and collect its body as it arrives. */
  async function openWatch(path: string) {
    const req = https.request(requestOptions('admin-token', path, 'GET'));
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    let received = '';
    res.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
    });
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    return { req, res, received: () => received };
  }

  it('delivers each event before the response ends (WS-01)', async () => {
    const list = await call('admin-token', '/api/v1/namespaces/default/configmaps');
    const rv = (list.json().metadata as { resourceVersion: string }).resourceVersion;
    const watch = await openWatch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    expect(watch.res.statusCode).toBe(200);
    expect(watch.res.headers['transfer-encoding']).toBe('chunked');

    await call('admin-token', '/api/v1/namespaces/default/configmaps', 'POST', configMap('streamed-1'));
    await expect.poll(() => watch.received(), { timeout: 5_000 }).toContain('"streamed-1"');
    expect(watch.res.complete).toBe(false);
    const first = JSON.parse(watch.received().trim().split('\n')[0] ?? '{}') as { type: string };
    expect(first.type).toBe('ADDED');

    await call('admin-token', '/api/v1/namespaces/default/configmaps/streamed-1', 'DELETE');
    await expect.poll(() => watch.received(), { timeout: 5_000 }).toMatch(/"type":"DELETED"/);
    expect(watch.res.complete).toBe(false);
    watch.req.destroy();
  });

  it('releases the watch and its connection when the client aborts', async () => {
    await expect.poll(() => server.openConnections(), { timeout: 5_000 }).toBe(0);
    const watchesBefore = server.cluster.openWatches();
    const watch = await openWatch('/api/v1/pods?watch=true');
    expect(server.openConnections()).toBe(1);
    expect(server.cluster.openWatches()).toBe(watchesBefore + 1);
    watch.req.destroy();
    await expect.poll(() => server.openConnections(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => server.cluster.openWatches(), { timeout: 5_000 }).toBe(watchesBefore);
    // The server is still healthy afterwards.
    expect((await call('admin-token', '/version')).status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('serves plain HTTP with tokens when tls is false', async () => {
    const plain = await startSimServer({ tls: false, pods: 0 });
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await fetch(`${plain.url}/api/v1/namespaces`, {
        headers: { authorization: `Bearer ${plain.adminToken}` },
      });
      expect(ok.status).toBe(200);
      expect((await fetch(`${plain.url}/api/v1/namespaces`)).status).toBe(401);
    } finally {
      await plain.close();
    }
  });

  it('reports a busy port clearly', async () => {
    await expect(startSimServer({ port: server.port, pods: 0 })).rejects.toThrow(
      `port ${server.port} on 127.0.0.1 is already in use`,
    );
  });

  it('ends open watches on close()', async () => {
    const other = await startSimServer({ pods: 0 });
    const req = https.request({
      hostname: '127.0.0.1',
      port: other.port,
      path: '/api/v1/namespaces?watch=true',
      ca: other.caPem,
      agent: false,
      headers: { authorization: `Bearer ${other.adminToken}` },
    });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    res.on('error', () => undefined);
    const ended = new Promise((resolve) => res.once('close', resolve));
    await other.close();
    await ended;
    expect(other.openConnections()).toBe(0);
  });
});
