// Who is calling the simulated apiserver. Mirrors the real apiserver's authenticator chain:
// a client certificate signed by the cluster CA wins, then a bearer token, else the request is
// anonymous (user null) and the core answers 401.
//
// Authorization is deliberately coarse: members of system:masters may do anything; every other
// authenticated user is read-only (get/list/watch) and gets 403 on writes from the core.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { SimUser } from '../core/sim-http.ts';
import { ADMIN_USER, type ClientIdentity, identityFromCertificate, VIEWER_USER } from './certificates.ts';

/** Every authenticated user is also in this group, as on a real cluster. */
const AUTHENTICATED_GROUP = 'system:authenticated';
const MASTERS_GROUP = 'system:masters';

export interface Tokens {
  admin: string;
  readOnly: string;
}

/** Two unguessable tokens per server start (256 bits each, hex). */
export function newTokens(): Tokens {
  return { admin: randomBytes(32).toString('hex'), readOnly: randomBytes(32).toString('hex') };
}

export function userFromIdentity(identity: ClientIdentity): SimUser {
  const groups = identity.groups.includes(AUTHENTICATED_GROUP)
    ? [...identity.groups]
    : [...identity.groups, AUTHENTICATED_GROUP];
  return { name: identity.user, groups, readOnly: !groups.includes(MASTERS_GROUP) };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from an `Authorization: Bearer <token>` header, or undefined for any other shape. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export class Authenticator {
  readonly #tokens: Tokens;
  readonly #caPem: string | undefined;
  /**
   * A TLS peer certificate cannot change during a connection (we never renegotiate), so its
   * verdict is computed once per socket. WeakMap: entries go away with the socket.
   */
  readonly #certUsers = new WeakMap<TLSSocket, SimUser | null>();

  /** caPem undefined: no client certificates are accepted (plain HTTP). */
  constructor(tokens: Tokens, caPem: string | undefined) {
    this.#tokens = tokens;
    this.#caPem = caPem;
  }

  authenticate(socket: unknown, authorization: string | undefined): SimUser | null {
    const fromCert = this.#certificateUser(socket);
    if (fromCert) return fromCert;
    const token = bearerToken(authorization);
    if (token === undefined) return null;
    if (sameSecret(token, this.#tokens.admin)) return userFromIdentity(ADMIN_USER);
    if (sameSecret(token, this.#tokens.readOnly)) return userFromIdentity(VIEWER_USER);
    return null;
  }

  #certificateUser(socket: unknown): SimUser | null {
    if (this.#caPem === undefined || !isTlsSocket(socket)) return null;
    const cached = this.#certUsers.get(socket);
    if (cached !== undefined) return cached;
    const peer = socket.getPeerCertificate(false);
    // An empty object (no .raw) means the client sent no certificate.
    const raw: unknown = (peer as { raw?: unknown } | null)?.raw;
    const identity = Buffer.isBuffer(raw) ? identityFromCertificate(raw, this.#caPem) : null;
    const user = identity ? userFromIdentity(identity) : null;
    this.#certUsers.set(socket, user);
    return user;
  }
}

function isTlsSocket(socket: unknown): socket is TLSSocket {
  return (
    typeof socket === 'object' &&
    socket !== null &&
    typeof (socket as { getPeerCertificate?: unknown }).getPeerCertificate === 'function'
  );
}
