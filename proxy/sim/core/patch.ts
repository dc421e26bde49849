// The three patch formats the apiserver accepts for JSON bodies: RFC 7386 JSON merge patch,
// RFC 6902 JSON patch (with `test`), and strategic merge patch. Strategic merge needs each list's
// merge key from the Go struct tags; without schemas we infer the key from the elements (the
// common keys name, containerPort, mountPath, …) and honour the $patch, $setElementOrder,
// $retainKeys and $deleteFromPrimitiveList directives kubectl sends. Patches never mutate their
// input: a failed patch leaves the stored object untouched.
import { badRequest, failure } from './status.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---- JSON patch (RFC 6902) ----

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function unprocessable(message: string): Error {
  return failure(422, 'Invalid', message);
}

/** RFC 6901 pointer → tokens. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`invalid JSON pointer "${pointer}": must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function arrayIndex(arr: unknown[], token: string, forInsert: boolean, path: string): number {
  if (token === '-' && forInsert) return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in path "${path}"`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) {
    throw unprocessable(`array index ${i} out of bounds in path "${path}"`);
  }
  return i;
}

/** The container of the last token, walking a document we own (already cloned). */
function parentOf(doc: unknown, tokens: string[], path: string): unknown {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false, path)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw unprocessable(`doc is missing path: "${path}"`);
  }
  return cur;
}

function getAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false, path)];
  if (isObject(parent) && Object.hasOwn(parent, last)) return parent[last];
  throw unprocessable(`doc is missing path: "${path}"`);
}

function removeAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw unprocessable('cannot remove the whole document');
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    return parent.splice(arrayIndex(parent, last, false, path), 1)[0];
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw unprocessable(`unable to remove nonexistent key: ${last}: missing value`);
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, !replace, path);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (replace && !Object.hasOwn(parent, last))
      throw unprocessable(`replace operation does not apply: doc is missing key: ${path}`);
    parent[last] = value;
  } else {
    throw unprocessable(`doc is missing path: "${path}"`);
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

/** RFC 6902. A failed `test` is 422 Invalid, as the apiserver reports it; a malformed patch is 400. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json patch must be an array of operations');
  let doc: unknown = clone(target);
  for (const raw of patch) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest(`invalid json patch operation: ${JSON.stringify(raw)}`);
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add':
        if (!('value' in raw)) throw badRequest(`missing value for operation "add" at ${op.path}`);
        doc = addAt(doc, op.path, clone(op.value), false);
        break;
      case 'replace':
        if (!('value' in raw)) throw badRequest(`missing value for operation "replace" at ${op.path}`);
        doc = addAt(doc, op.path, clone(op.value), true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move': {
        if (typeof op.from !== 'string') throw badRequest('missing "from" for operation "move"');
        const v = removeAt(doc, op.from);
        doc = addAt(doc, op.path, v, false);
        break;
      }
      case 'copy': {
        if (typeof op.from !== 'string') throw badRequest('missing "from" for operation "copy"');
        doc = addAt(doc, op.path, clone(getAt(doc, op.from)), false);
        break;
      }
      case 'test': {
        const actual = getAt(doc, op.path);
        if (!deepEqual(actual, op.value)) {
          throw unprocessable(
            `the server rejected our request due to an error in our request: testing value ${op.path} failed`,
          );
        }
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

// ---- strategic merge patch ----

/** Merge keys tried in order when a list's elements are objects (k8s.io/api patchMergeKey tags). */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip', 'type', 'topologyKey'];

function mergeKeyFor(list: unknown[], patchList: unknown[]): string | undefined {
  const elements = [...list, ...patchList].filter(
    (e) => !(isObject(e) && e.$patch !== undefined && Object.keys(e).length === 1),
  );
  if (elements.length === 0 || !elements.every(isObject)) return undefined;
  return MERGE_KEYS.find((k) => elements.every((e) => (e as Record<string, unknown>)[k] !== undefined));
}

function mergeList(orig: unknown, patch: unknown[]): unknown[] {
  const base = Array.isArray(orig) ? orig : [];
  if (patch.some((e) => isObject(e) && e.$patch === 'replace')) {
    return patch.filter((e) => !(isObject(e) && e.$patch === 'replace'));
  }
  const key = mergeKeyFor(base, patch);
  if (key === undefined) return patch.filter((e) => !(isObject(e) && e.$patch !== undefined));
  const out = base.map((e) => e);
  for (const p of patch as Record<string, unknown>[]) {
    const idx = out.findIndex((e) => (e as Record<string, unknown>)[key] === p[key]);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMergePatch(out[idx], p);
    } else {
      out.push(strategicMergePatch(undefined, p));
    }
  }
  return out;
}

/**
 * Strategic merge patch without schemas: maps merge as in a merge patch; lists of objects that
 * share a merge key merge element-wise; other lists replace; directives are applied or dropped.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys)
    ? (patch.$retainKeys as unknown[]).filter((k) => typeof k === 'string')
    : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(v)) out[field] = current.filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      out[k] = mergeList(out[k], v);
    } else if (isObject(v)) {
      const merged = strategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  if (retain !== undefined) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

export type PatchType = 'merge' | 'strategic' | 'json';

/** Content-Type of a PATCH → patch type; undefined when unsupported (415). */
export function patchTypeOf(contentType: string): PatchType | undefined {
  const base = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (base === 'application/merge-patch+json') return 'merge';
  if (base === 'application/strategic-merge-patch+json') return 'strategic';
  if (base === 'application/json-patch+json') return 'json';
  return undefined;
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'merge':
      if (!isObject(patch)) throw badRequest('merge patch must be a JSON object');
      return mergePatch(target, patch);
    case 'strategic':
      if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
      return strategicMergePatch(target, patch);
    case 'json':
      return jsonPatch(target, patch);
  }
}

export type { Json };
