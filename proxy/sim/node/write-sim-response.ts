// SimResponse → Node ServerResponse. Complete bodies are sent with a Content-Length; streamed
// bodies (watch) go out chunk by chunk with chunked transfer encoding, each chunk written as soon
// as the core yields it. Invariants:
//  - at most one chunk is in flight beyond the socket's buffer: when write() returns false we
//    wait for 'drain' (or the client leaving) before pulling the next chunk from the core;
//  - once the request's signal is aborted we stop pulling and call the iterator's return(), so
//    the core's watch generator runs its cleanup even if it was waiting for the next event.
import type { ServerResponse } from 'node:http';
import type { SimBody, SimResponse } from '../core/sim-http.ts';

type Chunk = string | Uint8Array;

function isStream(body: SimBody): body is AsyncIterable<Chunk> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** Resolves when the signal aborts (never rejects); returns the same promise for every caller. */
function abortedPromise(signal: AbortSignal): Promise<'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
}

function waitForDrain(res: ServerResponse, aborted: Promise<'aborted'>): Promise<unknown> {
  return Promise.race([
    new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    }),
    aborted,
  ]);
}

/**
 * Write the response; resolves when it has been fully written or the client went away.
 * A stream that throws after the headers were sent cannot become an error status any more:
 * the connection is destroyed so the client sees a truncated chunked body, as with a real
 * apiserver dying mid-watch.
 */
export async function writeSimResponse(
  res: ServerResponse,
  response: SimResponse,
  signal: AbortSignal,
): Promise<void> {
  const { body } = response;
  if (!isStream(body)) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    res.writeHead(response.status, { ...response.headers, 'content-length': String(bytes.length) });
    res.end(bytes);
    return;
  }

  const headers = { ...response.headers };
  delete headers['content-length'];
  res.writeHead(response.status, headers);
  // Send the status line and headers now: a watch may not produce its first event for minutes,
  // and clients (kubectl -w) wait for the headers before showing anything.
  res.flushHeaders();

  const aborted = abortedPromise(signal);
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (!signal.aborted) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted') break;
      if (next.done) {
        finished = true;
        break;
      }
      const chunk: Chunk = next.value;
      if ((typeof chunk === 'string' ? chunk.length : chunk.byteLength) === 0) continue;
      if (!res.write(chunk)) await waitForDrain(res, aborted);
    }
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    return;
  } finally {
    if (!finished) {
      // Do not await: a misbehaving generator blocked on an event must not keep us here.
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
  if (finished) res.end();
  else if (!res.destroyed) res.destroy();
}
