// RC-01: {apiPath}/{group}/{version}[/namespaces/{ns}]/{resource}[/{name}][/{subresource}].
// The core group ("") lives under /api with no group segment; every other group under /apis.

export interface ResourcePath {
  /** "" (or unset) for the core group. */
  group?: string;
  version: string;
  /** Unset or "" for cluster-scoped resources and all-namespace lists. */
  namespace?: string;
  resource?: string;
  name?: string;
  /** "status", "scale", … */
  subresource?: string;
}

function segment(value: string, what: string): string {
  if (value.includes('/')) throw new Error(`invalid ${what} ${JSON.stringify(value)}: may not contain '/'`);
  if (value === '.' || value === '..') throw new Error(`invalid ${what} ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}

export function resourcePath(p: ResourcePath): string {
  if (!p.version) throw new Error('resourcePath: version is required');
  let path = p.group
    ? `/apis/${segment(p.group, 'group')}/${segment(p.version, 'version')}`
    : `/api/${segment(p.version, 'version')}`;
  if (p.namespace) path += `/namespaces/${segment(p.namespace, 'namespace')}`;
  if (p.resource) path += `/${segment(p.resource, 'resource')}`;
  else if (p.name || p.subresource) throw new Error('resourcePath: name and subresource need a resource');
  if (p.name) path += `/${segment(p.name, 'name')}`;
  if (p.subresource) {
    if (!p.name) throw new Error('resourcePath: a subresource needs a name');
    // Subresources may be nested ("proxy/path"), so each part is encoded on its own.
    path += `/${p.subresource
      .split('/')
      .map((s) => segment(s, 'subresource'))
      .join('/')}`;
  }
  return path;
}
