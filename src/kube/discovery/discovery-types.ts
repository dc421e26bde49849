// Discovery documents: the legacy ones (meta/v1, from kubernetes-types) and the aggregated
// apidiscovery.k8s.io/v2 ones (not in kubernetes-types, so declared here from the API reference).
import type {
  APIGroup,
  APIGroupList,
  APIResource,
  APIResourceList,
  APIVersions,
} from 'kubernetes-types/meta/v1';

export type { APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions };

export interface APIGroupDiscoveryList {
  apiVersion?: string;
  kind?: string;
  items?: APIGroupDiscovery[];
}

export interface APIGroupDiscovery {
  /** metadata.name is the group; absent or "" for the core group. */
  metadata?: { name?: string };
  /** Ordered by preference: the first is the preferred version. */
  versions?: APIVersionDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  /** "Stale" when an aggregated apiserver could not be reached (DI-05). */
  freshness?: 'Current' | 'Stale' | (string & {});
}

export interface DiscoveryKind {
  group?: string;
  version?: string;
  kind: string;
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind?: DiscoveryKind;
  scope: 'Namespaced' | 'Cluster' | (string & {});
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: DiscoveryKind;
  acceptedTypes?: DiscoveryKind[];
  verbs?: string[];
}

/**
 * Everything discovery knows: groups in server order (core first, DI-04), each GV's resources,
 * and the GVs that failed (DI-07). Keys are group-version strings ("v1", "apps/v1").
 */
export interface GroupsAndResources {
  groups: APIGroup[];
  resources: Map<string, APIResourceList>;
  failed: Map<string, Error>;
}
