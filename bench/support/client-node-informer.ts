// The baseline: @kubernetes/client-node 1.4's informer (installed as `client-node-1.4`), in this
// Node process, straight to the simulated cluster over HTTPS (no proxy). It lists all pods in one
// request (listPodForAllNamespaces has no paging in makeInformer) and then watches.
//
// It is built exactly as makeInformer(kc, '/api/v1/pods', listFn) builds it (a ListWatch over a
// Watch), except that the Watch's first call waits behind a gate, for the same reason as ours
// (bench/browser/pod-informer-run.ts): the burst is committed first, then replayed to the client.
import * as k8s from 'client-node-1.4';

/** client-node's Watch whose first watch() waits until open() is called. */
class GatedWatch extends k8s.Watch {
  #opened = false;
  #open: () => void = () => {};
  readonly #wait = new Promise<void>((resolve) => {
    this.#open = resolve;
  });

  open(): void {
    this.#opened = true;
    this.#open();
  }

  override async watch(...args: Parameters<k8s.Watch['watch']>): ReturnType<k8s.Watch['watch']> {
    if (!this.#opened) await this.#wait;
    return super.watch(...args);
  }
}

export interface ClientNodeRun {
  /** ms from start() until `expectedObjects` objects were added to its cache. */
  sync(expectedObjects: number, timeoutMs: number): Promise<number>;
  /** Lets the first watch start; returns the wall clock (Date.now()) at that moment. */
  openWatchGate(): number;
  /** Counts 'update' callbacks from now on. */
  armUpdates(expected: number): void;
  /** Resolves with the wall clock (Date.now()) of the update that completed the armed count. */
  waitUpdates(timeoutMs: number): Promise<{ doneAt: number; updates: number }>;
  resourceVersionOf(namespace: string, name: string): string | undefined;
  stop(): Promise<void>;
}

export function clientNodePodInformer(kubeconfig: string, context: string): ClientNodeRun {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const gated = new GatedWatch(kc);
  const informer = new k8s.ListWatch('/api/v1/pods', gated, () => core.listPodForAllNamespaces(), false);
  let added = 0;
  let onAdded: (() => void) | undefined;
  let errored: unknown;
  let onError: ((err: unknown) => void) | undefined;
  let counter: { expected: number; updates: number; doneAt?: number; wake?: () => void } | undefined;
  informer.on(k8s.ADD, () => {
    added++;
    onAdded?.();
  });
  informer.on(k8s.UPDATE, () => {
    if (!counter || counter.doneAt !== undefined) return;
    if (++counter.updates >= counter.expected) {
      counter.doneAt = Date.now();
      counter.wake?.();
    }
  });
  informer.on(k8s.ERROR, (err?: unknown) => {
    errored = err ?? new Error('client-node informer reported an error');
    onError?.(errored);
  });

  return {
    async sync(expectedObjects, timeoutMs) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`client-node informer: ${added}/${expectedObjects} objects after ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        const finish = (err?: unknown) => {
          clearTimeout(timer);
          onAdded = undefined;
          onError = undefined;
          if (err === undefined) resolve();
          else reject(err instanceof Error ? err : new Error(String(err)));
        };
        onAdded = () => {
          if (added >= expectedObjects) finish();
        };
        onError = finish;
        informer.start().catch(finish);
      });
      return performance.now() - started;
    },
    openWatchGate() {
      const openedAt = Date.now();
      gated.open();
      return openedAt;
    },
    armUpdates(expected) {
      counter = { expected, updates: 0 };
    },
    async waitUpdates(timeoutMs) {
      const c = counter;
      if (!c) throw new Error('waitUpdates before armUpdates');
      if (c.doneAt === undefined) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(
                new Error(`client-node informer: ${c.updates}/${c.expected} updates after ${timeoutMs} ms`),
              ),
            timeoutMs,
          );
          c.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      counter = undefined;
      return { doneAt: c.doneAt ?? Number.NaN, updates: c.updates };
    },
    resourceVersionOf(namespace, name) {
      return informer.get(name, namespace)?.metadata?.resourceVersion;
    },
    stop: () => informer.stop(),
  };
}
