// The HTTP route /clusters/{context}/...: police the path, buffer the (small) body, open the
// upstream request and stream the response straight back. Each chunk is written as it arrives
// (no compression, Nagle off), pipeline() carries backpressure both ways, and when the browser
// goes away the upstream request is destroyed at once (BR-10).
//
// Deliberately one downstream write per upstream piece, no joining: the pieces are relayed without
// a copy and die young. Gathering a turn's pieces into one write (by copy, or by corking the
// socket) cut writev() calls 36× but raised the proxy's CPU per watch replay (longer-lived
// buffers, more old-generation GC); see bench/README.md, "proxy".
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { ContextRegistry } from '../kubeconfig/context-registry.ts';
import type { Logger } from '../log/redacting-logger.ts';
import { isStreamingRequest, parseClusterPath } from './api-path.ts';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.ts';
import type { PooledResponse } from './raw-connection-pool.ts';
import type { RawStream } from './raw-stream.ts';
import { relayPooledResponse, relayRawStream } from './raw-stream-relay.ts';
import { BodyTooLargeError, readBody } from './request-body.ts';
import { sendStatus } from './status-body.ts';
import { type UpstreamCall, type UpstreamClient, UpstreamError } from './upstream-client.ts';

export interface ForwardRouteDeps {
  registry: ContextRegistry;
  upstream: UpstreamClient;
  logger: Logger;
  bodyLimit: number;
}

export function createForwardRoute(deps: ForwardRouteDeps) {
  return async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = parseClusterPath(req.url ?? '');
    if (!parsed.ok) {
      sendStatus(res, parsed.status, parsed.message);
      return;
    }
    const { path } = parsed;
    const context = deps.registry.get(path.context);
    if (!context) {
      sendStatus(res, 404, `context "${path.context}" is not in the kubeconfig`);
      return;
    }
    let body: Buffer | undefined;
    try {
      body = await readBody(req, deps.bodyLimit);
    } catch (err) {
      if (err instanceof BodyTooLargeError) sendStatus(res, 413, err.message);
      else sendStatus(res, 400, 'the request body could not be read');
      return;
    }
    const abort = new AbortController();
    // 'close' on the response before it finished means the browser went away. After a normal
    // finish the upstream socket may already be back in the keep-alive pool: leave it alone.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const call: UpstreamCall = {
      context,
      method: req.method ?? 'GET',
      apiPath: path.apiPath,
      search: path.search,
      headers: upstreamRequestHeaders(req.headers),
      streaming: isStreamingRequest(path),
      signal: abort.signal,
      ...(body ? { body } : {}),
    };
    let upstreamRes: IncomingMessage | RawStream | PooledResponse;
    try {
      // From an HTTP/1.1 client, watches and log follows are relayed raw on a connection of their
      // own (raw-stream.ts), plain GETs on pooled ones (raw-connection-pool.ts); the rest, and
      // every call that qualifies for neither, go through Node's client.
      const raw = req.httpVersion === '1.1' && res.socket !== null;
      upstreamRes =
        (raw ? await deps.upstream.openRawStream(call) : undefined) ??
        (raw ? await deps.upstream.openPooled(call) : undefined) ??
        (await deps.upstream.open(call));
    } catch (err) {
      if (abort.signal.aborted) return;
      if (err instanceof UpstreamError) {
        deps.logger.warn(err.message);
        sendStatus(res, err.code, err.message);
      } else {
        deps.logger.error(`context "${path.context}": ${err instanceof Error ? err.message : String(err)}`);
        sendStatus(res, 502, `context "${path.context}": proxy error`);
      }
      return;
    }
    const warn = (message: string) => {
      if (!abort.signal.aborted) deps.logger.warn(`context "${path.context}": ${message}`);
    };
    if ('framing' in upstreamRes) {
      if (abort.signal.aborted) upstreamRes.destroy();
      else relayPooledResponse(upstreamRes, req, res, warn);
      return;
    }
    if (abort.signal.aborted) {
      if ('readBody' in upstreamRes) upstreamRes.socket.destroy();
      else upstreamRes.destroy();
      return;
    }
    if ('readBody' in upstreamRes) {
      relayRawStream(upstreamRes, req, res, warn);
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, clientResponseHeaders(upstreamRes.headers));
    res.flushHeaders();
    req.socket.setNoDelay(true);
    pipeline(upstreamRes, res, (err) => {
      if (err && !abort.signal.aborted) {
        deps.logger.warn(`context "${path.context}": stream ended early: ${err.message}`);
      }
    });
  };
}
