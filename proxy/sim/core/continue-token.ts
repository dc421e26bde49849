// Continue tokens for paged lists. Like the apiserver's (storage/etcd3 continue.go) a token is
// base64url JSON carrying the list's resourceVersion and the key to resume from, so every page of
// a list is read at the first page's RV (PG-08). We also carry the issue time, so tokens can
// expire by age (continueTokenTtlMs) as well as by compaction. rv -1 marks the "inconsistent"
// token handed out with a 410, which resumes at the latest state.
import { badRequest } from './status.ts';

export interface ContinueToken {
  /** The list's resourceVersion, or -1 for "whatever is current" (inconsistent continuation). */
  rv: number;
  /** Resume at the first key >= start (the last returned key followed by "\u0000"). */
  start: string;
  /** now() when the first page was served. */
  issuedAt: number;
}

const VERSION = 'meta.k8s.io/v1';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt((n >> 18) & 63) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
  }
  return out;
}

function unbase64url(text: string): Uint8Array | undefined {
  const clean = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (clean.length % 4 === 1) return undefined;
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: VERSION, rv: token.rv, start: token.start, t: token.issuedAt });
  return base64url(new TextEncoder().encode(json));
}

/** Decode a continue parameter; a malformed one is a 400, as upstream's "continue key is not valid". */
export function decodeContinue(text: string): ContinueToken {
  const bytes = unbase64url(text);
  let parsed: unknown;
  try {
    parsed =
      bytes === undefined ? undefined : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    parsed = undefined;
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown; t?: unknown } | undefined;
  if (
    typeof p !== 'object' ||
    p === null ||
    p.v !== VERSION ||
    typeof p.rv !== 'number' ||
    !Number.isInteger(p.rv) ||
    typeof p.start !== 'string' ||
    typeof p.t !== 'number'
  ) {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  return { rv: p.rv, start: p.start, issuedAt: p.t };
}
