import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.ts';

describe('upstreamRequestHeaders', () => {
  it('drops credentials, identity claims, hop-by-hop and Connection-listed headers', () => {
    const out = upstreamRequestHeaders({
      authorization: 'Bearer forged',
      cookie: 'kubeglass_session=x',
      'impersonate-user': 'system:admin',
      'impersonate-group': 'system:masters',
      'x-remote-user': 'admin',
      'x-remote-group': 'system:masters',
      'x-forwarded-for': '1.2.3.4',
      connection: 'keep-alive, x-custom-hop',
      'x-custom-hop': 'drop me',
      'transfer-encoding': 'chunked',
      'proxy-authorization': 'Basic x',
      'accept-encoding': 'gzip',
      host: 'evil.example',
      accept: 'application/json',
      'content-type': 'application/merge-patch+json',
      'if-none-match': '"abc"',
    });
    expect(out).toEqual({
      accept: 'application/json',
      'content-type': 'application/merge-patch+json',
      'if-none-match': '"abc"',
    });
  });
});

describe('clientResponseHeaders', () => {
  it('keeps Retry-After, Warning and Content-Type; drops cookies, auth challenges, CORS and hop-by-hop', () => {
    const out = clientResponseHeaders({
      'content-type': 'application/json',
      'retry-after': '3',
      warning: '299 - "deprecated"',
      'audit-id': 'a1',
      'set-cookie': ['a=b'],
      'www-authenticate': 'Basic realm="kube"',
      'access-control-allow-origin': '*',
      'transfer-encoding': 'chunked',
      connection: 'close',
    });
    expect(out).toEqual({
      'content-type': 'application/json',
      'retry-after': '3',
      warning: '299 - "deprecated"',
      'audit-id': 'a1',
    });
  });
});
