// MSW mount of the simulated cluster's core: the same environment-free engine the standalone
// server runs, reached through fetch in unit and component tests. Every request under the base URL
// is translated into a SimRequest (as the admin user, or the user given) and the SimResponse back
// into a Response; streamed bodies (watch) become a ReadableStream that pulls one chunk at a time,
// so a test reading the body sees events as the core emits them.
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { SimBody, SimHandler, SimRequest, SimUser } from '../../../proxy/sim/core/sim-http.ts';

/** The user MSW requests act as unless told otherwise: the cluster admin. */
export const SIM_ADMIN: SimUser = {
  name: 'kubeglass-admin',
  groups: ['system:masters', 'system:authenticated'],
  readOnly: false,
};

export const DEFAULT_SIM_BASE_URL = 'http://localhost/clusters/sim';

export interface SimHandlerOptions {
  /** Absolute URL the cluster is mounted under, without a trailing slash. */
  baseUrl?: string;
  /** The caller; null means unauthenticated (the core answers 401). Default: SIM_ADMIN. */
  user?: SimUser | null;
}

type Chunk = string | Uint8Array;

function isStream(body: SimBody): body is AsyncIterable<Chunk> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/**
 * A pull-based stream over the core's chunks: nothing is read ahead of the consumer. Cancelling
 * the stream aborts the SimRequest, so the core's watch ends and releases its subscription.
 *
 * Under msw/node, cancelling the fetch's body reader does NOT reach this stream (MSW tees the
 * response, and a tee's source is cancelled only when both branches are, so reader.cancel() even
 * stays pending). Abort the fetch's AbortSignal instead: that aborts the SimRequest.
 */
export function toReadableStream(
  body: AsyncIterable<Chunk>,
  abort: AbortController,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      abort.abort();
      // Not awaited: return() queues behind a pending next() until the core ends the watch.
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    },
  });
}

/** Translate one fetch Request into a SimRequest relative to the mount's base path. */
export async function toSimRequest(
  request: Request,
  basePath: string,
  user: SimUser | null,
  signal: AbortSignal,
): Promise<SimRequest> {
  const url = new URL(request.url);
  // URL.pathname keeps percent-encoding, which is what the core expects.
  const rest = url.pathname.slice(basePath.length);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const simRequest: SimRequest = {
    method: request.method.toUpperCase(),
    path: rest === '' ? '/' : rest,
    query: url.searchParams,
    headers,
    user,
    signal,
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > 0) simRequest.body = bytes;
  }
  return simRequest;
}

/** The MSW handlers that mount `cluster` under `options.baseUrl`. */
export function simHandlers(cluster: SimHandler, options: SimHandlerOptions = {}): RequestHandler[] {
  const baseUrl = (options.baseUrl ?? DEFAULT_SIM_BASE_URL).replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const user = options.user === undefined ? SIM_ADMIN : options.user;

  return [
    http.all(`${baseUrl}/*`, async ({ request }) => {
      const abort = new AbortController();
      // If the client aborts its fetch, the SimRequest is aborted too (watches stop at once).
      if (request.signal.aborted) abort.abort();
      else request.signal.addEventListener('abort', () => abort.abort(), { once: true });

      const simRequest = await toSimRequest(request, basePath, user, abort.signal);
      const response = await cluster.handle(simRequest);
      const headers = new Headers(response.headers);
      const body = response.body;
      if (isStream(body)) {
        headers.delete('content-length');
        return new HttpResponse(toReadableStream(body, abort), { status: response.status, headers });
      }
      return new HttpResponse(body, { status: response.status, headers });
    }),
  ];
}
