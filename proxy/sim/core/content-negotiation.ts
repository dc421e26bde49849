// Accept and Content-Type handling: which representation a client asked for (plain JSON, a
// meta.k8s.io Table, aggregated discovery v2/v2beta1), in the client's order of preference, as
// the apiserver's negotiation picks the first media type it can serve (RC-08, DI-01, DI-02).

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/** Split an Accept header into media ranges (order kept, parameters lower-cased keys). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [];
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    const out: Record<string, string> = {};
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq > 0) out[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
    }
    return { type: type.toLowerCase(), params: out };
  });
}

function jsonish(type: string): boolean {
  return type === 'application/json' || type === 'application/*' || type === '*/*';
}

export type ObjectOutput = 'json' | 'table' | 'partial';

/**
 * The representation for an object or list response, or undefined when no acceptable one can be
 * served (406). An absent Accept header means JSON.
 */
export function negotiateObjectOutput(accept: string | undefined): ObjectOutput | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  for (const r of ranges) {
    if (!jsonish(r.type)) continue;
    const as = r.params.as;
    if (as === undefined) return 'json';
    const meta = r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1');
    if (meta && as === 'Table') return 'table';
    if (meta && (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList')) return 'partial';
  }
  return undefined;
}

/** The aggregated discovery version asked for, if any comes before a plain JSON fallback. */
export function negotiateDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (!jsonish(r.type)) continue;
    if (r.params.as === undefined) return undefined;
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io') {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v;
    }
  }
  return undefined;
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** The media type of a request body, without parameters, lower-cased. */
export function bodyMediaType(contentType: string | undefined): string {
  return ((contentType ?? '').split(';')[0] ?? '').trim().toLowerCase();
}
