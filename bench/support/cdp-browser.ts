// Chromium driven over the DevTools protocol (CDP) directly, for the benchmarks that time the
// browser. Playwright enables the Network domain on every page it attaches to (it needs it for its
// request events and routing), and with it Chromium reports every request, every chunk and every
// WebSocket frame, payload included, to the driver: in one watch replay over the app's multiplexer
// that was 720 frames and 428 million characters shipped to this process, 6.3 s of browser CPU and
// 4.4 s of driver CPU, on a two-core machine where the page competes for the same cores. No user's
// browser does that work. So the benches launch Chromium themselves over --remote-debugging-pipe
// and enable only what they use: Runtime (evaluation, console, exceptions), Page (navigation),
// Tracing, Profiler and HeapProfiler on demand. Never Network. (The end-to-end tests keep
// Playwright: they time nothing.)
//
// Protocol: JSON messages separated by NUL bytes, Chromium reading fd 3 and writing fd 4. Commands
// carry an id and get one answer with that id; events carry none. With flattened sessions
// (Target.attachToTarget flatten: true) a page's messages carry its sessionId.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A CDP message's params or result: JSON, read by the caller as it knows the method. */
export type CdpParams = Record<string, unknown>;

interface Pending {
  method: string;
  resolve: (result: CdpParams) => void;
  reject: (err: Error) => void;
}

type Listener = (params: CdpParams) => void;

/** Frames, correlates and dispatches CDP messages over one transport (the pipe). */
export class CdpConnection {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  /** Keyed by `${sessionId}:${method}` ('' for the browser session). */
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #write: (frame: string) => void;
  #closedWith: Error | undefined;

  constructor(write: (frame: string) => void) {
    this.#write = write;
  }

  send(method: string, params: CdpParams = {}, sessionId?: string): Promise<CdpParams> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    const id = this.#nextId++;
    return new Promise<CdpParams>((resolve, reject) => {
      this.#pending.set(id, { method, resolve, reject });
      this.#write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Subscribe to an event of one session ('' or undefined: the browser's); returns an unsubscribe. */
  on(method: string, sessionId: string | undefined, fn: Listener): () => void {
    const key = `${sessionId ?? ''}:${method}`;
    const set = this.#listeners.get(key) ?? new Set<Listener>();
    set.add(fn);
    this.#listeners.set(key, set);
    return () => set.delete(fn);
  }

  /** The next occurrence of an event, bounded by timeoutMs. Subscribe before causing the event. */
  next(method: string, sessionId: string | undefined, timeoutMs: number): Promise<CdpParams> {
    return new Promise((resolve, reject) => {
      const off = this.on(method, sessionId, (params) => {
        clearTimeout(timer);
        off();
        resolve(params);
      });
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /** One complete message from the transport. */
  receive(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      method?: string;
      params?: CdpParams;
      result?: CdpParams;
      error?: { message: string; data?: string };
      sessionId?: string;
    };
    if (msg.id !== undefined) {
      const pending = this.#pending.get(msg.id);
      if (!pending) return;
      this.#pending.delete(msg.id);
      if (msg.error)
        pending.reject(
          new Error(`${pending.method}: ${msg.error.message}${msg.error.data ? ` (${msg.error.data})` : ''}`),
        );
      else pending.resolve(msg.result ?? {});
      return;
    }
    if (msg.method === undefined) return;
    for (const fn of this.#listeners.get(`${msg.sessionId ?? ''}:${msg.method}`) ?? []) fn(msg.params ?? {});
  }

  /** The transport ended: every command still waiting fails with err, and later ones at once. */
  close(err: Error): void {
    this.#closedWith ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}

/** Splits the pipe's byte stream at NUL bytes into messages (UTF-8 may split across chunks). */
export function nulFramer(onMessage: (text: string) => void): (chunk: Buffer) => void {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  return (chunk) => {
    const text = partial + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\0'); end !== -1; end = text.indexOf('\0', start)) {
      onMessage(text.slice(start, end));
      start = end + 1;
    }
    partial = text.slice(start);
  };
}

export interface LaunchOptions {
  executablePath: string;
  args: readonly string[];
  /** The page viewport; default 1280×720. */
  viewport?: { width: number; height: number };
  /** Bound on the launch (ms); default 30 s. */
  timeoutMs?: number;
}

/**
 * Flags Playwright also passes, kept so that figures stay comparable with the earlier Playwright
 * runs: no throttling of timers or renderers the browser deems in the background.
 */
const QUIET_ARGS = [
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-hang-monitor',
  '--no-default-browser-check',
  '--hide-scrollbars',
  '--mute-audio',
];

export class CdpBrowser {
  readonly connection: CdpConnection;
  readonly #process: ChildProcess;
  readonly #profileDir: string;
  readonly #viewport: { width: number; height: number };
  #exited: Promise<void>;

  private constructor(
    proc: ChildProcess,
    connection: CdpConnection,
    profileDir: string,
    viewport: { width: number; height: number },
  ) {
    this.#process = proc;
    this.connection = connection;
    this.#profileDir = profileDir;
    this.#viewport = viewport;
    this.#exited = new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
  }

  /** The browser process's pid (for per-process CPU accounting). */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  static async launch(opts: LaunchOptions): Promise<CdpBrowser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'kubeglass-bench-chromium-'));
    const proc = spawn(
      opts.executablePath,
      [
        ...opts.args,
        ...QUIET_ARGS,
        '--remote-debugging-pipe',
        `--user-data-dir=${profileDir}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    proc.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    const toBrowser = proc.stdio[3] as Writable;
    const fromBrowser = proc.stdio[4] as Readable;
    const connection = new CdpConnection((frame) => toBrowser.write(frame));
    fromBrowser.on(
      'data',
      nulFramer((text) => connection.receive(text)),
    );
    // A write after the browser died must not crash the bench: the pending command fails instead.
    toBrowser.on('error', (err) => connection.close(err));
    proc.once('exit', (code, signal) =>
      connection.close(new Error(`Chromium exited (${signal ?? code}): ${stderr.trim().slice(-1000)}`)),
    );
    proc.once('error', (err) => connection.close(err));
    const browser = new CdpBrowser(
      proc,
      connection,
      profileDir,
      opts.viewport ?? { width: 1280, height: 720 },
    );
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.send('Browser.getVersion'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Chromium did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      await browser.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return browser;
  }

  /** A new tab at about:blank, attached, with Runtime and Page enabled and the viewport set. */
  async newPage(): Promise<CdpPage> {
    const { targetId } = (await this.connection.send('Target.createTarget', { url: 'about:blank' })) as {
      targetId: string;
    };
    const { sessionId } = (await this.connection.send('Target.attachToTarget', {
      targetId,
      flatten: true,
    })) as {
      sessionId: string;
    };
    const page = new CdpPage(this.connection, targetId, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Emulation.setDeviceMetricsOverride', {
      ...this.#viewport,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return page;
  }

  /**
   * Start a browser-wide trace of the given categories; stopTracing returns its events. The trace
   * comes back as a stream read in pieces, so no single message holds it whole.
   */
  async startTracing(categories: readonly string[]): Promise<void> {
    await this.connection.send('Tracing.start', {
      transferMode: 'ReturnAsStream',
      traceConfig: { includedCategories: [...categories], excludedCategories: ['*'] },
    });
  }

  /** Stop the trace and return its text (Chromium's JSON trace format). */
  async stopTracing(timeoutMs = 60_000): Promise<string> {
    const complete = this.connection.next('Tracing.tracingComplete', undefined, timeoutMs);
    await this.connection.send('Tracing.end');
    const { stream } = (await complete) as { stream?: string };
    if (!stream) throw new Error('Tracing.tracingComplete carried no stream');
    const parts: string[] = [];
    for (;;) {
      const { data, eof, base64Encoded } = (await this.connection.send('IO.read', { handle: stream })) as {
        data: string;
        eof: boolean;
        base64Encoded?: boolean;
      };
      parts.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
      if (eof) break;
    }
    await this.connection.send('IO.close', { handle: stream });
    return parts.join('');
  }

  /** Close the browser (bounded: killed after 10 s) and remove its profile. */
  async close(): Promise<void> {
    const killer = setTimeout(() => this.#process.kill('SIGKILL'), 10_000);
    try {
      await this.connection.send('Browser.close').catch(() => this.#process.kill('SIGKILL'));
      await this.#exited;
    } finally {
      clearTimeout(killer);
      rmSync(this.#profileDir, { recursive: true, force: true });
    }
  }
}

/** A remote value as CDP describes it; only the fields read here. */
interface RemoteObject {
  type: string;
  value?: unknown;
  description?: string;
}

interface ExceptionDetails {
  text: string;
  exception?: RemoteObject;
}

function describeException(details: ExceptionDetails): string {
  return details.exception?.description ?? details.exception?.value?.toString() ?? details.text;
}

export class CdpPage {
  readonly #connection: CdpConnection;
  readonly targetId: string;
  readonly sessionId: string;

  constructor(connection: CdpConnection, targetId: string, sessionId: string) {
    this.#connection = connection;
    this.targetId = targetId;
    this.sessionId = sessionId;
  }

  send(method: string, params: CdpParams = {}): Promise<CdpParams> {
    return this.#connection.send(method, params, this.sessionId);
  }

  /** Console messages of the page (type, text); returns an unsubscribe. */
  onConsole(fn: (type: string, text: string) => void): () => void {
    return this.#connection.on('Runtime.consoleAPICalled', this.sessionId, (params) => {
      const { type, args } = params as { type: string; args: RemoteObject[] };
      fn(
        type,
        args.map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? a.type))).join(' '),
      );
    });
  }

  /** Uncaught exceptions of the page; returns an unsubscribe. */
  onError(fn: (message: string) => void): () => void {
    return this.#connection.on('Runtime.exceptionThrown', this.sessionId, (params) =>
      fn(describeException((params as { exceptionDetails: ExceptionDetails }).exceptionDetails)),
    );
  }

  /**
   * Navigate and wait for the load event (redirects followed); returns the HTTP status of the
   * document that loaded, read from Navigation Timing (no Network domain needed).
   */
  async goto(url: string, timeoutMs = 60_000): Promise<number> {
    const loaded = this.#connection.next('Page.loadEventFired', this.sessionId, timeoutMs);
    const { errorText } = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (errorText) {
      loaded.catch(() => undefined);
      throw new Error(`navigating to ${url}: ${errorText}`);
    }
    await loaded;
    const status = await this.evaluate<number>(
      "performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0",
    );
    return status;
  }

  /**
   * Evaluate an expression in the page (promises awaited) and return its value as JSON. A thrown
   * error or rejected promise becomes an Error here with the page's message.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: RemoteObject; exceptionDetails?: ExceptionDetails };
    if (exceptionDetails) throw new Error(describeException(exceptionDetails));
    return result.value as T;
  }

  /** Poll an expression every 50 ms until it is truthy; its value, or an error after timeoutMs. */
  async waitFor<T>(expression: string, timeoutMs: number, what = expression): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate<T>(expression);
      if (value) return value;
      if (Date.now() > end) throw new Error(`${what}: not true within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await this.#connection.send('Target.closeTarget', { targetId: this.targetId });
  }
}
