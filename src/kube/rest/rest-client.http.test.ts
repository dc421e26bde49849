// The RESTClient over real sockets (Node's fetch against a node:http server on 127.0.0.1:0):
// chunked watch bodies, stop() reaching the server as a closed connection (WS-09), and a server
// that drops the connection mid-stream ending the watch cleanly (WS-06).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { RESTClient } from './rest-client.ts';

let server: Server;
let base = '';
let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clusters/dev`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const line = (name: string) =>
  `${JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: { name } } })}\n`;

describe('RESTClient over HTTP', () => {
  it('WS-01 / WS-09: streams a chunked watch; stop() closes the connection on the server', async () => {
    let serverSawClose: () => void = () => {};
    const closed = new Promise<void>((r) => {
      serverSawClose = r;
    });
    handler = (req, res) => {
      expect(req.url).toBe('/clusters/dev/api/v1/pods?watch=true&resourceVersion=1');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const bytes = Buffer.from(line('a') + line('b'));
      res.write(bytes.subarray(0, 10));
      setTimeout(() => res.write(bytes.subarray(10)), 5);
      res.on('close', () => serverSawClose());
    };
    const rest = new RESTClient({ baseUrl: base, qps: -1, maxRetries: 0 });
    const w = await rest.watch({ version: 'v1', resource: 'pods', listOptions: { resourceVersion: '1' } });
    const names: string[] = [];
    for await (const e of w) {
      names.push((e.object as KubeObject).metadata?.name ?? '');
      if (names.length === 2) w.stop();
    }
    expect(names).toEqual(['a', 'b']);
    await closed;
  });

  it('WS-06: a connection dropped mid-event ends the watch cleanly after the complete events', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(line('a') + line('b').slice(0, 20));
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const rest = new RESTClient({ baseUrl: base, qps: -1, maxRetries: 0 });
    const w = await rest.watch({ version: 'v1', resource: 'pods' });
    const events: string[] = [];
    for await (const e of w) events.push(`${e.type}:${(e.object as KubeObject).metadata?.name ?? ''}`);
    expect(events).toEqual(['ADDED:a']);
  });

  it('WS-10 / RC-06: a watch whose server is gone is an empty, closed watch after retries', async () => {
    const rest = new RESTClient({ baseUrl: 'http://127.0.0.1:9/clusters/dev', qps: -1, maxRetries: 0 });
    const w = await rest.watch({ version: 'v1', resource: 'pods' });
    const events: unknown[] = [];
    for await (const e of w) events.push(e);
    expect(events).toEqual([]);
  });
});
