// The apiserver's server-side printers for the built-in kinds: which columns `kubectl get` shows for
// each resource, in which order, with which priority (priority 1 = only with -o wide), and how each
// cell is computed from the object. Written to match kubernetes pkg/printers/internalversion
// (AddHandlers and the print* functions) as of 1.32. Like the apiserver's TableConvertor, every
// printer always produces the wide cells too: kubectl hides priority>0 columns itself.
//
// Printers read objects as unknown JSON and never throw: a missing or mistyped field prints the
// same way the Go printer prints a zero value ("", 0, "<none>", "<unknown>").
import type { KubeObject } from './sim-writer.ts';

/** metav1.TableColumnDefinition. Every field is always serialized, like the Go struct. */
export interface TableColumnDefinition {
  name: string;
  /** An OpenAPI type: string, integer, number, boolean, date. */
  type: string;
  /** An OpenAPI format, e.g. "name" for the column holding the object's name; "" when none. */
  format: string;
  description: string;
  /** 0 = always shown; higher = shown only in wide output. */
  priority: number;
}

export type TableCell = string | number | boolean | null;

/** metav1.TableRowCondition: e.g. a Completed row for a pod that has terminated. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

/** A kind's columns and the function computing one row; cells.length === columns.length always. */
export interface RowPrinter {
  readonly columns: readonly TableColumnDefinition[];
  print(obj: KubeObject, now: number): PrintedRow;
}

// ---------------------------------------------------------------------------------------------
// Reading unknown JSON.

type Json = Record<string, unknown>;

function rec(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

function path(obj: unknown, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const key of keys) cur = rec(cur)[key];
  return cur;
}

/** Milliseconds since the epoch of an RFC3339 timestamp; 0 for absent or unparsable (Go's zero time). */
export function parseTimestamp(value: unknown): number {
  if (typeof value !== 'string' || value === '') return 0;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

// ---------------------------------------------------------------------------------------------
// Durations, as k8s.io/apimachinery/pkg/util/duration.HumanDuration: two or three significant
// figures, e.g. "45s", "5m3s", "17m", "3h20m", "26h", "3d4h", "120d", "2y30d".

export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to 2 s in the future (excluded) is clock skew between machines: call it "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** The apiserver's translateTimestampSince: "<unknown>" for an absent timestamp, else the age. */
export function translateTimestampSince(timestamp: unknown, now: number): string {
  const ms = parseTimestamp(timestamp);
  return ms === 0 ? '<unknown>' : humanDuration(now - ms);
}

function age(obj: KubeObject, now: number): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

// ---------------------------------------------------------------------------------------------
// Label formatting (labels.FormatLabels, metav1.FormatLabelSelector).

/** "a=1,b=2" with sorted keys; "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(rec(labels)).filter(([, v]) => typeof v === 'string');
  if (entries.length === 0) return '<none>';
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/** A LabelSelector as labels.Selector.String(): requirements sorted by key; "" when it selects everything. */
export function labelSelectorString(selector: unknown): string {
  const sel = rec(selector);
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(rec(sel.matchLabels))) {
    reqs.push({ key, text: `${key}=${str(value)}` });
  }
  for (const item of arr(sel.matchExpressions)) {
    const expr = rec(item);
    const key = str(expr.key);
    const values = arr(expr.values).map(str).sort();
    switch (expr.operator) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return '<error>';
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorString(selector);
  return text === '' ? '<none>' : text;
}

// ---------------------------------------------------------------------------------------------
// Column definitions.

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

function col(
  name: string,
  type: string,
  description: string,
  priority = 0,
  format = '',
): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const NAME_COLUMN = col('Name', 'string', NAME_DESCRIPTION, 0, 'name');
const AGE = col('Age', 'string', AGE_DESCRIPTION);
const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);
const SELECTOR = col('Selector', 'string', 'A label query over the objects this controller manages.', 1);

/** The apiserver's default TableConvertor (kinds with no printer, e.g. roles, CRDs): Name and Created At. */
export const DEFAULT_PRINTER: RowPrinter = {
  columns: [NAME_COLUMN, col('Created At', 'date', AGE_DESCRIPTION)],
  print: (obj) => {
    const ms = parseTimestamp(obj.metadata?.creationTimestamp);
    const created = ms === 0 ? '0001-01-01T00:00:00Z' : `${new Date(ms).toISOString().slice(0, 19)}Z`;
    return { cells: [nameOf(obj), created] };
  },
};

function containerCells(template: unknown): [string, string] {
  const containers = arr(path(template, 'spec', 'containers')).map(rec);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

/** spec.replicas as the server defaults it (1 when unset). */
function replicas(obj: KubeObject): number {
  const value = path(obj, 'spec', 'replicas');
  return typeof value === 'number' ? int(value) : 1;
}

// ---------------------------------------------------------------------------------------------
// Pods: the apiserver's aggregate status (printPod), including init containers, sidecars
// (restartable init containers), CrashLoopBackOff / Completed / Error reasons and Terminating.

const POD_COMPLETED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const POD_FAILED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

function hasTrueCondition(conditions: unknown, type: string): boolean {
  return arr(conditions).some((c) => rec(c).type === type && rec(c).status === 'True');
}

/** The reason a terminated container shows: its reason, else Signal:n, else ExitCode:n. */
function terminatedReason(terminated: Json, prefix: string): string {
  if (str(terminated.reason) !== '') return `${prefix}${str(terminated.reason)}`;
  if (int(terminated.signal) !== 0) return `${prefix}Signal:${int(terminated.signal)}`;
  return `${prefix}ExitCode:${int(terminated.exitCode)}`;
}

function printPod(pod: KubeObject, now: number): PrintedRow {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) !== '' ? str(status.reason) : phase;
  for (const c of arr(status.conditions)) {
    if (rec(c).type === 'PodScheduled' && rec(c).reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = arr(spec.initContainers).map(rec);
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  const total = arr(spec.containers).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).map(rec);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    const state = rec(cs.state);
    const finished = parseTimestamp(path(cs, 'lastState', 'terminated', 'finishedAt'));
    restarts += int(cs.restartCount);
    lastRestart = Math.max(lastRestart, finished);
    const isSidecar = restartable.has(str(cs.name));
    if (isSidecar) {
      sidecarRestarts += int(cs.restartCount);
      lastSidecarRestart = Math.max(lastSidecarRestart, finished);
    }
    const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
    const waitingReason = str(rec(state.waiting).reason);
    if (terminated !== undefined && int(terminated.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) reason = terminatedReason(terminated, 'Init:');
    else if (waitingReason !== '' && waitingReason !== 'PodInitializing') reason = `Init:${waitingReason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasTrueCondition(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(rec);
    // Walk from the last container so the first container's state wins, as the apiserver does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      const state = rec(cs.state);
      restarts += int(cs.restartCount);
      lastRestart = Math.max(lastRestart, parseTimestamp(path(cs, 'lastState', 'terminated', 'finishedAt')));
      const waitingReason = str(rec(state.waiting).reason);
      if (waitingReason !== '') reason = waitingReason;
      else if (state.terminated !== undefined) reason = terminatedReason(rec(state.terminated), '');
      else if (cs.ready === true && state.running !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasTrueCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
  if (deleting && str(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartText =
    restarts !== 0 && lastRestart !== 0
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);

  const podIP = str(rec(arr(status.podIPs)[0]).ip) || str(status.podIP) || '<none>';
  const gates = arr(spec.readinessGates).map((g) => str(rec(g).conditionType));
  let gateText = '<none>';
  if (gates.length > 0) {
    const conditions = arr(status.conditions).map(rec);
    const met = gates.filter((g) => conditions.find((c) => c.type === g)?.status === 'True').length;
    gateText = `${met}/${gates.length}`;
  }

  const row: PrintedRow = {
    cells: [
      nameOf(pod),
      `${ready}/${total}`,
      reason,
      restartText,
      age(pod, now),
      podIP,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      gateText,
    ],
  };
  if (phase === 'Succeeded') row.conditions = POD_COMPLETED;
  else if (phase === 'Failed') row.conditions = POD_FAILED;
  return row;
}

const podPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods.', 1),
    col(
      'Readiness Gates',
      'string',
      'If specified, all readiness gates will be evaluated for pod readiness.',
      1,
    ),
  ],
  print: printPod,
};

// ---------------------------------------------------------------------------------------------
// Workloads.

const deploymentPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'string',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    col(
      'Available',
      'string',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  print: (obj, now) => {
    const status = rec(obj.status);
    const template = path(obj, 'spec', 'template');
    const [names, images] = containerCells(template);
    return {
      cells: [
        nameOf(obj),
        `${int(status.readyReplicas)}/${replicas(obj)}`,
        int(status.updatedReplicas),
        int(status.availableReplicas),
        age(obj, now),
        names,
        images,
        labelSelectorString(path(obj, 'spec', 'selector')),
      ],
    };
  },
};

const replicaSetColumns = [
  NAME_COLUMN,
  col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
  col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
  col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  AGE,
  CONTAINERS,
  IMAGES,
  SELECTOR,
];

const replicaSetPrinter: RowPrinter = {
  columns: replicaSetColumns,
  print: (obj, now) => {
    const status = rec(obj.status);
    const [names, images] = containerCells(path(obj, 'spec', 'template'));
    return {
      cells: [
        nameOf(obj),
        replicas(obj),
        int(status.replicas),
        int(status.readyReplicas),
        age(obj, now),
        names,
        images,
        formatLabelSelector(path(obj, 'spec', 'selector')),
      ],
    };
  },
};

const replicationControllerPrinter: RowPrinter = {
  columns: replicaSetColumns,
  print: (obj, now) => {
    const status = rec(obj.status);
    const [names, images] = containerCells(path(obj, 'spec', 'template'));
    return {
      cells: [
        nameOf(obj),
        replicas(obj),
        int(status.replicas),
        int(status.readyReplicas),
        age(obj, now),
        names,
        images,
        formatLabels(path(obj, 'spec', 'selector')),
      ],
    };
  },
};

const statefulSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Number of the pod with ready state'),
    AGE,
    CONTAINERS,
    IMAGES,
  ],
  print: (obj, now) => {
    const [names, images] = containerCells(path(obj, 'spec', 'template'));
    return {
      cells: [
        nameOf(obj),
        `${int(path(obj, 'status', 'readyReplicas'))}/${replicas(obj)}`,
        age(obj, now),
        names,
        images,
      ],
    };
  },
};

const daemonSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col(
      'Current',
      'integer',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    col(
      'Ready',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
    ),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    col(
      'Node Selector',
      'string',
      'NodeSelector is a selector which must be true for the pod to fit on a node.',
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  print: (obj, now) => {
    const status = rec(obj.status);
    const template = path(obj, 'spec', 'template');
    const [names, images] = containerCells(template);
    return {
      cells: [
        nameOf(obj),
        int(status.desiredNumberScheduled),
        int(status.currentNumberScheduled),
        int(status.numberReady),
        int(status.updatedNumberScheduled),
        int(status.numberAvailable),
        formatLabels(path(template, 'spec', 'nodeSelector')),
        age(obj, now),
        names,
        images,
        formatLabelSelector(path(obj, 'spec', 'selector')),
      ],
    };
  },
};

function jobStatus(obj: KubeObject): string {
  const conditions = path(obj, 'status', 'conditions');
  const has = (type: string) => {
    const found = arr(conditions)
      .map(rec)
      .find((c) => c.type === type);
    return found?.status === 'True';
  };
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (obj.metadata?.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

const jobPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const succeeded = int(status.succeeded);
    let completions: string;
    if (typeof spec.completions === 'number') completions = `${succeeded}/${int(spec.completions)}`;
    else if (int(spec.parallelism) > 1) completions = `${succeeded}/1 of ${int(spec.parallelism)}`;
    else completions = `${succeeded}/1`;
    const start = parseTimestamp(status.startTime);
    const end = parseTimestamp(status.completionTime);
    const duration = start === 0 ? '' : humanDuration((end === 0 ? now : end) - start);
    const [names, images] = containerCells(spec.template);
    return {
      cells: [
        nameOf(obj),
        jobStatus(obj),
        completions,
        duration,
        age(obj, now),
        names,
        images,
        formatLabelSelector(spec.selector),
      ],
    };
  },
};

const cronJobPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
    const lastSchedule =
      status.lastScheduleTime === undefined
        ? '<none>'
        : translateTimestampSince(status.lastScheduleTime, now);
    const jobSpec = path(spec, 'jobTemplate', 'spec');
    const [names, images] = containerCells(path(jobSpec, 'template'));
    return {
      cells: [
        nameOf(obj),
        str(spec.schedule),
        str(spec.timeZone) || '<none>',
        suspend,
        arr(status.active).length,
        lastSchedule,
        age(obj, now),
        names,
        images,
        formatLabelSelector(path(jobSpec, 'selector')),
      ],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Services and networking.

function serviceExternalIP(spec: Json, status: Json): string {
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = arr(path(status, 'loadBalancer', 'ingress')).map(rec);
      const lb = [
        ...new Set(ingress.map((i) => str(i.ip) || str(i.hostname)).filter((s) => s !== '')),
      ].sort();
      const all = [...lb, ...externalIPs];
      if (all.length > 0) return all.join(',');
      return '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

const servicePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col(
      'Cluster-IP',
      'string',
      'clusterIP is the IP address of the service and is usually assigned randomly.',
    ),
    col(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    col(
      'Selector',
      'string',
      'Route service traffic to pods with label keys and values matching this selector.',
      1,
    ),
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    const clusterIP = str(arr(spec.clusterIPs)[0]) || str(spec.clusterIP) || '<none>';
    const ports = arr(spec.ports)
      .map(rec)
      .map((p) => {
        const protocol = str(p.protocol) || 'TCP';
        return int(p.nodePort) > 0
          ? `${int(p.port)}:${int(p.nodePort)}/${protocol}`
          : `${int(p.port)}/${protocol}`;
      })
      .join(',');
    return {
      cells: [
        nameOf(obj),
        str(spec.type) || 'ClusterIP',
        clusterIP,
        serviceExternalIP(spec, rec(obj.status)),
        ports || '<none>',
        age(obj, now),
        formatLabels(spec.selector),
      ],
    };
  },
};

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Up to three addresses, then " + N more...". */
function listWithMore(list: string[], total: number, empty: string): string {
  if (total > 3) return `${list.slice(0, 3).join(',')} + ${total - 3} more...`;
  return list.length === 0 ? empty : list.join(',');
}

const endpointsPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    AGE,
  ],
  print: (obj, now) => {
    const subsets = arr(obj.subsets).map(rec);
    const list: string[] = [];
    for (const ss of subsets) {
      const addresses = arr(ss.addresses).map((a) => str(rec(a).ip));
      const ports = arr(ss.ports).map((p) => int(rec(p).port));
      if (ports.length === 0) list.push(...addresses);
      else for (const port of ports) for (const ip of addresses) list.push(hostPort(ip, port));
    }
    const text = subsets.length === 0 ? '<none>' : listWithMore(list, list.length, '');
    return { cells: [nameOf(obj), text, age(obj, now)] };
  },
};

const endpointSlicePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col(
      'Ports',
      'string',
      'ports specifies the list of network ports exposed by each endpoint in this slice.',
    ),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE,
  ],
  print: (obj, now) => {
    const ports = arr(obj.ports).map((p) => {
      const port = rec(p);
      return typeof port.port === 'number' ? String(int(port.port)) : str(port.name) || '*';
    });
    const addresses = arr(obj.endpoints).flatMap((e) => arr(rec(e).addresses).map(str));
    return {
      cells: [
        nameOf(obj),
        str(obj.addressType),
        listWithMore(ports, ports.length, '<unset>'),
        listWithMore(addresses, addresses.length, '<unset>'),
        age(obj, now),
      ],
    };
  },
};

const ingressPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col(
      'Class',
      'string',
      'The name of the IngressClass resource that should be used for additional configuration',
    ),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE,
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    const rules = arr(spec.rules).map(rec);
    const hosts = rules.map((r) => str(r.host)).filter((h) => h !== '');
    let hostText = hosts.length === 0 ? '*' : hosts.slice(0, 3).join(',');
    if (hosts.length > 3) hostText += ` + ${rules.length - 3} more...`;
    const ingress = arr(path(obj, 'status', 'loadBalancer', 'ingress')).map(rec);
    const address = [...new Set(ingress.map((i) => str(i.ip) || str(i.hostname)).filter((s) => s !== ''))]
      .sort()
      .join(',');
    return {
      cells: [
        nameOf(obj),
        str(spec.ingressClassName) || '<none>',
        hostText,
        address,
        arr(spec.tls).length > 0 ? '80, 443' : '80',
        age(obj, now),
      ],
    };
  },
};

const ingressClassPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE,
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    let parameters = '<none>';
    if (spec.parameters !== undefined) {
      const p = rec(spec.parameters);
      parameters = `${str(p.kind)}${p.apiGroup ? `.${str(p.apiGroup)}` : ''}/${str(p.name)}`;
    }
    return { cells: [nameOf(obj), str(spec.controller), parameters, age(obj, now)] };
  },
};

const networkPolicyPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'),
    AGE,
  ],
  print: (obj, now) => ({
    cells: [nameOf(obj), formatLabelSelector(path(obj, 'spec', 'podSelector')), age(obj, now)],
  }),
};

// ---------------------------------------------------------------------------------------------
// Config, identity, cluster.

const configMapPrinter: RowPrinter = {
  columns: [NAME_COLUMN, col('Data', 'string', 'Data contains the configuration data.'), AGE],
  print: (obj, now) => ({
    cells: [
      nameOf(obj),
      Object.keys(rec(obj.data)).length + Object.keys(rec(obj.binaryData)).length,
      age(obj, now),
    ],
  }),
};

const secretPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    AGE,
  ],
  print: (obj, now) => ({
    cells: [nameOf(obj), str(obj.type) || 'Opaque', Object.keys(rec(obj.data)).length, age(obj, now)],
  }),
};

const serviceAccountPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
    AGE,
  ],
  print: (obj, now) => ({ cells: [nameOf(obj), arr(obj.secrets).length, age(obj, now)] }),
};

const namespacePrinter: RowPrinter = {
  columns: [NAME_COLUMN, col('Status', 'string', 'The status of the namespace'), AGE],
  print: (obj, now) => ({ cells: [nameOf(obj), str(path(obj, 'status', 'phase')), age(obj, now)] }),
};

function nodeRoles(labels: Json): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (key === 'kubernetes.io/role' && str(value) !== '') {
      roles.add(str(value));
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const nodePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    col(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      1,
    ),
    col(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      1,
    ),
    col(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      1,
    ),
  ],
  print: (obj, now) => {
    const status = rec(obj.status);
    const readyCondition = arr(status.conditions)
      .map(rec)
      .filter((c) => c.type === 'Ready')
      .pop();
    const states = [
      readyCondition === undefined ? 'Unknown' : readyCondition.status === 'True' ? 'Ready' : 'NotReady',
    ];
    if (path(obj, 'spec', 'unschedulable') === true) states.push('SchedulingDisabled');
    const addresses = arr(status.addresses).map(rec);
    const address = (type: string) => str(addresses.find((a) => a.type === type)?.address) || '<none>';
    const info = rec(status.nodeInfo);
    return {
      cells: [
        nameOf(obj),
        states.join(','),
        nodeRoles(rec(obj.metadata?.labels)),
        age(obj, now),
        str(info.kubeletVersion),
        address('InternalIP'),
        address('ExternalIP'),
        str(info.osImage) || '<unknown>',
        str(info.kernelVersion) || '<unknown>',
        str(info.containerRuntimeVersion) || '<unknown>',
      ],
    };
  },
};

/**
 * core/v1 and events.k8s.io/v1 Events share one printer, as they share one storage: the latter's
 * fields (regarding, note, deprecated*) are read where the former's are absent.
 */
function printEvent(obj: KubeObject, now: number): PrintedRow {
  const involved = rec(obj.involvedObject ?? obj.regarding);
  const source = rec(obj.source ?? obj.deprecatedSource);
  const firstTs = obj.firstTimestamp ?? obj.deprecatedFirstTimestamp;
  const lastTs = obj.lastTimestamp ?? obj.deprecatedLastTimestamp;
  const first =
    parseTimestamp(firstTs) === 0
      ? translateTimestampSince(obj.eventTime, now)
      : translateTimestampSince(firstTs, now);
  let last = parseTimestamp(lastTs) === 0 ? first : translateTimestampSince(lastTs, now);
  let count = int(obj.count ?? obj.deprecatedCount);
  if (obj.series !== undefined && obj.series !== null) {
    const series = rec(obj.series);
    last = translateTimestampSince(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) {
    count = 1; // singleton events of the new API carry no count
  }
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) === '' ? kind : `${kind}/${str(involved.name)}`;
  const component = str(source.component) || str(obj.reportingController) || str(obj.reportingComponent);
  const host = str(source.host) || str(obj.reportingInstance);
  return {
    cells: [
      last,
      str(obj.type),
      str(obj.reason),
      target,
      str(involved.fieldPath),
      host === '' ? component : `${component}, ${host}`,
      str(obj.message ?? obj.note).trim(),
      first,
      count,
      nameOf(obj),
    ],
  };
}

const eventPrinter: RowPrinter = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    col('Object', 'string', 'The object that this event is about.'),
    col(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
      1,
    ),
    col(
      'Source',
      'string',
      'The component reporting this event. Should be a short machine understandable string.',
      1,
    ),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col(
      'First Seen',
      'string',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      1,
    ),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    col('Name', 'string', NAME_DESCRIPTION, 1, 'name'),
  ],
  print: printEvent,
};

// ---------------------------------------------------------------------------------------------
// Storage.

function accessModes(modes: unknown): string {
  const set = new Set(arr(modes).map(str));
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

function storageClassOf(obj: KubeObject): string {
  const beta = obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return beta ?? str(path(obj, 'spec', 'storageClassName'));
}

const persistentVolumePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col(
      'Capacity',
      'string',
      "capacity is the description of the persistent volume's resources and capacity.",
    ),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col(
      'Reclaim Policy',
      'string',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    col(
      'Status',
      'string',
      'phase indicates if a volume is available, bound to a claim, or released by a claim.',
    ),
    col(
      'Claim',
      'string',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col(
      'Reason',
      'string',
      'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
    ),
    AGE,
    col(
      'VolumeMode',
      'string',
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
      1,
    ),
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    const claim =
      spec.claimRef === undefined
        ? ''
        : `${str(rec(spec.claimRef).namespace)}/${str(rec(spec.claimRef).name)}`;
    const phase = obj.metadata?.deletionTimestamp ? 'Terminating' : str(path(obj, 'status', 'phase'));
    return {
      cells: [
        nameOf(obj),
        str(path(spec, 'capacity', 'storage')),
        accessModes(spec.accessModes),
        str(spec.persistentVolumeReclaimPolicy),
        phase,
        claim,
        storageClassOf(obj),
        str(spec.volumeAttributesClassName) || '<unset>',
        str(path(obj, 'status', 'reason')),
        age(obj, now),
        str(spec.volumeMode) || '<unset>',
      ],
    };
  },
};

const persistentVolumeClaimPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col(
      'Volume',
      'string',
      'volumeName is the binding reference to the PersistentVolume backing this claim.',
    ),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col(
      'Access Modes',
      'string',
      'accessModes contains the actual access modes the volume backing the PVC has.',
    ),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE,
    col('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  print: (obj, now) => {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const bound = str(spec.volumeName) !== '';
    return {
      cells: [
        nameOf(obj),
        obj.metadata?.deletionTimestamp ? 'Terminating' : str(status.phase),
        str(spec.volumeName),
        bound ? str(path(status, 'capacity', 'storage')) : '',
        bound ? accessModes(status.accessModes) : '',
        storageClassOf(obj),
        str(spec.volumeAttributesClassName) || '<unset>',
        age(obj, now),
        str(spec.volumeMode) || '<unset>',
      ],
    };
  },
};

const storageClassPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col(
      'ReclaimPolicy',
      'string',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    ),
    col(
      'VolumeBindingMode',
      'string',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    ),
    col(
      'AllowVolumeExpansion',
      'string',
      'allowVolumeExpansion shows whether the storage class allow volume expand.',
    ),
    AGE,
  ],
  print: (obj, now) => {
    const annotations = obj.metadata?.annotations ?? {};
    const isDefault =
      annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
      annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return {
      cells: [
        isDefault ? `${nameOf(obj)} (default)` : nameOf(obj),
        str(obj.provisioner),
        str(obj.reclaimPolicy) || 'Delete',
        str(obj.volumeBindingMode) || 'Immediate',
        obj.allowVolumeExpansion === true,
        age(obj, now),
      ],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// RBAC, coordination, policy.

function bindingPrinter(what: string): RowPrinter {
  return {
    columns: [
      NAME_COLUMN,
      col(
        'Role',
        'string',
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
      ),
      AGE,
      col('Users', 'string', `Users in the ${what}`, 1),
      col('Groups', 'string', `Groups in the ${what}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    print: (obj, now) => {
      const roleRef = rec(obj.roleRef);
      const subjects = arr(obj.subjects).map(rec);
      const of = (kind: string) => subjects.filter((s) => s.kind === kind);
      return {
        cells: [
          nameOf(obj),
          `${str(roleRef.kind)}/${str(roleRef.name)}`,
          age(obj, now),
          of('User')
            .map((s) => str(s.name))
            .join(', '),
          of('Group')
            .map((s) => str(s.name))
            .join(', '),
          of('ServiceAccount')
            .map((s) => `${str(s.namespace)}/${str(s.name)}`)
            .join(', '),
        ],
      };
    },
  };
}

const leasePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'),
    AGE,
  ],
  print: (obj, now) => ({ cells: [nameOf(obj), str(path(obj, 'spec', 'holderIdentity')), age(obj, now)] }),
};

function intOrString(value: unknown): string {
  if (typeof value === 'number') return String(int(value));
  if (typeof value === 'string') return value;
  return 'N/A';
}

const podDisruptionBudgetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE,
  ],
  print: (obj, now) => ({
    cells: [
      nameOf(obj),
      intOrString(path(obj, 'spec', 'minAvailable')),
      intOrString(path(obj, 'spec', 'maxUnavailable')),
      int(path(obj, 'status', 'disruptionsAllowed')),
      age(obj, now),
    ],
  }),
};

// ---------------------------------------------------------------------------------------------

/** Printers by "group/resource" ("" is the core group). Kinds not listed use DEFAULT_PRINTER. */
const PRINTERS: ReadonlyMap<string, RowPrinter> = new Map([
  ['/pods', podPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/namespaces', namespacePrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['networking.k8s.io/ingressclasses', ingressClassPrinter],
  ['networking.k8s.io/networkpolicies', networkPolicyPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['events.k8s.io/events', eventPrinter],
  ['rbac.authorization.k8s.io/rolebindings', bindingPrinter('roleBinding')],
  ['rbac.authorization.k8s.io/clusterrolebindings', bindingPrinter('clusterRoleBinding')],
  ['coordination.k8s.io/leases', leasePrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
]);

/** The built-in printer for a resource, or undefined when the apiserver would use its default convertor. */
export function builtinPrinter(group: string, resource: string): RowPrinter | undefined {
  return PRINTERS.get(`${group}/${resource}`);
}
