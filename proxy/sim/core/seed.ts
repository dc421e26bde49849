// Realistic seed data for the simulated cluster: namespaces, nodes (with leases), deployments owning
// replicasets owning pods, a kube-proxy daemonset, a completed job, services, configmaps, secrets,
// serviceaccounts, events, and the widgets.example.com CRD with a few instances.
//
// Invariants seedCluster guarantees (and churn.ts keeps):
//   - every pod has exactly one controller ownerReference, naming an existing ReplicaSet, DaemonSet
//     or Job by name and uid; every ReplicaSet is controlled by an existing Deployment;
//   - a ReplicaSet's pods carry its selector's labels (app + pod-template-hash), and a Deployment's
//     selector matches its ReplicaSets' template labels;
//   - exactly `opts.pods` pods are created;
//   - names are unique per namespace (kube-style random suffixes, checked against what exists).
// The pod objects themselves live here too (podFromTemplate, setPodPhase) because the churn engine
// creates and advances pods the same way the seed does.
import type { GroupVersionResource, KubeObject, SimWriter } from './sim-writer.ts';

export const GVR = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  events: { group: '', version: 'v1', resource: 'events' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  crds: { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
  widgets: { group: 'example.com', version: 'v1', resource: 'widgets' },
} as const satisfies Record<string, GroupVersionResource>;

export interface SeedOptions {
  /** Exactly this many pods are created (system pods included). */
  pods: number;
  /** Application namespaces besides default, kube-system, kube-public, kube-node-lease. Default: pods/500, 3..200. */
  namespaces?: number;
  /** Default: pods/100, 3..5000. */
  nodes?: number;
  /** Milliseconds since the epoch; creation times are spread over the preceding weeks. */
  now: number;
  /** Uniform in [0,1). Default: a fixed-seed generator, so a seed is reproducible. */
  random?: () => number;
}

export interface SeedSummary {
  namespaces: string[];
  nodes: string[];
  deployments: number;
  replicaSets: number;
  pods: number;
  services: number;
  configMaps: number;
  secrets: number;
  serviceAccounts: number;
  events: number;
  widgets: number;
}

/** A small fast PRNG (mulberry32) for reproducible seeds. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)];
  return out;
}

/** The "YYYY-MM-DDT" prefix of each day seen, so isoTime formats only the time of day itself. */
const dayPrefixes = new Map<number, string>();

/** RFC3339 in UTC with second precision, as metav1.Time serializes: "2024-06-01T12:00:00Z". */
export function isoTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (dayPrefixes.size > 10_000) dayPrefixes.clear(); // bounded: seeds span weeks, not decades
    dayPrefixes.set(day, prefix);
  }
  const t = seconds - day * 86_400;
  const hh = Math.floor(t / 3600);
  const mm = Math.floor((t % 3600) / 60);
  const ss = t % 60;
  return `${prefix}${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}:${ss < 10 ? '0' : ''}${ss}Z`;
}

function hex(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(random() * 16)];
  return out;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

// ---------------------------------------------------------------------------------------------
// Application profiles: what the deployments run.

interface AppProfile {
  name: string;
  image: string;
  port: number;
  portName: string;
  cpu: string;
  memory: string;
  env: Record<string, string>;
  probePath?: string;
  sidecar?: boolean;
}

const APPS: readonly AppProfile[] = [
  {
    name: 'web',
    image: 'nginx:1.27.3',
    port: 80,
    portName: 'http',
    cpu: '100m',
    memory: '128Mi',
    env: { NGINX_WORKER_PROCESSES: 'auto' },
    probePath: '/healthz',
  },
  {
    name: 'api',
    image: 'ghcr.io/example/api-server:2.14.1',
    port: 8080,
    portName: 'http',
    cpu: '250m',
    memory: '512Mi',
    env: {
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: '20',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4317',
    },
    probePath: '/readyz',
    sidecar: true,
  },
  {
    name: 'worker',
    image: 'ghcr.io/example/queue-worker:1.8.0',
    port: 9090,
    portName: 'metrics',
    cpu: '500m',
    memory: '1Gi',
    env: { QUEUE_URL: 'amqp://rabbitmq:5672', CONCURRENCY: '8' },
  },
  {
    name: 'frontend',
    image: 'ghcr.io/example/storefront:5.2.0',
    port: 3000,
    portName: 'http',
    cpu: '200m',
    memory: '256Mi',
    env: { NODE_ENV: 'production', API_BASE_URL: 'http://api:8080' },
    probePath: '/',
  },
  {
    name: 'cache',
    image: 'redis:7.4.1-alpine',
    port: 6379,
    portName: 'redis',
    cpu: '100m',
    memory: '256Mi',
    env: { REDIS_MAXMEMORY: '200mb' },
  },
  {
    name: 'payments',
    image: 'ghcr.io/example/payments:3.0.7',
    port: 8443,
    portName: 'https',
    cpu: '300m',
    memory: '384Mi',
    env: { TLS_CERT_FILE: '/etc/tls/tls.crt', PROVIDER: 'stripe' },
    probePath: '/health',
    sidecar: true,
  },
  {
    name: 'search',
    image: 'ghcr.io/example/search-indexer:0.19.2',
    port: 9200,
    portName: 'http',
    cpu: '1',
    memory: '2Gi',
    env: { JAVA_OPTS: '-Xms1g -Xmx1g', INDEX_SHARDS: '3' },
    probePath: '/_cluster/health',
  },
  {
    name: 'notifier',
    image: 'ghcr.io/example/notifier:1.1.4',
    port: 8081,
    portName: 'http',
    cpu: '50m',
    memory: '64Mi',
    env: { SMTP_HOST: 'smtp.example.com', BATCH_SIZE: '50' },
    probePath: '/live',
  },
];

const NAMESPACE_WORDS = [
  'shop',
  'billing',
  'search',
  'identity',
  'analytics',
  'media',
  'catalog',
  'checkout',
  'ads',
  'platform',
];

function containerFor(app: AppProfile, configMap: string): Json {
  const probe = app.probePath
    ? {
        httpGet: { path: app.probePath, port: app.portName, scheme: app.port === 8443 ? 'HTTPS' : 'HTTP' },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      }
    : {
        tcpSocket: { port: app.port },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      };
  return {
    name: app.name,
    image: app.image,
    ports: [{ name: app.portName, containerPort: app.port, protocol: 'TCP' }],
    env: [
      ...Object.entries(app.env).map(([name, value]) => ({ name, value })),
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      {
        name: 'POD_NAMESPACE',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
      },
    ],
    envFrom: [{ configMapRef: { name: configMap } }],
    resources: {
      limits: { cpu: app.cpu, memory: app.memory },
      requests: { cpu: app.cpu, memory: app.memory },
    },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    livenessProbe: { ...probe, initialDelaySeconds: 10 },
    readinessProbe: { ...probe, initialDelaySeconds: 3 },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  };
}

const SIDECAR: Json = {
  name: 'log-shipper',
  image: 'fluent/fluent-bit:3.1.9',
  args: ['--config', '/fluent-bit/etc/fluent-bit.conf'],
  resources: { limits: { cpu: '50m', memory: '64Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
};

type Json = Record<string, unknown>;

function podTemplate(
  app: AppProfile,
  labels: Record<string, string>,
  configMap: string,
  serviceAccount: string,
): Json {
  const containers = [containerFor(app, configMap)];
  if (app.sidecar) containers.push(SIDECAR);
  return {
    metadata: {
      labels,
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(app.port) },
    },
    spec: {
      containers,
      volumes: [{ name: 'config', configMap: { name: configMap, defaultMode: 420 } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: serviceAccount,
      serviceAccount: serviceAccount,
      securityContext: { fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      schedulerName: 'default-scheduler',
    },
  };
}

/** A deep copy of plain JSON data; faster than structuredClone for the small objects copied per pod. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Json = {};
    for (const key in value) out[key] = cloneJson((value as Json)[key]);
    return out as T;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Pods.

/** The lifecycle stages a simulated pod goes through (see setPodPhase). */
export type PodStage =
  | 'Unscheduled'
  | 'Scheduled'
  | 'ContainerCreating'
  | 'Running'
  | 'CrashLoopBackOff'
  | 'Completed';

export interface PodPlacement {
  nodeName: string;
  hostIP: string;
  podIP: string;
}

interface ControllerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

function ownerRef(owner: KubeObject, apiVersion: string, kind: string): ControllerRef {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * A new pod for a controller (ReplicaSet, DaemonSet or Job), as its controller would create it:
 * the template's labels and spec, generateName, a controller ownerReference, and the Pending,
 * unscheduled status. Call setPodPhase to move it along.
 */
export function podFromTemplate(
  owner: KubeObject,
  owner_: { apiVersion: string; kind: string },
  name: string,
  now: number,
): KubeObject {
  const template = (owner.spec as Json | undefined)?.template as Json | undefined;
  const meta = (template?.metadata as Json | undefined) ?? {};
  const ownerName = owner.metadata?.name ?? '';
  const spec = cloneJson((template?.spec as Json | undefined) ?? {});
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Json[]) : [];
  // The projected service account token every pod gets from the ServiceAccount admission plugin.
  volumes.push({
    name: `kube-api-access-${name.slice(-5)}`,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  });
  spec.volumes = volumes;
  spec.tolerations = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ];
  spec.priority = 0;
  spec.enableServiceLinks = true;
  spec.preemptionPolicy = 'PreemptLowerPriority';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${ownerName}-`,
      namespace: owner.metadata?.namespace ?? 'default',
      labels: { ...((meta.labels as Record<string, string> | undefined) ?? {}) },
      annotations: { ...((meta.annotations as Record<string, string> | undefined) ?? {}) },
      ownerReferences: [ownerRef(owner, owner_.apiVersion, owner_.kind)],
      creationTimestamp: isoTime(now),
    },
    spec,
    status: { phase: 'Pending', qosClass: 'Guaranteed' },
  };
}

function containerNames(pod: KubeObject): { name: string; image: string }[] {
  const containers = ((pod.spec as Json | undefined)?.containers as Json[] | undefined) ?? [];
  return containers.map((c) => ({ name: String(c.name ?? ''), image: String(c.image ?? '') }));
}

function condition(type: string, status: boolean, at: string, reason?: string): Json {
  const c: Json = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at };
  if (reason !== undefined) c.reason = reason;
  return c;
}

/**
 * Set a pod's spec.nodeName and status to what the kubelet reports at the given stage. `restarts`
 * is the restart count of the first container (CrashLoopBackOff keeps increasing it).
 * Mutates and returns the pod.
 */
export function setPodPhase(
  pod: KubeObject,
  stage: PodStage,
  placement: PodPlacement | undefined,
  now: number,
  restarts = 0,
): KubeObject {
  const spec = (pod.spec ?? {}) as Json;
  pod.spec = spec;
  const at = isoTime(now);
  const created = pod.metadata?.creationTimestamp ?? at;
  const qosClass = ((pod.status as Json | undefined)?.qosClass as string | undefined) ?? 'Guaranteed';
  if (stage === 'Unscheduled' || placement === undefined) {
    delete spec.nodeName;
    pod.status = {
      phase: 'Pending',
      conditions: [condition('PodScheduled', false, at, 'Unschedulable')],
      qosClass,
    };
    return pod;
  }
  spec.nodeName = placement.nodeName;
  const containers = containerNames(pod);
  const base: Json = {
    hostIP: placement.hostIP,
    hostIPs: [{ ip: placement.hostIP }],
    startTime: created,
    qosClass,
  };
  const scheduled = condition('PodScheduled', true, created);
  const imageID = imageIdOf;
  // One digest per pod and restart; containers get rotations of it (IDs only need to look real and differ).
  const podDigest = simpleDigest(`${pod.metadata?.name}/${restarts}`);
  const containerID = (index: number) =>
    `containerd://${podDigest.slice((index * 8) % 64)}${podDigest.slice(0, (index * 8) % 64)}`;

  switch (stage) {
    case 'Scheduled':
      pod.status = { phase: 'Pending', conditions: [scheduled], qosClass };
      return pod;
    case 'ContainerCreating':
      pod.status = {
        ...base,
        phase: 'Pending',
        conditions: [
          condition('PodReadyToStartContainers', false, at),
          condition('Initialized', true, created),
          condition('Ready', false, at, 'ContainersNotReady'),
          condition('ContainersReady', false, at, 'ContainersNotReady'),
          scheduled,
        ],
        containerStatuses: containers.map((c) => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
        })),
      };
      return pod;
    case 'Running':
    case 'CrashLoopBackOff': {
      const crashing = stage === 'CrashLoopBackOff';
      pod.status = {
        ...base,
        phase: 'Running',
        podIP: placement.podIP,
        podIPs: [{ ip: placement.podIP }],
        conditions: [
          condition('PodReadyToStartContainers', true, created),
          condition('Initialized', true, created),
          condition('Ready', !crashing, at, crashing ? 'ContainersNotReady' : undefined),
          condition('ContainersReady', !crashing, at, crashing ? 'ContainersNotReady' : undefined),
          scheduled,
        ],
        containerStatuses: containers.map((c, i) => {
          const first = i === 0;
          const failing = crashing && first;
          const restartCount = first ? restarts : 0;
          return {
            name: c.name,
            image: c.image,
            imageID: imageID(c.image),
            containerID: containerID(i),
            ready: !failing,
            restartCount,
            started: !failing,
            state: failing
              ? {
                  waiting: {
                    reason: 'CrashLoopBackOff',
                    message: `back-off ${Math.min(300, 10 * 2 ** Math.min(restartCount, 5))}s restarting failed container=${c.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid ?? ''})`,
                  },
                }
              : { running: { startedAt: restartCount > 0 ? at : created } },
            lastState:
              restartCount > 0
                ? {
                    terminated: {
                      exitCode: 1,
                      reason: 'Error',
                      startedAt: isoTime(now - 20_000),
                      finishedAt: at,
                      containerID: containerID(i + 3),
                    },
                  }
                : {},
          };
        }),
      };
      return pod;
    }
    case 'Completed':
      pod.status = {
        ...base,
        phase: 'Succeeded',
        podIP: placement.podIP,
        podIPs: [{ ip: placement.podIP }],
        conditions: [
          condition('PodReadyToStartContainers', false, at),
          condition('Initialized', true, created, 'PodCompleted'),
          condition('Ready', false, at, 'PodCompleted'),
          condition('ContainersReady', false, at, 'PodCompleted'),
          scheduled,
        ],
        containerStatuses: containers.map((c, i) => ({
          name: c.name,
          image: c.image,
          imageID: imageID(c.image),
          containerID: containerID(i),
          ready: false,
          restartCount: 0,
          started: false,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: created, finishedAt: at } },
          lastState: {},
        })),
      };
      return pod;
  }
  return pod;
}

const imageIds = new Map<string, string>();

/** A registry image ID for an image reference, memoized: the seed uses a handful of images. */
function imageIdOf(image: string): string {
  let id = imageIds.get(image);
  if (id === undefined) {
    id = `${image.includes('/') ? image.split(':')[0] : `docker.io/library/${image.split(':')[0]}`}@sha256:${simpleDigest(image)}`;
    if (imageIds.size > 1000) imageIds.clear();
    imageIds.set(image, id);
  }
  return id;
}

/** A stable 64-hex-digit pseudo digest (image IDs, container IDs); not cryptographic. */
function simpleDigest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let out = '';
  for (let round = 0; round < 8; round++) {
    // Spread the one 32-bit hash over eight words with an xorshift-multiply mixer.
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) + round;
    h = Math.imul(h ^ (h >>> 13), 0x2c1b3c6d);
    out += ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** Whether a pod at this stage counts as ready for its ReplicaSet's status. */
export function stageIsReady(stage: PodStage): boolean {
  return stage === 'Running';
}

// ---------------------------------------------------------------------------------------------
// Events.

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
  fieldPath?: string;
  count?: number;
  first?: number;
}

/** A core/v1 Event about an object, as the kubelet or scheduler records it. */
export function eventFor(
  obj: KubeObject,
  kind: string,
  apiVersion: string,
  e: EventSpec,
  name: string,
  now: number,
): KubeObject {
  const involved: Json = {
    kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name,
    uid: obj.metadata?.uid,
    apiVersion,
    resourceVersion: obj.metadata?.resourceVersion,
  };
  if (e.fieldPath !== undefined) involved.fieldPath = e.fieldPath;
  const source: Json = { component: e.component };
  if (e.host !== undefined) source.host = e.host;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name,
      namespace: obj.metadata?.namespace ?? 'default',
      creationTimestamp: isoTime(e.first ?? now),
    },
    involvedObject: involved,
    reason: e.reason,
    message: e.message,
    source,
    firstTimestamp: isoTime(e.first ?? now),
    lastTimestamp: isoTime(now),
    count: e.count ?? 1,
    type: e.type,
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// The widgets CRD.

export const WIDGET_PRINTER_COLUMNS = [
  { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'The color of the widget' },
  { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
] as const;

/** The widgets.example.com CustomResourceDefinition (group example.com, v1, namespaced, short name wg). */
export function widgetCrd(now: number): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com', creationTimestamp: isoTime(now) },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: ['wg'],
        categories: ['all'],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: WIDGET_PRINTER_COLUMNS.map((c) => ({ ...c })),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['color'],
                  properties: {
                    color: { type: 'string', enum: ['red', 'green', 'blue', 'yellow'] },
                    size: { type: 'integer', minimum: 1, maximum: 100 },
                    tags: { type: 'array', items: { type: 'string' } },
                  },
                },
                status: {
                  type: 'object',
                  properties: {
                    conditions: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          type: { type: 'string' },
                          status: { type: 'string' },
                          lastTransitionTime: { type: 'string', format: 'date-time' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
      conversion: { strategy: 'None' },
    },
    status: {
      acceptedNames: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: ['wg'],
        categories: ['all'],
      },
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: isoTime(now),
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: isoTime(now),
        },
      ],
      storedVersions: ['v1'],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// seedCluster.

const DAY = 86_400_000;

interface NodeInfo {
  name: string;
  ip: string;
  podCidrIndex: number;
  podCount: number;
}

/** IPv4 a.b.c.d from a base and an offset. */
function ipv4(base: [number, number], offset: number): string {
  return `${base[0]}.${base[1]}.${(offset >> 8) & 255}.${offset & 255}`;
}

/**
 * Fill an empty cluster through the writer. Synchronous; throws whatever the writer throws
 * (e.g. AlreadyExists when seeding a cluster twice). Bad options throw a RangeError.
 */
export function seedCluster(writer: SimWriter, opts: SeedOptions): SeedSummary {
  const podTotal = opts.pods;
  if (!Number.isInteger(podTotal) || podTotal < 0)
    throw new RangeError(`seed: pods must be a non-negative integer, got ${podTotal}`);
  const nodeCount = opts.nodes ?? Math.min(5000, Math.max(3, Math.ceil(podTotal / 100)));
  const appNamespaceCount = opts.namespaces ?? Math.min(200, Math.max(3, Math.ceil(podTotal / 500)));
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 65_000)
    throw new RangeError(`seed: nodes must be 1..65000, got ${nodeCount}`);
  if (!Number.isInteger(appNamespaceCount) || appNamespaceCount < 0) {
    throw new RangeError(`seed: namespaces must be a non-negative integer, got ${appNamespaceCount}`);
  }
  const random = opts.random ?? seededRandom(0x6b756265);
  const now = opts.now;
  const clusterBorn = now - 40 * DAY;
  const summary: SeedSummary = {
    namespaces: [],
    nodes: [],
    deployments: 0,
    replicaSets: 0,
    pods: 0,
    services: 0,
    configMaps: 0,
    secrets: 0,
    serviceAccounts: 0,
    events: 0,
    widgets: 0,
  };
  const podNames = new Set<string>();
  let podIpCounter = 2;
  let serviceIpCounter = 10;
  let eventBudget = Math.min(5000, podTotal * 4);
  const between = (from: number, to: number) => Math.floor(from + random() * Math.max(0, to - from));

  // Namespaces.
  const appNamespaces: string[] = [];
  for (let i = 0; i < appNamespaceCount; i++) {
    const word = NAMESPACE_WORDS[i % NAMESPACE_WORDS.length] ?? 'app';
    const env = ['prod', 'staging', 'dev'][Math.floor(i / NAMESPACE_WORDS.length) % 3] ?? 'prod';
    const round = Math.floor(i / (NAMESPACE_WORDS.length * 3));
    appNamespaces.push(round === 0 ? `${word}-${env}` : `${word}-${env}-${round + 1}`);
  }
  const allNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...appNamespaces];
  for (const [i, ns] of allNamespaces.entries()) {
    const created = i < 4 ? clusterBorn : between(clusterBorn, now - DAY);
    writer.create(GVR.namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: { 'kubernetes.io/metadata.name': ns, ...(i >= 4 ? { team: ns.split('-')[0] ?? ns } : {}) },
        creationTimestamp: isoTime(created),
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    summary.namespaces.push(ns);
    // Every namespace gets its default ServiceAccount and the cluster CA bundle.
    writer.create(GVR.serviceaccounts, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: ns, creationTimestamp: isoTime(created) },
    });
    writer.create(GVR.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: ns, creationTimestamp: isoTime(created) },
      data: { 'ca.crt': FAKE_CA },
    });
    summary.serviceAccounts++;
    summary.configMaps++;
  }

  // Nodes, each with its heartbeat Lease.
  const nodes: NodeInfo[] = [];
  const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  for (let i = 0; i < nodeCount; i++) {
    const controlPlane = i === 0;
    const name = controlPlane
      ? 'control-plane-1'
      : `worker-${String(i).padStart(Math.max(2, String(nodeCount).length), '0')}`;
    const ip = ipv4([10, 0], i + 10);
    const created = isoTime(clusterBorn + i * 1000);
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': zones[i % zones.length] ?? 'eu-west-1a',
      'node.kubernetes.io/instance-type': controlPlane ? 'm6i.large' : 'm6i.2xlarge',
    };
    if (controlPlane) labels['node-role.kubernetes.io/control-plane'] = '';
    const heartbeat = isoTime(now - between(0, 10_000));
    writer.create(GVR.nodes, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels,
        annotations: {
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
        creationTimestamp: created,
      },
      spec: {
        podCIDR: `10.244.${i % 256}.0/24`,
        podCIDRs: [`10.244.${i % 256}.0/24`],
        providerID: `aws:///eu-west-1a/i-0${hex(random, 16)}`,
        ...(controlPlane
          ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
          : {}),
      },
      status: {
        capacity: {
          cpu: '8',
          'ephemeral-storage': '101430960Ki',
          'hugepages-2Mi': '0',
          memory: '32475916Ki',
          pods: '110',
        },
        allocatable: {
          cpu: '7910m',
          'ephemeral-storage': '93478772582',
          'hugepages-2Mi': '0',
          memory: '31458060Ki',
          pods: '110',
        },
        conditions: [
          {
            type: 'MemoryPressure',
            status: 'False',
            lastHeartbeatTime: heartbeat,
            lastTransitionTime: created,
            reason: 'KubeletHasSufficientMemory',
            message: 'kubelet has sufficient memory available',
          },
          {
            type: 'DiskPressure',
            status: 'False',
            lastHeartbeatTime: heartbeat,
            lastTransitionTime: created,
            reason: 'KubeletHasNoDiskPressure',
            message: 'kubelet has no disk pressure',
          },
          {
            type: 'PIDPressure',
            status: 'False',
            lastHeartbeatTime: heartbeat,
            lastTransitionTime: created,
            reason: 'KubeletHasSufficientPID',
            message: 'kubelet has sufficient PID available',
          },
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: heartbeat,
            lastTransitionTime: created,
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: hex(random, 32),
          systemUUID: `ec2${hex(random, 5)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
          bootID: `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
          kernelVersion: '6.8.0-1019-aws',
          osImage: 'Ubuntu 24.04.1 LTS',
          containerRuntimeVersion: 'containerd://1.7.22',
          kubeletVersion: 'v1.32.0',
          kubeProxyVersion: 'v1.32.0',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
    writer.create(GVR.leases, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', creationTimestamp: created },
      spec: {
        holderIdentity: name,
        leaseDurationSeconds: 40,
        renewTime: `${heartbeat.slice(0, 19)}.000000Z`,
      },
    });
    nodes.push({ name, ip, podCidrIndex: i % 256, podCount: 0 });
    summary.nodes.push(name);
  }
  const workers = nodes.length > 1 ? nodes.slice(1) : nodes;
  const place = (): PodPlacement => {
    const node = workers[Math.floor(random() * workers.length)] as NodeInfo;
    node.podCount++;
    const podIP = ipv4([10, 244], podIpCounter++ % 65_000);
    return { nodeName: node.name, hostIP: node.ip, podIP };
  };
  const uniquePodName = (namespace: string, prefix: string) => {
    for (;;) {
      const name = `${prefix}-${randomSuffix(random, 5)}`;
      const key = `${namespace}/${name}`;
      if (!podNames.has(key)) {
        podNames.add(key);
        return name;
      }
    }
  };
  let budget = podTotal;

  const emitPodEvents = (
    pod: KubeObject,
    stage: PodStage,
    placement: PodPlacement | undefined,
    created: number,
  ) => {
    if (eventBudget <= 0 || placement === undefined) return;
    const containers = containerNames(pod);
    const first = containers[0];
    if (first === undefined) return;
    const podName = pod.metadata?.name ?? '';
    const specs: EventSpec[] = [
      {
        type: 'Normal',
        reason: 'Scheduled',
        message: `Successfully assigned ${pod.metadata?.namespace}/${podName} to ${placement.nodeName}`,
        component: 'default-scheduler',
        first: created,
      },
    ];
    if (stage === 'Running' || stage === 'CrashLoopBackOff' || stage === 'Completed') {
      const field = `spec.containers{${first.name}}`;
      specs.push(
        {
          type: 'Normal',
          reason: 'Pulled',
          message: `Container image "${first.image}" already present on machine`,
          component: 'kubelet',
          host: placement.nodeName,
          fieldPath: field,
          first: created + 1000,
        },
        {
          type: 'Normal',
          reason: 'Created',
          message: `Created container ${first.name}`,
          component: 'kubelet',
          host: placement.nodeName,
          fieldPath: field,
          first: created + 1000,
        },
        {
          type: 'Normal',
          reason: 'Started',
          message: `Started container ${first.name}`,
          component: 'kubelet',
          host: placement.nodeName,
          fieldPath: field,
          first: created + 2000,
        },
      );
    }
    if (stage === 'CrashLoopBackOff') {
      specs.push({
        type: 'Warning',
        reason: 'BackOff',
        message: `Back-off restarting failed container ${first.name} in pod ${podName}_${pod.metadata?.namespace}(${pod.metadata?.uid ?? ''})`,
        component: 'kubelet',
        host: placement.nodeName,
        fieldPath: `spec.containers{${first.name}}`,
        count: 5 + Math.floor(random() * 40),
        first: created + 30_000,
      });
    }
    for (const spec of specs) {
      if (eventBudget <= 0) return;
      writer.create(
        GVR.events,
        eventFor(
          pod,
          'Pod',
          'v1',
          spec,
          `${podName}.${hex(random, 16)}`,
          Math.max(spec.first ?? now, now - between(0, 3_600_000)),
        ),
      );
      eventBudget--;
      summary.events++;
    }
  };

  /** A stage for a seeded pod: mostly running, with the odd pending, creating or crash-looping one. */
  const randomStage = (): PodStage => {
    const r = random();
    if (r < 0.94) return 'Running';
    if (r < 0.965) return 'CrashLoopBackOff';
    if (r < 0.98) return 'ContainerCreating';
    if (r < 0.99) return 'Scheduled';
    return 'Unscheduled';
  };

  const createPods = (
    owner: KubeObject,
    kind: { apiVersion: string; kind: string },
    stages: PodStage[],
    created: number,
  ) => {
    const namespace = owner.metadata?.namespace ?? 'default';
    for (const stage of stages) {
      const name = uniquePodName(namespace, owner.metadata?.name ?? 'pod');
      const podCreated = between(created, now - 60_000);
      const pod = podFromTemplate(owner, kind, name, podCreated);
      const placement = stage === 'Unscheduled' ? undefined : place();
      const restarts = stage === 'CrashLoopBackOff' ? 3 + Math.floor(random() * 30) : random() < 0.05 ? 1 : 0;
      setPodPhase(
        pod,
        stage,
        placement,
        stage === 'Running' ? podCreated + 5000 : now - between(0, 120_000),
        restarts,
      );
      const stored = writer.create(GVR.pods, pod);
      summary.pods++;
      budget--;
      emitPodEvents(stored, stage, placement, podCreated);
    }
  };

  const createService = (
    namespace: string,
    name: string,
    selector: Record<string, string>,
    port: number,
    portName: string,
    created: number,
  ) => {
    const clusterIP = ipv4([10, 96], serviceIpCounter++ % 65_000);
    writer.create(GVR.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels: { ...selector }, creationTimestamp: isoTime(created) },
      spec: {
        type: 'ClusterIP',
        clusterIP,
        clusterIPs: [clusterIP],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        sessionAffinity: 'None',
        selector,
        ports: [{ name: portName, port, targetPort: portName, protocol: 'TCP' }],
      },
      status: { loadBalancer: {} },
    });
    summary.services++;
  };

  // kube-system: the API service, CoreDNS and kube-proxy.
  writer.create(GVR.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
      creationTimestamp: isoTime(clusterBorn),
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }],
    },
    status: { loadBalancer: {} },
  });
  summary.services++;

  const deploy = (
    namespace: string,
    app: AppProfile,
    name: string,
    replicas: number,
    created: number,
    system = false,
  ) => {
    const configMap = `${name}-config`;
    const serviceAccount = name;
    const labels = { app: name, 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': namespace };
    const stages: PodStage[] = [];
    for (let i = 0; i < replicas; i++) stages.push(system ? 'Running' : randomStage());
    const ready = stages.filter(stageIsReady).length;
    const template = podTemplate(app, labels, configMap, serviceAccount);
    const revisions = !system && random() < 0.3 ? 2 : 1;
    const dep = writer.create(GVR.deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace,
        labels: { ...labels },
        annotations: { 'deployment.kubernetes.io/revision': String(revisions) },
        creationTimestamp: isoTime(created),
        generation: revisions,
      },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: revisions,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(replicas - ready > 0 ? { unavailableReplicas: replicas - ready } : {}),
        conditions: [
          {
            type: 'Available',
            status: ready > 0 || replicas === 0 ? 'True' : 'False',
            reason: ready > 0 || replicas === 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: isoTime(created),
            lastTransitionTime: isoTime(created),
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${name}" has successfully progressed.`,
            lastUpdateTime: isoTime(created),
            lastTransitionTime: isoTime(created),
          },
        ],
      },
    });
    summary.deployments++;
    for (let revision = 1; revision <= revisions; revision++) {
      const current = revision === revisions;
      const hash = randomSuffix(random, 10);
      const rsLabels = { ...labels, 'pod-template-hash': hash };
      const rsTemplate = cloneJson(template);
      (rsTemplate.metadata as Json).labels = rsLabels;
      const rsReplicas = current ? replicas : 0;
      const rs = writer.create(GVR.replicasets, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels: { ...rsLabels },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
            'deployment.kubernetes.io/revision': String(revision),
          },
          ownerReferences: [ownerRef(dep, 'apps/v1', 'Deployment')],
          creationTimestamp: isoTime(created + (revision - 1) * DAY),
          generation: 1,
        },
        spec: {
          replicas: rsReplicas,
          selector: { matchLabels: { app: name, 'pod-template-hash': hash } },
          template: rsTemplate,
        },
        status: {
          replicas: rsReplicas,
          fullyLabeledReplicas: rsReplicas,
          readyReplicas: current ? ready : 0,
          availableReplicas: current ? ready : 0,
          observedGeneration: 1,
        },
      });
      summary.replicaSets++;
      if (current) createPods(rs, { apiVersion: 'apps/v1', kind: 'ReplicaSet' }, stages, created);
    }
    return dep;
  };

  const coreDns: AppProfile = {
    name: 'coredns',
    image: 'registry.k8s.io/coredns/coredns:v1.11.3',
    port: 53,
    portName: 'dns',
    cpu: '100m',
    memory: '70Mi',
    env: {},
    probePath: '/health',
  };
  const corednsReplicas = Math.min(2, budget);
  if (corednsReplicas > 0) {
    writer.create(GVR.serviceaccounts, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: isoTime(clusterBorn) },
    });
    writer.create(GVR.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns-config', namespace: 'kube-system', creationTimestamp: isoTime(clusterBorn) },
      data: {
        Corefile:
          '.:53 {\n    errors\n    health\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n',
      },
    });
    summary.serviceAccounts++;
    summary.configMaps++;
    deploy('kube-system', coreDns, 'coredns', corednsReplicas, clusterBorn, true);
    createService('kube-system', 'kube-dns', { app: 'coredns' }, 53, 'dns', clusterBorn);
  }

  const proxyPods = Math.min(nodes.length, budget);
  if (proxyPods > 0) {
    const labels = { 'k8s-app': 'kube-proxy' };
    const ds = writer.create(GVR.daemonsets, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'kube-proxy',
        namespace: 'kube-system',
        labels: { ...labels },
        creationTimestamp: isoTime(clusterBorn),
        generation: 1,
      },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'kube-proxy',
                image: 'registry.k8s.io/kube-proxy:v1.32.0',
                command: [
                  '/usr/local/bin/kube-proxy',
                  '--config=/var/lib/kube-proxy/config.conf',
                  '--hostname-override=$(NODE_NAME)',
                ],
                env: [
                  {
                    name: 'NODE_NAME',
                    valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
                  },
                ],
                resources: {
                  requests: { cpu: '100m', memory: '64Mi' },
                  limits: { cpu: '100m', memory: '64Mi' },
                },
                securityContext: { privileged: true },
                terminationMessagePath: '/dev/termination-log',
                terminationMessagePolicy: 'File',
                imagePullPolicy: 'IfNotPresent',
              },
            ],
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            serviceAccountName: 'kube-proxy',
            restartPolicy: 'Always',
            dnsPolicy: 'ClusterFirst',
            schedulerName: 'default-scheduler',
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      },
      status: {
        currentNumberScheduled: proxyPods,
        desiredNumberScheduled: proxyPods,
        numberAvailable: proxyPods,
        numberReady: proxyPods,
        updatedNumberScheduled: proxyPods,
        numberMisscheduled: 0,
        observedGeneration: 1,
      },
    });
    writer.create(GVR.serviceaccounts, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', creationTimestamp: isoTime(clusterBorn) },
    });
    summary.serviceAccounts++;
    for (let i = 0; i < proxyPods; i++) {
      const node = nodes[i] as NodeInfo;
      const pod = podFromTemplate(
        ds,
        { apiVersion: 'apps/v1', kind: 'DaemonSet' },
        uniquePodName('kube-system', 'kube-proxy'),
        clusterBorn + i * 1000,
      );
      setPodPhase(
        pod,
        'Running',
        { nodeName: node.name, hostIP: node.ip, podIP: node.ip },
        clusterBorn + i * 1000 + 5000,
      );
      writer.create(GVR.pods, pod);
      node.podCount++;
      summary.pods++;
      budget--;
    }
  }

  // A nightly CronJob and the Job it last ran, whose pod has Completed.
  const firstAppNs = appNamespaces[0] ?? 'default';
  writer.create(GVR.cronjobs, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'nightly-report',
      namespace: firstAppNs,
      creationTimestamp: isoTime(clusterBorn + DAY),
    },
    spec: {
      schedule: '0 2 * * *',
      concurrencyPolicy: 'Forbid',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'report', image: 'ghcr.io/example/reporter:1.0.2' }],
              restartPolicy: 'OnFailure',
            },
          },
        },
      },
    },
    status: {
      lastScheduleTime: isoTime(now - 10 * 3_600_000),
      lastSuccessfulTime: isoTime(now - 10 * 3_600_000 + 120_000),
    },
  });
  if (budget > 0) {
    const jobName = `nightly-report-${Math.floor((now - 10 * 3_600_000) / 60_000)}`;
    const jobLabels = { 'batch.kubernetes.io/job-name': jobName, 'job-name': jobName };
    const started = now - 10 * 3_600_000;
    const job = writer.create(GVR.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobName,
        namespace: firstAppNs,
        labels: { ...jobLabels },
        creationTimestamp: isoTime(started),
      },
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        selector: { matchLabels: { 'batch.kubernetes.io/job-name': jobName } },
        template: {
          metadata: { labels: jobLabels },
          spec: {
            containers: [{ name: 'report', image: 'ghcr.io/example/reporter:1.0.2' }],
            restartPolicy: 'OnFailure',
          },
        },
      },
      status: {
        startTime: isoTime(started),
        completionTime: isoTime(started + 120_000),
        succeeded: 1,
        ready: 0,
        conditions: [
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: isoTime(started + 120_000),
            lastTransitionTime: isoTime(started + 120_000),
          },
        ],
      },
    });
    const pod = podFromTemplate(
      job,
      { apiVersion: 'batch/v1', kind: 'Job' },
      uniquePodName(firstAppNs, jobName),
      started,
    );
    setPodPhase(pod, 'Completed', place(), started + 120_000);
    writer.create(GVR.pods, pod);
    summary.pods++;
    budget--;
  }

  // Applications: deployments spread over the app namespaces until the budget is spent. Most have a
  // few replicas; big clusters get bigger deployments so the object count stays dominated by pods.
  const replicaSpread = podTotal >= 20_000 ? 25 : 10;
  const deploymentNames = new Set<string>();
  let d = 0;
  while (budget > 0) {
    const namespace =
      appNamespaces.length > 0 ? (appNamespaces[d % appNamespaces.length] as string) : 'default';
    const app = pick(random, APPS);
    let name = app.name;
    for (let n = 2; deploymentNames.has(`${namespace}/${name}`); n++) name = `${app.name}-${n}`;
    deploymentNames.add(`${namespace}/${name}`);
    const replicas = Math.min(budget, 1 + Math.floor(random() * random() * replicaSpread));
    const created = between(clusterBorn + DAY, now - 3_600_000);
    writer.create(GVR.serviceaccounts, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, creationTimestamp: isoTime(created) },
    });
    writer.create(GVR.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${name}-config`,
        namespace,
        labels: { app: name },
        creationTimestamp: isoTime(created),
      },
      data: {
        'app.yaml': `server:\n  port: ${app.port}\n  name: ${name}\nfeatures:\n  tracing: true\n`,
        LOG_FORMAT: 'json',
      },
    });
    writer.create(GVR.secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `${name}-credentials`,
        namespace,
        labels: { app: name },
        creationTimestamp: isoTime(created),
      },
      type: 'Opaque',
      data: { username: btoa(name), password: btoa(hex(random, 24)) },
    });
    summary.serviceAccounts++;
    summary.configMaps++;
    summary.secrets++;
    deploy(namespace, app, name, replicas, created);
    createService(namespace, name, { app: name }, app.port, app.portName, created);
    d++;
  }

  // The widgets CRD and a few instances.
  writer.create(GVR.crds, widgetCrd(clusterBorn + 2 * DAY));
  const colors = ['red', 'green', 'blue', 'yellow'];
  const widgetNamespaces = ['default', ...appNamespaces.slice(0, 2)];
  for (let i = 0; i < 6; i++) {
    const namespace = widgetNamespaces[i % widgetNamespaces.length] ?? 'default';
    const created = between(clusterBorn + 2 * DAY, now);
    writer.create(GVR.widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: {
        name: `widget-${i + 1}`,
        namespace,
        labels: { color: colors[i % colors.length] ?? 'red' },
        creationTimestamp: isoTime(created),
      },
      spec: { color: colors[i % colors.length], size: 1 + ((i * 7) % 20), tags: ['demo'] },
      status: {
        conditions: [
          { type: 'Ready', status: i % 3 === 2 ? 'False' : 'True', lastTransitionTime: isoTime(created) },
        ],
      },
    });
    summary.widgets++;
  }
  return summary;
}

const FAKE_CA =
  '-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIU2ltdWxhdGVkMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNVBAMTCmt1YmVy\nbmV0ZXMwHhcNMjQwMTAxMDAwMDAwWhcNMzQwMTAxMDAwMDAwWjAVMRMwEQYDVQQDEwprdWJlcm5l\ndGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAc2ltdWxhdGVkLWNsdXN0ZXItY2Et\nbm90LWEtcmVhbC1rZXk=\n-----END CERTIFICATE-----\n';

// ---------------------------------------------------------------------------------------------
// Invariant check, shared by the seed and churn tests and usable by benches against the engine.

type OwnerRefLike = { kind?: string; name?: string; uid?: string; controller?: boolean };

function controllerOf(obj: KubeObject): OwnerRefLike | undefined {
  const controllers = ((obj.metadata?.ownerReferences ?? []) as OwnerRefLike[]).filter(
    (r) => r.controller === true,
  );
  return controllers.length === 1 ? controllers[0] : undefined;
}

function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const want = (selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  const entries = Object.entries(want);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/**
 * The ownership invariants at the top of this file, checked against a writer's current contents.
 * Returns one message per violation ([] when all hold). Reads every pod: O(cluster size).
 */
export function workloadInvariantViolations(w: SimWriter): string[] {
  const problems: string[] = [];
  const owners: Record<string, GroupVersionResource> = {
    ReplicaSet: GVR.replicasets,
    DaemonSet: GVR.daemonsets,
    Job: GVR.jobs,
  };
  for (const pod of w.list(GVR.pods)) {
    const id = `pod ${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const ref = controllerOf(pod);
    const gvr = ref?.kind === undefined ? undefined : owners[ref.kind];
    if (ref === undefined || gvr === undefined) {
      problems.push(`${id}: no single controller reference`);
      continue;
    }
    const owner = w.get(gvr, pod.metadata?.namespace ?? '', ref.name ?? '');
    if (owner === undefined || owner.metadata?.uid !== ref.uid)
      problems.push(`${id}: owner ${ref.kind}/${ref.name} missing`);
    else if (!selectorMatches((owner.spec as Json | undefined)?.selector, pod.metadata?.labels)) {
      problems.push(`${id}: labels do not match ${ref.kind}/${ref.name} selector`);
    }
  }
  for (const rs of w.list(GVR.replicasets)) {
    const id = `replicaset ${rs.metadata?.namespace}/${rs.metadata?.name}`;
    const ref = controllerOf(rs);
    const dep =
      ref?.kind === 'Deployment'
        ? w.get(GVR.deployments, rs.metadata?.namespace ?? '', ref.name ?? '')
        : undefined;
    if (dep === undefined || dep.metadata?.uid !== ref?.uid) {
      problems.push(`${id}: owning deployment missing`);
      continue;
    }
    const labels = (
      (rs.spec as Json | undefined)?.template as
        | { metadata?: { labels?: Record<string, string> } }
        | undefined
    )?.metadata?.labels;
    if (!selectorMatches((dep.spec as Json | undefined)?.selector, labels)) {
      problems.push(`${id}: template labels do not match the deployment selector`);
    }
    if (!selectorMatches((rs.spec as Json | undefined)?.selector, labels)) {
      problems.push(`${id}: template labels do not match its own selector`);
    }
  }
  return problems;
}
