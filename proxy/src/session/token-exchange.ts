// The one-time exchange of the printed URL's ?token= for the session cookie. The 302 drops the
// token from the address bar (and so from history, bookmarks and screenshots); the cookie is
// HttpOnly, so page scripts never see the secret either.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_QUERY_PARAM } from '../../contract/api.ts';
import { sendStatus } from '../forward/status-body.ts';
import type { SessionGuard } from './session-guard.ts';

/** Handles the request and returns true when it carried ?token= on a GET/HEAD. */
export function exchangeUrlToken(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  session: SessionGuard,
): boolean {
  const token = url.searchParams.get(SESSION_QUERY_PARAM);
  if (token === null || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  if (!session.matches(token)) {
    sendStatus(res, 401, 'the session token in the URL is wrong');
    return true;
  }
  const clean = new URL(url.href);
  clean.searchParams.delete(SESSION_QUERY_PARAM);
  res.writeHead(302, {
    'set-cookie': session.cookie(),
    // "/.//evil.example" normalises to the path "//evil.example", which a browser reads as another
    // host: collapse leading slashes so the redirect always stays on our origin.
    location: `${clean.pathname.replace(/^\/+/, '/')}${clean.search}`,
    'cache-control': 'no-store',
  });
  res.end();
  return true;
}
