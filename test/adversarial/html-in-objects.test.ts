// HTML and script in object names, labels and annotations. The API is the first line: names and
// label keys/values are validated (DNS-1123 / qualified names) and the simulated cluster must
// refuse markup there with 422 Invalid, as a real apiserver does; free text (annotations, event
// messages, data) is stored and returned byte for byte, never escaped or altered: rendering it as
// text is the UI's job. The second line is the proxy: every response carries a strict CSP, so even
// a rendering bug cannot run an injected script. (The in-browser rendering check is the UI e2e.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimCluster, type SimCluster } from '../../proxy/sim/core/sim-cluster.ts';
import { bodyText, buildSimRequest } from '../../proxy/sim/core/sim-request-builder.ts';
import { printSummary, recordFigures } from './adversarial-summary.ts';
import { type HostileProxy, startHostileProxy } from './hostile-proxy.ts';
import { rawRequest } from './raw-http.ts';

const PART = 'html-in-objects';
let sim: SimCluster;
let h: HostileProxy;
let tried = 0;
let refused = 0;

beforeAll(async () => {
  sim = createSimCluster();
  h = await startHostileProxy();
});
afterAll(async () => {
  await h?.close();
  recordFigures(PART, { hostileTried: tried, hostileRefused: refused });
  printSummary(PART);
});

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg/onload=alert(1)>',
  "'; alert(1); //",
  '{{constructor.constructor("alert(1)")()}}',
  '<a href="javascript:alert(1)">x</a>',
  '&lt;script&gt;',
  '\u202e<script>',
];

const CM = '/api/v1/namespaces/default/configmaps';

async function create(metadata: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await sim.handle(
    buildSimRequest(CM, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata, ...extra },
    }),
  );
  return { status: res.status, body: JSON.parse(await bodyText(res.body)) as Record<string, unknown> };
}

describe('markup in names and labels is refused by API validation (422, like a real apiserver)', () => {
  const cases: [string, (p: string) => Record<string, unknown>][] = [
    ['name', (p) => ({ name: p })],
    ['generateName', (p) => ({ generateName: p })],
    ['label value', (p) => ({ name: 'ok', labels: { app: p } })],
    ['label key', (p) => ({ name: 'ok', labels: { [p]: 'x' } })],
    ['label key prefix', (p) => ({ name: 'ok', labels: { [`${p}/app`]: 'x' } })],
    ['annotation key', (p) => ({ name: 'ok', annotations: { [p]: 'x' } })],
  ];
  const rows = cases.flatMap(([field, meta]) => PAYLOADS.map((p) => [field, p, meta(p)] as const));
  it.each(rows)('%s = %j → 422 Invalid, nothing stored', async (_field, _payload, metadata) => {
    const rvBefore = sim.resourceVersion;
    const res = await create(metadata);
    tried++;
    const ok = res.status === 422 && res.body.reason === 'Invalid' && sim.resourceVersion === rvBefore;
    if (ok) refused++;
    expect({ status: res.status, reason: res.body.reason, kind: res.body.kind }).toEqual({
      status: 422,
      reason: 'Invalid',
      kind: 'Status',
    });
    expect(sim.resourceVersion).toBe(rvBefore);
  });
});

describe('free text carries markup unchanged (rendered as text by the UI)', () => {
  it('annotations and data round-trip byte for byte', async () => {
    const annotations = Object.fromEntries(PAYLOADS.map((p, i) => [`example.com/a${i}`, p]));
    const data = Object.fromEntries(PAYLOADS.map((p, i) => [`k${i}`, p]));
    const created = await create({ name: 'markup', annotations }, { data });
    expect(created.status).toBe(201);
    const got = await sim.handle(buildSimRequest(`${CM}/markup`));
    const obj = JSON.parse(await bodyText(got.body)) as { metadata: { annotations: unknown }; data: unknown };
    expect(obj.metadata.annotations).toEqual(annotations);
    expect(obj.data).toEqual(data);
    // JSON, never HTML: a browser told nosniff will not render this body as a page.
    expect(got.headers['content-type']).toMatch(/^application\/json/);
  });

  it('an event message carries markup unchanged', async () => {
    const message = PAYLOADS.join(' ');
    const res = await sim.handle(
      buildSimRequest('/api/v1/namespaces/default/events', {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'markup.1' },
          involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'markup' },
          reason: 'Test',
          message,
          type: 'Normal',
        },
      }),
    );
    expect(res.status).toBe(201);
    const got = JSON.parse(
      await bodyText((await sim.handle(buildSimRequest('/api/v1/namespaces/default/events/markup.1'))).body),
    ) as {
      message: string;
    };
    expect(got.message).toBe(message);
  });
});

/** Directive name → source list, as a browser parses a CSP header. */
function parseCsp(header: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), values);
  }
  return out;
}

describe('the proxy serves everything under a strict CSP', () => {
  const routes: [string, string, string[]][] = [
    ['the app shell', '/', []],
    ['a client-side route', '/contexts/default/pods', []],
    ['an API response', '/clusters/plain/api/v1/pods', ['bearer']],
    ['a 401 refusal', '/-/contexts', []],
    ['a 421 refusal', '/', ['evil-host']],
    ['a 400 traversal refusal', '/clusters/plain/api/%2e%2e%2f/x', ['bearer']],
  ];
  it.each(routes)('%s', async (_name, path, flags) => {
    const headers = [
      `GET ${path} HTTP/1.1`,
      flags.includes('evil-host') ? `Host: evil.example:${h.port}` : `Host: 127.0.0.1:${h.port}`,
      ...(flags.includes('bearer') ? [`Authorization: Bearer ${h.secret}`] : []),
      'Connection: close',
    ];
    const reply = await rawRequest(h.port, headers.join('\r\n'));
    expect(reply.status).not.toBe('closed');
    const csp = parseCsp(reply.headers['content-security-policy'] ?? '');
    const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const bad of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'unsafe-hashes'",
      '*',
      'data:',
      'blob:',
      'http:',
      'https:',
    ]) {
      expect(scripts).not.toContain(bad);
    }
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    // connect-src may name our own ws:// origin, nothing else.
    for (const src of csp.get('connect-src') ?? [])
      expect(src).toMatch(new RegExp(`^('self'|wss?://127\\.0\\.0\\.1:${h.port})$`));
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('every markup payload in a validated field was refused', () => {
    expect(refused).toBe(tried);
  });
});
