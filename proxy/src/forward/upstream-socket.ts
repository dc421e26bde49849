// A socket to a context's apiserver that reads into an arena (net/tls `onread`), for the raw
// transports: a stream's own connection (raw-stream.ts) and the pooled keep-alive connections
// (raw-connection-pool.ts).
//
// The TLS settings (CA, client certificate) become one SecureContext per (target, client
// identity), made once and shared by every connection: `tls.connect` with `ca`/`cert` options
// builds a new context each time, parsing the PEMs again (measured 2026-11-27 on a 50,000-pod
// list opened one connection per page: about a third of the proxy's handshake cost).
//
// Security: host and port come from the kubeconfig's target only, never from a request.
import { createHash } from 'node:crypto';
import { isIP, connect as netConnect, type OnReadOpts, type Socket } from 'node:net';
import {
  type ConnectionOptions,
  createSecureContext,
  type SecureContext,
  connect as tlsConnect,
} from 'node:tls';
import type { Credentials } from '../kubeconfig/credentials.ts';
import type { UpstreamTarget } from '../kubeconfig/resolve-context.ts';

/** Keyed by target object: a kubeconfig reload makes new targets, and the old contexts go with them. */
const contexts = new WeakMap<UpstreamTarget, Map<string, SecureContext>>();

/**
 * Who the connection authenticates as at the TLS level: a connection made with one client
 * certificate must never carry requests of another (exec plugins may hand out a new one).
 */
export function tlsIdentity(creds: Credentials): string {
  return creds.cert ? createHash('sha256').update(creds.cert).digest('hex') : '';
}

function secureContextFor(target: UpstreamTarget, creds: Credentials, identity: string): SecureContext {
  let byIdentity = contexts.get(target);
  if (!byIdentity) {
    byIdentity = new Map();
    contexts.set(target, byIdentity);
  }
  let context = byIdentity.get(identity);
  if (!context) {
    context = createSecureContext({
      ...(target.ca !== undefined ? { ca: target.ca } : {}),
      ...(creds.cert !== undefined && creds.key !== undefined ? { cert: creds.cert, key: creds.key } : {}),
    });
    byIdentity.set(identity, context);
  }
  return context;
}

/** The host and port of the target, as a socket connects to them. */
export function targetAddress(target: UpstreamTarget, tls: boolean): { host: string; port: number } {
  return {
    host: target.origin.hostname.replace(/^\[|\]$/g, ''),
    port: Number(target.origin.port || (tls ? 443 : 80)),
  };
}

/** Connect to the target; reads go to `onread` (the socket never emits 'data'). */
export function connectUpstream(
  target: UpstreamTarget,
  creds: Credentials,
  tls: boolean,
  onread: OnReadOpts,
): Socket {
  const { host, port } = targetAddress(target, tls);
  if (!tls) return netConnect({ host, port, onread });
  // tls.connect takes `onread` as net.connect does (Node's tls docs; @types/node omits it).
  const options: ConnectionOptions & { onread: OnReadOpts } = {
    host,
    port,
    // As https.Agent does: SNI and the identity check use the host name unless overridden.
    ...(target.servername !== undefined
      ? { servername: target.servername }
      : isIP(host)
        ? {}
        : { servername: host }),
    rejectUnauthorized: !target.insecureSkipTlsVerify,
    secureContext: secureContextFor(target, creds, tlsIdentity(creds)),
    ALPNProtocols: ['http/1.1'],
    onread,
  };
  return tlsConnect(options);
}
