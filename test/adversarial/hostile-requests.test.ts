// The hostile-request catalogue (hostile-request-cases.ts) against a real proxy: every case goes
// over the network, byte for byte, and is judged on what came back AND on what the upstreams and
// the victim server received. The file fails if any hostile request got through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSummary, recordFigures } from './adversarial-summary.ts';
import {
  BODY_LIMIT,
  EXEC_TOKEN,
  type HostileProxy,
  startHostileProxy,
  UPSTREAM_TOKEN,
} from './hostile-proxy.ts';
import { type Expect, type HostileCase, hostileCases, type Target } from './hostile-request-cases.ts';
import { type RawReply, rawRequest } from './raw-http.ts';

const PART = 'hostile-requests';
let h: HostileProxy;
let target: Target;
let tried = 0;
let refused = 0;

beforeAll(async () => {
  h = await startHostileProxy();
  target = {
    port: h.port,
    victimPort: h.victim.port,
    otherPort: h.port === 65_535 ? 1 : h.port + 1,
    secret: h.secret,
    oldSecret: h.oldSecret,
    cookie: h.cookie,
    oldCookie: h.oldCookie,
  };
});

afterAll(async () => {
  await h?.close();
  recordFigures(PART, { hostileTried: tried, hostileRefused: refused });
  printSummary(PART);
});

interface Seen {
  tls: number;
  plain: number;
  victim: number;
}
const seen = (): Seen => ({
  tls: h.tls.requests.length,
  plain: h.plain.requests.length,
  victim: h.victim.requests.length + h.victim.connections(),
});

/** Decode until stable, as an apiserver or anything in between might. */
function decodeFully(segment: string): string {
  let current = segment;
  for (let i = 0; i < 4; i++) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current;
}

/** What is wrong with the outcome, or undefined when the proxy did what the case demands. */
function judge(c: HostileCase, reply: RawReply, before: Seen, after: Seen): string | undefined {
  const leaked = [target.secret, UPSTREAM_TOKEN, EXEC_TOKEN].find((s) => reply.body.includes(s));
  if (leaked) return 'the response body carries a secret';
  if (Object.keys(reply.headers).some((k) => k.startsWith('access-control-')))
    return 'CORS headers in the answer';
  if (after.victim !== before.victim) return 'the victim server was contacted';
  const tlsNew = after.tls - before.tls;
  const plainNew = after.plain - before.plain;
  const expect: Expect = c.expect;
  switch (expect.kind) {
    case 'refused':
      if (!expect.status.includes(reply.status)) {
        const isShell = reply.status === 200 && reply.body.includes('kubeglass app shell');
        if (!(isShell && expect.status.includes('app')))
          return `status ${reply.status}, expected ${expect.status.join('|')}`;
      }
      if (tlsNew + plainNew > 0) return `an upstream received ${tlsNew + plainNew} request(s)`;
      return undefined;
    case 'app':
      if (tlsNew + plainNew > 0) return 'an upstream was contacted';
      if (reply.status === 200 && !reply.body.includes('kubeglass app shell'))
        return 'served something else than the app shell';
      if (![200, 400, 404].includes(reply.status as number)) return `status ${reply.status}`;
      if (/root:x:|current-context|"clusters"/.test(reply.body)) return 'served a file outside the app';
      return undefined;
    case 'stripped': {
      const own = expect.upstream === 'tls' ? h.tls : h.plain;
      const ownNew = expect.upstream === 'tls' ? tlsNew : plainNew;
      const otherNew = expect.upstream === 'tls' ? plainNew : tlsNew;
      if (reply.status !== 200) return `status ${reply.status}, expected the forward to succeed`;
      if (ownNew !== 1 || otherNew !== 0)
        return `upstreams saw ${tlsNew} (tls) and ${plainNew} (plain) requests`;
      const got = own.requests[own.requests.length - 1];
      const names = Object.keys(got?.headers ?? {});
      const passed = expect.forbidden.filter((f) => names.includes(f));
      if (passed.length > 0) return `forwarded ${passed.join(', ')}`;
      const auth = got?.headers.authorization;
      if (expect.upstream === 'tls' && auth !== `Bearer ${UPSTREAM_TOKEN}`)
        return `upstream got Authorization ${auth}`;
      return undefined;
    }
    case 'local-redirect': {
      const location = reply.headers.location ?? '';
      if (tlsNew + plainNew > 0) return 'an upstream was contacted';
      if (reply.status !== 302) return `status ${reply.status}, expected the exchange's 302`;
      // A browser resolves the Location against our origin: it must stay there.
      const lands = new URL(location, `http://127.0.0.1:${target.port}/`);
      if (lands.origin !== `http://127.0.0.1:${target.port}`) return `redirects to ${lands.origin}`;
      if (location.includes(target.secret)) return 'the secret stays in the Location';
      return undefined;
    }
    case 'contained': {
      if (tlsNew !== 0 || plainNew !== 1)
        return `upstreams saw ${tlsNew} (tls) and ${plainNew} (plain) requests`;
      const url = h.plain.requests[h.plain.requests.length - 1]?.url ?? '';
      const path = url.split('?')[0] ?? '';
      if (!/^\/apis?\//.test(path)) return `forwarded outside the API roots: ${url}`;
      const bad = path
        .split('/')
        .find((s) => ['.', '..'].includes(decodeFully(s)) || /[/\\]/.test(decodeFully(s)));
      if (bad !== undefined) return `forwarded a climbing segment ${bad}`;
      return undefined;
    }
  }
}

const CASES = hostileCases(BODY_LIMIT);

describe('hostile requests against a real proxy (issue 6, issue 3 Security)', () => {
  it('the catalogue covers every attack family', () => {
    const groups = new Set(CASES.map((c) => c.group));
    expect([...groups].sort()).toEqual([
      'csrf',
      'dns-rebinding',
      'forged-headers',
      'open-redirect',
      'oversized-body',
      'session',
      'ssrf',
      'static-traversal',
      'traversal',
    ]);
    expect(CASES.length).toBeGreaterThan(150);
  });

  it.each(CASES.map((c) => [`${c.group}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const before = seen();
    const reply = await rawRequest(h.port, c.head(target), c.body?.(target) ?? '');
    const after = seen();
    tried++;
    const problem = judge(c, reply, before, after);
    if (problem === undefined) refused++;
    expect(problem, `${c.group}: ${c.name} → ${reply.status}`).toBeUndefined();
  });

  it('every hostile request was refused or neutralised, and the logs hold no secret', () => {
    expect(tried).toBe(CASES.length);
    expect(refused).toBe(tried);
    const log = h.logs.join('\n');
    for (const s of [h.secret, h.oldSecret, UPSTREAM_TOKEN]) expect(log).not.toContain(s);
  });
});
