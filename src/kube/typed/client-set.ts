// The typed ClientSet for built-in groups (client-go kubernetes.Clientset), generated at runtime
// AND at the type level from one table of (accessor group, group, version, resource, kind,
// namespaced, accessor name). Each entry is a thin typed wrapper over the DynamicClient:
//
//   const cs = createClientSet(dynamic);
//   const pods = await cs.coreV1.pods('default').list();       // KubeList<Typed<Pod>>
//   const node = await cs.coreV1.nodes.get('node-1');           // Typed<Node>
//
// Object types come from kubernetes-types. Those are interfaces without an index signature, so
// they are not KubeObjects by themselves; results are `Typed<T>` (T & KubeObject), which is both.

import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import type {
  ControllerRevision,
  DaemonSet,
  Deployment,
  ReplicaSet,
  StatefulSet,
} from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type {
  ConfigMap,
  Endpoints,
  Event,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1';
import type { DeleteOptions } from 'kubernetes-types/meta/v1';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { CSIDriver, CSINode, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1';
import type { GroupVersionResource, KubeList, KubeObject, Status } from '../api/types.ts';
import type { Watch } from '../cache/lister-watcher.ts';
import type {
  ApplyOptions,
  CallOptions,
  DynamicClient,
  ListCallOptions,
  PatchOptions,
  ResourceInterface,
  WriteOptions,
} from '../dynamic/dynamic-client.ts';
import type { PatchType } from '../rest/media-types.ts';

/** A built-in object type that is also a KubeObject. */
export type Typed<T> = T & KubeObject;

/** The kinds the table can name, and their types. */
interface KindTypes {
  Pod: Pod;
  Service: Service;
  ConfigMap: ConfigMap;
  Secret: Secret;
  Namespace: Namespace;
  Node: Node;
  Event: Event;
  Endpoints: Endpoints;
  PersistentVolume: PersistentVolume;
  PersistentVolumeClaim: PersistentVolumeClaim;
  ServiceAccount: ServiceAccount;
  ReplicationController: ReplicationController;
  ResourceQuota: ResourceQuota;
  LimitRange: LimitRange;
  PodTemplate: PodTemplate;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  StatefulSet: StatefulSet;
  DaemonSet: DaemonSet;
  ControllerRevision: ControllerRevision;
  Job: Job;
  CronJob: CronJob;
  HorizontalPodAutoscaler: HorizontalPodAutoscaler;
  Ingress: Ingress;
  IngressClass: IngressClass;
  NetworkPolicy: NetworkPolicy;
  PodDisruptionBudget: PodDisruptionBudget;
  Role: Role;
  RoleBinding: RoleBinding;
  ClusterRole: ClusterRole;
  ClusterRoleBinding: ClusterRoleBinding;
  StorageClass: StorageClass;
  CSIDriver: CSIDriver;
  CSINode: CSINode;
  VolumeAttachment: VolumeAttachment;
  PriorityClass: PriorityClass;
  Lease: Lease;
  EndpointSlice: EndpointSlice;
  EventsV1Event: EventsV1Event;
  CustomResourceDefinition: CustomResourceDefinition;
}

/** [client group, API group, version, resource, kind type, namespaced, accessor]. */
export const BUILTIN_RESOURCES = [
  ['coreV1', '', 'v1', 'pods', 'Pod', true, 'pods'],
  ['coreV1', '', 'v1', 'services', 'Service', true, 'services'],
  ['coreV1', '', 'v1', 'configmaps', 'ConfigMap', true, 'configMaps'],
  ['coreV1', '', 'v1', 'secrets', 'Secret', true, 'secrets'],
  ['coreV1', '', 'v1', 'events', 'Event', true, 'events'],
  ['coreV1', '', 'v1', 'endpoints', 'Endpoints', true, 'endpoints'],
  ['coreV1', '', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, 'persistentVolumeClaims'],
  ['coreV1', '', 'v1', 'serviceaccounts', 'ServiceAccount', true, 'serviceAccounts'],
  ['coreV1', '', 'v1', 'replicationcontrollers', 'ReplicationController', true, 'replicationControllers'],
  ['coreV1', '', 'v1', 'resourcequotas', 'ResourceQuota', true, 'resourceQuotas'],
  ['coreV1', '', 'v1', 'limitranges', 'LimitRange', true, 'limitRanges'],
  ['coreV1', '', 'v1', 'podtemplates', 'PodTemplate', true, 'podTemplates'],
  ['coreV1', '', 'v1', 'namespaces', 'Namespace', false, 'namespaces'],
  ['coreV1', '', 'v1', 'nodes', 'Node', false, 'nodes'],
  ['coreV1', '', 'v1', 'persistentvolumes', 'PersistentVolume', false, 'persistentVolumes'],
  ['appsV1', 'apps', 'v1', 'deployments', 'Deployment', true, 'deployments'],
  ['appsV1', 'apps', 'v1', 'replicasets', 'ReplicaSet', true, 'replicaSets'],
  ['appsV1', 'apps', 'v1', 'statefulsets', 'StatefulSet', true, 'statefulSets'],
  ['appsV1', 'apps', 'v1', 'daemonsets', 'DaemonSet', true, 'daemonSets'],
  ['appsV1', 'apps', 'v1', 'controllerrevisions', 'ControllerRevision', true, 'controllerRevisions'],
  ['batchV1', 'batch', 'v1', 'jobs', 'Job', true, 'jobs'],
  ['batchV1', 'batch', 'v1', 'cronjobs', 'CronJob', true, 'cronJobs'],
  [
    'autoscalingV2',
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
    'horizontalPodAutoscalers',
  ],
  ['networkingV1', 'networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, 'ingresses'],
  ['networkingV1', 'networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, 'networkPolicies'],
  ['networkingV1', 'networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false, 'ingressClasses'],
  ['policyV1', 'policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, 'podDisruptionBudgets'],
  ['rbacV1', 'rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, 'roles'],
  ['rbacV1', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, 'roleBindings'],
  ['rbacV1', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, 'clusterRoles'],
  [
    'rbacV1',
    'rbac.authorization.k8s.io',
    'v1',
    'clusterrolebindings',
    'ClusterRoleBinding',
    false,
    'clusterRoleBindings',
  ],
  ['storageV1', 'storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, 'storageClasses'],
  ['storageV1', 'storage.k8s.io', 'v1', 'csidrivers', 'CSIDriver', false, 'csiDrivers'],
  ['storageV1', 'storage.k8s.io', 'v1', 'csinodes', 'CSINode', false, 'csiNodes'],
  ['storageV1', 'storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false, 'volumeAttachments'],
  ['schedulingV1', 'scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, 'priorityClasses'],
  ['coordinationV1', 'coordination.k8s.io', 'v1', 'leases', 'Lease', true, 'leases'],
  ['discoveryV1', 'discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, 'endpointSlices'],
  ['eventsV1', 'events.k8s.io', 'v1', 'events', 'EventsV1Event', true, 'events'],
  [
    'apiextensionsV1',
    'apiextensions.k8s.io',
    'v1',
    'customresourcedefinitions',
    'CustomResourceDefinition',
    false,
    'customResourceDefinitions',
  ],
] as const satisfies readonly (readonly [string, string, string, string, keyof KindTypes, boolean, string])[];

type Row = (typeof BUILTIN_RESOURCES)[number];

/** client-go's typed interface for one resource: the dynamic verbs with typed objects. */
export class TypedResource<T> {
  readonly gvr: GroupVersionResource;
  readonly #inner: ResourceInterface;

  constructor(dynamic: DynamicClient, gvr: GroupVersionResource, namespace: string) {
    this.gvr = gvr;
    const r = dynamic.resource(gvr);
    this.#inner = namespace ? r.namespace(namespace) : r;
  }

  // The casts below cross from kubernetes-types interfaces to unstructured JSON and back; the
  // wire format is the same JSON either way, so no conversion happens.
  get(
    name: string,
    opts?: CallOptions & { subresource?: string; resourceVersion?: string },
  ): Promise<Typed<T>> {
    return this.#inner.get(name, opts) as Promise<Typed<T>>;
  }
  list(opts?: ListCallOptions): Promise<KubeList<Typed<T>>> {
    return this.#inner.list(opts) as Promise<KubeList<Typed<T>>>;
  }
  /** DC-07: a typed watch sends timeoutSeconds and the matching `timeout` parameter. */
  watch(opts?: ListCallOptions): Promise<Watch<Typed<T>>> {
    const withTimeout: ListCallOptions = { ...opts };
    if (opts?.timeoutSeconds && !opts.timeoutMs) withTimeout.timeoutMs = opts.timeoutSeconds * 1000;
    return this.#inner.watch(withTimeout) as Promise<Watch<Typed<T>>>;
  }
  create(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<Typed<T>> {
    return this.#inner.create(obj as KubeObject, opts) as Promise<Typed<T>>;
  }
  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<Typed<T>> {
    return this.#inner.update(obj as KubeObject, opts) as Promise<Typed<T>>;
  }
  updateStatus(obj: T, opts?: WriteOptions): Promise<Typed<T>> {
    return this.#inner.updateStatus(obj as KubeObject, opts) as Promise<Typed<T>>;
  }
  patch(
    name: string,
    type: PatchType,
    data: unknown,
    opts?: PatchOptions & { subresource?: string },
  ): Promise<Typed<T>> {
    return this.#inner.patch(name, type, data, opts) as Promise<Typed<T>>;
  }
  apply(name: string, obj: T, opts: ApplyOptions): Promise<Typed<T>> {
    return this.#inner.apply(name, obj as KubeObject, opts) as Promise<Typed<T>>;
  }
  delete(name: string, opts?: CallOptions & { deleteOptions?: DeleteOptions }): Promise<Typed<T> | Status> {
    return this.#inner.delete(name, opts) as Promise<Typed<T> | Status>;
  }
  deleteCollection(
    opts?: ListCallOptions & { deleteOptions?: DeleteOptions },
  ): Promise<KubeList<Typed<T>> | Status> {
    return this.#inner.deleteCollection(opts) as Promise<KubeList<Typed<T>> | Status>;
  }
}

type Accessor<R extends Row> = R[5] extends true
  ? (namespace?: string) => TypedResource<KindTypes[R[4]]>
  : TypedResource<KindTypes[R[4]]>;

/** The ClientSet's shape, derived from the table. */
export type ClientSet = {
  [G in Row[0]]: { [R in Extract<Row, readonly [G, ...unknown[]]> as R[6]]: Accessor<R> };
};

export function createClientSet(dynamic: DynamicClient): ClientSet {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [groupKey, group, version, resource, , namespaced, accessor] of BUILTIN_RESOURCES) {
    const gvr = { group, version, resource };
    out[groupKey] ??= {};
    const bucket = out[groupKey];
    bucket[accessor] = namespaced
      ? (namespace = '') => new TypedResource(dynamic, gvr, namespace)
      : new TypedResource(dynamic, gvr, '');
  }
  // Built from the same table the type is derived from, so every key and accessor kind matches.
  return out as unknown as ClientSet;
}
