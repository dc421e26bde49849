// Headers on every response, whatever route produced it. The CSP allows only our own origin:
// scripts and styles from the app bundle (inline styles for the UI library), images from the
// bundle or data: URLs, fetches and the mux WebSocket to ourselves; no framing, no <base>, no
// form posts anywhere.
import type { ServerResponse } from 'node:http';

export function contentSecurityPolicy(host: string | undefined, secure = false): string {
  const ws = host ? ` ${secure ? 'wss' : 'ws'}://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${ws}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function applySecurityHeaders(res: ServerResponse, host: string | undefined, secure = false): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(host, secure));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}
