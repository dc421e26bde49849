// The simulated cluster's environment-free request/response shape. The Node HTTP(S) adapter
// (proxy/sim/node) and the MSW mount (src/testing/mocks) both translate to and from these types,
// so the core never sees a socket, a Request object or a Buffer.

/** Who is calling, as established by the transport (client certificate CN or bearer token). */
export interface SimUser {
  name: string;
  groups: string[];
  /** A read-only user may get/list/watch but gets 403 on every write. */
  readOnly: boolean;
}

export interface SimRequest {
  method: string;
  /** Path only, percent-encoded as received, e.g. "/api/v1/namespaces/default/pods". */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body?: Uint8Array;
  /** null when the transport could not authenticate the caller: the core answers 401. */
  user: SimUser | null;
  /** Aborted when the client goes away; watches must stop at once. */
  signal: AbortSignal;
}

/**
 * A response body is either complete or a stream of chunks. Streams (watch) end when the iterator
 * returns; the adapter must write each chunk as it comes (no buffering) and stop pulling when the
 * client disconnects (the request's signal is aborted).
 */
export type SimBody = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export interface SimResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: SimBody;
}

export interface SimHandler {
  handle(req: SimRequest): Promise<SimResponse>;
}
