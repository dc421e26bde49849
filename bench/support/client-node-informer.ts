// The baseline: @kubernetes/client-node 1.4's informer (installed as `client-node-1.4`), in this
// Node process, straight to the simulated cluster over HTTPS (no proxy). It lists all pods in one
// request (listPodForAllNamespaces has no paging in makeInformer) and then watches.
import * as k8s from 'client-node-1.4';

export interface ClientNodeRun {
  /** ms from start() until `expectedObjects` objects were added to its cache. */
  sync(expectedObjects: number, timeoutMs: number): Promise<number>;
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
  const informer = k8s.makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
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
