// The attack catalogue: every hostile HTTP request the suite sends, each with the outcome the
// proxy owes it. The request line and headers are written out byte for byte (raw-http.ts).
//   refused    answered with one of `status` ('closed' = connection dropped, 'app' = the static
//              app shell, because the WHATWG-normalised path left /clusters/); no upstream and no
//              victim saw any request
//   app        answered by the static app (its shell, or 400/404): no data, no file outside the
//              app, nothing upstream
//   stripped   forwarded to the named context's own server only, and that server received none of
//              the forged headers and the context's own credentials (or none for plain)
//   contained  forwarded to plain's server only, at a path below /api or /apis with no dot segment
//   local-redirect  the ?token= exchange's 302 points at a path on our own origin, never another host
export type Expect =
  | { kind: 'refused'; status: readonly Refusal[] }
  | { kind: 'app' }
  | { kind: 'stripped'; upstream: 'tls' | 'plain'; forbidden: readonly string[] }
  | { kind: 'contained' }
  | { kind: 'local-redirect' };

export type Refusal = number | 'closed' | 'app';

export interface Target {
  port: number;
  victimPort: number;
  /** A port on loopback that is not the proxy's. */
  otherPort: number;
  secret: string;
  oldSecret: string;
  /** name=value of the session cookie of this launch / of the previous launch. */
  cookie: string;
  oldCookie: string;
}

export interface HostileCase {
  group: string;
  name: string;
  head(t: Target): string | Buffer;
  body?: (t: Target) => Buffer | string;
  expect: Expect;
}

const PODS = '/clusters/plain/api/v1/pods';

/** A request head; Host defaults to ours and Connection: close is always added. */
function head(method: string, target: string, t: Target, headers: readonly string[]): string {
  const all = headers.some((h) => /^host:/i.test(h))
    ? [...headers]
    : [`Host: 127.0.0.1:${t.port}`, ...headers];
  return [`${method} ${target} HTTP/1.1`, ...all, 'Connection: close'].join('\r\n');
}

const bearer = (t: Target) => `Authorization: Bearer ${t.secret}`;
const cookie = (t: Target) => `Cookie: ${t.cookie}`;
const refused = (...status: Refusal[]): Expect => ({ kind: 'refused', status });

function get(
  group: string,
  name: string,
  target: (t: Target) => string,
  headers: (t: Target) => string[],
  expect: Expect,
): HostileCase {
  return { group, name, head: (t) => head('GET', target(t), t, headers(t)), expect };
}

// ---- DNS rebinding: a foreign name (or our name on another port) in Host, even with the secret.
const EVIL_HOSTS: [string, (t: Target) => string][] = [
  ['evil name', () => 'evil.example'],
  ['evil name on our port', (t) => `evil.example:${t.port}`],
  ['loopback as a subdomain', (t) => `127.0.0.1.evil.example:${t.port}`],
  ['localhost as a subdomain', (t) => `localhost.evil.example:${t.port}`],
  ['nip.io style rebinding name', (t) => `127.0.0.1.nip.io:${t.port}`],
  ['upper-case evil name', (t) => `EVIL.EXAMPLE:${t.port}`],
  ['loopback without port', () => '127.0.0.1'],
  ['localhost without port', () => 'localhost'],
  ['loopback on another port', (t) => `127.0.0.1:${t.otherPort}`],
  ['the victim host and port', (t) => `127.0.0.1:${t.victimPort}`],
  ['port with suffix', (t) => `127.0.0.1:${t.port}.evil.example`],
  ['userinfo trick', (t) => `127.0.0.1:${t.port}@evil.example`],
  ['two hosts in one header', (t) => `evil.example:${t.port}, 127.0.0.1:${t.port}`],
  ['trailing dot', (t) => `localhost.:${t.port}`],
  ['empty', () => ''],
  ['IPv6 with junk', (t) => `[::1]evil:${t.port}`],
  ['port overflow', (t) => `127.0.0.1:${t.port + 65536}`],
];

const HOST_CASES: HostileCase[] = EVIL_HOSTS.flatMap(([name, host]) => [
  get(
    'dns-rebinding',
    `${name}, bearer, API`,
    () => PODS,
    (t) => [`Host: ${host(t)}`, bearer(t)],
    refused(421, 400),
  ),
  get(
    'dns-rebinding',
    `${name}, cookie, contexts`,
    () => '/-/contexts',
    (t) => [`Host: ${host(t)}`, cookie(t)],
    refused(421, 400),
  ),
]).concat([
  get(
    'dns-rebinding',
    'no Host header at all',
    () => PODS,
    (t) => ['Host:', bearer(t)],
    refused(421, 400),
  ),
  get(
    'dns-rebinding',
    'absolute-form target naming an evil host',
    (t) => `http://evil.example:${t.port}${PODS}`,
    (t) => [bearer(t)],
    refused(404, 421, 400),
  ),
  get(
    'dns-rebinding',
    'absolute-form target naming the victim',
    (t) => `http://127.0.0.1:${t.victimPort}${PODS}`,
    (t) => [bearer(t)],
    refused(404, 421, 400),
  ),
  // Bound to loopback, a non-loopback IP literal is never a valid Host, with or without a session.
  get(
    'dns-rebinding',
    'another interface IP without the secret',
    () => PODS,
    (t) => [`Host: 10.0.0.7:${t.port}`],
    refused(421),
  ),
  get(
    'dns-rebinding',
    'another interface IP with the session',
    () => PODS,
    (t) => [`Host: 10.0.0.7:${t.port}`, bearer(t)],
    refused(421),
  ),
  get(
    'dns-rebinding',
    'unspecified address 0.0.0.0 without the secret',
    () => '/-/contexts',
    (t) => [`Host: 0.0.0.0:${t.port}`],
    refused(421),
  ),
  get(
    'dns-rebinding',
    'unspecified address 0.0.0.0 with the session cookie',
    () => '/-/contexts',
    (t) => [`Host: 0.0.0.0:${t.port}`, cookie(t)],
    refused(421),
  ),
  get(
    'dns-rebinding',
    'another interface IP with the old cookie',
    () => PODS,
    (t) => [`Host: 192.168.7.7:${t.port}`, `Cookie: ${t.oldCookie}`],
    refused(421),
  ),
]);

// ---- CSRF: any Origin that is not exactly ours, with the cookie (what a browser would send) and without.
const EVIL_ORIGINS: [string, (t: Target) => string][] = [
  ['null', () => 'null'],
  ['evil site', () => 'https://evil.example'],
  ['our host on another port', (t) => `http://127.0.0.1:${t.otherPort}`],
  ['our host over https', (t) => `https://127.0.0.1:${t.port}`],
  ['localhost instead of 127.0.0.1', (t) => `http://localhost:${t.port}`],
  ['suffix trick', (t) => `http://127.0.0.1:${t.port}.evil.example`],
  ['userinfo trick', (t) => `http://127.0.0.1:${t.port}@evil.example`],
  ['trailing slash', (t) => `http://127.0.0.1:${t.port}/`],
  ['file scheme', () => 'file://'],
  ['two origins', (t) => `http://127.0.0.1:${t.port} https://evil.example`],
  ['empty', () => ''],
  ['upper-case scheme', (t) => `HTTP://127.0.0.1:${t.port}`],
];

const ORIGIN_CASES: HostileCase[] = EVIL_ORIGINS.flatMap(([name, origin]) => [
  get(
    'csrf',
    `${name}, with cookie`,
    () => PODS,
    (t) => [`Origin: ${origin(t)}`, cookie(t)],
    refused(403),
  ),
  get(
    'csrf',
    `${name}, without cookie`,
    () => '/-/contexts',
    (t) => [`Origin: ${origin(t)}`],
    refused(403),
  ),
  {
    group: 'csrf',
    name: `${name}, cookie, POST create`,
    head: (t) =>
      head('POST', '/clusters/plain/api/v1/namespaces/default/configmaps', t, [
        `Origin: ${origin(t)}`,
        cookie(t),
        'Content-Type: text/plain',
        'Content-Length: 2',
      ]),
    body: () => '{}',
    expect: refused(403),
  },
]);

// ---- Session: missing, wrong, old (previous launch) secret in cookie, query and bearer.
const SESSION_CASES: HostileCase[] = [
  ['/-/contexts', 'contexts'],
  [PODS, 'API'],
].flatMap(([path = '', what]) => [
  get(
    'session',
    `${what}: nothing`,
    () => path,
    () => [],
    refused(401),
  ),
  get(
    'session',
    `${what}: wrong cookie`,
    () => path,
    () => ['Cookie: kubeglass_session=wrong'],
    refused(401),
  ),
  get(
    'session',
    `${what}: old launch's cookie`,
    () => path,
    (t) => [`Cookie: ${t.oldCookie}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: empty cookie`,
    () => path,
    () => ['Cookie: kubeglass_session='],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret prefix in cookie`,
    () => path,
    (t) => [`Cookie: kubeglass_session=${t.secret.slice(0, -1)}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret plus suffix in cookie`,
    () => path,
    (t) => [`Cookie: kubeglass_session=${t.secret}x`],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret under another cookie name`,
    () => path,
    (t) => [`Cookie: session=${t.secret}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: wrong cookie first, right one under a look-alike name`,
    () => path,
    (t) => [`Cookie: kubeglass_session=x; kubeglass_session2=${t.secret}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: wrong bearer`,
    () => path,
    () => ['Authorization: Bearer wrong'],
    refused(401),
  ),
  get(
    'session',
    `${what}: old launch's bearer`,
    () => path,
    (t) => [`Authorization: Bearer ${t.oldSecret}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret as Basic credentials`,
    () => path,
    (t) => [`Authorization: Basic ${Buffer.from(`x:${t.secret}`).toString('base64')}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: bearer without a token`,
    () => path,
    () => ['Authorization: Bearer '],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret in Proxy-Authorization`,
    () => path,
    (t) => [`Proxy-Authorization: Bearer ${t.secret}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret in X-Kubeglass-Token`,
    () => path,
    (t) => [`X-Kubeglass-Token: ${t.secret}`],
    refused(401),
  ),
  get(
    'session',
    `${what}: wrong ?token=`,
    () => `${path}?token=wrong`,
    () => [],
    refused(401),
  ),
  get(
    'session',
    `${what}: old launch's ?token=`,
    (t) => `${path}?token=${encodeURIComponent(t.oldSecret)}`,
    () => [],
    refused(401),
  ),
  get(
    'session',
    `${what}: secret in ?access_token=`,
    (t) => `${path}?access_token=${t.secret}`,
    () => [],
    refused(401),
  ),
  {
    group: 'session',
    name: `${what}: the right ?token= on a POST is not a session`,
    head: (t) => head('POST', `${path}?token=${encodeURIComponent(t.secret)}`, t, ['Content-Length: 2']),
    body: () => '{}',
    expect: refused(401),
  },
]);

// ---- Forged identity and hop-by-hop headers: let in with a valid session, but never passed on.
const FORGED: [string, string[]][] = [
  ['Authorization (cookie session)', ['Authorization: Bearer attacker-token']],
  [
    'Impersonate-User / Group / Uid',
    ['Impersonate-User: system:admin', 'Impersonate-Group: system:masters', 'Impersonate-Uid: 0'],
  ],
  ['Impersonate-Extra-*', ['Impersonate-Extra-Scopes: everything', 'Impersonate-Extra-reason: pwn']],
  ['mixed-case impersonation', ['IMPERSONATE-USER: system:admin', 'impersonate-group: system:masters']],
  [
    'X-Remote-User / Group / Extra',
    ['X-Remote-User: admin', 'X-Remote-Group: system:masters', 'X-Remote-Extra-Scopes: all'],
  ],
  ['Proxy-Authorization', ['Proxy-Authorization: Basic YWRtaW46YWRtaW4=']],
  [
    'hop-by-hop and Connection-listed',
    ['Keep-Alive: timeout=5', 'TE: trailers', 'X-Hop: secret', 'Connection: X-Hop, Keep-Alive'],
  ],
  [
    'Forwarded / X-Forwarded-*',
    [
      'Forwarded: for=1.2.3.4;host=evil.example',
      'X-Forwarded-For: 1.2.3.4',
      'X-Forwarded-Host: evil.example',
      'X-Forwarded-Proto: https',
    ],
  ],
  ['Upgrade on a plain request', ['Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAAQAAP__']],
];

// Connection is re-made by the proxy; Authorization to a token context is checked by value (it
// must be the context's token, not the forged one).
const forbiddenOf = (lines: string[]) =>
  lines.map((l) => l.slice(0, l.indexOf(':')).toLowerCase()).filter((h) => h !== 'connection');

const FORGED_CASES: HostileCase[] = FORGED.flatMap(([name, lines]) => [
  get(
    'forged-headers',
    `${name} to a token context`,
    () => '/clusters/tls/api/v1/pods',
    (t) => [cookie(t), ...lines],
    {
      kind: 'stripped',
      upstream: 'tls',
      forbidden: [...forbiddenOf(lines).filter((n) => n !== 'authorization'), 'cookie'],
    },
  ),
  get(
    'forged-headers',
    `${name} to a plain context`,
    () => PODS,
    (t) => [cookie(t), ...lines],
    {
      kind: 'stripped',
      upstream: 'plain',
      forbidden: [...forbiddenOf(lines), 'cookie', 'authorization'],
    },
  ),
]);

// ---- Path traversal in every encoding, under a valid session (bearer).
const TRAVERSALS: [string, string, Expect][] = [
  ['plain ..', '/clusters/plain/api/v1/../../../-/contexts', refused(400)],
  ['%2e%2e', '/clusters/plain/api/%2e%2e/%2e%2e/%2e%2e/etc', refused(400, 'app')],
  ['%2E%2e mixed case', '/clusters/plain/api/%2E%2e/x', refused(400)],
  ['.%2e', '/clusters/plain/api/.%2e/x', refused(400)],
  ['double-encoded %252e%252e', '/clusters/plain/api/%252e%252e/x', refused(400)],
  ['triple-encoded %25252e', '/clusters/plain/api/%25252e%25252e/x', refused(400)],
  ['..%2f', '/clusters/plain/api/..%2f..%2f..%2fx', refused(400)],
  ['..%252f', '/clusters/plain/api/..%252f..%252fx', refused(400)],
  ['encoded slash %2F', '/clusters/plain/api%2F..%2F..%2Fx', refused(400)],
  ['%5c backslash', '/clusters/plain/api%5c..%5c..%5cx', refused(400)],
  ['%255c double-encoded backslash', '/clusters/plain/api/..%255c..%255cx', refused(400)],
  ['raw backslash', '/clusters/plain/api\\..\\..\\x', refused(400, 'closed')],
  ['double slash', '/clusters/plain/api//v1/pods', refused(400)],
  ['leading double slash', '//clusters/plain/api/v1/pods', refused(404, 400, 'app')],
  ['single dot', '/clusters/plain/api/./v1/pods', refused(400)],
  ['%2e single dot', '/clusters/plain/api/%2e/v1', refused(400)],
  ['trailing ..', '/clusters/plain/api/v1/pods/..', refused(400)],
  ['overlong UTF-8 dot %c0%ae', '/clusters/plain/api/%c0%ae%c0%ae/x', refused(400)],
  ['overlong UTF-8 slash %c0%af', '/clusters/plain/api/..%c0%af..%c0%afx', refused(400)],
  ['overlong 3-byte dot %e0%80%ae', '/clusters/plain/api/%e0%80%ae%e0%80%ae/x', refused(400)],
  ['invalid percent-encoding', '/clusters/plain/api/%zz/x', refused(400)],
  ['lone surrogate %ed%a0%80', '/clusters/plain/api/%ed%a0%80/x', refused(400)],
  ['encoded NUL', '/clusters/plain/api/v1/pods%00.json', refused(400)],
  ['encoded CRLF (header injection)', '/clusters/plain/api/v1/pods%0d%0aX-Injected:%201', refused(400)],
  ['fragment with ..', '/clusters/plain/api/v1/pods#/../../x', refused(400)],
  ['encoded # with ..', '/clusters/plain/api/v1/pods%23/../x', refused(400)],
  ['dot-dot as the context', '/clusters/../clusters/plain/api/v1/pods', refused(404)],
  ['encoded dot-dot as the context', '/clusters/%2e%2e/api/v1/pods', refused(404, 'app')],
  ['context with encoded slash and ..', '/clusters/plain%2f..%2f..%2fx/api/v1', refused(404)],
  ['climbing into /clusters from outside', '/%2e%2e/clusters/plain/api/v1/pods', refused(404)],
  ['climbing into /clusters via app path', '/app/../clusters/plain/api/v1/pods', refused(404)],
  ['apiserver root outside the allowed roots', '/clusters/plain/healthz', refused(404)],
  ['apiserver /metrics', '/clusters/plain/metrics', refused(404)],
  ['apiserver /logs', '/clusters/plain/logs/', refused(404)],
  ['apiserver /debug/pprof', '/clusters/plain/debug/pprof/', refused(404)],
  ['upper-case root', '/clusters/plain/API/v1/pods', refused(404)],
  ['nothing below the context', '/clusters/plain', refused(404)],
  ['full-width dots %EF%BC%8E', '/clusters/plain/api/%EF%BC%8E%EF%BC%8E/x', { kind: 'contained' }],
  ['raw full-width dots (UTF-8 bytes)', '/clusters/plain/api/\uff0e\uff0e/x', refused(400, 'closed')],
  [';path parameter ..;', '/clusters/plain/api/..;/..;/x', { kind: 'contained' }],
  [';jsessionid on a segment', '/clusters/plain/api/v1;x=1/pods', { kind: 'contained' }],
];

const TRAVERSAL_CASES: HostileCase[] = TRAVERSALS.map(([name, path, expect]) => ({
  group: 'traversal',
  name,
  // Raw bytes (latin1 would mangle the full-width case): the request line goes out as UTF-8.
  head: (t) => Buffer.from(head('GET', path, t, [bearer(t)]), 'utf8'),
  expect,
}));

// ---- Static files: no file outside the app's folder, in any encoding (no session needed here).
const STATIC_CASES: HostileCase[] = [
  '/../kube/config',
  '/..%2fkube%2fconfig',
  '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/assets/..%2f..%2fkube%2fconfig',
  '/assets/%252e%252e/%252e%252e/kube/config',
  '/..%5c..%5ckube%5cconfig',
  '/%c0%ae%c0%ae/kube/config',
  '/assets/index-abcdef1234.js%00.html',
  '/....//....//kube/config',
].map((path) =>
  get(
    'static-traversal',
    path,
    () => path,
    () => [],
    { kind: 'app' } as Expect,
  ),
);

// ---- SSRF: nothing in the request can name a server that is not in the kubeconfig.
const SSRF_CASES: HostileCase[] = [
  get(
    'ssrf',
    'context named host:port',
    (t) => `/clusters/127.0.0.1:${t.victimPort}/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404),
  ),
  get(
    'ssrf',
    'context named by an encoded URL',
    (t) => `/clusters/${encodeURIComponent(`http://127.0.0.1:${t.victimPort}`)}/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404),
  ),
  get(
    'ssrf',
    'userinfo in the context',
    (t) => `/clusters/plain@127.0.0.1:${t.victimPort}/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404),
  ),
  get(
    'ssrf',
    'encoded @ in the context',
    (t) => `/clusters/plain%40127.0.0.1%3A${t.victimPort}/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404),
  ),
  get(
    'ssrf',
    'a URL as the first path segment',
    (t) => `/clusters/plain//127.0.0.1:${t.victimPort}/api`,
    (t) => [bearer(t)],
    refused(400, 404),
  ),
  get(
    'ssrf',
    'absolute-form request line to the victim',
    (t) => `http://127.0.0.1:${t.victimPort}/clusters/plain/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404),
  ),
  get(
    'ssrf',
    'absolute-form with userinfo',
    (t) => `http://plain@127.0.0.1:${t.victimPort}/api/v1/pods`,
    (t) => [bearer(t)],
    { kind: 'app' },
  ),
  get(
    'ssrf',
    'scheme-relative request target',
    (t) => `//127.0.0.1:${t.victimPort}/clusters/plain/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404),
  ),
  get(
    'ssrf',
    'backslash scheme-relative target',
    (t) => `/\\127.0.0.1:${t.victimPort}/clusters/plain/api/v1/pods`,
    (t) => [bearer(t)],
    refused(404, 'closed'),
  ),
  get(
    'ssrf',
    'Host header naming the victim',
    () => PODS,
    (t) => [`Host: 127.0.0.1:${t.victimPort}`, bearer(t)],
    refused(421),
  ),
  {
    group: 'ssrf',
    name: 'CONNECT tunnel to the victim',
    head: (t) => head('CONNECT', `127.0.0.1:${t.victimPort}`, t, [bearer(t)]),
    expect: refused('closed', 400, 404, 405),
  },
  get(
    'ssrf',
    'OPTIONS * (no CORS preflight answer)',
    () => '*',
    (t) => [bearer(t), `Origin: https://evil.example`],
    refused(403, 400, 404, 'closed'),
  ),
];

// ---- Oversized bodies: 413 before the upstream sees anything.
const big = (n: number) => Buffer.alloc(n, 0x61);
const BODY_CASES = (limit: number): HostileCase[] => [
  {
    group: 'oversized-body',
    name: 'declared Content-Length above the limit (body not even sent)',
    head: (t) =>
      head('POST', '/clusters/plain/api/v1/namespaces/default/configmaps', t, [
        bearer(t),
        `Content-Length: ${limit + 1}`,
      ]),
    expect: refused(413),
  },
  {
    group: 'oversized-body',
    name: 'declared Content-Length of 10 GB',
    head: (t) =>
      head('PUT', '/clusters/tls/api/v1/namespaces/default/configmaps/x', t, [
        bearer(t),
        'Content-Length: 10737418240',
      ]),
    expect: refused(413),
  },
  {
    group: 'oversized-body',
    name: 'chunked body that grows past the limit',
    head: (t) =>
      head('POST', '/clusters/plain/api/v1/namespaces/default/configmaps', t, [
        bearer(t),
        'Transfer-Encoding: chunked',
      ]),
    body: () => {
      const chunk = big(16 * 1024);
      const parts: Buffer[] = [];
      for (let sent = 0; sent <= limit; sent += chunk.length) {
        parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      return Buffer.concat(parts);
    },
    expect: refused(413),
  },
  {
    group: 'oversized-body',
    name: 'Content-Length and Transfer-Encoding together (request smuggling)',
    head: (t) =>
      head('POST', '/clusters/plain/api/v1/namespaces/default/configmaps', t, [
        bearer(t),
        'Content-Length: 4',
        'Transfer-Encoding: chunked',
      ]),
    body: () => '0\r\n\r\n',
    expect: refused(400, 'closed'),
  },
  {
    group: 'oversized-body',
    name: 'two different Content-Length headers',
    head: (t) =>
      head('POST', '/clusters/plain/api/v1/namespaces/default/configmaps', t, [
        bearer(t),
        'Content-Length: 2',
        `Content-Length: ${limit + 1}`,
      ]),
    body: () => '{}',
    expect: refused(400, 'closed'),
  },
];

// ---- Open redirect: a crafted path on the printed URL must not send the browser elsewhere.
const REDIRECT_CASES: HostileCase[] = [
  '/.//evil.example/x',
  '/%2e//evil.example',
  '/./%2f/evil.example',
  '/\\evil.example',
  '/x/..//evil.example',
  '/%5c%5cevil.example',
].map((path) =>
  get(
    'open-redirect',
    path,
    (t) => `${path}?token=${encodeURIComponent(t.secret)}`,
    () => [],
    {
      kind: 'local-redirect',
    } as Expect,
  ),
);

export function hostileCases(bodyLimit: number): HostileCase[] {
  return [
    ...HOST_CASES,
    ...ORIGIN_CASES,
    ...SESSION_CASES,
    ...FORGED_CASES,
    ...TRAVERSAL_CASES,
    ...STATIC_CASES,
    ...SSRF_CASES,
    ...BODY_CASES(bodyLimit),
    ...REDIRECT_CASES,
  ];
}
