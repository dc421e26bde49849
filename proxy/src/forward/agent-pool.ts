// One keep-alive Agent per (context target, TLS client identity). The identity is part of the
// key because exec plugins may hand out a new client certificate; a socket opened with the old
// one must not carry the new credential's requests.
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Credentials } from '../kubeconfig/credentials.ts';
import type { UpstreamTarget } from '../kubeconfig/resolve-context.ts';
import { tunnelingCreateConnection } from './connect-tunnel.ts';

export type UpstreamAgent = HttpAgent | HttpsAgent;

export class AgentPool {
  /** Keyed by target object: a kubeconfig reload creates new targets, so stale agents drop out. */
  #agents = new WeakMap<UpstreamTarget, Map<string, UpstreamAgent>>();
  #all = new Set<UpstreamAgent>();

  agentFor(target: UpstreamTarget, creds: Credentials): UpstreamAgent {
    const tls = target.origin.protocol === 'https:';
    const identity = tls && creds.cert ? createHash('sha256').update(creds.cert).digest('hex') : '';
    let byIdentity = this.#agents.get(target);
    if (!byIdentity) {
      byIdentity = new Map();
      this.#agents.set(target, byIdentity);
    }
    const existing = byIdentity.get(identity);
    if (existing) return existing;
    const common = {
      keepAlive: true,
      keepAliveMsecs: 30_000,
      maxFreeSockets: 16,
      scheduling: 'lifo' as const,
    };
    const agent = tls
      ? new HttpsAgent({
          ...common,
          rejectUnauthorized: !target.insecureSkipTlsVerify,
          ...(target.ca !== undefined ? { ca: target.ca } : {}),
          ...(target.servername !== undefined ? { servername: target.servername } : {}),
          ...(creds.cert !== undefined && creds.key !== undefined
            ? { cert: creds.cert, key: creds.key }
            : {}),
        })
      : new HttpAgent(common);
    if (target.proxy) {
      // KC-07 proxy-url: every socket of this agent is a CONNECT tunnel through the proxy.
      (agent as unknown as { createConnection: unknown }).createConnection = tunnelingCreateConnection(
        target.proxy,
        tls,
      );
    }
    byIdentity.set(identity, agent);
    this.#all.add(agent);
    return agent;
  }

  /** Close every socket (shutdown). */
  destroy(): void {
    for (const agent of this.#all) agent.destroy();
    this.#all.clear();
  }
}
