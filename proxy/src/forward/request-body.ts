// Read a request body into memory with a hard cap. Kubernetes objects are limited to ~1.5 MiB by
// etcd, so a 3 MiB cap refuses nothing legitimate while bounding memory per request. Buffering
// also lets a 401 be retried with a fresh exec credential (upstream-client.ts).
import type { IncomingMessage } from 'node:http';

export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new BodyTooLargeError(`request body exceeds ${limit} bytes`));
  }
  if (declared === undefined && req.headers['transfer-encoding'] === undefined)
    return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // drain without keeping the bytes
        reject(new BodyTooLargeError(`request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size === 0 ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
