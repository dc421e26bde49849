// Which headers cross the proxy. Requests: the browser's own credentials and identity claims
// (Authorization, Cookie, Impersonate-*, X-Remote-*) never reach the apiserver — the proxy sets
// the context's credentials itself — and hop-by-hop headers end at the proxy. Responses: status
// bodies, Retry-After and Warning pass unchanged (BR-10); nothing that could grant CORS, set
// cookies on our origin or pop a browser login dialog passes.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  // HTTP/1.1 → h2c upgrade parameters (RFC 7540 3.2.1): connection-specific, like Upgrade itself.
  'http2-settings',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const REQUEST_DROP = new Set([
  'authorization',
  'cookie',
  'host',
  'origin',
  'referer',
  'forwarded',
  // The proxy never asks for a compressed body: chunks must pass one by one (BR-10).
  'accept-encoding',
  // Recomputed from the buffered body.
  'content-length',
]);
const REQUEST_DROP_PREFIXES = ['impersonate-', 'x-remote-', 'x-forwarded-', 'sec-'];

const RESPONSE_DROP = new Set(['set-cookie', 'www-authenticate', 'alt-svc', 'strict-transport-security']);
const RESPONSE_DROP_PREFIXES = ['access-control-'];

/** Header names a Connection header marks as hop-by-hop for this message. */
function connectionListed(value: string | string[] | undefined): Set<string> {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    joined
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

function copyFiltered(
  from: IncomingHttpHeaders,
  drop: Set<string>,
  prefixes: readonly string[],
): OutgoingHttpHeaders {
  const listed = connectionListed(from.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(from)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || listed.has(lower) || drop.has(lower)) continue;
    if (prefixes.some((p) => lower.startsWith(p))) continue;
    out[lower] = value;
  }
  return out;
}

/** Headers of the browser's request that may be sent upstream (before the proxy adds its own). */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  return copyFiltered(incoming, REQUEST_DROP, REQUEST_DROP_PREFIXES);
}

/** Headers of the apiserver's response that may reach the browser. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  return copyFiltered(upstream, RESPONSE_DROP, RESPONSE_DROP_PREFIXES);
}
