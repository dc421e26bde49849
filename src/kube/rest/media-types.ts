// RC-08 and DI-01: the media types the client negotiates.

export const ACCEPT_JSON = 'application/json';
/** Server-side printing (RC-08) with a plain JSON fallback for servers that cannot make a Table. */
export const ACCEPT_TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';
/** Aggregated discovery first, legacy JSON as fallback (DI-01). */
export const ACCEPT_AGGREGATED_DISCOVERY =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

/** DC-05: the Content-Type each patch type is sent with. */
export const PatchType = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategicMerge: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

export interface MediaType {
  /** type/subtype, lower-cased. */
  essence: string;
  /** Parameter names lower-cased; values with quotes removed. */
  params: Map<string, string>;
}

/** Parse a Content-Type value; parameters may come in any order (DI-02). */
export function parseMediaType(value: string | null | undefined): MediaType | undefined {
  if (!value) return undefined;
  const [head, ...rest] = value.split(';');
  const essence = head!.trim().toLowerCase();
  if (!essence.includes('/')) return undefined;
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let val = part.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1);
    params.set(key, val);
  }
  return { essence, params };
}
