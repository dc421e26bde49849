import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { driveFakeClock } from './drive-fake-clock.ts';
import { ACCEPT_TABLE } from './media-types.ts';
import { RESTClient, type RESTClientOptions } from './rest-client.ts';
import { isConflict, isNotFound, isTooManyRequests, StatusError } from './status-error.ts';
import type { Warning } from './warning-handler.ts';

const BASE = 'http://kube.test/clusters/ctx';

const server = setupServer(
  http.get(`${BASE}/api/v1/namespaces/default/pods/web`, () =>
    HttpResponse.json({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' } }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client(opts: Partial<RESTClientOptions> = {}): RESTClient {
  return new RESTClient({ baseUrl: BASE, qps: -1, warningHandler: { handleWarning: () => {} }, ...opts });
}

describe('RESTClient', () => {
  it('RC-01 / RC-08 / BR-05: GETs an object with Accept JSON and cache no-store', async () => {
    let seen: Request | undefined;
    server.events.on('request:start', ({ request }) => {
      seen = request;
    });
    const pod = await client().json<{ metadata: { name: string } }>({
      version: 'v1',
      namespace: 'default',
      resource: 'pods',
      name: 'web',
    });
    server.events.removeAllListeners();
    expect(pod.metadata.name).toBe('web');
    expect(seen?.headers.get('accept')).toBe('application/json');
    expect(seen?.cache).toBe('no-store');
  });

  it('RC-02: list options map to query parameters; zero values are omitted; timeout in Go format', () => {
    const url = client().url({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      listOptions: {
        labelSelector: 'app=web,tier in (a,b)',
        fieldSelector: '',
        resourceVersion: '0',
        limit: 500,
        timeoutSeconds: 0,
        allowWatchBookmarks: false,
        sendInitialEvents: false,
      },
      timeoutMs: 300_000,
    });
    const u = new URL(url);
    expect(u.pathname).toBe('/clusters/ctx/apis/apps/v1/deployments');
    expect([...u.searchParams.entries()]).toEqual([
      ['labelSelector', 'app=web,tier in (a,b)'],
      ['resourceVersion', '0'],
      ['limit', '500'],
      ['sendInitialEvents', 'false'],
      ['timeout', '5m0s'],
    ]);
    expect(() => client().url({ version: 'v1', resource: 'pods', listOptions: { limit: -1 } })).toThrow(
      RangeError,
    );
  });

  it('RC-08: Table requests send the Table Accept header with JSON fallback', async () => {
    server.use(
      http.get(`${BASE}/api/v1/pods`, ({ request }) =>
        HttpResponse.json({ kind: 'Table', accept: request.headers.get('accept') }),
      ),
    );
    const t = await client().json<{ accept: string }>({
      version: 'v1',
      resource: 'pods',
      accept: ACCEPT_TABLE,
    });
    expect(t.accept).toBe('application/json;as=Table;v=v1;g=meta.k8s.io, application/json');
  });

  it('TE-02: a non-2xx Status body is the error as sent', async () => {
    server.use(
      http.get(`${BASE}/api/v1/namespaces/default/pods/web`, () =>
        HttpResponse.json(
          {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'NotFound',
            code: 404,
            message: 'pods "web" not found',
          },
          { status: 404 },
        ),
      ),
    );
    const err = await client()
      .json({ version: 'v1', namespace: 'default', resource: 'pods', name: 'web' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(isNotFound(err)).toBe(true);
    expect((err as StatusError).message).toBe('pods "web" not found');
  });

  it('TE-02 / TE-03: an HTML error page becomes a Status built from the code, POST 409 is AlreadyExists', async () => {
    server.use(
      http.post(
        `${BASE}/api/v1/namespaces/default/configmaps`,
        () =>
          new HttpResponse('<html><body>conflict</body></html>', {
            status: 409,
            headers: { 'Content-Type': 'text/html' },
          }),
      ),
    );
    const err = (await client()
      .json({
        verb: 'POST',
        version: 'v1',
        namespace: 'default',
        resource: 'configmaps',
        body: { metadata: { name: 'x' } },
      })
      .catch((e: unknown) => e)) as StatusError;
    expect(err.reason).toBe('AlreadyExists');
    expect(err.status.details?.causes?.[0]?.reason).toBe('UnexpectedServerResponse');
    expect(err.message).toContain('<html>');
    expect(isConflict(err)).toBe(false);
  });

  it('TE-04: a 2xx Status Failure and an empty 2xx body are errors', async () => {
    server.use(
      http.get(`${BASE}/api/v1/namespaces/a/pods/x`, () =>
        HttpResponse.json({
          kind: 'Status',
          status: 'Failure',
          reason: 'Conflict',
          code: 409,
          message: 'odd',
        }),
      ),
      http.get(`${BASE}/api/v1/namespaces/b/pods/x`, () => new HttpResponse(null, { status: 200 })),
    );
    const a = await client()
      .json({ version: 'v1', namespace: 'a', resource: 'pods', name: 'x' })
      .catch((e: unknown) => e);
    expect(isConflict(a)).toBe(true);
    const b = (await client()
      .json({ version: 'v1', namespace: 'b', resource: 'pods', name: 'x' })
      .catch((e: unknown) => e)) as StatusError;
    expect(b).toBeInstanceOf(StatusError);
    expect(b.message).toMatch(/^0-length response/);
  });

  it('TE-11: Warning headers reach the handler', async () => {
    const warnings: Warning[] = [];
    server.use(
      http.get(`${BASE}/apis/policy/v1beta1/poddisruptionbudgets`, () =>
        HttpResponse.json(
          { items: [], metadata: {} },
          { headers: { Warning: '299 - "policy/v1beta1 PodDisruptionBudget is deprecated"' } },
        ),
      ),
    );
    await client({ warningHandler: { handleWarning: (w) => warnings.push(w) } }).json({
      group: 'policy',
      version: 'v1beta1',
      resource: 'poddisruptionbudgets',
    });
    expect(warnings.map((w) => w.text)).toEqual(['policy/v1beta1 PodDisruptionBudget is deprecated']);
  });

  it('RC-04 / TE-03: a 429 storm is retried per Retry-After; the last real 429 is the error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/nodes`, () => {
        calls++;
        return new HttpResponse('slow down', { status: 429, headers: { 'Retry-After': '1' } });
      }),
    );
    const err = await driveFakeClock(
      clock,
      client({ clock, maxRetries: 3 })
        .json({ version: 'v1', resource: 'nodes' })
        .catch((e: unknown) => e),
    );
    expect(calls).toBe(4);
    expect(isTooManyRequests(err)).toBe(true);
    expect((err as StatusError).status.details?.retryAfterSeconds).toBe(1);
  });

  it('RC-05: a GET connection error is retried; a POST connection error is not', async () => {
    const clock = new FakeClock();
    let gets = 0;
    let posts = 0;
    server.use(
      http.get(`${BASE}/api/v1/nodes`, () => {
        gets++;
        return gets < 3 ? HttpResponse.error() : HttpResponse.json({ items: [], metadata: {} });
      }),
      http.post(`${BASE}/api/v1/nodes`, () => {
        posts++;
        return HttpResponse.error();
      }),
    );
    const c = client({ clock });
    const list = await driveFakeClock(
      clock,
      c.json<{ items: unknown[] }>({ version: 'v1', resource: 'nodes' }),
    );
    expect(list.items).toEqual([]);
    expect(gets).toBe(3);
    await expect(c.json({ verb: 'POST', version: 'v1', resource: 'nodes', body: {} })).rejects.toBeInstanceOf(
      TypeError,
    );
    expect(posts).toBe(1);
  });

  it('RC-03: requests beyond the burst wait for tokens from the fake clock', async () => {
    const clock = new FakeClock();
    server.use(http.get(`${BASE}/api/v1/nodes`, () => HttpResponse.json({ items: [], metadata: {} })));
    const c = new RESTClient({ baseUrl: BASE, clock, qps: 1, burst: 2 });
    let done = 0;
    const ps = [0, 1, 2].map(() => c.json({ version: 'v1', resource: 'nodes' }).then(() => done++));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(2);
    await clock.advance(1000);
    await Promise.all(ps);
    expect(done).toBe(3);
  });

  it('RC-03: watches are never throttled', async () => {
    const clock = new FakeClock();
    server.use(
      http.get(
        `${BASE}/api/v1/pods`,
        () => new HttpResponse('', { headers: { 'Content-Type': 'application/json' } }),
      ),
    );
    const c = new RESTClient({ baseUrl: BASE, clock, qps: 1, burst: 1 });
    const watches = await Promise.all([0, 1, 2, 3].map(() => c.watch({ version: 'v1', resource: 'pods' })));
    for (const w of watches) w.stop();
    expect(watches).toHaveLength(4);
  });

  it('the request timeout aborts a slow request with a TimeoutError', async () => {
    const clock = new FakeClock();
    server.use(http.get(`${BASE}/api/v1/nodes`, () => new Promise<Response>(() => {})));
    const p = client({ clock }).json({ version: 'v1', resource: 'nodes', timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 10));
    clock.step(5000);
    await expect(p).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('an aborted signal rejects with AbortError and sends nothing', async () => {
    const ac = new AbortController();
    ac.abort(new DOMException('nope', 'AbortError'));
    await expect(
      client().json({ version: 'v1', resource: 'nodes', signal: ac.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('bad input: an unserialisable or stream body fails at once, with no request sent', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let sent = 0;
    server.events.on('request:start', () => {
      sent++;
    });
    const c = client();
    await expect(c.json({ verb: 'POST', version: 'v1', resource: 'nodes', body: circular })).rejects.toThrow(
      /circular/i,
    );
    await expect(
      c.json({ verb: 'PUT', version: 'v1', resource: 'nodes', name: 'n', body: new ReadableStream() }),
    ).rejects.toThrow(/body must be/);
    server.events.removeAllListeners();
    expect(sent).toBe(0);
  });

  it('rejects bad construction', () => {
    expect(() => new RESTClient({ baseUrl: BASE, maxRetries: -1 })).toThrow(RangeError);
  });
});

describe('RESTClient signal hygiene', () => {
  it('BR-03: requests and finished watches leave no listeners on the caller signal', async () => {
    server.use(
      http.get(`${BASE}/api/v1/nodes`, () => HttpResponse.json({ items: [], metadata: {} })),
      http.get(
        `${BASE}/api/v1/pods`,
        () => new HttpResponse(new ReadableStream({ start: (c) => c.close() })),
      ),
    );
    const ac = new AbortController();
    let added = 0;
    let removed = 0;
    const add = ac.signal.addEventListener.bind(ac.signal);
    const remove = ac.signal.removeEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof add;
    ac.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof remove;
    const c = client();
    for (let i = 0; i < 5; i++) await c.json({ version: 'v1', resource: 'nodes', signal: ac.signal });
    for (let i = 0; i < 5; i++) {
      const w = await c.watch({ version: 'v1', resource: 'pods', signal: ac.signal });
      for await (const _ of w) {
        // the body is empty
      }
    }
    expect(added).toBeGreaterThan(0);
    expect(removed).toBe(added);
  });
});
