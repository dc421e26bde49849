// Test support (not shipped code: imported only by tests). A Worker stand-in for Node: the page
// side (PersistenceWorker) and the worker side (HostEndpoint) are the two ports of a real
// MessageChannel from node:worker_threads, so messages are structured-cloned and delivered
// asynchronously, in order, as between a page and a worker. The test can crash the "worker"
// (an error event), or hold it silent (it never starts).
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { HostEndpoint } from './persistence-host.ts';
import type { PageMessage } from './persistence-protocol.ts';
import type { PersistenceWorker } from './worker-informer-persistence.ts';

type Listener = (event: never) => void;

export class FakePersistenceWorker implements PersistenceWorker {
  readonly #port: MessagePort;
  readonly #listeners = new Map<string, Set<Listener>>();
  /** Every message the page posted, in order (as cloned data). */
  readonly posted: PageMessage[] = [];
  terminated = false;
  /** The worker's side of the channel. */
  readonly endpoint: HostEndpoint & { close(): void };

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    port1.on('message', (data: unknown) => {
      if (this.terminated) return;
      this.#dispatch('message', { data });
    });
    port2.on('message', (data: unknown) => {
      this.posted.push(data as PageMessage);
    });
    this.endpoint = {
      postMessage: (message) => port2.postMessage(message),
      addEventListener: (_type, listener) => {
        port2.on('message', (data: unknown) => listener({ data }));
      },
      close: () => port2.close(),
    };
  }

  postMessage(message: PageMessage): void {
    if (this.terminated) return; // a terminated worker drops messages, as in browsers
    this.#port.postMessage(message);
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.#port.close();
  }

  /** An uncaught error in the worker (or its script failing to load): an 'error' event. */
  crash(message: string): void {
    let prevented = false;
    this.#dispatch('error', {
      message,
      error: new Error(message),
      preventDefault: () => {
        prevented = true;
      },
    });
    if (!prevented) throw new Error('the error event was not handled (preventDefault not called)');
  }

  #dispatch(type: string, event: object): void {
    for (const listener of this.#listeners.get(type) ?? []) (listener as (e: object) => void)(event);
  }
}
