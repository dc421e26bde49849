// Build SimRequests and read SimResponses without a transport: what tests of the core (and any
// in-process caller) use to talk to a SimCluster the way an HTTP client would.
import type { SimBody, SimRequest, SimResponse, SimUser } from './sim-http.ts';

export const ADMIN: SimUser = { name: 'admin', groups: ['system:masters'], readOnly: false };

export interface SimRequestInit {
  method?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A value is sent as JSON (Content-Type application/json unless given). */
  body?: unknown;
  /** Raw body text, sent as is. */
  rawBody?: string;
  user?: SimUser | null;
  signal?: AbortSignal;
}

export function buildSimRequest(path: string, init: SimRequestInit = {}): SimRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: Uint8Array | undefined;
  if (init.rawBody !== undefined) body = new TextEncoder().encode(init.rawBody);
  else if (init.body !== undefined) {
    body = new TextEncoder().encode(JSON.stringify(init.body));
    headers['content-type'] ??= 'application/json';
  }
  const req: SimRequest = {
    method: init.method ?? 'GET',
    path,
    query: new URLSearchParams(init.query ?? {}),
    headers,
    user: init.user === undefined ? ADMIN : init.user,
    signal: init.signal ?? new AbortController().signal,
  };
  if (body !== undefined) req.body = body;
  return req;
}

/** The whole body as text (for a stream: every chunk until it ends). */
export async function bodyText(body: SimBody): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  let out = '';
  for await (const chunk of body) out += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  return out;
}

export async function bodyJson<T = Record<string, unknown>>(res: SimResponse): Promise<T> {
  return JSON.parse(await bodyText(res.body)) as T;
}

export interface WatchLine {
  type: string;
  object: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

/**
 * Read watch events from a streaming body until `count` arrived, the stream ended, or `timeoutMs`
 * passed (then the iterator is released). Never hangs a test.
 */
export async function readWatchEvents(
  res: SimResponse,
  count: number,
  timeoutMs = 2000,
): Promise<WatchLine[]> {
  const body = res.body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    return (await bodyText(body))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as WatchLine);
  }
  const it = body[Symbol.asyncIterator]();
  const events: WatchLine[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), left);
      });
      const next = await Promise.race([it.next(), timeout]);
      clearTimeout(timer);
      if (next === 'timeout' || next.done) break;
      buffer += typeof next.value === 'string' ? next.value : new TextDecoder().decode(next.value);
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() !== '') events.push(JSON.parse(line) as WatchLine);
        nl = buffer.indexOf('\n');
      }
    }
  } finally {
    await it.return?.();
  }
  return events;
}
