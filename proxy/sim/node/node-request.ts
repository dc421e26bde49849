// Node IncomingMessage → SimRequest. The body is read fully (API bodies are small objects) but
// never beyond the limit: a larger body is refused before it is buffered, as the real apiserver
// refuses requests over its 3 MiB limit with 413 RequestEntityTooLarge.
import type { IncomingMessage } from 'node:http';
import type { SimRequest, SimUser } from '../core/sim-http.ts';

/** The apiserver's default maximum request body (3 MiB, `MaxRequestBodyBytes`). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`the request body is larger than the server's limit of ${limit} bytes`);
  }
}

/**
 * Read the request body up to `limit` bytes. Rejects with BodyTooLargeError as soon as the
 * declared Content-Length or the bytes received exceed it (the rest is not buffered).
 * Resolves undefined for an empty body.
 */
export async function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<Uint8Array | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const body = Buffer.concat(chunks, size);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

/** Lower-cased names (Node already lower-cases them); repeated headers are joined with ", ". */
export function flattenHeaders(raw: IncomingMessage['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Split "/path?query" without decoding the path (the core matches percent-encoded paths). */
export function splitUrl(url: string | undefined): { path: string; query: URLSearchParams } {
  const target = url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  return { path: rawPath === '' ? '/' : rawPath, query };
}

export function toSimRequest(
  req: IncomingMessage,
  body: Uint8Array | undefined,
  user: SimUser | null,
  signal: AbortSignal,
): SimRequest {
  const { path, query } = splitUrl(req.url);
  const simRequest: SimRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query,
    headers: flattenHeaders(req.headers),
    user,
    signal,
  };
  if (body !== undefined) simRequest.body = body;
  return simRequest;
}
