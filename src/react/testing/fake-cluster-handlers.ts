// MSW handlers over a small in-memory cluster for the UI's component tests: the proxy's context
// list, /version, discovery (the real documents in proxy/sim/fixtures plus a widgets CRD group),
// and Table list/watch for any resource with live watch streams the test drives (add, modify,
// remove). Not a simulator: just enough server to exercise the real RESTClient, Reflector and views.
// Tests override single behaviours with server.use() (forbidden, errors, slow lists).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import type { ContextList } from '../../../proxy/contract/api.ts';
import type { KubeObject } from '../../kube/api/types.ts';
import type { Table, TableColumnDefinition } from '../server-table.ts';

const fixture = (name: string): Record<string, JsonBodyType> =>
  // Tests run from the repository root (vitest's root); import.meta.url is not a file: URL under jsdom.
  JSON.parse(readFileSync(join(process.cwd(), 'proxy/sim/fixtures/discovery', name), 'utf8'));

const WIDGETS_GROUP = {
  metadata: { name: 'example.com' },
  versions: [
    {
      version: 'v1',
      resources: [
        {
          resource: 'widgets',
          singularResource: 'widget',
          responseKind: { group: '', version: '', kind: 'Widget' },
          scope: 'Namespaced',
          shortNames: ['wd'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
  ],
};

const POD_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', priority: 0 },
  { name: 'Ready', type: 'string', priority: 0 },
  { name: 'Status', type: 'string', priority: 0 },
  { name: 'Restarts', type: 'string', priority: 0 },
  { name: 'Age', type: 'string', priority: 0 },
  { name: 'IP', type: 'string', priority: 1 },
];
const GENERIC_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', priority: 0 },
  { name: 'Age', type: 'string', priority: 0 },
];

type Controller = ReadableStreamDefaultController<Uint8Array>;

interface Watcher {
  resource: string;
  namespace: string;
  /** fieldSelector metadata.name=…, or "" for every name. */
  name: string;
  /** The includeObject parameter the watch asked for. */
  includeObject: IncludeObject;
  controller: Controller;
}

export class FakeCluster {
  contexts: ContextList = {
    current: 'dev',
    contexts: [
      {
        name: 'staging',
        cluster: 'staging',
        server: 'https://staging.example:6443',
        namespace: 'web',
        user: 'me',
      },
      {
        name: 'dev',
        cluster: 'kind-dev',
        server: 'https://127.0.0.1:6443',
        namespace: 'default',
        user: 'kind',
      },
    ],
  };
  // Invariant: #rv increases by one per write; every object carries the rv of its last write.
  #rv = 100;
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  #watchers: Watcher[] = [];
  readonly #encoder = new TextEncoder();

  /** Objects of a resource ("pods", "widgets", …), keyed namespace/name. */
  #of(resource: string): Map<string, KubeObject> {
    let m = this.#objects.get(resource);
    if (!m) {
      m = new Map();
      this.#objects.set(resource, m);
    }
    return m;
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** Add many objects without notifying watchers (before the view lists). */
  seed(resource: string, objects: KubeObject[]): void {
    for (const o of objects) this.#store(resource, o);
  }

  add(resource: string, obj: KubeObject): void {
    this.#emit(resource, 'ADDED', this.#store(resource, obj));
  }

  modify(resource: string, obj: KubeObject): void {
    this.#emit(resource, 'MODIFIED', this.#store(resource, obj));
  }

  remove(resource: string, namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const obj = this.#of(resource).get(key);
    if (!obj) throw new Error(`no ${resource} ${key}`);
    this.#of(resource).delete(key);
    this.#rv++;
    this.#emit(resource, 'DELETED', {
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: String(this.#rv) },
    });
  }

  /** Number of open watch streams (to wait for a view to be watching). */
  watchers(resource?: string): number {
    return this.#watchers.filter((w) => resource === undefined || w.resource === resource).length;
  }

  #store(resource: string, obj: KubeObject): KubeObject {
    this.#rv++;
    const meta = obj.metadata ?? {};
    const stored = {
      ...obj,
      metadata: {
        creationTimestamp: '2024-01-01T00:00:00Z',
        uid: `uid-${meta.namespace ?? ''}-${meta.name}`,
        ...meta,
        resourceVersion: String(this.#rv),
      },
    };
    this.#of(resource).set(`${meta.namespace ?? ''}/${meta.name}`, stored);
    return stored;
  }

  #emit(resource: string, type: string, obj: KubeObject): void {
    const ns = obj.metadata?.namespace ?? '';
    for (const w of this.#watchers) {
      if (w.resource !== resource || (w.namespace !== '' && w.namespace !== ns)) continue;
      if (w.name !== '' && w.name !== obj.metadata?.name) continue;
      const table = this.#table(resource, [obj], w.includeObject);
      w.controller.enqueue(this.#encoder.encode(`${JSON.stringify({ type, object: table })}\n`));
    }
  }

  #table(resource: string, objects: KubeObject[], includeObject: IncludeObject): Table {
    const columns = resource === 'pods' ? POD_COLUMNS : GENERIC_COLUMNS;
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: this.resourceVersion },
      columnDefinitions: columns,
      rows: objects.map((o) => ({ cells: cellsOf(resource, o), object: rowObject(o, includeObject) })),
    };
  }

  /** Close every watch stream (ends the test's streams so nothing leaks). */
  closeAll(): void {
    for (const w of this.#watchers) {
      try {
        w.controller.close();
      } catch {
        // already closed by the client's abort
      }
    }
    this.#watchers = [];
  }

  handlers() {
    return [
      http.get('*/-/contexts', () => HttpResponse.json(this.contexts)),
      http.get('*/clusters/:ctx/version', () =>
        HttpResponse.json({ major: '1', minor: '31', gitVersion: 'v1.31.0' }),
      ),
      // Like a real apiserver, /api answers in the aggregated format when the client asks for it
      // (DI-01/DI-02), so discovery takes its aggregated path for both roots.
      http.get('*/clusters/:ctx/api', ({ request }) =>
        (request.headers.get('accept') ?? '').includes('as=APIGroupDiscoveryList')
          ? HttpResponse.json(coreAggregated(), {
              headers: {
                'content-type': 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
              },
            })
          : HttpResponse.json(fixture('api.json')),
      ),
      http.get('*/clusters/:ctx/api/v1', () => HttpResponse.json(fixture('api__v1.json'))),
      http.get('*/clusters/:ctx/apis', () => {
        const doc = fixture('aggregated_v2.json') as { items: JsonBodyType[] };
        return HttpResponse.json(
          {
            kind: 'APIGroupDiscoveryList',
            apiVersion: 'apidiscovery.k8s.io/v2',
            items: [...doc.items, WIDGETS_GROUP],
          },
          {
            headers: {
              'content-type': 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
            },
          },
        );
      }),
      http.get('*/clusters/:ctx/api/v1/namespaces/:ns/:resource', ({ params, request }) =>
        this.#collection(String(params.resource), String(params.ns), request),
      ),
      http.get('*/clusters/:ctx/api/v1/:resource', ({ params, request }) =>
        this.#collection(String(params.resource), '', request),
      ),
      http.get('*/clusters/:ctx/apis/:group/:version/namespaces/:ns/:resource', ({ params, request }) =>
        this.#collection(String(params.resource), String(params.ns), request),
      ),
      http.get('*/clusters/:ctx/apis/:group/:version/:resource', ({ params, request }) =>
        this.#collection(String(params.resource), '', request),
      ),
    ];
  }

  #collection(resource: string, namespace: string, request: Request): Response {
    const url = new URL(request.url);
    const selector = url.searchParams.get('labelSelector') ?? '';
    const name =
      /(?:^|,)metadata\.name==?([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1] ?? '';
    const includeObject = (url.searchParams.get('includeObject') || 'Metadata') as IncludeObject;
    const objects = [...this.#of(resource).values()].filter(
      (o) =>
        (namespace === '' || o.metadata?.namespace === namespace) &&
        (name === '' || o.metadata?.name === name) &&
        matchesLabels(o, selector),
    );
    if (url.searchParams.get('watch') !== 'true')
      return HttpResponse.json(this.#table(resource, objects, includeObject));
    let watcher: Watcher | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        watcher = { resource, namespace, name, includeObject, controller };
        this.#watchers.push(watcher);
      },
      cancel: () => {
        this.#watchers = this.#watchers.filter((w) => w !== watcher);
      },
    });
    request.signal.addEventListener('abort', () => {
      this.#watchers = this.#watchers.filter((w) => w !== watcher);
    });
    return new HttpResponse(stream, { headers: { 'content-type': 'application/json' } });
  }
}

type IncludeObject = 'Metadata' | 'Object' | 'None';

/** A Table row's object as an apiserver sends it for includeObject (Metadata is its default). */
function rowObject(o: KubeObject, includeObject: IncludeObject): KubeObject | undefined {
  if (includeObject === 'Object') return o;
  if (includeObject === 'None') return undefined;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata ?? {} };
}

function matchesLabels(obj: KubeObject, selector: string): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return k !== undefined && obj.metadata?.labels?.[k.trim()] === v?.trim();
  });
}

function cellsOf(resource: string, o: KubeObject): unknown[] {
  const name = o.metadata?.name ?? '';
  if (resource !== 'pods') return [name, '0s'];
  const status = (o.status ?? {}) as { phase?: string; restarts?: number; podIP?: string };
  return [name, '1/1', status.phase ?? 'Running', String(status.restarts ?? 0), '0s', status.podIP ?? ''];
}

/** A pod as the tests write it. */
export function pod(
  namespace: string,
  name: string,
  status: { phase?: string; restarts?: number } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, labels: { app: name.split('-')[0] ?? name } },
    status,
  };
}

/** The failure body a real apiserver sends for a denied list. */
export function forbiddenStatus(resource: string, namespace: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'Forbidden',
    code: 403,
    message: `${resource} is forbidden: User "dev" cannot list resource "${resource}" in API group "" in the namespace "${namespace}"`,
  };
}

/** The core group (api__v1.json, a legacy APIResourceList) as an aggregated discovery document. */
function coreAggregated(): JsonBodyType {
  const list = fixture('api__v1.json') as {
    resources: {
      name: string;
      singularName?: string;
      kind: string;
      namespaced: boolean;
      verbs: string[];
      shortNames?: string[];
      categories?: string[];
    }[];
  };
  const resources = list.resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      resource: r.name,
      singularResource: r.singularName || r.kind.toLowerCase(),
      responseKind: { group: '', version: 'v1', kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    items: [{ metadata: { name: '' }, versions: [{ version: 'v1', resources, freshness: 'Current' }] }],
  };
}
