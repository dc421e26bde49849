import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../e2e/harness/chromium.ts';
import { CdpBrowser, CdpConnection, nulFramer } from './cdp-browser.ts';

describe('nulFramer', () => {
  it('splits at NUL bytes, across chunks and inside multi-byte characters', () => {
    const got: string[] = [];
    const feed = nulFramer((t) => got.push(t));
    const bytes = Buffer.from('{"a":"é"}\0{"b":1}\0{"c"', 'utf8');
    // Cut inside the two-byte é (its first byte is at offset 6).
    feed(bytes.subarray(0, 7));
    feed(bytes.subarray(7));
    expect(got).toEqual(['{"a":"é"}', '{"b":1}']);
    feed(Buffer.from(':2}\0'));
    expect(got).toEqual(['{"a":"é"}', '{"b":1}', '{"c":2}']);
  });
});

describe('CdpConnection', () => {
  const wired = () => {
    const sent: Array<{ id: number; method: string; sessionId?: string }> = [];
    const conn = new CdpConnection((frame) => {
      expect(frame.endsWith('\0')).toBe(true);
      sent.push(JSON.parse(frame.slice(0, -1)));
    });
    return { conn, sent };
  };

  it('answers each command by its id, errors included', async () => {
    const { conn, sent } = wired();
    const a = conn.send('A.one');
    const b = conn.send('B.two', {}, 'S1');
    expect(sent.map((m) => [m.method, m.sessionId])).toEqual([
      ['A.one', undefined],
      ['B.two', 'S1'],
    ]);
    conn.receive(JSON.stringify({ id: sent[1]!.id, error: { message: 'no such thing', data: 'detail' } }));
    conn.receive(JSON.stringify({ id: sent[0]!.id, result: { ok: true } }));
    await expect(a).resolves.toEqual({ ok: true });
    await expect(b).rejects.toThrow('B.two: no such thing (detail)');
  });

  it('dispatches events to the session that raised them only', async () => {
    const { conn } = wired();
    const seen: string[] = [];
    conn.on('Page.loadEventFired', 'S1', () => seen.push('S1'));
    conn.on('Page.loadEventFired', undefined, () => seen.push('browser'));
    conn.receive(JSON.stringify({ method: 'Page.loadEventFired', params: {}, sessionId: 'S2' }));
    conn.receive(JSON.stringify({ method: 'Page.loadEventFired', params: {}, sessionId: 'S1' }));
    conn.receive(JSON.stringify({ method: 'Page.loadEventFired', params: {} }));
    expect(seen).toEqual(['S1', 'browser']);
    const next = conn.next('Tracing.tracingComplete', undefined, 1000);
    conn.receive(JSON.stringify({ method: 'Tracing.tracingComplete', params: { stream: 'h' } }));
    await expect(next).resolves.toEqual({ stream: 'h' });
    await expect(conn.next('Never.happens', undefined, 10)).rejects.toThrow('no Never.happens within 10 ms');
  });

  it('fails waiting and later commands once the transport closed', async () => {
    const { conn } = wired();
    const waiting = conn.send('A.one');
    conn.close(new Error('Chromium exited (SIGKILL)'));
    await expect(waiting).rejects.toThrow('Chromium exited');
    await expect(conn.send('A.two')).rejects.toThrow('Chromium exited');
  });
});

describe('CdpBrowser against Chromium', () => {
  let server: Server;
  let origin = '';
  let browser: CdpBrowser;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<p>no</p>');
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/page' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<title>t</title><script>globalThis.ready = 42; console.warn("page says", 7)</script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await CdpBrowser.launch({
      executablePath: CHROMIUM_EXECUTABLE,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('navigates (following redirects), reports the status, evaluates and hears the console', async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.onConsole((type, text) => messages.push(`${type}: ${text}`));
    expect(await page.goto(`${origin}/redirect`)).toBe(200);
    expect(await page.evaluate<string>('location.pathname')).toBe('/page');
    expect(await page.waitFor<number>('globalThis.ready', 5000)).toBe(42);
    expect(await page.evaluate<number>('new Promise((r) => setTimeout(() => r(innerWidth), 10))')).toBe(1400);
    expect(messages).toContain('warning: page says 7');
    expect(await page.goto(`${origin}/missing`)).toBe(404);
    await page.close();
  });

  it('turns page exceptions into errors here and reports uncaught ones', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.onError((m) => errors.push(m));
    await expect(page.evaluate('Promise.reject(new Error("nope"))')).rejects.toThrow('nope');
    await expect(page.waitFor('false', 100, 'the impossible')).rejects.toThrow(
      'the impossible: not true within 100 ms',
    );
    await page.evaluate('setTimeout(() => { throw new Error("uncaught here") }, 0); 1');
    await new Promise((r) => setTimeout(r, 200));
    expect(errors.join('\n')).toContain('uncaught here');
    await page.close();
  });

  it('traces the renderer and reads the trace back as a stream', async () => {
    const page = await browser.newPage();
    await browser.startTracing(['toplevel']);
    await page.evaluate('new Promise((r) => setTimeout(r, 100))');
    const trace = JSON.parse(await browser.stopTracing()) as { traceEvents: Array<{ name: string }> };
    expect(
      trace.traceEvents.some((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask'),
    ).toBe(true);
    await page.close();
  });
});
