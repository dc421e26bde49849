// The simulated Kubernetes API server, environment-free: createSimCluster() returns a SimHandler
// that answers SimRequests exactly as a small v1.32 apiserver would (discovery, OpenAPI v3, every
// verb on every served resource, watches), plus the SimWriter handle seed and churn write through
// and the test switches (compact, faults, close). No Node API is used: the Node adapter and the
// MSW mount translate transport to SimRequest/SimResponse and back.
//
// handle() never throws: every failure, including an unexpected exception, is answered as a Status.
import type { GroupVersionResource, KubeObject } from '../../../src/kube/api/types.ts';
import { aggregatedContentType, negotiateDiscovery } from './content-negotiation.ts';
import { DiscoveryDocuments, type Document } from './discovery-documents.ts';
import { Engine, noSuchResource } from './engine.ts';
import { FaultInjector, type RateLimit, type SimFaults, tooManyRequests } from './faults.ts';
import {
  type OpenApiV3Document,
  openapiV3Document,
  openapiV3DocumentHash,
  openapiV3Index,
  openapiV3Path,
} from './openapi.ts';
import type { ResourceInfo } from './registry.ts';
import { parseRequestPath, type RequestTarget } from './request-info.ts';
import { type ApiContext, handleResource, jsonResponse } from './resource-api.ts';
import type { SimHandler, SimRequest, SimResponse } from './sim-http.ts';
import type { SimWriter } from './sim-writer.ts';
import { lowerBound } from './sorted-keys.ts';
import { failure, methodNotAllowed, type SimStatusError, toStatusError } from './status.ts';

export interface SimClusterOptions {
  /** Watch history kept per resource, in events (the watch cache's capacity). Default 10,000. */
  historyWindow?: number;
  /** Watch history kept by age, in ms (etcd's compaction interval). Default 5 minutes (PG-10). */
  historyWindowMs?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 60 s, like the apiserver. */
  bookmarkIntervalMs?: number;
  /** Age after which a continue token is answered with 410 Expired. Default 5 minutes (PG-08). */
  continueTokenTtlMs?: number;
  /** Server-side rate limit (429 + Retry-After when exceeded). Default: none. */
  rateLimit?: RateLimit;
  /** Live events a watcher may fall behind before the server closes it. Default 10,000. */
  watchBufferSize?: number;
  /** Clock for creationTimestamp, history age, continue-token age and the rate limiter. Default Date.now. */
  now?: () => number;
  /** Reported by /version; kubectl's dispatcher picks its version from it. Default v1.32.3. */
  gitVersion?: string;
  /** Create default, kube-system, kube-public and kube-node-lease at start, as a real cluster has. Default true. */
  bootstrapNamespaces?: boolean;
}

export interface SimCluster extends SimHandler, SimWriter {
  /** The latest committed resourceVersion, as the API serialises it. */
  resourceVersion(): string;
  /** Drop all watch history: every resume or exact list at an earlier RV now gets 410. */
  compact(): void;
  readonly faults: SimFaults;
  /** The served resource for a GVR (CRD resources included), or undefined. */
  resourceInfo(gvr: GroupVersionResource): ResourceInfo | undefined;
  /** Number of watches currently open. */
  openWatches(): number;
  /** End every open watch (the streams finish cleanly). The cluster keeps answering requests. */
  close(): void;
}

export const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function statusResponse(err: SimStatusError, extraHeaders: Record<string, string> = {}): SimResponse {
  const response = jsonResponse(err.code, err.status);
  return { ...response, headers: { ...response.headers, ...extraHeaders } };
}

function documentResponse(req: SimRequest, doc: Document, contentType: string): SimResponse {
  const headers: Record<string, string> = {
    'content-type': contentType,
    etag: doc.etag,
    vary: 'Accept',
    'cache-control': 'public',
  };
  if (req.headers['if-none-match'] === doc.etag) return { status: 304, headers, body: '' };
  return { status: 200, headers, body: doc.body };
}

export function createSimCluster(options: SimClusterOptions = {}): SimCluster {
  const now = options.now ?? (() => Date.now());
  const engine = new Engine({
    historyWindow: options.historyWindow ?? 10_000,
    historyWindowMs: options.historyWindowMs ?? 5 * 60_000,
    now,
  });
  const faults = new FaultInjector(now, options.rateLimit);
  const discovery = new DiscoveryDocuments(engine.registry);
  const ctx: ApiContext = {
    engine,
    faults,
    now,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    continueTokenTtlMs: options.continueTokenTtlMs ?? 5 * 60_000,
    watchBufferSize: options.watchBufferSize ?? 10_000,
  };
  const gitVersion = options.gitVersion ?? 'v1.32.3';
  const openapi = new OpenApiCache(engine);

  if (options.bootstrapNamespaces ?? true) {
    const nsInfo = engine.info({ group: '', version: 'v1', resource: 'namespaces' });
    for (const name of BOOTSTRAP_NAMESPACES)
      engine.create(nsInfo, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, '');
  }

  function route(req: SimRequest, target: RequestTarget): Promise<SimResponse> | SimResponse {
    const method = req.method.toUpperCase();
    if (target.kind === 'resource') return handleResource(ctx, req, target);
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(req.method);
    switch (target.kind) {
      case 'root':
        return jsonResponse(200, {
          paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'],
        });
      case 'version': {
        const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
        return jsonResponse(200, {
          major: m?.[1] ?? '1',
          minor: m?.[2] ?? '32',
          gitVersion,
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2025-03-11T19:52:21Z',
          goVersion: 'go1.23.6',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
      }
      case 'health':
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
      case 'api': {
        const agg = negotiateDiscovery(req.headers.accept);
        if (agg) return documentResponse(req, discovery.aggregated('api', agg), aggregatedContentType(agg));
        return documentResponse(req, discovery.apiVersions(), 'application/json');
      }
      case 'apis': {
        const agg = negotiateDiscovery(req.headers.accept);
        if (agg) return documentResponse(req, discovery.aggregated('apis', agg), aggregatedContentType(agg));
        return documentResponse(req, discovery.groupList(), 'application/json');
      }
      case 'apiVersion':
        if (target.version !== 'v1') throw noSuchResource();
        return documentResponse(req, discovery.coreResources(), 'application/json');
      case 'group': {
        const doc = discovery.group(target.group);
        if (doc === undefined) throw noSuchResource();
        return documentResponse(req, doc, 'application/json');
      }
      case 'groupVersion': {
        const doc = discovery.groupVersionResources(target.group, target.version);
        if (doc === undefined) throw noSuchResource();
        return documentResponse(req, doc, 'application/json');
      }
      case 'openapi':
        return openapi.respond(req, target.segments);
      case 'unknown':
        throw noSuchResource();
    }
  }

  async function handle(req: SimRequest): Promise<SimResponse> {
    try {
      if (req.user === null) {
        return jsonResponse(401, failure(401, 'Unauthorized', 'Unauthorized').status);
      }
      if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      if (faults.isStalled(req.path)) {
        await faults.waitWhileStalled(req.signal);
        if (req.signal.aborted)
          return jsonResponse(
            504,
            failure(504, 'Timeout', 'the request was stalled and the client went away').status,
          );
      }
      const injected = faults.injected(req);
      if (injected !== undefined) {
        const headers: Record<string, string> =
          injected.retryAfter !== undefined ? { 'retry-after': String(injected.retryAfter) } : {};
        return statusResponse(injected.error, headers);
      }
      const wait = faults.throttled();
      if (wait !== undefined) return statusResponse(tooManyRequests(wait), { 'retry-after': String(wait) });
      return await route(req, parseRequestPath(req.path));
    } catch (err) {
      return statusResponse(toStatusError(err));
    }
  }

  const writeInfo = (gvr: GroupVersionResource) => engine.info(gvr);
  const namespaceOf = (obj: KubeObject) => obj.metadata?.namespace ?? '';

  return {
    handle,
    create: (gvr, obj) =>
      engine.create(writeInfo(gvr), obj, namespaceOf(obj), false, { keepCreationTimestamp: true }),
    update: (gvr, obj) => engine.update(writeInfo(gvr), obj, namespaceOf(obj), 'whole'),
    delete: (gvr, namespace, name) => {
      const info = writeInfo(gvr);
      if (engine.store.get(info, namespace, name) === undefined) return undefined;
      return engine.delete(info, namespace, name);
    },
    get: (gvr, namespace, name) => engine.store.get(writeInfo(gvr), namespace, name),
    list: (gvr, namespace) => {
      const info = writeInfo(gvr);
      const s = engine.store.existing(info.group, info.resource);
      if (s === undefined) return [];
      if (namespace === undefined || !info.namespaced) return [...s.objects.values()];
      // One namespace is one key range ("ns/" up to "ns0"): no scan of the whole resource.
      const keys = s.keys.view();
      const out: KubeObject[] = [];
      for (let i = lowerBound(keys, `${namespace}/`), end = lowerBound(keys, `${namespace}0`); i < end; i++) {
        const obj = s.objects.get(keys[i] as string);
        if (obj !== undefined) out.push(obj);
      }
      return out;
    },
    resourceVersion: () => String(engine.store.rv),
    compact: () => engine.store.compact(),
    faults,
    resourceInfo: (gvr) => engine.registry.lookup(gvr.group, gvr.version, gvr.resource),
    openWatches: () => engine.openWatches,
    close: () => {
      engine.closeWatches();
      faults.unstall();
    },
  };
}

/** /openapi/v3 and its per-group-version documents, rebuilt when the registry changes. */
class OpenApiCache {
  readonly #engine: Engine;
  #generation = -1;
  #docs = new Map<string, { doc: OpenApiV3Document; text: string; hash: string }>();
  #index = '';

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  #refresh(): void {
    const registry = this.#engine.registry;
    if (this.#generation === registry.generation) return;
    const byGv = new Map<string, { group: string; version: string; infos: ResourceInfo[] }>();
    for (const info of registry.all()) {
      const key = openapiV3Path(info);
      let entry = byGv.get(key);
      if (entry === undefined) {
        entry = { group: info.group, version: info.version, infos: [] };
        byGv.set(key, entry);
      }
      entry.infos.push(info);
    }
    this.#docs = new Map();
    const gvs: { group: string; version: string; hash: string }[] = [];
    for (const [key, { group, version, infos }] of byGv) {
      const doc = openapiV3Document(
        { group, version },
        infos.map((i) => ({
          kind: i.kind,
          resource: i.resource,
          namespaced: i.namespaced,
          verbs: i.verbs,
          ...(i.crd?.schema !== undefined ? { crdSchema: i.crd.schema } : {}),
        })),
      );
      const hash = openapiV3DocumentHash(doc);
      this.#docs.set(key, { doc, text: JSON.stringify(doc), hash });
      gvs.push({ group, version, hash });
    }
    this.#index = JSON.stringify(openapiV3Index(gvs));
    this.#generation = registry.generation;
  }

  respond(req: SimRequest, segments: string[]): SimResponse {
    const [version, ...rest] = segments;
    if (version !== 'v3') throw noSuchResource();
    this.#refresh();
    if (rest.length === 0)
      return { status: 200, headers: { 'content-type': 'application/json' }, body: this.#index };
    const entry = this.#docs.get(rest.join('/'));
    if (entry === undefined) throw noSuchResource();
    const etag = `"${entry.hash}"`;
    const headers = { 'content-type': 'application/json', etag };
    if (req.headers['if-none-match'] === etag) return { status: 304, headers, body: '' };
    return { status: 200, headers, body: entry.text };
  }
}
