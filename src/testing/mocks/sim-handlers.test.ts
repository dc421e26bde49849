// The MSW mount over the real simulated-cluster core: a plain fetch lists, gets errors as Status
// bodies, and reads a watch stream that receives a live event while the response is still open.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimCluster } from '../../../proxy/sim/core/sim-cluster.ts';
import { DEFAULT_SIM_BASE_URL, simHandlers } from './sim-handlers.ts';

const cluster = createSimCluster();
const server = setupServer(...simHandlers(cluster));
const base = DEFAULT_SIM_BASE_URL;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  cluster.close();
});

function configMap(name: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' } };
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Read a stream until `predicate` holds for the text so far, with a bounded wait. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
  timeoutMs = 5_000,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!predicate(text)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out; received so far:\n${text}`);
    const next = await Promise.race([
      reader.read(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), remaining)),
    ]);
    if (next === 'timeout') continue;
    if (next.done) throw new Error(`stream ended early; received:\n${text}`);
    text += decoder.decode(next.value, { stream: true });
  }
  return text;
}

describe('simHandlers', () => {
  it('lists objects created through the mount', async () => {
    expect((await post('/api/v1/namespaces/default/configmaps', configMap('listed'))).status).toBe(201);
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as {
      kind: string;
      metadata: { resourceVersion: string };
      items: unknown[];
    };
    expect(list.kind).toBe('ConfigMapList');
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(list.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metadata: expect.objectContaining({ name: 'listed' }) }),
      ]),
    );
  });

  it('returns the core’s Status errors with their codes', async () => {
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps/missing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  it('streams a watch that receives a live event before the response ends (WS-01)', async () => {
    const list = (await (await fetch(`${base}/api/v1/namespaces/default/configmaps`)).json()) as {
      metadata: { resourceVersion: string };
    };
    const abort = new AbortController();
    const res = await fetch(
      `${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      { signal: abort.signal },
    );
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    // Created after the watch started: it can only arrive as a live event.
    expect((await post('/api/v1/namespaces/default/configmaps', configMap('live'))).status).toBe(201);
    const text = await readUntil(reader, (t) => t.includes('"live"'));
    abort.abort();
    const event = JSON.parse(text.trim().split('\n')[0] ?? '{}') as {
      type: string;
      object: { metadata: { name: string } };
    };
    expect(event.type).toBe('ADDED');
    expect(event.object.metadata.name).toBe('live');
  });

  it('ends the core watch when the client aborts its fetch', async () => {
    const before = cluster.openWatches();
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true`, {
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(cluster.openWatches()).toBe(before + 1);
    abort.abort();
    await expect.poll(() => cluster.openWatches(), { timeout: 5_000 }).toBe(before);
  });

  it('acts as an unauthenticated caller when user is null', async () => {
    server.use(...simHandlers(cluster, { user: null }));
    const res = await fetch(`${base}/api/v1/namespaces`);
    expect(res.status).toBe(401);
  });

  it('mounts under another base URL', async () => {
    const other = 'http://127.0.0.1:9999/k8s';
    server.use(...simHandlers(cluster, { baseUrl: `${other}/` }));
    const res = await fetch(`${other}/api/v1/namespaces/default/configmaps/listed`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { metadata: { name: string } }).metadata.name).toBe('listed');
  });
});
