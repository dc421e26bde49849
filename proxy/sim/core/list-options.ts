// Query parameters of list and watch requests, parsed and validated the way the apiserver does
// (metainternalversion ListOptions + validation.ValidateListOptions). Invalid combinations of
// resourceVersion / resourceVersionMatch / sendInitialEvents / continue are 422 Invalid on a
// ListOptions, with one FieldValueForbidden/NotSupported cause each, exactly like a real server.
import { EVERYTHING_FIELDS, type FieldSelector, parseFieldSelector } from './field-selector.ts';
import { EVERYTHING_LABELS, type LabelSelector, parseLabelSelector } from './label-selector.ts';
import { badRequest, type FieldProblem, invalid } from './status.ts';

export type ResourceVersionMatch = '' | 'NotOlderThan' | 'Exact';

export interface ListOptions {
  watch: boolean;
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  /** True when either selector has at least one requirement (remainingItemCount is then omitted). */
  hasSelectors: boolean;
  /** "" when unset. */
  resourceVersion: string;
  resourceVersionMatch: ResourceVersionMatch;
  /** 0 means no limit. */
  limit: number;
  continue: string;
  allowWatchBookmarks: boolean;
  /** undefined when the parameter was absent. */
  sendInitialEvents: boolean | undefined;
  /** Seconds; undefined when absent. */
  timeoutSeconds: number | undefined;
}

/** Go's strconv.ParseBool, which the query decoder uses for boolean parameters. */
export function parseBool(name: string, value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(value)) return false;
  throw badRequest(`invalid value for ${name}: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

function parseInteger(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw badRequest(`invalid value for ${name}: strconv.ParseInt: parsing "${value}": invalid syntax`);
  }
  return Number(value);
}

const forbidden = (field: string, detail: string): FieldProblem => ({
  type: 'FieldValueForbidden',
  field,
  detail: `Forbidden: ${detail}`,
});

const notSupported = (field: string, value: string, supported: string[]): FieldProblem => ({
  type: 'FieldValueNotSupported',
  field,
  detail: `Unsupported value: "${value}": supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});

/** Parse and validate; `group`/`resource` decide which field selectors are supported. */
export function parseListOptions(query: URLSearchParams, group: string, resource: string): ListOptions {
  const watch = parseBool('watch', query.get('watch')) ?? false;
  const labelText = query.get('labelSelector') ?? '';
  const fieldText = query.get('fieldSelector') ?? '';
  const labelSelector = labelText === '' ? EVERYTHING_LABELS : parseLabelSelector(labelText);
  const fieldSelector = fieldText === '' ? EVERYTHING_FIELDS : parseFieldSelector(fieldText, group, resource);
  const limit = parseInteger('limit', query.get('limit')) ?? 0;
  const timeoutSeconds = parseInteger('timeoutSeconds', query.get('timeoutSeconds'));
  const opts: ListOptions = {
    watch,
    labelSelector,
    fieldSelector,
    hasSelectors: labelSelector.requirements.length > 0 || fieldSelector.requirements.length > 0,
    resourceVersion: query.get('resourceVersion') ?? '',
    resourceVersionMatch: (query.get('resourceVersionMatch') ?? '') as ResourceVersionMatch,
    limit: Math.max(limit, 0),
    continue: query.get('continue') ?? '',
    allowWatchBookmarks: parseBool('allowWatchBookmarks', query.get('allowWatchBookmarks')) ?? false,
    sendInitialEvents: parseBool('sendInitialEvents', query.get('sendInitialEvents')),
    timeoutSeconds: timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : undefined,
  };
  const problems = watch ? watchProblems(opts) : listProblems(opts);
  if (problems.length > 0) throw invalid('meta.k8s.io', 'ListOptions', '', problems);
  return opts;
}

function listProblems(o: ListOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const match = o.resourceVersionMatch;
  if (match !== '') {
    if (o.resourceVersion === '') {
      problems.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    }
    if (o.continue !== '') {
      problems.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
    }
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      problems.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    }
    if (match === 'Exact' && o.resourceVersion === '0') {
      problems.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    }
  }
  if (o.sendInitialEvents !== undefined) {
    problems.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  return problems;
}

function watchProblems(o: ListOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const match = o.resourceVersionMatch;
  if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    problems.push(
      forbidden(
        'resourceVersionMatch',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      ),
    );
  }
  if (match !== '') {
    if (o.sendInitialEvents === undefined) {
      problems.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    if (match !== 'NotOlderThan')
      problems.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (o.continue !== '') {
      problems.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
    }
  }
  return problems;
}

/**
 * A resourceVersion the storage layer can compare: a non-negative integer string. Anything else
 * is a 400, as etcd3's ParseResourceVersion answers.
 */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv) || rv.length > 15) {
    throw badRequest(
      `resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`,
    );
  }
  return Number(rv);
}
