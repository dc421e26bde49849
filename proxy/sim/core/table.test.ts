import { describe, expect, it } from 'vitest';
import type { KubeObject } from './sim-writer.ts';
import { parseIncludeObject, TableError, type TableInput, toTable, validatePrinterColumns } from './table.ts';
import { humanDuration, labelSelectorString } from './table-columns.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const PODS: TableInput = { group: '', version: 'v1', resource: 'pods', kind: 'Pod' };

function pod(
  name: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  meta = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: '42', creationTimestamp: ago(303), ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
    status,
  };
}

function podRow(p: KubeObject): unknown[] {
  const table = toTable(PODS, [p], { includeObject: 'None', now: NOW });
  return table.rows[0]?.cells ?? [];
}

const running = (restartCount = 0, extra = {}) => ({
  name: 'app',
  ready: true,
  restartCount,
  state: { running: { startedAt: ago(200) } },
  ...extra,
});

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-5_000, '<invalid>'],
    [-1_500, '0s'],
    [0, '0s'],
    [59_000, '59s'],
    [119_000, '119s'],
    [303_000, '5m3s'],
    [300_000, '5m'],
    [17 * 60_000 + 5_000, '17m'],
    [(3 * 60 + 20) * 60_000, '3h20m'],
    [5 * 3_600_000, '5h'],
    [26 * 3_600_000, '26h'],
    [(3 * 24 + 4) * 3_600_000, '3d4h'],
    [120 * 86_400_000, '120d'],
    [(2 * 365 + 30) * 86_400_000, '2y30d'],
    [9 * 365 * 86_400_000, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('pod table (printPod)', () => {
  it('has kubectl columns in order, wide ones with priority 1', () => {
    const table = toTable(PODS, [], { includeObject: 'None', now: NOW });
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(table.columnDefinitions[0]?.format).toBe('name');
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
  });

  it('shows an unscheduled pending pod', () => {
    const p = pod(
      'pending',
      {},
      { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] },
    );
    expect(podRow(p)).toEqual([
      'pending',
      '0/1',
      'Pending',
      '0',
      '5m3s',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('shows ContainerCreating while the container waits', () => {
    const p = pod(
      'creating',
      { nodeName: 'node-1' },
      {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
    );
    expect(podRow(p).slice(0, 4)).toEqual(['creating', '0/1', 'ContainerCreating', '0']);
    expect(podRow(p)[6]).toBe('node-1');
  });

  it('shows a running ready pod with IP and node', () => {
    const p = pod(
      'web',
      { nodeName: 'node-2' },
      { phase: 'Running', podIP: '10.0.0.7', podIPs: [{ ip: '10.0.0.7' }], containerStatuses: [running()] },
    );
    expect(podRow(p)).toEqual([
      'web',
      '1/1',
      'Running',
      '0',
      '5m3s',
      '10.0.0.7',
      'node-2',
      '<none>',
      '<none>',
    ]);
  });

  it('shows CrashLoopBackOff with restart count and time since the last restart', () => {
    const p = pod(
      'crashy',
      {},
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(95) } },
          },
        ],
      },
    );
    expect(podRow(p).slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '5 (95s ago)']);
  });

  it('shows Completed for a succeeded pod and marks the row Completed', () => {
    const p = pod(
      'job-x',
      {},
      {
        phase: 'Succeeded',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      },
    );
    const table = toTable(PODS, [p], { includeObject: 'None', now: NOW });
    expect(table.rows[0]?.cells.slice(1, 3)).toEqual(['0/1', 'Completed']);
    expect(table.rows[0]?.conditions).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
  });

  it('shows Error and ExitCode reasons for failed containers', () => {
    const failed = pod(
      'f',
      {},
      {
        phase: 'Failed',
        containerStatuses: [
          { name: 'app', restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } },
        ],
      },
    );
    expect(podRow(failed)[2]).toBe('Error');
    const noReason = pod(
      'g',
      {},
      {
        phase: 'Failed',
        containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 137 } } }],
      },
    );
    expect(podRow(noReason)[2]).toBe('ExitCode:137');
  });

  it('counts ready containers and lets the first container state win', () => {
    const p = pod(
      'two',
      { containers: [{ name: 'a' }, { name: 'b' }] },
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: false, restartCount: 1, state: { waiting: { reason: 'ImagePullBackOff' } } },
          { name: 'b', ready: true, restartCount: 2, state: { running: {} } },
        ],
      },
    );
    expect(podRow(p).slice(1, 4)).toEqual(['1/2', 'ImagePullBackOff', '3']);
  });

  it('shows init container progress', () => {
    const p = pod(
      'init',
      { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'i2', restartCount: 0, state: { running: {} } },
        ],
        containerStatuses: [
          { name: 'app', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    );
    expect(podRow(p)[2]).toBe('Init:1/2');
    const crashing = pod(
      'init2',
      { initContainers: [{ name: 'i1' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    );
    expect(podRow(crashing).slice(2, 4)).toEqual(['Init:CrashLoopBackOff', '3']);
  });

  it('counts a started sidecar (restartable init container) as a container', () => {
    const p = pod(
      'sidecar',
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'proxy', ready: true, started: true, restartCount: 0, state: { running: {} } },
        ],
        containerStatuses: [running()],
      },
    );
    expect(podRow(p).slice(1, 3)).toEqual(['2/2', 'Running']);
  });

  it('shows Terminating once a deletionTimestamp is set', () => {
    const p = pod(
      'bye',
      {},
      { phase: 'Running', containerStatuses: [running()] },
      { deletionTimestamp: ago(1) },
    );
    expect(podRow(p)[2]).toBe('Terminating');
  });

  it('shows SchedulingGated and readiness gates', () => {
    const gated = pod(
      'gated',
      { readinessGates: [{ conditionType: 'example.com/ok' }, { conditionType: 'example.com/lb' }] },
      {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' },
          { type: 'example.com/ok', status: 'True' },
        ],
      },
    );
    const cells = podRow(gated);
    expect(cells[2]).toBe('SchedulingGated');
    expect(cells[8]).toBe('1/2');
  });
});

describe('includeObject and metadata', () => {
  const p = pod('web', {}, { phase: 'Running' });

  it('embeds nothing, PartialObjectMetadata or the object', () => {
    expect(toTable(PODS, [p], { includeObject: 'None', now: NOW }).rows[0]).not.toHaveProperty('object');
    expect(toTable(PODS, [p], { includeObject: 'Metadata', now: NOW }).rows[0]?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: p.metadata,
    });
    expect(toTable(PODS, [p], { includeObject: 'Object', now: NOW }).rows[0]?.object).toBe(p);
  });

  it('fills apiVersion and kind on embedded objects stored without them', () => {
    const bare: KubeObject = { metadata: { name: 'd' } };
    const input: TableInput = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' };
    const object = toTable(input, [bare], { includeObject: 'Object', now: NOW }).rows[0]?.object;
    expect(object?.apiVersion).toBe('apps/v1');
    expect(object?.kind).toBe('Deployment');
    expect(bare.kind).toBeUndefined();
  });

  it('uses the list metadata, or the single object resourceVersion for a GET', () => {
    const listMeta = { resourceVersion: '100', continue: 'abc', remainingItemCount: 5 };
    expect(toTable(PODS, [p, p], { includeObject: 'None', now: NOW, listMeta }).metadata).toEqual(listMeta);
    expect(toTable(PODS, [p], { includeObject: 'None', now: NOW }).metadata).toEqual({
      resourceVersion: '42',
    });
  });

  it('omits column definitions with noHeaders (watch events after the first)', () => {
    const table = toTable(PODS, [p], { includeObject: 'None', now: NOW, noHeaders: true });
    expect(table.columnDefinitions).toEqual([]);
    expect(table.rows).toHaveLength(1);
  });

  it('parses includeObject, defaulting to Metadata and rejecting unknown values', () => {
    expect(parseIncludeObject(null)).toBe('Metadata');
    expect(parseIncludeObject('')).toBe('Metadata');
    expect(parseIncludeObject('Object')).toBe('Object');
    expect(() => parseIncludeObject('Everything')).toThrow(TableError);
  });
});

describe('built-in kinds', () => {
  it('deployments: READY x/y, UP-TO-DATE, AVAILABLE and wide selector', () => {
    const d: KubeObject = {
      metadata: { name: 'web', creationTimestamp: ago(3600 * 30) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web', tier: 'fe' } },
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'img:a' },
              { name: 'b', image: 'img:b' },
            ],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const table = toTable(
      { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' },
      [d],
      {
        includeObject: 'None',
        now: NOW,
      },
    );
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(table.rows[0]?.cells).toEqual([
      'web',
      '2/3',
      3,
      2,
      '30h',
      'a,b',
      'img:a,img:b',
      'app=web,tier=fe',
    ]);
  });

  it('replicasets: desired, current, ready as integers', () => {
    const rs: KubeObject = {
      metadata: { name: 'web-5d8f7', creationTimestamp: ago(60) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [] } },
      },
      status: { replicas: 2, readyReplicas: 1 },
    };
    const cells = toTable(
      { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet' },
      [rs],
      {
        includeObject: 'None',
        now: NOW,
      },
    ).rows[0]?.cells;
    expect(cells).toEqual(['web-5d8f7', 2, 2, 1, '60s', '', '', 'app=web']);
  });

  it('services: type, cluster IP, external IP and ports', () => {
    const lb: KubeObject = {
      metadata: { name: 'shop', creationTimestamp: ago(10) },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.12',
        clusterIPs: ['10.96.0.12'],
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { app: 'shop' },
      },
      status: { loadBalancer: {} },
    };
    const cells = toTable({ group: '', version: 'v1', resource: 'services', kind: 'Service' }, [lb], {
      includeObject: 'None',
      now: NOW,
    }).rows[0]?.cells;
    expect(cells).toEqual([
      'shop',
      'LoadBalancer',
      '10.96.0.12',
      '<pending>',
      '80:30080/TCP,53/UDP',
      '10s',
      'app=shop',
    ]);
  });

  it('nodes: status, roles, version and addresses', () => {
    const node: KubeObject = {
      metadata: {
        name: 'cp-1',
        creationTimestamp: ago(86_400 * 3),
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
        nodeInfo: {
          kubeletVersion: 'v1.32.1',
          osImage: 'Ubuntu',
          kernelVersion: '6.8',
          containerRuntimeVersion: 'containerd://1.7',
        },
      },
    };
    const cells = toTable({ group: '', version: 'v1', resource: 'nodes', kind: 'Node' }, [node], {
      includeObject: 'None',
      now: NOW,
    }).rows[0]?.cells;
    expect(cells).toEqual([
      'cp-1',
      'Ready,SchedulingDisabled',
      'control-plane,master',
      '3d',
      'v1.32.1',
      '192.168.1.10',
      '<none>',
      'Ubuntu',
      '6.8',
      'containerd://1.7',
    ]);
  });

  it('events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE with wide columns', () => {
    const event: KubeObject = {
      metadata: { name: 'web.17a', creationTimestamp: ago(600) },
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container  ',
      type: 'Warning',
      count: 4,
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      source: { component: 'kubelet', host: 'node-1' },
    };
    const table = toTable({ group: '', version: 'v1', resource: 'events', kind: 'Event' }, [event], {
      includeObject: 'None',
      now: NOW,
    });
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
    expect(table.rows[0]?.cells).toEqual([
      '30s',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{app}',
      'kubelet, node-1',
      'Back-off restarting failed container',
      '10m',
      4,
      'web.17a',
    ]);
  });

  it('configmaps, secrets, namespaces, jobs and cronjobs', () => {
    const opts = { includeObject: 'None' as const, now: NOW };
    const cm = {
      metadata: { name: 'cfg', creationTimestamp: ago(5) },
      data: { a: '1', b: '2' },
      binaryData: { c: 'AA==' },
    };
    expect(
      toTable({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap' }, [cm], opts).rows[0]
        ?.cells,
    ).toEqual(['cfg', 3, '5s']);
    const secret = {
      metadata: { name: 's', creationTimestamp: ago(5) },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'x', 'tls.key': 'y' },
    };
    expect(
      toTable({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret' }, [secret], opts).rows[0]
        ?.cells,
    ).toEqual(['s', 'kubernetes.io/tls', 2, '5s']);
    const ns = { metadata: { name: 'prod', creationTimestamp: ago(5) }, status: { phase: 'Active' } };
    expect(
      toTable({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace' }, [ns], opts).rows[0]
        ?.cells,
    ).toEqual(['prod', 'Active', '5s']);
    const job = {
      metadata: { name: 'j', creationTimestamp: ago(400) },
      spec: { completions: 3, template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      status: {
        succeeded: 3,
        startTime: ago(400),
        completionTime: ago(100),
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    };
    expect(
      toTable({ group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' }, [job], opts).rows[0]?.cells,
    ).toEqual(['j', 'Complete', '3/3', '5m', '6m40s', 'c', 'busybox', '<none>']);
    const cron = {
      metadata: { name: 'cj', creationTimestamp: ago(50) },
      spec: { schedule: '*/5 * * * *', suspend: false },
      status: {},
    };
    expect(
      toTable({ group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob' }, [cron], opts).rows[0]
        ?.cells,
    ).toEqual(['cj', '*/5 * * * *', '<none>', 'False', 0, '<none>', '50s', '', '', '<none>']);
  });

  it('roles and CRDs use the default convertor: Name and Created At', () => {
    const role = { metadata: { name: 'reader', creationTimestamp: '2024-05-30T08:00:00Z' } };
    const table = toTable(
      { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role' },
      [role],
      {
        includeObject: 'None',
        now: NOW,
      },
    );
    expect(table.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(table.rows[0]?.cells).toEqual(['reader', '2024-05-30T08:00:00Z']);
  });

  it('formats label selectors like labels.Selector.String()', () => {
    expect(
      labelSelectorString({
        matchLabels: { b: '2' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['y', 'x'] },
          { key: 'c', operator: 'DoesNotExist' },
          { key: 'd', operator: 'Exists' },
          { key: 'e', operator: 'NotIn', values: ['z'] },
        ],
      }),
    ).toBe('a in (x,y),b=2,!c,d,e notin (z)');
  });
});

describe('custom resources (CRD additionalPrinterColumns)', () => {
  const widgets: TableInput = {
    group: 'example.com',
    version: 'v1',
    resource: 'widgets',
    kind: 'Widget',
    printerColumns: [
      { name: 'Color', type: 'string', jsonPath: '.spec.color' },
      { name: 'Size', type: 'integer', jsonPath: '.spec.size', description: 'How big' },
      {
        name: 'Ready',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].status',
        priority: 1,
      },
      { name: 'Shiny', type: 'boolean', jsonPath: '.spec.shiny' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  };

  it('prepends Name and evaluates each column by type', () => {
    const w: KubeObject = {
      metadata: { name: 'w1', creationTimestamp: ago(125) },
      spec: { color: 'blue', size: 7.9, shiny: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const table = toTable(widgets, [w], { includeObject: 'None', now: NOW });
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Color', 'string', 0],
      ['Size', 'integer', 0],
      ['Ready', 'string', 1],
      ['Shiny', 'boolean', 0],
      ['Age', 'date', 0],
    ]);
    expect(table.columnDefinitions[1]?.description).toBe(
      'Custom resource definition column (in JSONPath format): .spec.color',
    );
    expect(table.columnDefinitions[2]?.description).toBe('How big');
    expect(table.rows[0]?.cells).toEqual(['w1', 'blue', 7, 'True', true, '2m5s']);
  });

  it('leaves missing or mistyped values empty (null)', () => {
    const w: KubeObject = { metadata: { name: 'w2' }, spec: { size: 'big', shiny: 'yes' } };
    expect(toTable(widgets, [w], { includeObject: 'None', now: NOW }).rows[0]?.cells).toEqual([
      'w2',
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('defaults to an Age column when the CRD declares none', () => {
    const table = toTable(
      { ...widgets, printerColumns: [] },
      [{ metadata: { name: 'w', creationTimestamp: ago(30) } }],
      {
        includeObject: 'None',
        now: NOW,
      },
    );
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.rows[0]?.cells).toEqual(['w', '30s']);
  });

  it('reports bad columns clearly', () => {
    const bad = [{ name: 'X', type: 'colour', jsonPath: '.spec[' }];
    expect(validatePrinterColumns(bad)).toHaveLength(2);
    expect(validatePrinterColumns(widgets.printerColumns ?? [])).toEqual([]);
    expect(() =>
      toTable({ ...widgets, printerColumns: bad }, [], { includeObject: 'None', now: NOW }),
    ).toThrow(TableError);
  });
});
