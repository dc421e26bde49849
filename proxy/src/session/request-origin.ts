// DNS rebinding and CSRF defences. A page on evil.example that rebinds its name to 127.0.0.1
// still sends `Host: evil.example:PORT`, so only loopback names (or the host the user explicitly
// bound) are accepted, on our port. A cross-site page that sends a request to us carries its own
// Origin, so a present Origin must be exactly ours. The proxy never emits CORS headers.
// Other IP-literal hosts are accepted only when the user bound a wildcard address (`--host
// 0.0.0.0` / `::`): the browser then sends the LAN address it connected to. Bound to loopback, the
// only valid Host is a loopback one, whatever the request claims.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface HostPolicy {
  /** The port the proxy actually listens on (known only after listen when started on port 0). */
  port: () => number;
  /** Host names accepted besides loopback, e.g. the --host value. */
  extraHosts: readonly string[];
  /** True when bound to 0.0.0.0 or ::, where any of the machine's IP literals is a legitimate Host. */
  anyIpLiteral?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Split a Host header into lower-cased name and port; undefined when malformed. */
function splitHost(host: string): { name: string; port: string } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!m?.[1]) return undefined;
  return { name: m[1].toLowerCase(), port: m[2] ?? '' };
}

export function isAllowedHost(host: string | undefined, policy: HostPolicy): boolean {
  if (!host) return false;
  const parts = splitHost(host);
  if (!parts) return false;
  const literal = parts.name.replace(/^\[|\]$/g, '');
  const nameOk =
    LOOPBACK.has(parts.name) ||
    (policy.anyIpLiteral === true && isIP(literal) !== 0) ||
    policy.extraHosts.some((h) => h.toLowerCase() === parts.name || `[${h.toLowerCase()}]` === parts.name);
  return nameOk && parts.port === String(policy.port());
}

/** Origin, when present, must be our own origin as the browser addressed us (the validated Host). */
export function isAllowedOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  return origin === `${scheme}://${req.headers.host ?? ''}`;
}
