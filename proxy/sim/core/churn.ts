// The churn engine keeps the simulated cluster alive: pods are created and go Pending → scheduled →
// ContainerCreating → Running, crash-loop and recover, get deleted and replaced by their
// ReplicaSet, deployments scale up and down, node leases renew, and the kubelet, scheduler and
// controllers record Events (repeated ones bump count and lastTimestamp, as the event recorder does).
//
// Every change goes through the SimWriter, so watchers see exactly what a real cluster would send.
// The engine keeps an index of the workloads it drives (deployment → current ReplicaSet → pods, with
// each pod's lifecycle stage) instead of listing the store per step, which would be O(pods) per
// change. The index only ever contains objects the engine has seen; before acting on one it re-reads
// it, and an object that vanished or changed under it (a user deleted it over HTTP) is dropped from
// the index rather than resurrected. resync() rebuilds the index from the store.
import {
  type EventSpec,
  eventFor,
  GVR,
  isoTime,
  type PodPlacement,
  type PodStage,
  podFromTemplate,
  randomSuffix,
  seededRandom,
  setPodPhase,
} from './seed.ts';
import type { KubeObject, SimWriter } from './sim-writer.ts';
import { SimStatusError } from './status.ts';

export interface ChurnTimer {
  cancel(): void;
}

export interface ChurnOptions {
  /**
   * Target rate of writes (each write is one watch event) while started. tick() ignores it.
   * A change such as "scale a deployment" is several writes.
   */
  eventsPerSecond: number;
  /** Uniform in [0,1). Default: a fixed-seed generator. */
  random?: () => number;
  /** The clock (ms since the epoch): timestamps written into objects and the timer's pacing. */
  now: () => number;
  /** Schedules the next batch. Default: globalThis.setTimeout. */
  setTimer?: (fn: () => void, ms: number) => ChurnTimer;
  /** How often the timer fires while started (ms). Default 50: high rates run as batches. */
  intervalMs?: number;
  /** Events beyond this many (created by the engine) are deleted oldest-first. Default 5000. */
  maxEvents?: number;
  /** Per-deployment replica bounds for scaling. Default 1..12. */
  minReplicas?: number;
  maxReplicas?: number;
}

export interface ChurnStats {
  /** Changes applied (tick counts these). */
  changes: number;
  /** Writes issued through the SimWriter. */
  writes: number;
  /** Changes skipped because their object had changed or vanished (the index was corrected). */
  skipped: number;
  /** The last unexpected error the timer loop swallowed, if any (tick() rethrows instead). */
  lastError?: unknown;
}

/** One pod the engine drives. stage follows seed.ts's PodStage, plus Terminating. */
interface PodEntry {
  namespace: string;
  name: string;
  rs: string;
  stage: PodStage | 'Terminating';
  restarts: number;
  placement?: PodPlacement;
}

interface NodeEntry {
  name: string;
  ip: string;
}

type ChangeKind = 'advance' | 'crash' | 'replace' | 'scale' | 'lease';

const key = (namespace: string, name: string) => `${namespace}/${name}`;

function splitKey(k: string): [string, string] {
  const slash = k.indexOf('/');
  return [k.slice(0, slash), k.slice(slash + 1)];
}

/** The stage a stored pod is in, read from its spec and status. */
export function podStage(pod: KubeObject): PodStage | 'Terminating' {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const status = (pod.status ?? {}) as {
    phase?: string;
    containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
  };
  if (status.phase === 'Succeeded') return 'Completed';
  if (!spec.nodeName) return 'Unscheduled';
  const waiting = status.containerStatuses?.[0]?.state?.waiting?.reason;
  if (status.phase === 'Pending') return waiting === 'ContainerCreating' ? 'ContainerCreating' : 'Scheduled';
  if (waiting === 'CrashLoopBackOff') return 'CrashLoopBackOff';
  return 'Running';
}

function controllerRef(obj: KubeObject): { kind: string; name: string; uid: string } | undefined {
  const refs = (obj.metadata?.ownerReferences ?? []) as {
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }[];
  return refs.find((r) => r.controller === true);
}

/**
 * A copy of a stored pod that setPodPhase may change: new top-level, metadata and spec objects
 * (setPodPhase only sets spec.nodeName and replaces status), sharing the untouched nested values
 * with the stored version, which nobody mutates (SimWriter's read-only rule).
 */
function shallowPod(pod: KubeObject): KubeObject {
  return { ...pod, metadata: { ...pod.metadata }, spec: { ...(pod.spec as object) } };
}

function isStatusError(err: unknown): err is SimStatusError {
  return err instanceof SimStatusError;
}

/**
 * Drives realistic changes through a SimWriter. Single-threaded and synchronous: tick() and the
 * timer both run whole changes, never interleaving two.
 */
export class ChurnEngine {
  readonly #writer: SimWriter;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => ChurnTimer;
  readonly #intervalMs: number;
  readonly #maxEvents: number;
  readonly #minReplicas: number;
  readonly #maxReplicas: number;
  #rate: number;

  /** Deployment keys with a current ReplicaSet; each appears once. */
  #deployments: string[] = [];
  /** deployment key → its current ReplicaSet key, and back. */
  readonly #deploymentRs = new Map<string, string>();
  readonly #rsDeployment = new Map<string, string>();
  /** ReplicaSet key → the pod keys it owns (Terminating ones included until deleted). */
  readonly #rsPods = new Map<string, string[]>();
  readonly #pods = new Map<string, PodEntry>();
  /**
   * Pods moving through creation or termination, oldest first: every key here is in #pods with a
   * stage of Unscheduled, Scheduled, ContainerCreating or Terminating.
   */
  readonly #inFlight = new Set<string>();
  #nodes: NodeEntry[] = [];
  /** "podKey|reason" → event key, for counting repeats into one Event. */
  readonly #eventByReason = new Map<string, string>();
  /** Event keys the engine created, oldest first (bounded by maxEvents). */
  readonly #events: string[] = [];
  #eventsHead = 0;
  #ipCounter = 0;
  #indexed = false;

  #timer: ChurnTimer | undefined;
  #lastRun = 0;
  /** Writes owed to the target rate but not yet done (fractional carry between timer runs). */
  #owed = 0;
  readonly #stats: ChurnStats = { changes: 0, writes: 0, skipped: 0 };

  constructor(writer: SimWriter, opts: ChurnOptions) {
    if (!(opts.eventsPerSecond >= 0) || !Number.isFinite(opts.eventsPerSecond)) {
      throw new RangeError(
        `churn: eventsPerSecond must be a finite number >= 0, got ${opts.eventsPerSecond}`,
      );
    }
    this.#writer = writer;
    this.#rate = opts.eventsPerSecond;
    this.#random = opts.random ?? seededRandom(0x63687572);
    this.#now = opts.now;
    this.#setTimer =
      opts.setTimer ??
      ((fn, ms) => {
        const id = globalThis.setTimeout(fn, ms);
        return { cancel: () => globalThis.clearTimeout(id) };
      });
    this.#intervalMs = Math.max(1, opts.intervalMs ?? 50);
    this.#maxEvents = Math.max(0, opts.maxEvents ?? 5000);
    this.#minReplicas = Math.max(0, opts.minReplicas ?? 1);
    this.#maxReplicas = Math.max(this.#minReplicas, opts.maxReplicas ?? 12);
  }

  get stats(): Readonly<ChurnStats> {
    return { ...this.#stats };
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Change the target rate; takes effect at the next timer run. */
  setRate(eventsPerSecond: number): void {
    if (!(eventsPerSecond >= 0) || !Number.isFinite(eventsPerSecond)) {
      throw new RangeError(`churn: eventsPerSecond must be a finite number >= 0, got ${eventsPerSecond}`);
    }
    this.#rate = eventsPerSecond;
  }

  /** Start writing at the configured rate. Idempotent. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastRun = this.#now();
    this.#owed = 0;
    this.#schedule();
  }

  /** Stop the timer. Idempotent; a change in progress always completes. */
  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = this.#setTimer(() => this.#run(), this.#intervalMs);
  }

  #run(): void {
    if (this.#timer === undefined) return;
    const now = this.#now();
    // Never owe more than one second of writes: after a stall, catch up a little, not all at once.
    this.#owed = Math.min(this.#owed + ((now - this.#lastRun) / 1000) * this.#rate, Math.max(1, this.#rate));
    this.#lastRun = now;
    const target = this.#stats.writes + Math.floor(this.#owed);
    const before = this.#stats.writes;
    // Bounded: each change writes at least once or is skipped; skips are capped too.
    for (let attempts = 0; this.#stats.writes < target && attempts < 4 * (target - before) + 10; attempts++) {
      try {
        this.#step();
      } catch (err) {
        this.#stats.lastError = err;
      }
    }
    // A change can write more than the batch still owed; the excess is paid back next batch.
    this.#owed = Math.max(this.#owed - (this.#stats.writes - before), -Math.max(1, this.#rate));
    if (this.#timer !== undefined) this.#schedule();
  }

  /**
   * Apply n changes now, synchronously. Expected write failures (the object vanished or changed)
   * are counted as skipped; anything else is thrown.
   */
  tick(n = 1): ChurnStats {
    for (let i = 0; i < n; i++) this.#step();
    return this.stats;
  }

  /** Rebuild the index from the store (call after large external changes). */
  resync(): void {
    this.#deployments = [];
    this.#deploymentRs.clear();
    this.#rsDeployment.clear();
    this.#rsPods.clear();
    this.#pods.clear();
    this.#inFlight.clear();
    const w = this.#writer;
    this.#nodes = w
      .list(GVR.nodes)
      .filter((n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] === undefined)
      .map((n) => ({
        name: n.metadata?.name ?? '',
        ip:
          (
            (n.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []
          ).find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.1',
      }));
    if (this.#nodes.length === 0) {
      this.#nodes = w.list(GVR.nodes).map((n) => ({ name: n.metadata?.name ?? '', ip: '10.0.0.1' }));
    }
    const deploymentUids = new Map<string, string>();
    for (const d of w.list(GVR.deployments)) {
      deploymentUids.set(d.metadata?.uid ?? '', key(d.metadata?.namespace ?? '', d.metadata?.name ?? ''));
    }
    const revisionOf = (rs: KubeObject) =>
      Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const best = new Map<string, KubeObject>();
    for (const rs of w.list(GVR.replicasets)) {
      const ref = controllerRef(rs);
      const depKey = ref?.kind === 'Deployment' ? deploymentUids.get(ref.uid) : undefined;
      if (depKey === undefined) continue;
      const current = best.get(depKey);
      if (current === undefined || revisionOf(rs) > revisionOf(current)) best.set(depKey, rs);
    }
    const rsUids = new Map<string, string>();
    for (const [depKey, rs] of best) {
      const rsKey = key(rs.metadata?.namespace ?? '', rs.metadata?.name ?? '');
      this.#deployments.push(depKey);
      this.#deploymentRs.set(depKey, rsKey);
      this.#rsDeployment.set(rsKey, depKey);
      this.#rsPods.set(rsKey, []);
      rsUids.set(rs.metadata?.uid ?? '', rsKey);
    }
    for (const pod of w.list(GVR.pods)) {
      const ref = controllerRef(pod);
      const rsKey = ref?.kind === 'ReplicaSet' ? rsUids.get(ref.uid) : undefined;
      if (rsKey === undefined) continue;
      const namespace = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      const podKey = key(namespace, name);
      const stage = podStage(pod);
      const status = pod.status as
        | { hostIP?: string; podIP?: string; containerStatuses?: { restartCount?: number }[] }
        | undefined;
      const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      const entry: PodEntry = {
        namespace,
        name,
        rs: rsKey,
        stage,
        restarts: status?.containerStatuses?.[0]?.restartCount ?? 0,
      };
      if (nodeName)
        entry.placement = {
          nodeName,
          hostIP: status?.hostIP ?? '10.0.0.1',
          podIP: status?.podIP ?? this.#nextPodIP(),
        };
      this.#pods.set(podKey, entry);
      this.#rsPods.get(rsKey)?.push(podKey);
      if (
        stage === 'Unscheduled' ||
        stage === 'Scheduled' ||
        stage === 'ContainerCreating' ||
        stage === 'Terminating'
      ) {
        this.#inFlight.add(podKey);
      }
    }
    this.#indexed = true;
  }

  // -------------------------------------------------------------------------------------------

  #pickChange(): ChangeKind {
    const r = this.#random();
    if (this.#inFlight.size > 0 && r < 0.4) return 'advance';
    if (r < 0.6) return 'crash';
    if (r < 0.8) return 'replace';
    if (r < 0.9) return 'scale';
    return 'lease';
  }

  #step(): void {
    if (!this.#indexed) this.resync();
    const writesBefore = this.#stats.writes;
    try {
      switch (this.#pickChange()) {
        case 'advance':
          this.#advance();
          break;
        case 'crash':
          this.#crash();
          break;
        case 'replace':
          this.#replace();
          break;
        case 'scale':
          this.#scale();
          break;
        case 'lease':
          this.#renewLease();
          break;
      }
    } catch (err) {
      // NotFound, Conflict or AlreadyExists: someone else changed the object; re-read next time.
      if (!isStatusError(err)) throw err;
    }
    this.#stats.changes++;
    if (this.#stats.writes === writesBefore) this.#stats.skipped++;
  }

  #create(gvr: (typeof GVR)[keyof typeof GVR], obj: KubeObject): KubeObject {
    const stored = this.#writer.create(gvr, obj);
    this.#stats.writes++;
    return stored;
  }

  #update(gvr: (typeof GVR)[keyof typeof GVR], obj: KubeObject): KubeObject {
    const stored = this.#writer.update(gvr, obj);
    this.#stats.writes++;
    return stored;
  }

  #delete(gvr: (typeof GVR)[keyof typeof GVR], namespace: string, name: string): void {
    if (this.#writer.delete(gvr, namespace, name) !== undefined) this.#stats.writes++;
  }

  /** The stored pod for an index entry, or undefined after dropping an entry whose pod is gone. */
  #readPod(podKey: string): KubeObject | undefined {
    const entry = this.#pods.get(podKey);
    if (entry === undefined) return undefined;
    const pod = this.#writer.get(GVR.pods, entry.namespace, entry.name);
    if (pod === undefined) this.#forgetPod(podKey);
    return pod;
  }

  #forgetPod(podKey: string): void {
    const entry = this.#pods.get(podKey);
    if (entry === undefined) return;
    this.#pods.delete(podKey);
    this.#inFlight.delete(podKey);
    const list = this.#rsPods.get(entry.rs);
    if (list !== undefined) {
      const i = list.indexOf(podKey);
      if (i >= 0) list.splice(i, 1);
    }
  }

  #randomDeployment(): { depKey: string; rsKey: string } | undefined {
    for (let tries = 0; tries < 5 && this.#deployments.length > 0; tries++) {
      const i = Math.floor(this.#random() * this.#deployments.length);
      const depKey = this.#deployments[i] as string;
      const rsKey = this.#deploymentRs.get(depKey);
      if (rsKey !== undefined) return { depKey, rsKey };
    }
    return undefined;
  }

  #randomPodOf(rsKey: string, stages: readonly (PodStage | 'Terminating')[]): string | undefined {
    const candidates = (this.#rsPods.get(rsKey) ?? []).filter((k) => {
      const stage = this.#pods.get(k)?.stage;
      return stage !== undefined && stages.includes(stage);
    });
    if (candidates.length === 0) return undefined;
    return candidates[Math.floor(this.#random() * candidates.length)];
  }

  #nextPodIP(): string {
    const n = this.#ipCounter++ % 65_000;
    return `10.246.${(n >> 8) & 255}.${n & 255 || 1}`;
  }

  #placement(): PodPlacement | undefined {
    if (this.#nodes.length === 0) return undefined;
    const node = this.#nodes[Math.floor(this.#random() * this.#nodes.length)] as NodeEntry;
    return { nodeName: node.name, hostIP: node.ip, podIP: this.#nextPodIP() };
  }

  // -------------------------------------------------------------------------------------------
  // Changes.

  /** Move the oldest in-flight pod one stage on (or finish deleting a terminating one). */
  #advance(): void {
    const podKey = this.#inFlight.values().next().value;
    if (podKey === undefined) return;
    const entry = this.#pods.get(podKey);
    const pod = this.#readPod(podKey);
    if (entry === undefined || pod === undefined) return;
    this.#inFlight.delete(podKey);
    const now = this.#now();
    switch (entry.stage) {
      case 'Terminating':
        this.#delete(GVR.pods, entry.namespace, entry.name);
        this.#forgetPod(podKey);
        this.#syncReplicaSetStatus(entry.rs);
        return;
      case 'Unscheduled': {
        const placement = this.#placement();
        if (placement === undefined) return;
        entry.placement = placement;
        entry.stage = 'Scheduled';
        this.#update(GVR.pods, setPodPhase(shallowPod(pod), 'Scheduled', placement, now));
        this.#event(pod, podKey, {
          type: 'Normal',
          reason: 'Scheduled',
          message: `Successfully assigned ${entry.namespace}/${entry.name} to ${placement.nodeName}`,
          component: 'default-scheduler',
        });
        this.#inFlight.add(podKey);
        return;
      }
      case 'Scheduled':
        entry.stage = 'ContainerCreating';
        this.#update(GVR.pods, setPodPhase(shallowPod(pod), 'ContainerCreating', entry.placement, now));
        this.#kubeletEvent(pod, podKey, entry, 'Pulling', 'Pulling image "%image%"');
        this.#inFlight.add(podKey);
        return;
      case 'ContainerCreating':
        entry.stage = 'Running';
        this.#update(GVR.pods, setPodPhase(shallowPod(pod), 'Running', entry.placement, now, entry.restarts));
        this.#kubeletEvent(
          pod,
          podKey,
          entry,
          'Pulled',
          'Successfully pulled image "%image%" in 1.2s (1.2s including waiting)',
        );
        this.#kubeletEvent(pod, podKey, entry, 'Created', 'Created container %container%');
        this.#kubeletEvent(pod, podKey, entry, 'Started', 'Started container %container%');
        this.#syncReplicaSetStatus(entry.rs);
        return;
      default:
        return;
    }
  }

  /** A running pod starts crash-looping; a crash-looping one restarts again or recovers. */
  #crash(): void {
    const picked = this.#randomDeployment();
    if (picked === undefined) return;
    const podKey = this.#randomPodOf(picked.rsKey, ['Running', 'CrashLoopBackOff']);
    if (podKey === undefined) return;
    const entry = this.#pods.get(podKey);
    const pod = this.#readPod(podKey);
    if (entry === undefined || pod === undefined || entry.placement === undefined) return;
    const now = this.#now();
    if (entry.stage === 'CrashLoopBackOff' && this.#random() < 0.4) {
      entry.stage = 'Running';
      this.#update(GVR.pods, setPodPhase(shallowPod(pod), 'Running', entry.placement, now, entry.restarts));
      this.#kubeletEvent(pod, podKey, entry, 'Started', 'Started container %container%');
    } else {
      entry.stage = 'CrashLoopBackOff';
      entry.restarts++;
      this.#update(
        GVR.pods,
        setPodPhase(shallowPod(pod), 'CrashLoopBackOff', entry.placement, now, entry.restarts),
      );
      if (this.#random() < 0.5) {
        this.#kubeletEvent(
          pod,
          podKey,
          entry,
          'Unhealthy',
          'Liveness probe failed: HTTP probe failed with statuscode: 503',
          'Warning',
        );
      }
      this.#kubeletEvent(
        pod,
        podKey,
        entry,
        'BackOff',
        'Back-off restarting failed container %container% in pod %pod%',
        'Warning',
      );
    }
    this.#syncReplicaSetStatus(entry.rs);
  }

  /** A pod is deleted (Terminating first) and its ReplicaSet creates a replacement. */
  #replace(): void {
    const picked = this.#randomDeployment();
    if (picked === undefined) return;
    const podKey = this.#randomPodOf(picked.rsKey, [
      'Running',
      'CrashLoopBackOff',
      'ContainerCreating',
      'Scheduled',
    ]);
    if (podKey === undefined) return;
    if (!this.#terminate(podKey)) return;
    this.#createPodFor(picked.rsKey);
    this.#syncReplicaSetStatus(picked.rsKey);
  }

  /** Mark a pod Terminating (deletionTimestamp set); the next advance of it deletes it. */
  #terminate(podKey: string): boolean {
    const entry = this.#pods.get(podKey);
    const pod = this.#readPod(podKey);
    if (entry === undefined || pod === undefined) return false;
    const next: KubeObject = {
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: isoTime(this.#now() + 30_000),
        deletionGracePeriodSeconds: 30,
      },
    };
    this.#update(GVR.pods, next);
    entry.stage = 'Terminating';
    this.#inFlight.add(podKey);
    if (entry.placement !== undefined)
      this.#kubeletEvent(pod, podKey, entry, 'Killing', 'Stopping container %container%');
    return true;
  }

  /** What the ReplicaSet controller does when it is short of a pod. */
  #createPodFor(rsKey: string): void {
    const [namespace, rsName] = splitKey(rsKey);
    const rs = this.#writer.get(GVR.replicasets, namespace, rsName);
    if (rs === undefined) {
      this.#forgetReplicaSet(rsKey);
      return;
    }
    let name = '';
    for (let tries = 0; tries < 10; tries++) {
      const candidate = `${rsName}-${randomSuffix(this.#random, 5)}`;
      if (
        this.#writer.get(GVR.pods, namespace, candidate) === undefined &&
        !this.#pods.has(key(namespace, candidate))
      ) {
        name = candidate;
        break;
      }
    }
    if (name === '') return;
    this.#create(
      GVR.pods,
      podFromTemplate(rs, { apiVersion: 'apps/v1', kind: 'ReplicaSet' }, name, this.#now()),
    );
    const podKey = key(namespace, name);
    this.#pods.set(podKey, { namespace, name, rs: rsKey, stage: 'Unscheduled', restarts: 0 });
    this.#rsPods.get(rsKey)?.push(podKey);
    this.#inFlight.add(podKey);
    this.#event(
      rs,
      rsKey,
      {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `Created pod: ${name}`,
        component: 'replicaset-controller',
      },
      'ReplicaSet',
      'apps/v1',
    );
  }

  #forgetReplicaSet(rsKey: string): void {
    for (const podKey of [...(this.#rsPods.get(rsKey) ?? [])]) this.#forgetPod(podKey);
    this.#rsPods.delete(rsKey);
    const depKey = this.#rsDeployment.get(rsKey);
    this.#rsDeployment.delete(rsKey);
    if (depKey !== undefined) {
      this.#deploymentRs.delete(depKey);
      const i = this.#deployments.indexOf(depKey);
      if (i >= 0) this.#deployments.splice(i, 1);
    }
  }

  /** Scale a deployment by one or two replicas, through its current ReplicaSet. */
  #scale(): void {
    const picked = this.#randomDeployment();
    if (picked === undefined) return;
    const [namespace, depName] = splitKey(picked.depKey);
    const [, rsName] = splitKey(picked.rsKey);
    const dep = this.#writer.get(GVR.deployments, namespace, depName);
    const rs = this.#writer.get(GVR.replicasets, namespace, rsName);
    if (dep === undefined || rs === undefined) {
      this.#forgetReplicaSet(picked.rsKey);
      return;
    }
    const current = Number((dep.spec as { replicas?: number } | undefined)?.replicas ?? 1);
    const step = 1 + Math.floor(this.#random() * 2);
    const up = this.#random() < 0.5;
    const desired = Math.max(
      this.#minReplicas,
      Math.min(this.#maxReplicas, up ? current + step : current - step),
    );
    if (desired === current) return;
    this.#update(GVR.deployments, {
      ...dep,
      metadata: { ...dep.metadata, generation: (dep.metadata?.generation ?? 1) + 1 },
      spec: { ...(dep.spec as object), replicas: desired },
    });
    const nextRs: KubeObject = { ...rs, spec: { ...(rs.spec as object), replicas: desired } };
    nextRs.metadata = {
      ...rs.metadata,
      generation: (rs.metadata?.generation ?? 1) + 1,
      annotations: {
        ...nextRs.metadata?.annotations,
        'deployment.kubernetes.io/desired-replicas': String(desired),
      },
    };
    this.#update(GVR.replicasets, nextRs);
    this.#event(
      dep,
      picked.depKey,
      {
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled ${desired > current ? 'up' : 'down'} replica set ${rsName} from ${current} to ${desired}`,
        component: 'deployment-controller',
      },
      'Deployment',
      'apps/v1',
    );
    const live = (this.#rsPods.get(picked.rsKey) ?? []).filter(
      (k) => this.#pods.get(k)?.stage !== 'Terminating',
    );
    if (desired > live.length) {
      for (let i = live.length; i < desired; i++) this.#createPodFor(picked.rsKey);
    } else {
      // The ReplicaSet controller deletes the least established pods first.
      const order: Record<string, number> = {
        Unscheduled: 0,
        Scheduled: 1,
        ContainerCreating: 2,
        CrashLoopBackOff: 3,
        Running: 4,
      };
      const victims = [...live].sort(
        (a, b) => (order[this.#pods.get(a)?.stage ?? ''] ?? 5) - (order[this.#pods.get(b)?.stage ?? ''] ?? 5),
      );
      for (const podKey of victims.slice(0, live.length - desired)) this.#terminate(podKey);
    }
    this.#syncReplicaSetStatus(picked.rsKey);
  }

  /** A kubelet heartbeat: renew one node's Lease. */
  #renewLease(): void {
    if (this.#nodes.length === 0) return;
    const node = this.#nodes[Math.floor(this.#random() * this.#nodes.length)] as NodeEntry;
    const lease = this.#writer.get(GVR.leases, 'kube-node-lease', node.name);
    if (lease === undefined) return;
    this.#update(GVR.leases, {
      ...lease,
      metadata: { ...lease.metadata },
      spec: { ...(lease.spec as object), renewTime: `${isoTime(this.#now()).slice(0, 19)}.000000Z` },
    });
  }

  /** Write ReplicaSet and Deployment status from the index, when it changed. */
  #syncReplicaSetStatus(rsKey: string): void {
    const [namespace, rsName] = splitKey(rsKey);
    const rs = this.#writer.get(GVR.replicasets, namespace, rsName);
    if (rs === undefined) return;
    const pods = (this.#rsPods.get(rsKey) ?? []).map((k) => this.#pods.get(k)).filter((e) => e !== undefined);
    const replicas = pods.filter((e) => e.stage !== 'Terminating').length;
    const ready = pods.filter((e) => e.stage === 'Running').length;
    const status = (rs.status ?? {}) as { replicas?: number; readyReplicas?: number };
    if (status.replicas !== replicas || status.readyReplicas !== ready) {
      const next: KubeObject = { ...rs, metadata: { ...rs.metadata } };
      next.status = {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: rs.metadata?.generation ?? 1,
      };
      this.#update(GVR.replicasets, next);
    }
    const depKey = this.#rsDeployment.get(rsKey);
    if (depKey === undefined) return;
    const [, depName] = splitKey(depKey);
    const dep = this.#writer.get(GVR.deployments, namespace, depName);
    if (dep === undefined) return;
    const depStatus = (dep.status ?? {}) as Record<string, unknown>;
    if (depStatus.replicas === replicas && depStatus.readyReplicas === ready) return;
    const desired = (dep.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    const next: KubeObject = { ...dep, metadata: { ...dep.metadata } };
    const conditions = (Array.isArray(depStatus.conditions) ? depStatus.conditions : []) as Record<
      string,
      unknown
    >[];
    const available = ready >= Math.max(0, desired - Math.floor(desired / 4));
    next.status = {
      ...depStatus,
      observedGeneration: dep.metadata?.generation ?? 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: Math.max(0, desired - ready),
      conditions: conditions.map((c) =>
        c.type === 'Available'
          ? {
              ...c,
              status: available ? 'True' : 'False',
              reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
              message: available
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
            }
          : c,
      ),
    };
    if ((next.status as { unavailableReplicas: number }).unavailableReplicas === 0) {
      delete (next.status as { unavailableReplicas?: number }).unavailableReplicas;
    }
    this.#update(GVR.deployments, next);
  }

  // -------------------------------------------------------------------------------------------
  // Events.

  #kubeletEvent(
    pod: KubeObject,
    podKey: string,
    entry: PodEntry,
    reason: string,
    template: string,
    type: 'Normal' | 'Warning' = 'Normal',
  ): void {
    const container = ((pod.spec as { containers?: { name?: string; image?: string }[] } | undefined)
      ?.containers ?? [])[0];
    const message = template
      .replace('%container%', container?.name ?? '')
      .replace('%image%', container?.image ?? '')
      .replace('%pod%', `${entry.name}_${entry.namespace}(${pod.metadata?.uid ?? ''})`);
    const spec: EventSpec = {
      type,
      reason,
      message,
      component: 'kubelet',
      fieldPath: `spec.containers{${container?.name ?? ''}}`,
    };
    if (entry.placement !== undefined) spec.host = entry.placement.nodeName;
    this.#event(pod, podKey, spec);
  }

  /**
   * Record an Event about obj. A repeat of the same reason for the same object bumps the existing
   * Event's count and lastTimestamp instead of creating a new one (client-go's event correlator).
   */
  #event(obj: KubeObject, objKey: string, spec: EventSpec, kind = 'Pod', apiVersion = 'v1'): void {
    if (this.#maxEvents === 0) return;
    const now = this.#now();
    const dedupe = `${objKey}|${spec.reason}|${spec.message}`;
    const existingKey = this.#eventByReason.get(dedupe);
    if (existingKey !== undefined) {
      const [ns, name] = splitKey(existingKey);
      const existing = this.#writer.get(GVR.events, ns, name);
      if (existing !== undefined) {
        const next: KubeObject = { ...existing, metadata: { ...existing.metadata } };
        next.count = Number(existing.count ?? 1) + 1;
        next.lastTimestamp = isoTime(now);
        this.#update(GVR.events, next);
        return;
      }
      this.#eventByReason.delete(dedupe);
    }
    const namespace = obj.metadata?.namespace ?? 'default';
    const name = `${obj.metadata?.name ?? 'object'}.${(now * 1000 + this.#events.length).toString(16)}${randomSuffix(this.#random, 4)}`;
    this.#create(GVR.events, eventFor(obj, kind, apiVersion, spec, name, now));
    const eventKey = key(namespace, name);
    this.#eventByReason.set(dedupe, eventKey);
    this.#events.push(eventKey);
    while (this.#events.length - this.#eventsHead > this.#maxEvents) {
      const oldest = this.#events[this.#eventsHead] as string;
      this.#eventsHead++;
      const [ns, oldName] = splitKey(oldest);
      this.#delete(GVR.events, ns, oldName);
    }
    // Compact the FIFO now and then so it does not grow without bound.
    if (this.#eventsHead > 4096 && this.#eventsHead * 2 > this.#events.length) {
      this.#events.splice(0, this.#eventsHead);
      this.#eventsHead = 0;
      if (this.#eventByReason.size > this.#maxEvents * 4) this.#eventByReason.clear();
    }
  }
}
