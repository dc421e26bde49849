// The per-launch session secret. Every API route and the mux require it (static files do not):
// as the HttpOnly cookie the URL's ?token= was exchanged for, or as `Authorization: Bearer` from
// tools such as kubectl --token.
//
// Comparison hashes both sides to equal-length SHA-256 digests and uses timingSafeEqual, so
// neither the secret's content nor its length leaks through timing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../../contract/api.ts';

/** 32 random bytes: 256 bits, twice the 128 the threat model needs. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** 22 base64url characters carry 128 bits; a fixed secret from the environment must be at least that. */
export const MIN_SECRET_LENGTH = 22;

export class WeakSessionSecretError extends Error {
  override readonly name = 'WeakSessionSecretError';
}

export function sessionSecretFrom(env: NodeJS.ProcessEnv): string {
  const fixed = env.KUBEGLASS_SESSION_SECRET;
  if (fixed === undefined || fixed === '') return generateSessionSecret();
  if (fixed.length < MIN_SECRET_LENGTH || !/^[\x21-\x7e]+$/.test(fixed)) {
    throw new WeakSessionSecretError(
      `KUBEGLASS_SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} printable characters without spaces`,
    );
  }
  return fixed;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class SessionGuard {
  readonly #digest: Buffer;
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
    this.#digest = digest(secret);
  }

  /** Constant-time check of a candidate secret. */
  matches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.#digest);
  }

  /** True when the request carries the session cookie or a bearer token equal to the secret. */
  isAuthenticated(req: IncomingMessage): boolean {
    const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (cookie !== undefined && this.matches(cookie)) return true;
    const auth = req.headers.authorization;
    if (auth && /^bearer\s+/i.test(auth)) return this.matches(auth.replace(/^bearer\s+/i, ''));
    return false;
  }

  /** Set-Cookie value for the exchange: invisible to scripts, never sent cross-site. */
  cookie(): string {
    return `${SESSION_COOKIE}=${this.#secret}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
