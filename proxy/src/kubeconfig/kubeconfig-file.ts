// One kubeconfig file, parsed. Each named entry keeps the directory of the file that defined it,
// because relative paths (CA, client cert/key, tokenFile, exec command) resolve against the file
// that named them, not against the merged result (KC-03).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export type RawRecord = Record<string, unknown>;

export interface NamedEntry {
  name: string;
  /** The entry's body (the `cluster:`, `user:` or `context:` map), possibly empty. */
  value: RawRecord;
  /** Directory of the file that defined the entry; relative paths resolve against it (KC-03). */
  dir: string;
  file: string;
}

export interface KubeconfigDocument {
  file: string;
  currentContext: string;
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
}

export type ParseResult = { ok: true; doc: KubeconfigDocument } | { ok: false; error: string };

export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function namedEntries(raw: unknown, key: string, file: string): NamedEntry[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new Error(`"${key}" must be a list`);
  const dir = dirname(file);
  const bodyKey = key.slice(0, -1); // clusters → cluster, users → user, contexts → context
  const out: NamedEntry[] = [];
  for (const item of raw) {
    if (!isRecord(item) || typeof item.name !== 'string' || item.name === '') {
      throw new Error(`every entry of "${key}" needs a non-empty "name"`);
    }
    const body = item[bodyKey];
    if (body !== undefined && body !== null && !isRecord(body)) {
      throw new Error(`${bodyKey} "${item.name}" must be a map`);
    }
    out.push({ name: item.name, value: isRecord(body) ? body : {}, dir, file });
  }
  return out;
}

/** Parse kubeconfig text; `file` names the source in errors and anchors relative paths. */
export function parseKubeconfigText(text: string, file: string): ParseResult {
  const abs = resolve(file);
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return { ok: false, error: `${abs}: invalid YAML: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (raw === null || raw === undefined) {
    return { ok: true, doc: { file: abs, currentContext: '', clusters: [], users: [], contexts: [] } };
  }
  if (!isRecord(raw)) return { ok: false, error: `${abs}: a kubeconfig must be a YAML map` };
  try {
    const current = raw['current-context'];
    return {
      ok: true,
      doc: {
        file: abs,
        currentContext: typeof current === 'string' ? current : '',
        clusters: namedEntries(raw.clusters, 'clusters', abs),
        users: namedEntries(raw.users, 'users', abs),
        contexts: namedEntries(raw.contexts, 'contexts', abs),
      },
    };
  } catch (err) {
    return { ok: false, error: `${abs}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function readKubeconfigFile(file: string): ParseResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: `${resolve(file)}: cannot read (${code ?? String(err)})` };
  }
  return parseKubeconfigText(text, file);
}
