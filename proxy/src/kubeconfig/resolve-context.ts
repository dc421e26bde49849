// Turn one merged context into what the forwarder needs: the upstream server, its TLS settings
// and a credential source (KC-04..KC-07). Nothing here throws to the caller: a bad field, a
// missing file or bad base64 becomes ContextInfo.error on this context only, so every other
// context keeps working.
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { ContextInfo } from '../../contract/api.ts';
import {
  type CredentialSource,
  type Credentials,
  staticCredentials,
  tokenFileCredentials,
} from './credentials.ts';
import { type ExecOptions, execCredentials, parseExecConfig } from './exec-credential-plugin.ts';
import { isRecord, type NamedEntry, type RawRecord } from './kubeconfig-file.ts';
import type { MergedKubeconfig } from './kubeconfig-merge.ts';

/** Where and how to reach one context's apiserver. Never sent to the browser (KC-09). */
export interface UpstreamTarget {
  /** http: or https: origin of the server. */
  origin: URL;
  /** The server URL's path without trailing slash ("" for none), prefixed to every forward (KC-07). */
  basePath: string;
  ca?: string;
  insecureSkipTlsVerify: boolean;
  servername?: string;
  credentials: CredentialSource;
  /** Impersonate-* headers from the user's `as`, `as-groups`, … fields (KC-06). */
  impersonation: [string, string][];
  /** kubeconfig proxy-url (KC-07): an http: proxy reached with CONNECT tunnels. */
  proxy?: URL;
}

export interface ResolvedContext {
  info: ContextInfo;
  /** Absent exactly when info.error is set. */
  target?: UpstreamTarget;
}

class ContextError extends Error {}

function str(rec: RawRecord, key: string): string | undefined {
  const v = rec[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ContextError(`${key} must be a string`);
  return v;
}

/** Strict base64: a typo must be an error, not silently truncated bytes. */
export function decodeBase64Field(value: string, field: string): string {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new ContextError(`${field} is not valid base64`);
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

function readPathField(path: string, dir: string, field: string): string {
  const abs = resolvePath(dir, path);
  try {
    return readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ContextError(`${field} ${abs} cannot be read (${code})`);
  }
}

/** A field given either inline as `<name>-data` (base64) or as a file path `<name>`. */
function pemField(rec: RawRecord, name: string, dir: string): string | undefined {
  const data = str(rec, `${name}-data`);
  const pem = data !== undefined ? decodeBase64Field(data, `${name}-data`) : undefined;
  const path = str(rec, name);
  const value = pem ?? (path !== undefined ? readPathField(path, dir, name) : undefined);
  if (value !== undefined && !value.includes('-----BEGIN')) throw new ContextError(`${name} is not PEM data`);
  return value;
}

function tlsCheck(fn: () => void, what: string): void {
  try {
    fn();
  } catch (err) {
    throw new ContextError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function impersonationHeaders(user: RawRecord): [string, string][] {
  const out: [string, string][] = [];
  const as = str(user, 'as');
  if (as) out.push(['impersonate-user', as]);
  const uid = str(user, 'as-uid');
  if (uid) out.push(['impersonate-uid', uid]);
  const groups = user['as-groups'];
  if (Array.isArray(groups))
    for (const g of groups) if (typeof g === 'string') out.push(['impersonate-group', g]);
  const extra = user['as-user-extra'];
  if (isRecord(extra)) {
    for (const [k, vs] of Object.entries(extra)) {
      const list = Array.isArray(vs) ? vs : [vs];
      for (const v of list)
        if (typeof v === 'string') out.push([`impersonate-extra-${encodeURIComponent(k)}`, v]);
    }
  }
  return out;
}

function credentialSource(user: NamedEntry, execOpts: ExecOptions): CredentialSource {
  const u = user.value;
  if (u['auth-provider'] !== undefined)
    throw new ContextError('auth-provider plugins are not supported; use exec');
  const base: Credentials = {};
  const cert = pemField(u, 'client-certificate', user.dir);
  const key = pemField(u, 'client-key', user.dir);
  if ((cert === undefined) !== (key === undefined)) {
    throw new ContextError('client-certificate and client-key must be given together');
  }
  if (cert !== undefined && key !== undefined) {
    tlsCheck(() => createSecureContext({ cert, key }), 'client certificate/key');
    base.cert = cert;
    base.key = key;
  }
  const token = str(u, 'token');
  const tokenFile = str(u, 'tokenFile');
  const username = str(u, 'username');
  const password = str(u, 'password');
  if (u.exec !== undefined) {
    return execCredentials(parseExecConfig(u.exec, user.dir), base, execOpts);
  }
  if (token !== undefined) return staticCredentials({ ...base, authorization: `Bearer ${token}` });
  if (tokenFile !== undefined) {
    const abs = resolvePath(user.dir, tokenFile);
    readPathField(tokenFile, user.dir, 'tokenFile');
    return tokenFileCredentials(abs, base);
  }
  if (username !== undefined || password !== undefined) {
    const basic = Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64');
    return staticCredentials({ ...base, authorization: `Basic ${basic}` });
  }
  return staticCredentials(base);
}

function targetFor(cluster: NamedEntry, user: NamedEntry | undefined, execOpts: ExecOptions): UpstreamTarget {
  const c = cluster.value;
  const server = str(c, 'server');
  if (server === undefined) throw new ContextError(`cluster "${cluster.name}" has no server`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ContextError(`cluster "${cluster.name}" server is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ContextError(`cluster "${cluster.name}" server must be http or https`);
  }
  if (url.username || url.password)
    throw new ContextError(`cluster "${cluster.name}" server must not embed credentials`);
  const proxy = proxyUrlOf(cluster);
  const ca = pemField(c, 'certificate-authority', cluster.dir);
  if (ca !== undefined) tlsCheck(() => createSecureContext({ ca }), 'certificate-authority');
  const insecure = c['insecure-skip-tls-verify'] === true;
  const servername = str(c, 'tls-server-name');
  // KC-07: a server path longer than "/" is kept as a prefix; its query and fragment are dropped.
  const basePath = url.pathname.replace(/\/+$/, '');
  return {
    origin: new URL(url.origin),
    basePath,
    insecureSkipTlsVerify: insecure,
    credentials: user ? credentialSource(user, execOpts) : staticCredentials({}),
    impersonation: user ? impersonationHeaders(user.value) : [],
    ...(ca !== undefined ? { ca } : {}),
    ...(servername !== undefined ? { servername } : {}),
    ...(proxy !== undefined ? { proxy } : {}),
  };
}

/** KC-07 proxy-url: http: proxies are tunnelled with CONNECT; other schemes are a clear error. */
function proxyUrlOf(cluster: NamedEntry): URL | undefined {
  const raw = str(cluster.value, 'proxy-url');
  if (raw === undefined || raw === '') return undefined;
  let proxy: URL;
  try {
    proxy = new URL(raw);
  } catch {
    throw new ContextError(`cluster "${cluster.name}" proxy-url is not a URL`);
  }
  if (proxy.protocol !== 'http:') {
    throw new ContextError(
      `cluster "${cluster.name}" proxy-url scheme ${proxy.protocol.replace(/:$/, '')} is not supported (use an http:// proxy)`,
    );
  }
  return proxy;
}

/** KC-04/05: resolve the named context; errors land on info.error. */
export function resolveContext(
  merged: MergedKubeconfig,
  name: string,
  execOpts: ExecOptions = {},
): ResolvedContext {
  const ctx = merged.contexts.get(name);
  const info: ContextInfo = { name, cluster: '', server: '', namespace: 'default', user: '' };
  if (!ctx) return { info: { ...info, error: `context "${name}" does not exist` } };
  try {
    const clusterName = str(ctx.value, 'cluster') ?? '';
    const userName = str(ctx.value, 'user') ?? '';
    info.cluster = clusterName;
    info.user = userName;
    info.namespace = str(ctx.value, 'namespace') ?? 'default';
    const cluster = merged.clusters.get(clusterName);
    if (!cluster) throw new ContextError(`cluster "${clusterName}" does not exist`);
    const server = cluster.value.server;
    // Never echo a server URL that embeds credentials (targetFor rejects it anyway; KC-09).
    if (typeof server === 'string' && !server.includes('@')) info.server = server;
    const user = userName === '' ? undefined : merged.users.get(userName);
    if (userName !== '' && !user) throw new ContextError(`user "${userName}" does not exist`);
    return { info, target: targetFor(cluster, user, execOpts) };
  } catch (err) {
    // ContextError and the exec parser's errors alike: the message is the user-facing reason.
    return { info: { ...info, error: err instanceof Error ? err.message : String(err) } };
  }
}
