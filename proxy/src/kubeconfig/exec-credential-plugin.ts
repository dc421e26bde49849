// Exec credential plugins (client.authentication.k8s.io v1 and v1beta1), as kubectl runs them:
// the command gets KUBERNETES_EXEC_INFO and prints an ExecCredential on stdout. The result is
// cached until status.expirationTimestamp; after a 401 the forwarder invalidates and retries once.
//
// Invariants: at most one plugin process runs per context at a time (`inflight` is shared by
// concurrent requests); a 401 re-runs the plugin only when it rejected the credential still cached
// (a burst of 401s on one credential is one re-run), and at most once per `refreshIntervalMs`, so
// a plugin whose fresh token the cluster keeps rejecting is not run on every request (no 401
// loop: the 401 reaches the user, who has to log in again); a plugin that hangs is killed after `timeoutMs`, and a running one is
// killed by dispose() (proxy shutdown), so none outlives the proxy; output is never logged raw (it
// holds the token), and errors quote stderr only after redaction by the logger.
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import type { CredentialSource, Credentials } from './credentials.ts';
import { isRecord } from './kubeconfig-file.ts';

/**
 * The plugin ran and answered, but with a credential already past its expirationTimestamp: the
 * user has to log in again. The forwarder answers 401 for it (the UI's "credentials expired"),
 * not 502 (which would read as an unreachable cluster).
 */
export class ExpiredCredentialError extends Error {
  override readonly name = 'ExpiredCredentialError';
}

export const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
] as const;

export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  installHint?: string;
  /** Directory of the kubeconfig that named the plugin: a relative command with a slash resolves here. */
  dir: string;
}

export interface ExecOptions {
  /** A plugin that runs longer is killed and reported; kubectl has no limit, a server must. */
  timeoutMs?: number;
  /** Least time between two plugin runs caused by 401s; default 10 s. */
  refreshIntervalMs?: number;
  now?: () => number;
}

/** Parse and validate the `exec` map of a user entry. Throws a message fit for ContextInfo.error. */
export function parseExecConfig(raw: unknown, dir: string): ExecConfig {
  if (!isRecord(raw)) throw new Error('exec must be a map');
  const apiVersion = raw.apiVersion;
  if (typeof apiVersion !== 'string' || !(EXEC_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw new Error(`exec apiVersion must be one of ${EXEC_API_VERSIONS.join(', ')}`);
  }
  if (typeof raw.command !== 'string' || raw.command === '') throw new Error('exec command is required');
  const args = raw.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new Error('exec args must be a list of strings');
  }
  const envRaw = raw.env ?? [];
  if (!Array.isArray(envRaw)) throw new Error('exec env must be a list');
  const env = envRaw.map((e) => {
    if (!isRecord(e) || typeof e.name !== 'string' || typeof e.value !== 'string') {
      throw new Error('exec env entries need string name and value');
    }
    return { name: e.name, value: e.value };
  });
  const hint = raw.installHint;
  return {
    apiVersion,
    command: raw.command,
    args,
    env,
    dir,
    ...(typeof hint === 'string' ? { installHint: hint } : {}),
  };
}

interface Cached {
  creds: Credentials;
  /** Epoch ms after which the credential must not be used; Infinity when the plugin gave none. */
  expiresAt: number;
}

function commandPath(cfg: ExecConfig): string {
  // Like client-go: a bare name is looked up on PATH, a relative path with a slash is relative
  // to the kubeconfig's directory (KC-03).
  if (isAbsolute(cfg.command) || !cfg.command.includes('/')) return cfg.command;
  return resolve(cfg.dir, cfg.command);
}

function decodeOutput(stdout: string, cfg: ExecConfig, now: number): Cached {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(`exec plugin "${cfg.command}" printed output that is not JSON`);
  }
  if (!isRecord(parsed) || parsed.kind !== 'ExecCredential') {
    throw new Error(`exec plugin "${cfg.command}" did not print an ExecCredential`);
  }
  if (parsed.apiVersion !== cfg.apiVersion) {
    throw new Error(
      `exec plugin "${cfg.command}" answered apiVersion ${String(parsed.apiVersion)}, expected ${cfg.apiVersion}`,
    );
  }
  const status = parsed.status;
  if (!isRecord(status)) throw new Error(`exec plugin "${cfg.command}" returned no status`);
  const creds: Credentials = {};
  if (typeof status.token === 'string' && status.token !== '') creds.authorization = `Bearer ${status.token}`;
  const cert = status.clientCertificateData;
  const key = status.clientKeyData;
  if (typeof cert === 'string' && typeof key === 'string' && cert !== '' && key !== '') {
    creds.cert = cert;
    creds.key = key;
  } else if (cert !== undefined || key !== undefined) {
    throw new Error(`exec plugin "${cfg.command}" must return both clientCertificateData and clientKeyData`);
  }
  if (!creds.authorization && !creds.cert) {
    throw new Error(`exec plugin "${cfg.command}" returned neither a token nor a client certificate`);
  }
  let expiresAt = Number.POSITIVE_INFINITY;
  if (typeof status.expirationTimestamp === 'string') {
    const t = Date.parse(status.expirationTimestamp);
    if (Number.isNaN(t)) throw new Error(`exec plugin "${cfg.command}" returned a bad expirationTimestamp`);
    expiresAt = t;
  }
  if (expiresAt <= now)
    throw new ExpiredCredentialError(`exec plugin "${cfg.command}" returned an already expired credential`);
  return { creds, expiresAt };
}

function runPlugin(
  cfg: ExecConfig,
  timeoutMs: number,
  now: () => number,
  signal: AbortSignal,
): Promise<Cached> {
  const execInfo = JSON.stringify({
    apiVersion: cfg.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false },
  });
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: execInfo };
  for (const e of cfg.env) env[e.name] = e.value;
  const stopped = () => new Error(`exec plugin "${cfg.command}" was stopped: kubeglass is shutting down`);
  if (signal.aborted) return Promise.reject(stopped());
  return new Promise((resolvePromise, reject) => {
    const child = spawn(commandPath(cfg), cfg.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`exec plugin "${cfg.command}" timed out after ${timeoutMs} ms`)));
    }, timeoutMs);
    const onAbort = (): void => {
      child.kill('SIGKILL');
      finish(() => reject(stopped()));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 64) err.push(b);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() => {
        if (e.code === 'ENOENT') {
          const hint = cfg.installHint ? `\n${cfg.installHint}` : '';
          reject(new Error(`exec plugin "${cfg.command}" was not found${hint}`));
        } else {
          reject(new Error(`exec plugin "${cfg.command}" could not start: ${e.code ?? e.message}`));
        }
      });
    });
    child.on('close', (code) => {
      finish(() => {
        if (code !== 0) {
          const stderr = Buffer.concat(err).toString('utf8').trim().slice(0, 500);
          reject(new Error(`exec plugin "${cfg.command}" exited with ${code}${stderr ? `: ${stderr}` : ''}`));
          return;
        }
        try {
          resolvePromise(decodeOutput(Buffer.concat(out).toString('utf8'), cfg, now()));
        } catch (e) {
          reject(e);
        }
      });
    });
  });
}

function sameCredentials(ours: Credentials, sent: Credentials): boolean {
  return ours.authorization === sent.authorization && ours.cert === sent.cert;
}

export function execCredentials(
  cfg: ExecConfig,
  base: Credentials,
  opts: ExecOptions = {},
): CredentialSource {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const refreshIntervalMs = opts.refreshIntervalMs ?? 10_000;
  const now = opts.now ?? Date.now;
  let cached: Cached | undefined;
  let inflight: Promise<Cached> | undefined;
  let refreshedAt = Number.NEGATIVE_INFINITY;
  // Aborted by dispose(): kills the running plugin, and any later one at once.
  const disposed = new AbortController();
  return {
    get: async () => {
      if (cached && cached.expiresAt > now()) return { ...base, ...cached.creds };
      if (!inflight) {
        inflight = runPlugin(cfg, timeoutMs, now, disposed.signal).finally(() => {
          inflight = undefined;
        });
      }
      cached = await inflight;
      return { ...base, ...cached.creds };
    },
    invalidate: (rejected) => {
      // Already replaced (or being replaced) since that request left: retry with the new one.
      if (!cached || !sameCredentials(cached.creds, rejected)) return true;
      if (now() - refreshedAt < refreshIntervalMs) return false;
      refreshedAt = now();
      cached = undefined;
      return true;
    },
    dispose: () => {
      cached = undefined;
      disposed.abort();
    },
  };
}
