// Parse and police the browser-facing path /clusters/{context}/{api|apis|version|openapi}/...
//
// This is the SSRF and traversal boundary: the result only ever names a context (looked up in the
// kubeconfig) and a path below one of the forwardable roots. Anything that could climb out of
// /clusters/{context}/ once decoded — by the proxy, the apiserver, or anything in between — is
// refused: dot segments in any encoding (also double-encoded), encoded slashes, backslashes, empty
// segments ("//") and control characters.
import { FORWARDABLE_ROOTS, ROUTES } from '../../contract/api.ts';

export interface ClusterPath {
  context: string;
  /** Path below the context, still percent-encoded as received, starting with "/". */
  apiPath: string;
  /** The raw query string including "?", or "". */
  search: string;
}

export type ClusterPathResult =
  | { ok: true; path: ClusterPath }
  | { ok: false; status: 400 | 404; message: string };

/** True when the text holds an ASCII control character (a regex with them trips the linter). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Decode until stable (bounded) so "%252e%252e" is seen for what it becomes after two decodes. */
function fullyDecode(segment: string): string | undefined {
  let current = segment;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

const bad = (message: string): ClusterPathResult => ({ ok: false, status: 400, message });

export function parseClusterPath(rawUrl: string): ClusterPathResult {
  if (!rawUrl.startsWith(ROUTES.clusters)) return { ok: false, status: 404, message: 'not a cluster path' };
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const search = q === -1 ? '' : rawUrl.slice(q);
  if (hasControl(rawUrl) || rawUrl.includes('#'))
    return bad('control characters are not allowed in the path');
  if (rawPath.includes('\\') || /%5c/i.test(rawPath)) return bad('backslashes are not allowed in the path');
  const segments = rawPath.slice(ROUTES.clusters.length).split('/');
  const [contextSegment, ...rest] = segments;
  if (!contextSegment) return bad('the path must name a context: /clusters/{context}/...');
  let context: string;
  try {
    // Context names may legitimately contain "/" (EKS ARNs): the app sends them encoded.
    context = decodeURIComponent(contextSegment);
  } catch {
    return bad('the context name is not valid percent-encoding');
  }
  if (rest.length === 0 || rest[0] === '')
    return { ok: false, status: 404, message: 'nothing to forward below the context' };
  for (let i = 0; i < rest.length; i++) {
    const seg = rest[i] ?? '';
    if (seg === '') {
      if (i === rest.length - 1) continue; // a trailing slash is harmless
      return bad('empty path segments ("//") are not allowed');
    }
    const decoded = fullyDecode(seg);
    if (decoded === undefined) return bad('the path is not valid percent-encoding');
    if (decoded === '.' || decoded === '..') return bad('dot segments are not allowed in the path');
    if (decoded.includes('/') || decoded.includes('\\') || hasControl(decoded)) {
      return bad('encoded slashes are not allowed in the path');
    }
  }
  const root = rest[0] ?? '';
  if (!(FORWARDABLE_ROOTS as readonly string[]).includes(root)) {
    return { ok: false, status: 404, message: `only ${FORWARDABLE_ROOTS.join(', ')} are forwarded` };
  }
  return { ok: true, path: { context, apiPath: `/${rest.join('/')}`, search } };
}

/**
 * Long-lived requests (watches, log follows) get no request timeout (BR-10: none shorter than
 * 600 s); everything else does.
 */
export function isStreamingRequest(path: ClusterPath): boolean {
  const params = new URLSearchParams(path.search);
  const on = (name: string) => {
    const v = params.get(name);
    return v === 'true' || v === '1';
  };
  return on('watch') || on('follow') || /^\/(api\/[^/]+|apis\/[^/]+\/[^/]+)\/watch\//.test(path.apiPath);
}
