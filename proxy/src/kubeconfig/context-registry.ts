// The live set of contexts. Loads the kubeconfig files (KC-01/02), resolves every context
// (KC-04..07), and watches the files so contexts appear, change and disappear without a restart.
//
// Invariants: `contexts` is replaced as a whole on reload (readers holding an old ResolvedContext
// finish their request with it); a reload whose file bytes did not change is a no-op, so exec
// plugin caches survive editors touching the file; one bad file or context never hides others.
import { createHash } from 'node:crypto';
import { existsSync, type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ContextList } from '../../contract/api.ts';
import type { Logger } from '../log/redacting-logger.ts';
import type { ExecOptions } from './exec-credential-plugin.ts';
import { type InClusterEnv, inClusterDocument } from './in-cluster.ts';
import { type KubeconfigDocument, parseKubeconfigText } from './kubeconfig-file.ts';
import { mergeKubeconfigs } from './kubeconfig-merge.ts';
import { type ResolvedContext, resolveContext } from './resolve-context.ts';

export interface ContextRegistryOptions {
  /** Files in precedence order (see kubeconfig-sources.ts). */
  files: readonly string[];
  /** Files to watch, including ones that do not exist yet. Defaults to `files`. */
  watched?: readonly string[];
  /** Contexts not backed by a file (the built-in simulated cluster). Files win on a name clash. */
  extra?: readonly ResolvedContext[];
  /** When set and the files define no context, fall back to in-cluster config (KC-08). */
  inCluster?: InClusterEnv;
  exec?: ExecOptions;
  logger: Logger;
  /** Coalesces the burst of events an editor's save produces. */
  debounceMs?: number;
  /** How often a kubeconfig whose directory does not exist yet is polled (ms); default 2000. */
  pollIntervalMs?: number;
}

export class ContextRegistry {
  readonly #opts: ContextRegistryOptions;
  #contexts = new Map<string, ResolvedContext>();
  #current: string | null = null;
  /** Hash of the file bytes last loaded; reload is skipped when unchanged. */
  #fingerprint = '';
  #watchers: FSWatcher[] = [];
  /** Directories that do not exist (yet), e.g. ~/.kube, polled until they appear. */
  #polls: NodeJS.Timeout[] = [];
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #listeners = new Set<() => void>();

  constructor(opts: ContextRegistryOptions) {
    this.#opts = opts;
    this.reload();
  }

  list(): ContextList {
    return { current: this.#current, contexts: [...this.#contexts.values()].map((c) => c.info) };
  }

  get(name: string): ResolvedContext | undefined {
    return this.#contexts.get(name);
  }

  /** Called after every reload that changed something. Returns an unsubscribe. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Re-read every file. Safe to call at any time; synchronous so readers never see a half state. */
  reload(): void {
    const { files, logger } = this.#opts;
    const docs: KubeconfigDocument[] = [];
    const hash = createHash('sha256');
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        // Missing files are skipped (KC-01); they may appear later and the watcher reloads.
        hash.update(`${file}\0missing\0`);
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') logger.warn(`kubeconfig ${file}: cannot read (${code ?? 'error'})`);
        continue;
      }
      hash.update(`${file}\0${text}\0`);
      const parsed = parseKubeconfigText(text, file);
      if (parsed.ok) docs.push(parsed.doc);
      else logger.warn(`kubeconfig ${parsed.error}`);
    }
    const fingerprint = hash.digest('hex');
    if (fingerprint === this.#fingerprint) return;
    this.#fingerprint = fingerprint;

    if (this.#opts.inCluster && docs.every((d) => d.contexts.length === 0)) {
      const doc = inClusterDocument(this.#opts.inCluster);
      if (doc) docs.push(doc);
    }
    const merged = mergeKubeconfigs(docs);
    const next = new Map<string, ResolvedContext>();
    for (const name of merged.contexts.keys()) {
      const resolved = resolveContext(merged, name, this.#opts.exec);
      if (resolved.info.error) logger.warn(`context ${name}: ${resolved.info.error}`);
      next.set(name, resolved);
    }
    for (const extra of this.#opts.extra ?? [])
      if (!next.has(extra.info.name)) next.set(extra.info.name, extra);
    this.#contexts = next;
    const wanted = merged.currentContext;
    this.#current = next.has(wanted) ? wanted : (next.keys().next().value ?? null);
    for (const fn of this.#listeners) fn();
  }

  /** Watch the kubeconfig files' directories (files are often replaced by rename, not edited). */
  watch(): void {
    if (this.#watchers.length > 0 || this.#polls.length > 0) return;
    this.#closed = false;
    const byDir = new Map<string, Set<string>>();
    for (const file of this.#opts.watched ?? this.#opts.files) {
      const names = byDir.get(dirname(file)) ?? new Set<string>();
      names.add(basename(file));
      byDir.set(dirname(file), names);
    }
    for (const [dir, names] of byDir) this.#watchDir(dir, names);
    // A file written between the constructor's load and the watch starting raised no event;
    // one reload closes that gap (a no-op when the bytes did not change).
    this.#scheduleReload();
  }

  #watchDir(dir: string, names: ReadonlySet<string>): void {
    if (this.#closed) return;
    if (!existsSync(dir)) {
      this.#pollFor(dir, names);
      return;
    }
    try {
      const w = watch(dir, { persistent: false }, (_event, filename) => {
        if (filename === null || names.has(filename.toString())) this.#scheduleReload();
      });
      w.on('error', () => {
        // The directory went away or became unreadable: reload, then poll until it can be
        // watched again (at most one attempt per poll interval, never a tight retry loop).
        w.close();
        this.#watchers = this.#watchers.filter((x) => x !== w);
        this.#scheduleReload();
        this.#pollFor(dir, names);
      });
      this.#watchers.push(w);
    } catch {
      this.#opts.logger.warn(`kubeconfig directory ${dir} cannot be watched; restart to pick up changes`);
    }
  }

  /**
   * fs.watch needs an existing directory, so poll for the directory itself. (Stat-polling the file
   * instead misses a file created before the poller's asynchronous first stat, which becomes the
   * baseline.) When the directory appears it is watched and the files reloaded once, which picks
   * up whatever was written into it before the watch began.
   */
  #pollFor(dir: string, names: ReadonlySet<string>): void {
    const poll = setInterval(() => {
      if (!existsSync(dir)) return;
      clearInterval(poll);
      this.#polls = this.#polls.filter((p) => p !== poll);
      this.#watchDir(dir, names);
      this.#scheduleReload();
    }, this.#opts.pollIntervalMs ?? 2000);
    poll.unref();
    this.#polls.push(poll);
  }

  /** Stop watching and stop every context's background credential work (running exec plugins). */
  close(): void {
    for (const c of this.#contexts.values()) c.target?.credentials.dispose?.();
    clearTimeout(this.#timer);
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
    this.#closed = true;
    for (const poll of this.#polls) clearInterval(poll);
    this.#polls = [];
    this.#listeners.clear();
  }

  #scheduleReload(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      try {
        this.reload();
      } catch (err) {
        this.#opts.logger.error(
          `kubeconfig reload failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }, this.#opts.debounceMs ?? 100);
    this.#timer.unref();
  }
}
