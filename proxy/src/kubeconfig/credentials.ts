// What a context authenticates with, resolved per request. Static credentials are read once when
// the kubeconfig loads; a tokenFile is re-read when it changes (projected service-account tokens
// rotate); exec plugins cache until expiry (exec-credential-plugin.ts).
import { readFileSync, statSync } from 'node:fs';

export interface Credentials {
  /** Value of the Authorization header sent upstream, if any. */
  authorization?: string;
  /** TLS client identity (PEM). */
  cert?: string;
  key?: string;
}

export interface CredentialSource {
  get(): Promise<Credentials>;
  /**
   * Called after the apiserver answered 401 to a request sent with `rejected`. Returns true when
   * one retry may succeed with other credentials (exec plugins), false when retrying is pointless.
   * Only the rejected credential is dropped: if a concurrent request already replaced it, the
   * retry uses the replacement and the plugin does not run again (client-go does the same).
   */
  invalidate(rejected: Credentials): boolean;
  /**
   * Stop whatever the source runs in the background (an exec plugin still running, perhaps waiting
   * for a login that never comes); pending get() calls reject. Called when the proxy shuts down,
   * so no plugin process outlives it. Optional: static sources hold nothing.
   */
  dispose?(): void;
}

export function staticCredentials(creds: Credentials): CredentialSource {
  return { get: () => Promise.resolve(creds), invalidate: () => false };
}

/**
 * A bearer token read from a file. The file is stat'ed on every request and re-read when its
 * mtime or size changed, so rotation never needs a restart. Invariant: `cached` holds the token
 * of the file version described by `stamp`.
 */
export function tokenFileCredentials(file: string, base: Credentials): CredentialSource {
  let stamp = '';
  let cached = '';
  return {
    get: async () => {
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(file);
      } catch {
        throw new Error(`tokenFile ${file} cannot be read`);
      }
      const next = `${st.mtimeMs}:${st.size}`;
      if (next !== stamp) {
        cached = readFileSync(file, 'utf8').trim();
        stamp = next;
      }
      if (cached === '') throw new Error(`tokenFile ${file} is empty`);
      return { ...base, authorization: `Bearer ${cached}` };
    },
    invalidate: () => {
      stamp = '';
      return false;
    },
  };
}
