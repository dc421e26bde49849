// The control channel of bench/support/sim-process.ts over its stdin/stdout: commit a burst of pod
// updates and wait until they are committed; ask which pod was updated last, and at which RV.
import type { Child } from './child.ts';
import { type LineReader, readLines } from './stdout-lines.ts';

export class SimControl {
  readonly #child: Child;
  readonly #lines: LineReader;

  constructor(child: Child) {
    this.#child = child;
    const stdout = child.process.stdout;
    if (!stdout) throw new Error('sim process has no stdout');
    this.#lines = readLines(stdout);
  }

  /**
   * Commit n pod updates; resolves, once the sim has also encoded their watch lines, with the ms
   * the sim took to commit them (its own measure, "burst-done N MS"). Rejects on "burst-error".
   */
  async burst(n: number, timeoutMs: number): Promise<number> {
    const done = this.#lines.next(
      (l) => l.startsWith(`burst-done ${n} `) || l.startsWith(`burst-error ${n} `),
      timeoutMs,
    );
    this.#send(`burst ${n}`);
    const line = (await done).trim();
    if (line.startsWith('burst-error')) throw new Error(`the sim failed the burst: ${line}`);
    const ms = Number(line.split(' ')[2]);
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`the sim answered a malformed line: ${line}`);
    return ms;
  }

  /** resourceVersion and namespace/name of the most recently updated pod. */
  async last(): Promise<{ resourceVersion: string; namespace: string; name: string }> {
    const answer = this.#lines.next((l) => l.startsWith('last '), 10_000);
    this.#send('last');
    const [, rv = '', key = ''] = (await answer).trim().split(' ');
    const [namespace = '', name = ''] = key.split('/');
    if (!rv || !name) throw new Error(`sim answered a malformed "last" line: ${await answer}`);
    return { resourceVersion: rv, namespace, name };
  }

  close(): void {
    this.#lines.close();
  }

  #send(line: string): void {
    const stdin = this.#child.process.stdin;
    if (!stdin || stdin.destroyed) throw new Error('sim process stdin is closed');
    stdin.write(`${line}\n`);
  }
}
