// fetch -> SimRequest -> SimResponse -> Response against the simulated cluster's core, streaming
// watch bodies chunk by chunk, so the whole client stack runs with no network and no MSW.
import type { SimHandler, SimRequest } from '../../../../proxy/sim/core/sim-http.ts';
import type { FetchLike } from '../../rest/rest-client.ts';

export function simFetch(sim: SimHandler, prefix: string): FetchLike {
  const encoder = new TextEncoder();
  return async (input, init) => {
    const url = new URL(input);
    const abort = new AbortController();
    init.signal?.addEventListener('abort', () => abort.abort(), { once: true });
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const req: SimRequest = {
      method: init.method ?? 'GET',
      path: url.pathname.slice(prefix.length) || '/',
      query: url.searchParams,
      headers,
      user: { name: 'admin', groups: ['system:masters'], readOnly: false },
      signal: abort.signal,
    };
    if (typeof init.body === 'string') req.body = encoder.encode(init.body);
    const res = await sim.handle(req);
    const body = res.body;
    let stream: BodyInit | null;
    if (typeof body === 'object' && Symbol.asyncIterator in body) {
      const it = body[Symbol.asyncIterator]();
      stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await it.next();
          if (next.done) controller.close();
          else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
        },
        async cancel() {
          abort.abort();
          await it.return?.();
        },
      });
    } else if (res.status === 204 || res.status === 304) {
      stream = null;
    } else {
      stream = typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]);
    }
    return new Response(stream, { status: res.status, headers: res.headers });
  };
}
