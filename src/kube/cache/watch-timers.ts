// The timers that live exactly as long as one watch of a Reflector: the BR-07 idle timeout, the
// R-21 resync tick and the R-33 streaming-list warning. All of them are cancelled together when
// the watch ends (R-21: "timers MUST be cancelled when the watch ends").
import type { Clock, TimerHandle } from '../clock/clock.ts';

export interface WatchTimerOptions {
  clock: Clock;
  /** BR-07: stop the watch after this long without activity (timeoutSeconds + margin). */
  idleLimitMs: number;
  /** 0 disables the resync tick. */
  resyncPeriodMs: number;
  /** runs on each tick; a thrown error ends the watch with it. */
  onResync: () => void;
  /** when set, called every warnEveryMs until it returns false. */
  onStillWaiting?: () => boolean;
  warnEveryMs?: number;
  /** Abort the watch request and end its stream. */
  stopWatch: () => void;
}

export class WatchTimers {
  /** The watch was closed by us (idle or restart), which is a clean close, not an error. */
  closedByUs = false;
  /** the error a resync threw, which ends the watch. */
  resyncError: unknown;

  readonly #options: WatchTimerOptions;
  readonly #openedAt: number;
  #lastActivity: number;
  #cancelled = false;
  // Invariant: at most one live handle per kind; re-arming replaces it.
  #idle: TimerHandle | undefined;
  #resync: TimerHandle | undefined;
  #warn: TimerHandle | undefined;

  constructor(options: WatchTimerOptions) {
    this.#options = options;
    this.#openedAt = options.clock.now();
    this.#lastActivity = this.#openedAt;
    this.#armIdle(options.idleLimitMs);
    if (options.resyncPeriodMs > 0) this.#armResync();
    if (options.onStillWaiting && options.warnEveryMs) this.#armWarn(options.warnEveryMs);
  }

  /** Note activity on the stream. O(1): the idle timer re-checks when it fires. */
  touch(): void {
    this.#lastActivity = this.#options.clock.now();
  }

  /** Close the watch as a clean close if it has been open at least minAgeMs. */
  closeIfOlderThan(minAgeMs: number): boolean {
    if (this.#cancelled || this.#options.clock.now() - this.#openedAt < minAgeMs) return false;
    this.#closeByUs();
    return true;
  }

  cancel(): void {
    this.#cancelled = true;
    this.#idle?.cancel();
    this.#resync?.cancel();
    this.#warn?.cancel();
  }

  #closeByUs(): void {
    this.closedByUs = true;
    this.#options.stopWatch();
  }

  // One timer per idle window rather than one per event: on fire, re-arm for what is left.
  #armIdle(ms: number): void {
    const { clock, idleLimitMs } = this.#options;
    this.#idle = clock.setTimer(() => {
      if (this.#cancelled) return;
      const idle = clock.now() - this.#lastActivity;
      if (idle >= idleLimitMs) this.#closeByUs();
      else this.#armIdle(idleLimitMs - idle);
    }, ms);
  }

  #armResync(): void {
    const { clock, resyncPeriodMs, onResync, stopWatch } = this.#options;
    this.#resync = clock.setTimer(() => {
      if (this.#cancelled) return;
      try {
        onResync();
      } catch (error) {
        this.resyncError = error;
        stopWatch();
        return;
      }
      this.#armResync();
    }, resyncPeriodMs);
  }

  #armWarn(every: number): void {
    this.#warn = this.#options.clock.setTimer(() => {
      if (this.#cancelled) return;
      if (this.#options.onStillWaiting?.()) this.#armWarn(every);
    }, every);
  }
}
