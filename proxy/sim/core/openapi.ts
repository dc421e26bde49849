// The OpenAPI v3 documents the simulated cluster serves under /openapi/v3, shaped like the real
// apiserver's so kubectl accepts them.
//
// Why the paths matter more than the schemas: `kubectl create -f` / `apply -f` validate by default
// ("strict"). kubectl first asks whether the server does server-side field validation for the
// object's GVK: it fetches /openapi/v3, opens the group-version document, finds the PATCH operation
// whose `x-kubernetes-group-version-kind` extension names that GVK, and looks for a `fieldValidation`
// query parameter on it. Found: kubectl sends ?fieldValidation=Strict and skips client-side schema
// validation. Not found: client-side validation against components.schemas. Path missing entirely:
// the command fails. For custom resources whose group-version has no document, kubectl falls back
// to the apiextensions.k8s.io/v1 document, so that one must exist too.
//
// Patch bodies: the PATCH operations advertise json-patch, merge-patch and apply-patch but not
// strategic-merge-patch. When a document advertises strategic merge, `kubectl apply` computes the
// patch from these (deliberately permissive) schemas and prints a warning when it cannot; without
// it kubectl uses its compiled-in types, which is what it does against most servers anyway.
export interface GroupVersion {
  group: string;
  version: string;
}

export interface OpenApiResource {
  kind: string;
  /** Plural resource name, e.g. "pods". Subresources ("pods/status") are not published. */
  resource: string;
  namespaced: boolean;
  /** Discovery verbs: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: readonly string[];
  /** For a custom resource: the CRD's openAPIV3Schema for this version. */
  crdSchema?: unknown;
}

/** The /openapi/v3 index: group-version path → the URL of its document (hash = content version). */
export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export type JsonObject = Record<string, unknown>;

export interface OpenApiV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, JsonObject>;
  components: { schemas: Record<string, JsonObject> };
}

/** The index key and URL path of a group-version: "api/v1", "apis/apps/v1". */
export function openapiV3Path(gv: GroupVersion): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

/**
 * The /openapi/v3 index. Pass each document's hash (openapiV3DocumentHash) so clients that cache by
 * URL refetch when a document changes, e.g. after a CRD's schema changes; without one the hash is
 * derived from the group-version alone.
 */
export function openapiV3Index(gvs: readonly (GroupVersion & { hash?: string })[]): OpenApiV3Index {
  const paths: OpenApiV3Index['paths'] = {};
  for (const gv of gvs) {
    const key = openapiV3Path(gv);
    const hash = gv.hash ?? fnv1a64(key);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}

/** A content hash of a document, for the index's ?hash= (stable across runs for equal documents). */
export function openapiV3DocumentHash(doc: OpenApiV3Document): string {
  return fnv1a64(JSON.stringify(doc));
}

/** FNV-1a, 64 bits, as 16 upper-case hex digits; computed as two 32-bit halves to avoid BigInt cost. */
function fnv1a64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x01000193) >>> 0;
  }
  return (h2.toString(16).padStart(8, '0') + h1.toString(16).padStart(8, '0')).toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Schema names, as the apiserver names them.

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The Go package prefix of a group's types: "io.k8s.api.apps.v1", "com.example.v1" for CRDs. */
export function schemaPackage(gv: GroupVersion): string {
  const { group, version } = gv;
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  if (group === 'internal.apiserver.k8s.io') return `io.k8s.api.apiserverinternal.${version}`;
  if (group.endsWith('.k8s.io')) return `io.k8s.api.${group.split('.')[0]}.${version}`;
  if (!group.includes('.')) return `io.k8s.api.${group}.${version}`;
  // Custom resources: the group's DNS labels reversed, e.g. example.com → com.example.
  return `${group.split('.').reverse().join('.')}.${version}`;
}

function ref(name: string): JsonObject {
  return { $ref: `#/components/schemas/${name}` };
}

function preserve(description?: string): JsonObject {
  const schema: JsonObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (description !== undefined) schema.description = description;
  return schema;
}

const str = (description: string): JsonObject => ({ type: 'string', description });

/** The meta.k8s.io schemas every document references. */
function metaSchemas(): Record<string, JsonObject> {
  const stringMap = { type: 'object', additionalProperties: { type: 'string', default: '' } };
  return {
    [`${META}.Time`]: {
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
      type: 'string',
      format: 'date-time',
    },
    [`${META}.OwnerReference`]: {
      description: 'OwnerReference contains enough information to let you identify an owning object.',
      type: 'object',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      properties: {
        apiVersion: str('API version of the referent.'),
        kind: str('Kind of the referent.'),
        name: str('Name of the referent.'),
        uid: str('UID of the referent.'),
        controller: {
          type: 'boolean',
          description: 'If true, this reference points to the managing controller.',
        },
        blockOwnerDeletion: {
          type: 'boolean',
          description: 'If true, the owner cannot be deleted before this object.',
        },
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${META}.ManagedFieldsEntry`]: preserve(
      'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource.',
    ),
    [`${META}.ObjectMeta`]: {
      description: 'ObjectMeta is metadata that all persisted resources must have.',
      type: 'object',
      properties: {
        name: str('Name must be unique within a namespace.'),
        generateName: str('An optional prefix used by the server to generate a unique name.'),
        namespace: str('Namespace defines the space within which each name must be unique.'),
        labels: {
          ...stringMap,
          description: 'Map of string keys and values for organizing and categorizing objects.',
        },
        annotations: { ...stringMap, description: 'Unstructured key value map stored with a resource.' },
        uid: str('UID is the unique in time and space value for this object.'),
        resourceVersion: str('An opaque value that represents the internal version of this object.'),
        generation: {
          type: 'integer',
          format: 'int64',
          description: 'A sequence number representing a specific generation of the desired state.',
        },
        creationTimestamp: {
          allOf: [ref(`${META}.Time`)],
          description: 'The server time when this object was created.',
        },
        deletionTimestamp: {
          allOf: [ref(`${META}.Time`)],
          description: 'The time after which this resource will be deleted.',
        },
        deletionGracePeriodSeconds: {
          type: 'integer',
          format: 'int64',
          description: 'Seconds allowed for graceful termination.',
        },
        ownerReferences: {
          type: 'array',
          description: 'List of objects depended by this object.',
          items: { allOf: [ref(`${META}.OwnerReference`)], default: {} },
          'x-kubernetes-list-map-keys': ['uid'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
        },
        finalizers: {
          type: 'array',
          description: 'Must be empty before the object is deleted from the registry.',
          items: { type: 'string', default: '' },
          'x-kubernetes-list-type': 'set',
          'x-kubernetes-patch-strategy': 'merge',
        },
        managedFields: {
          type: 'array',
          description: 'Maps workflow-id and version to the set of fields that are managed by that workflow.',
          items: { allOf: [ref(`${META}.ManagedFieldsEntry`)], default: {} },
        },
      },
    },
    [`${META}.ListMeta`]: {
      description: 'ListMeta describes metadata that synthetic resources must have.',
      type: 'object',
      properties: {
        resourceVersion: str('The version of the list.'),
        continue: str('Set when the list was truncated by a limit.'),
        remainingItemCount: { type: 'integer', format: 'int64', description: 'Items left after this page.' },
        selfLink: str('Deprecated.'),
      },
    },
    [`${META}.Status`]: {
      description: 'Status is a return value for calls that do not return other objects.',
      type: 'object',
      properties: {
        apiVersion: str('APIVersion of this representation of an object.'),
        kind: str('Kind of this representation of an object.'),
        metadata: { allOf: [ref(`${META}.ListMeta`)], default: {} },
        status: str('Status of the operation: "Success" or "Failure".'),
        message: str('A human-readable description of the status of this operation.'),
        reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
        details: preserve('Extended data associated with the reason.'),
        code: {
          type: 'integer',
          format: 'int32',
          description: 'Suggested HTTP return code for this status.',
        },
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
    },
    [`${META}.Patch`]: {
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
    [`${META}.DeleteOptions`]: {
      description: 'DeleteOptions may be provided when deleting an API object.',
      type: 'object',
      properties: {
        apiVersion: str('APIVersion of this representation of an object.'),
        kind: str('Kind of this representation of an object.'),
        gracePeriodSeconds: {
          type: 'integer',
          format: 'int64',
          description: 'Seconds before the object should be deleted.',
        },
        propagationPolicy: str(
          'Whether and how garbage collection will be performed: Orphan, Background or Foreground.',
        ),
        dryRun: { type: 'array', items: { type: 'string', default: '' }, description: 'Dry run directives.' },
        preconditions: preserve('Must be fulfilled before a deletion is carried out.'),
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'DeleteOptions' }],
    },
  };
}

/** Top-level fields of built-in kinds that carry no spec/status (everything else: spec + status). */
const TOP_LEVEL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Endpoints: ['subsets'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  Event: [
    'involvedObject',
    'regarding',
    'related',
    'reason',
    'message',
    'note',
    'type',
    'action',
    'source',
    'deprecatedSource',
    'count',
    'deprecatedCount',
    'firstTimestamp',
    'lastTimestamp',
    'deprecatedFirstTimestamp',
    'deprecatedLastTimestamp',
    'eventTime',
    'series',
    'reportingComponent',
    'reportingController',
    'reportingInstance',
  ],
  Role: ['rules'],
  ClusterRole: ['rules', 'aggregationRule'],
  RoleBinding: ['roleRef', 'subjects'],
  ClusterRoleBinding: ['roleRef', 'subjects'],
  StorageClass: [
    'provisioner',
    'parameters',
    'reclaimPolicy',
    'mountOptions',
    'allowVolumeExpansion',
    'volumeBindingMode',
    'allowedTopologies',
  ],
  PriorityClass: ['value', 'globalDefault', 'description', 'preemptionPolicy'],
  ControllerRevision: ['data', 'revision'],
};

function fieldSchema(name: string): JsonObject {
  switch (name) {
    case 'type':
    case 'reason':
    case 'message':
    case 'note':
    case 'action':
    case 'provisioner':
    case 'reclaimPolicy':
    case 'volumeBindingMode':
    case 'description':
    case 'preemptionPolicy':
    case 'addressType':
    case 'reportingComponent':
    case 'reportingController':
    case 'reportingInstance':
      return { type: 'string' };
    case 'immutable':
    case 'automountServiceAccountToken':
    case 'allowVolumeExpansion':
    case 'globalDefault':
      return { type: 'boolean' };
    case 'count':
    case 'deprecatedCount':
    case 'value':
    case 'revision':
      return { type: 'integer', format: name === 'revision' ? 'int64' : 'int32' };
    case 'data':
    case 'binaryData':
    case 'stringData':
    case 'parameters':
      return { type: 'object', additionalProperties: { type: 'string', default: '' } };
    case 'firstTimestamp':
    case 'lastTimestamp':
    case 'deprecatedFirstTimestamp':
    case 'deprecatedLastTimestamp':
      return { allOf: [ref(`${META}.Time`)] };
    case 'eventTime':
      return { type: 'string', format: 'date-time' };
    case 'subsets':
    case 'endpoints':
    case 'ports':
    case 'rules':
    case 'subjects':
    case 'secrets':
    case 'imagePullSecrets':
    case 'mountOptions':
    case 'allowedTopologies':
      return { type: 'array', items: { 'x-kubernetes-preserve-unknown-fields': true } };
    default:
      return preserve();
  }
}

function objectSchema(gv: GroupVersion, res: OpenApiResource): JsonObject {
  const gvk = [{ group: gv.group, version: gv.version, kind: res.kind }];
  const base: JsonObject = {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
    metadata: { allOf: [ref(`${META}.ObjectMeta`)], default: {}, description: "Standard object's metadata." },
  };
  if (res.crdSchema !== undefined && typeof res.crdSchema === 'object' && res.crdSchema !== null) {
    // The CRD's own schema, with the standard fields the apiserver adds to every custom resource.
    const schema = structuredClone(res.crdSchema) as JsonObject;
    const properties = { ...((schema.properties as JsonObject | undefined) ?? {}), ...base };
    return { ...schema, type: 'object', properties, 'x-kubernetes-group-version-kind': gvk };
  }
  if (gv.group !== '' && !isBuiltinGroup(gv.group)) {
    // A custom resource without a structural schema: anything goes.
    return {
      type: 'object',
      properties: base,
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': gvk,
    };
  }
  const properties: JsonObject = { ...base };
  const fields = TOP_LEVEL_FIELDS[res.kind] ?? ['spec', 'status'];
  for (const field of fields) properties[field] = fieldSchema(field);
  return {
    description: `${res.kind} as served by the simulated cluster. Nested fields are not described.`,
    type: 'object',
    properties,
    // Unknown top-level fields are accepted too: these schemas are permissive by design.
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': gvk,
  };
}

function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

// ---------------------------------------------------------------------------------------------
// Paths.

function queryParam(name: string, description: string, type = 'string'): JsonObject {
  const schema: JsonObject =
    type === 'string' ? { type: 'string', uniqueItems: true } : { type, uniqueItems: true };
  return { name, in: 'query', description, schema };
}

const PARAM = {
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed."),
  dryRun: queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  fieldManager: queryParam(
    'fieldManager',
    'A name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.',
  ),
  force: queryParam('force', 'Force is going to "force" Apply requests.', 'boolean'),
  labelSelector: queryParam(
    'labelSelector',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  fieldSelector: queryParam(
    'fieldSelector',
    'A selector to restrict the list of returned objects by their fields.',
  ),
  limit: queryParam('limit', 'The maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam(
    'continue',
    'The continue option should be set when retrieving more results from the server.',
  ),
  resourceVersion: queryParam(
    'resourceVersion',
    'Constrains which resource versions a request may be served from.',
  ),
  resourceVersionMatch: queryParam(
    'resourceVersionMatch',
    'Determines how resourceVersion is applied to list calls.',
  ),
  watch: queryParam('watch', 'Watch for changes to the described resources.', 'boolean'),
  allowWatchBookmarks: queryParam(
    'allowWatchBookmarks',
    'Requests watch events with type "BOOKMARK".',
    'boolean',
  ),
  sendInitialEvents: queryParam(
    'sendInitialEvents',
    'Begin a watch stream with synthetic initial events.',
    'boolean',
  ),
  timeoutSeconds: queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  gracePeriodSeconds: queryParam(
    'gracePeriodSeconds',
    'The duration in seconds before the object should be deleted.',
    'integer',
  ),
  propagationPolicy: queryParam('propagationPolicy', 'Whether and how garbage collection will be performed.'),
  name: {
    name: 'name',
    in: 'path',
    description: 'name of the resource',
    required: true,
    schema: { type: 'string', uniqueItems: true },
  },
  namespace: {
    name: 'namespace',
    in: 'path',
    description: 'object name and auth scope, such as for teams and projects',
    required: true,
    schema: { type: 'string', uniqueItems: true },
  },
};

const LIST_PARAMS = [
  PARAM.allowWatchBookmarks,
  PARAM.continue,
  PARAM.fieldSelector,
  PARAM.labelSelector,
  PARAM.limit,
  PARAM.resourceVersion,
  PARAM.resourceVersionMatch,
  PARAM.sendInitialEvents,
  PARAM.timeoutSeconds,
  PARAM.watch,
];

function content(schemaName: string, mediaTypes = ['application/json', 'application/yaml']): JsonObject {
  const out: JsonObject = {};
  for (const media of mediaTypes) out[media] = { schema: ref(schemaName) };
  return out;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "core_v1", "apps_v1", "rbacAuthorization_v1" and the matching operationId infix "CoreV1". */
function naming(gv: GroupVersion): { tag: string; infix: string } {
  const words = gv.group === '' ? ['core'] : gv.group.replace(/\.k8s\.io$/, '').split(/[.-]/);
  const camel = words.map((w, i) => (i === 0 ? w : upperFirst(w))).join('');
  return { tag: `${camel}_${gv.version}`, infix: `${upperFirst(camel)}${upperFirst(gv.version)}` };
}

function addResourcePaths(gv: GroupVersion, res: OpenApiResource, paths: Record<string, JsonObject>): void {
  const pkg = schemaPackage(gv);
  const objectName = `${pkg}.${res.kind}`;
  const listName = `${pkg}.${res.kind}List`;
  const prefix = gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
  const scope = res.namespaced
    ? `${prefix}/namespaces/{namespace}/${res.resource}`
    : `${prefix}/${res.resource}`;
  const { tag, infix } = naming(gv);
  const ns = res.namespaced ? 'Namespaced' : '';
  const gvk = { group: gv.group, version: gv.version, kind: res.kind };
  const verbs = new Set(res.verbs);
  const unauthorized = { '401': { description: 'Unauthorized' } };
  const op = (action: string, verb: string, description: string, extra: JsonObject): JsonObject => ({
    tags: [tag],
    description,
    operationId: `${verb}${infix}${ns}${res.kind}`,
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const ok = (schema: string, codes: string[]) => {
    const responses: JsonObject = { ...unauthorized };
    for (const code of codes)
      responses[code] = {
        description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK',
        content: content(schema),
      };
    return responses;
  };

  const collection: JsonObject = {};
  if (verbs.has('list')) {
    collection.get = op('list', 'list', `list or watch objects of kind ${res.kind}`, {
      parameters: LIST_PARAMS,
      responses: ok(listName, ['200']),
    });
  }
  if (verbs.has('create')) {
    collection.post = op('post', 'create', `create a ${res.kind}`, {
      parameters: [PARAM.dryRun, PARAM.fieldManager, PARAM.fieldValidation],
      requestBody: { content: content(objectName), required: true },
      responses: ok(objectName, ['200', '201', '202']),
    });
  }
  if (verbs.has('deletecollection')) {
    collection.delete = op('deletecollection', 'deleteCollection', `delete collection of ${res.kind}`, {
      parameters: [...LIST_PARAMS, PARAM.dryRun, PARAM.gracePeriodSeconds, PARAM.propagationPolicy],
      requestBody: { content: content(`${META}.DeleteOptions`) },
      responses: ok(`${META}.Status`, ['200']),
    });
  }
  if (Object.keys(collection).length > 0) {
    paths[scope] = {
      ...collection,
      parameters: res.namespaced ? [PARAM.namespace, PARAM.pretty] : [PARAM.pretty],
    };
  }

  const item: JsonObject = {};
  if (verbs.has('get')) {
    item.get = op('get', 'read', `read the specified ${res.kind}`, { responses: ok(objectName, ['200']) });
  }
  if (verbs.has('update')) {
    item.put = op('put', 'replace', `replace the specified ${res.kind}`, {
      parameters: [PARAM.dryRun, PARAM.fieldManager, PARAM.fieldValidation],
      requestBody: { content: content(objectName), required: true },
      responses: ok(objectName, ['200', '201']),
    });
  }
  if (verbs.has('patch')) {
    item.patch = op('patch', 'patch', `partially update the specified ${res.kind}`, {
      parameters: [PARAM.dryRun, PARAM.fieldManager, PARAM.fieldValidation, PARAM.force],
      requestBody: {
        content: content(`${META}.Patch`, [
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/apply-patch+yaml',
        ]),
        required: true,
      },
      responses: ok(objectName, ['200', '201']),
    });
  }
  if (verbs.has('delete')) {
    item.delete = op('delete', 'delete', `delete a ${res.kind}`, {
      parameters: [PARAM.dryRun, PARAM.gracePeriodSeconds, PARAM.propagationPolicy],
      requestBody: { content: content(`${META}.DeleteOptions`) },
      responses: ok(`${META}.Status`, ['200', '202']),
    });
  }
  if (Object.keys(item).length > 0) {
    paths[`${scope}/{name}`] = {
      ...item,
      parameters: res.namespaced ? [PARAM.name, PARAM.namespace, PARAM.pretty] : [PARAM.name, PARAM.pretty],
    };
  }

  if (res.namespaced && verbs.has('list')) {
    paths[`${prefix}/${res.resource}`] = {
      get: op('list', 'list', `list or watch objects of kind ${res.kind}`, {
        operationId: `list${infix}${res.kind}ForAllNamespaces`,
        parameters: LIST_PARAMS,
        responses: ok(listName, ['200']),
      }),
      parameters: [PARAM.pretty],
    };
  }
}

/**
 * The OpenAPI v3 document of one group-version. Resources with a "/" (subresources) are skipped.
 * Throws a plain Error for a malformed resource (empty kind or resource name), which is a caller bug.
 */
export function openapiV3Document(
  gv: GroupVersion,
  resources: readonly OpenApiResource[],
): OpenApiV3Document {
  const paths: Record<string, JsonObject> = {};
  const schemas: Record<string, JsonObject> = metaSchemas();
  const pkg = schemaPackage(gv);
  for (const res of resources) {
    if (res.resource.includes('/')) continue;
    if (res.kind === '' || res.resource === '') {
      throw new Error(`openapi: resource in ${gv.group}/${gv.version} needs a kind and a resource name`);
    }
    addResourcePaths(gv, res, paths);
    schemas[`${pkg}.${res.kind}`] = objectSchema(gv, res);
    schemas[`${pkg}.${res.kind}List`] = {
      description: `${res.kind}List is a list of ${res.kind}.`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        items: { type: 'array', items: { allOf: [ref(`${pkg}.${res.kind}`)], default: {} } },
        metadata: { allOf: [ref(`${META}.ListMeta`)], default: {} },
      },
      'x-kubernetes-group-version-kind': [{ group: gv.group, version: gv.version, kind: `${res.kind}List` }],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}
