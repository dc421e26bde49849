// Opens one request to a context's apiserver with that context's credentials. Shared by the
// HTTP forward route and the watch multiplexer so both enforce the same rules.
//
// Guarantees: the request goes only to the kubeconfig's server (host/port never come from the
// caller); aborting `signal` destroys the upstream socket at once; a non-streaming request that
// has not finished within `timeoutMs` fails with 504, a streaming one only after `streamIdleMs`
// of silence (BR-10: never less than 600 s); transport failures become UpstreamError(502) naming
// the context; a 401 with refreshable credentials (exec plugins) is retried exactly once.
import {
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Credentials } from '../kubeconfig/credentials.ts';
import { ExpiredCredentialError } from '../kubeconfig/exec-credential-plugin.ts';
import type { ResolvedContext } from '../kubeconfig/resolve-context.ts';
import { AgentPool } from './agent-pool.ts';
import { type PooledResponse, RawConnectionPool } from './raw-connection-pool.ts';
import { openRawStream, type PreparedRequest, type RawStream } from './raw-stream.ts';

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly code: 401 | 502 | 504,
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamCall {
  context: ResolvedContext;
  method: string;
  /** Percent-encoded path below the context, e.g. "/api/v1/pods" (see api-path.ts). */
  apiPath: string;
  search: string;
  /** Already filtered by upstreamRequestHeaders. */
  headers: OutgoingHttpHeaders;
  body?: Buffer;
  streaming: boolean;
  signal: AbortSignal;
}

export interface UpstreamClientOptions {
  /** Whole-request limit for non-streaming requests. */
  timeoutMs?: number;
  /** Socket idle limit for watches and log follows; BR-10 requires more than 600 s. */
  streamIdleMs?: number;
  userAgent?: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_STREAM_IDLE_MS = 660_000;

export class UpstreamClient {
  readonly #agents = new AgentPool();
  readonly #pool = new RawConnectionPool();
  readonly #timeoutMs: number;
  readonly #streamIdleMs: number;
  readonly #userAgent: string;

  constructor(opts: UpstreamClientOptions = {}) {
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#streamIdleMs = Math.max(opts.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS, 600_001);
    this.#userAgent = opts.userAgent ?? 'kubeglass-proxy/0.1';
  }

  /**
   * Resolve with the upstream response once its headers arrived. The caller must consume or
   * destroy the body; the body is destroyed when `signal` aborts or the non-stream timeout fires.
   */
  async open(call: UpstreamCall): Promise<IncomingMessage> {
    const first = await this.#attempt(call);
    if (first.res.statusCode !== 401 || !call.context.target?.credentials.invalidate(first.creds)) {
      return first.res;
    }
    first.res.resume(); // discard the 401 body, then retry once with fresh credentials
    return (await this.#attempt(call)).res;
  }

  /**
   * A streaming GET (watch, log follow) on a connection of its own, returned as the response head
   * and the raw socket, so that the body can be relayed as the server framed it (see
   * raw-stream.ts for why). Undefined when the call does not qualify: not a GET, a body, or a
   * context reached through proxy-url (those take open()). Same rules as open(): the kubeconfig's
   * server only, its credentials, one retry on a 401 with refreshable credentials, the stream
   * idle limit, and `signal` destroys the socket at once.
   */
  async openRawStream(call: UpstreamCall): Promise<RawStream | undefined> {
    const target = call.context.target;
    if (!call.streaming || call.method !== 'GET' || call.body || !target || target.proxy) return undefined;
    const first = await openRawStream(await this.#prepare(call), call, this.#streamIdleMs);
    if (first.statusCode !== 401 || !target.credentials.invalidate(first.creds)) return first;
    first.socket.destroy(); // a 401 body is not worth reading: ask again with fresh credentials
    return openRawStream(await this.#prepare(call), call, this.#streamIdleMs);
  }

  /**
   * A plain GET (a list, a get, discovery) on a pooled keep-alive connection read raw (see
   * raw-connection-pool.ts for why). Undefined when the call does not qualify: a stream (those
   * take openRawStream), not a GET, a body, or a context reached through proxy-url. Same rules
   * as open(): the kubeconfig's server only, its credentials, one retry on a 401 with refreshable
   * credentials, the whole-request timeout, and `signal` closes the connection at once.
   */
  async openPooled(call: UpstreamCall): Promise<PooledResponse | undefined> {
    const target = call.context.target;
    if (call.streaming || call.method !== 'GET' || call.body || !target || target.proxy) return undefined;
    const first = await this.#pool.request(await this.#prepare(call), call, this.#timeoutMs);
    if (first.statusCode !== 401 || !target.credentials.invalidate(first.creds)) return first;
    first.destroy(); // a 401 body is not worth reading: ask again with fresh credentials
    return this.#pool.request(await this.#prepare(call), call, this.#timeoutMs);
  }

  destroy(): void {
    this.#agents.destroy();
    this.#pool.destroy();
  }

  /** The target, credentials and request headers of one attempt (shared by both transports). */
  async #prepare(call: UpstreamCall): Promise<PreparedRequest> {
    const name = call.context.info.name;
    const target = call.context.target;
    if (!target)
      throw new UpstreamError(
        502,
        `context "${name}" is not usable: ${call.context.info.error ?? 'unknown error'}`,
      );
    if (call.signal.aborted) throw new UpstreamError(502, `request to context "${name}" was aborted`);
    let creds: Credentials;
    try {
      creds = await target.credentials.get();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // An expired credential is the user's to renew (401, "credentials expired"); anything else
      // means the credentials could not be produced at all (502).
      if (err instanceof ExpiredCredentialError)
        throw new UpstreamError(401, `context "${name}": credentials expired: ${message}`);
      throw new UpstreamError(502, `context "${name}": credentials failed: ${message}`);
    }
    const tls = target.origin.protocol === 'https:';
    const headers: OutgoingHttpHeaders = {
      ...call.headers,
      'user-agent': this.#userAgent,
      'accept-encoding': 'identity',
    };
    // KC-06: credentials (and identity headers) are only sent over TLS.
    if (tls && creds.authorization) headers.authorization = creds.authorization;
    if (tls) {
      for (const [k, v] of target.impersonation) {
        const prev = headers[k];
        headers[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [String(prev)]), v];
      }
    }
    if (call.body) headers['content-length'] = call.body.length;
    return { name, target, creds, tls, headers, where: target.origin.origin };
  }

  async #attempt(call: UpstreamCall): Promise<{ res: IncomingMessage; creds: Credentials }> {
    const { name, target, creds, tls, headers, where } = await this.#prepare(call);
    const agent = this.#agents.agentFor(target, tls ? creds : {});
    const options = {
      protocol: target.origin.protocol,
      hostname: target.origin.hostname.replace(/^\[|\]$/g, ''),
      port: target.origin.port || (tls ? 443 : 80),
      method: call.method,
      path: `${target.basePath}${call.apiPath}${call.search}`,
      headers,
      agent,
    };
    return new Promise<{ res: IncomingMessage; creds: Credentials }>((resolve, reject) => {
      let req: ClientRequest;
      try {
        req = tls ? httpsRequest(options) : httpRequest(options);
      } catch (err) {
        reject(
          new UpstreamError(
            502,
            `context "${name}": bad request: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
        return;
      }
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        clearTimeout(timer);
        call.signal.removeEventListener('abort', onAbort);
      };
      const fail = (err: UpstreamError): void => {
        if (!settled) {
          settled = true;
          cleanup();
          reject(err);
        }
      };
      const onAbort = (): void => {
        req.destroy();
        fail(new UpstreamError(502, `request to context "${name}" was aborted`));
      };
      call.signal.addEventListener('abort', onAbort, { once: true });
      if (call.streaming) {
        req.setTimeout(this.#streamIdleMs, () => {
          req.destroy();
          fail(new UpstreamError(504, `context "${name}": stream idle for ${this.#streamIdleMs} ms`));
        });
      } else {
        timer = setTimeout(() => {
          req.destroy();
          fail(
            new UpstreamError(504, `context "${name}": ${where} did not answer within ${this.#timeoutMs} ms`),
          );
        }, this.#timeoutMs);
      }
      req.on('error', (err: NodeJS.ErrnoException) => {
        fail(new UpstreamError(502, `context "${name}": cannot reach ${where}: ${err.code ?? err.message}`));
      });
      req.on('response', (res) => {
        if (settled) {
          res.destroy();
          return;
        }
        settled = true;
        // The whole-request timer and the abort listener stay armed until the body is done.
        res.on('close', cleanup);
        resolve({ res, creds });
      });
      req.end(call.body);
    });
  }
}
