// ListMetaSniffer: reads a list's ListMeta (resourceVersion, continue) from the START of its JSON
// body, before the rest has arrived. The apiserver writes ListMeta before the items (TypeMeta and
// ListMeta precede Items in every Go list struct), so the continue token of a page is known a few
// bytes into a response that may be megabytes long. The pager uses it to request the next page
// while this one is still downloading and being parsed (list-pager fetch-ahead).
//
// It is only a hint: the pager compares the sniffed token with the one of the fully parsed page
// and falls back to asking again when they differ. So the sniffer may give up (returns undefined
// for good) whenever the body is not laid out as expected: not an object, `items` before
// `metadata`, a metadata object that does not parse, or no metadata within MAX_PREFIX chars.
import type { ListMeta } from '../api/types.ts';

/** Give up when the top-level metadata has not ended within this many characters. */
export const MAX_PREFIX = 64 * 1024;

type State =
  /** Before the opening brace of the body (whitespace allowed). */
  | 'start'
  /** Inside the top-level object, outside any string and any nested value. */
  | 'top'
  /** Done: `meta` is the answer, or undefined for "no early metadata in this body". */
  | 'done';

export class ListMetaSniffer {
  #state: State = 'start';
  #meta: ListMeta | undefined;
  // Invariant while not done: #text holds every character fed so far (at most MAX_PREFIX), and
  // #pos is where scanning resumes; positions before it were fully classified.
  #text = '';
  #pos = 0;
  /** Nesting depth at #pos, counting the top-level object as 1. */
  #depth = 0;
  #inString = false;
  /** Start of the string literal being scanned (for the key it may be). */
  #stringStart = -1;
  /** The last complete top-level key, while its value has not started or ended. */
  #key: string | undefined;
  /** Where the value of the top-level "metadata" key starts, once seen. */
  #metaStart = -1;

  get done(): boolean {
    return this.#state === 'done';
  }

  /** The ListMeta, once found; undefined before that and when the sniffer gave up. */
  get meta(): ListMeta | undefined {
    return this.#meta;
  }

  /** Feed the next piece of the body. Returns the ListMeta the first time it is complete. */
  push(piece: string): ListMeta | undefined {
    if (this.#state === 'done') return undefined;
    const room = MAX_PREFIX - this.#text.length;
    this.#text += piece.length > room ? piece.slice(0, room) : piece;
    this.#scan();
    // #scan may have finished (TS cannot see that through the call, hence the getter).
    if (!this.done && this.#text.length >= MAX_PREFIX) this.#finish(undefined);
    return this.#meta;
  }

  #finish(meta: ListMeta | undefined): void {
    this.#state = 'done';
    this.#meta = meta;
    this.#text = '';
  }

  #scan(): void {
    const text = this.#text;
    let i = this.#pos;
    if (this.#state === 'start') {
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (i === text.length) {
        this.#pos = i;
        return;
      }
      if (text.charCodeAt(i) !== 0x7b) {
        this.#finish(undefined);
        return;
      }
      this.#state = 'top';
      this.#depth = 1;
      i++;
    }
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#inString) {
        if (c === 0x5c) {
          // A backslash escapes the next character; wait for it if it has not arrived.
          if (i + 1 >= text.length) break;
          i++;
        } else if (c === 0x22) {
          this.#inString = false;
          if (this.#depth === 1 && this.#metaStart < 0) this.#key = text.slice(this.#stringStart, i + 1);
        }
        continue;
      }
      if (c === 0x22) {
        this.#inString = true;
        this.#stringStart = i;
      } else if (c === 0x7b || c === 0x5b) {
        if (this.#depth === 1) {
          const key = this.#key === undefined ? undefined : parseKey(this.#key);
          if (key === 'items') {
            this.#finish(undefined);
            return;
          }
          if (key === 'metadata') {
            if (c !== 0x7b) {
              this.#finish(undefined);
              return;
            }
            this.#metaStart = i;
          }
        }
        this.#depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.#depth--;
        if (this.#depth === 1 && this.#metaStart >= 0) {
          this.#finish(parseMeta(text.slice(this.#metaStart, i + 1)));
          return;
        }
        if (this.#depth === 0) {
          // The body ended without top-level metadata.
          this.#finish(undefined);
          return;
        }
      } else if (c === 0x2c && this.#depth === 1) {
        this.#key = undefined; // a top-level value ended
      }
    }
    this.#pos = i;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function parseKey(literal: string): string | undefined {
  try {
    const key: unknown = JSON.parse(literal);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

function parseMeta(text: string): ListMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const meta: ListMeta = {};
  if (typeof raw.resourceVersion === 'string') meta.resourceVersion = raw.resourceVersion;
  if (typeof raw.continue === 'string') meta.continue = raw.continue;
  if (typeof raw.remainingItemCount === 'number') meta.remainingItemCount = raw.remainingItemCount;
  return meta;
}
