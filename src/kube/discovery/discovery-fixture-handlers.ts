// Test support (not used by production code): MSW handlers that serve the real discovery
// documents of proxy/sim/fixtures/discovery, aggregated or legacy, plus a CRD group example.com/v1
// (widgets), the way a real apiserver derives the documents the fixtures do not include.
import { HttpResponse, http } from 'msw';
import aggregatedApis from '../../../proxy/sim/fixtures/discovery/aggregated_v2.json';
import apiVersions from '../../../proxy/sim/fixtures/discovery/api.json';
import coreV1 from '../../../proxy/sim/fixtures/discovery/api__v1.json';
import appsV1 from '../../../proxy/sim/fixtures/discovery/apis__apps__v1.json';
import batchV1 from '../../../proxy/sim/fixtures/discovery/apis__batch__v1.json';
import type {
  APIGroupDiscovery,
  APIGroupDiscoveryList,
  APIGroupList,
  APIResourceDiscovery,
  APIResourceList,
} from './discovery-types.ts';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export const widgetsGroup: APIGroupDiscovery = {
  metadata: { name: 'example.com' },
  versions: [
    {
      version: 'v1',
      freshness: 'Current',
      resources: [
        {
          resource: 'widgets',
          responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
          scope: 'Namespaced',
          singularResource: 'widget',
          shortNames: ['wd'],
          categories: ['all', 'example'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
          subresources: [
            {
              subresource: 'status',
              responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
              verbs: ['get', 'patch', 'update'],
            },
          ],
        },
      ],
    },
  ],
};

/** The core group in aggregated form, derived from /api/v1 as the apiserver does. */
export function coreAggregated(): APIGroupDiscoveryList {
  const list = coreV1 as APIResourceList;
  const byName = new Map<string, APIResourceDiscovery>();
  for (const r of list.resources) {
    const slash = r.name.indexOf('/');
    if (slash < 0) {
      const d: APIResourceDiscovery = {
        resource: r.name,
        responseKind: { group: '', version: 'v1', kind: r.kind },
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singularName,
        verbs: r.verbs,
        subresources: [],
      };
      if (r.shortNames) d.shortNames = r.shortNames;
      if (r.categories) d.categories = r.categories;
      byName.set(r.name, d);
    } else {
      byName.get(r.name.slice(0, slash))?.subresources?.push({
        subresource: r.name.slice(slash + 1),
        responseKind: { group: '', version: 'v1', kind: r.kind },
        verbs: r.verbs,
      });
    }
  }
  return {
    apiVersion: 'apidiscovery.k8s.io/v2',
    kind: 'APIGroupDiscoveryList',
    items: [
      { metadata: {}, versions: [{ version: 'v1', freshness: 'Current', resources: [...byName.values()] }] },
    ],
  };
}

export interface FixtureState {
  /** Serve the aggregated format when asked for it (default true). */
  aggregatedApi: boolean;
  aggregatedApis: boolean;
  /** Extra groups appended to /apis (the CRD group by default). */
  extraGroups: APIGroupDiscovery[];
  /** ETag to send on /api and /apis (none when unset); matching If-None-Match gets 304. */
  etag?: string;
  /** Request counters by path. */
  hits: Map<string, number>;
}

export function newFixtureState(): FixtureState {
  return { aggregatedApi: true, aggregatedApis: true, extraGroups: [widgetsGroup], hits: new Map() };
}

function allApisGroups(state: FixtureState): APIGroupDiscovery[] {
  return [...((aggregatedApis as APIGroupDiscoveryList).items ?? []), ...state.extraGroups];
}

function legacyList(groupName: string, version: string, state: FixtureState): APIResourceList | undefined {
  if (groupName === 'apps' && version === 'v1') return appsV1 as APIResourceList;
  if (groupName === 'batch' && version === 'v1') return batchV1 as APIResourceList;
  const g = allApisGroups(state).find((x) => x.metadata?.name === groupName);
  const v = g?.versions?.find((x) => x.version === version);
  if (!v) return undefined;
  const gv = `${groupName}/${version}`;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: (v.resources ?? []).flatMap((r) => [
      {
        name: r.resource,
        singularName: r.singularResource ?? '',
        namespaced: r.scope === 'Namespaced',
        kind: r.responseKind?.kind ?? '',
        verbs: r.verbs ?? [],
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
      },
      ...(r.subresources ?? []).map((s) => ({
        name: `${r.resource}/${s.subresource}`,
        singularName: '',
        namespaced: r.scope === 'Namespaced',
        kind: s.responseKind?.kind ?? '',
        verbs: s.verbs ?? [],
      })),
    ]),
  };
}

function wantsAggregated(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('g=apidiscovery.k8s.io');
}

/** Handlers under `base` (e.g. 'http://kube.test/clusters/ctx'). */
export function discoveryHandlers(base: string, state: FixtureState) {
  const hit = (path: string) => state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
  const notModified = (request: Request) =>
    state.etag !== undefined && request.headers.get('if-none-match') === state.etag;
  const etagHeader = (): Record<string, string> => (state.etag ? { ETag: state.etag } : {});
  return [
    http.get(`${base}/api`, ({ request }) => {
      hit('/api');
      if (notModified(request)) return new HttpResponse(null, { status: 304 });
      if (state.aggregatedApi && wantsAggregated(request)) {
        return HttpResponse.json(coreAggregated(), {
          headers: { 'Content-Type': AGGREGATED_CONTENT_TYPE, ...etagHeader() },
        });
      }
      return HttpResponse.json(apiVersions, { headers: etagHeader() });
    }),
    http.get(`${base}/apis`, ({ request }) => {
      hit('/apis');
      if (notModified(request)) return new HttpResponse(null, { status: 304 });
      const groups = allApisGroups(state);
      if (state.aggregatedApis && wantsAggregated(request)) {
        return HttpResponse.json(
          { apiVersion: 'apidiscovery.k8s.io/v2', kind: 'APIGroupDiscoveryList', items: groups },
          { headers: { 'Content-Type': AGGREGATED_CONTENT_TYPE, ...etagHeader() } },
        );
      }
      const list: APIGroupList = {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const name = g.metadata?.name ?? '';
          const versions = (g.versions ?? []).map((v) => ({
            groupVersion: `${name}/${v.version}`,
            version: v.version,
          }));
          return { name, versions, preferredVersion: versions[0]! };
        }),
      };
      return HttpResponse.json(list, { headers: etagHeader() });
    }),
    http.get(`${base}/api/v1`, () => {
      hit('/api/v1');
      return HttpResponse.json(coreV1);
    }),
    http.get(`${base}/apis/:group/:version`, ({ params }) => {
      const group = String(params.group);
      const version = String(params.version);
      hit(`/apis/${group}/${version}`);
      const list = legacyList(group, version, state);
      if (!list)
        return HttpResponse.json(
          { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' },
          { status: 404 },
        );
      return HttpResponse.json(list);
    }),
  ];
}
