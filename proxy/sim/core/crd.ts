// CustomResourceDefinition (apiextensions.k8s.io/v1) handling: validate the parts of a CRD the
// apiserver needs to serve its resource, turn it into a registry entry, and fill in the status a
// real apiextensions-apiserver reports (NamesAccepted, Established, acceptedNames, storedVersions).
import type { KubeObject } from '../../../src/kube/api/types.ts';
import type { CrdServing, PrinterColumn } from './registry.ts';
import { type FieldProblem, invalid } from './status.ts';
import { validatePrinterColumns } from './table.ts';

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validate a CRD and derive what it serves. Throws 422 Invalid with one cause per problem, as the
 * apiextensions validation does (a subset: names, group, scope, versions, the name rule).
 */
export function crdServing(crd: KubeObject): CrdServing {
  const problems: FieldProblem[] = [];
  const name = crd.metadata?.name ?? '';
  const spec = obj(crd.spec) ?? {};
  const names = obj(spec.names) ?? {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const singular =
    typeof names.singular === 'string' && names.singular !== '' ? names.singular : kind.toLowerCase();
  const listKind =
    typeof names.listKind === 'string' && names.listKind !== '' ? names.listKind : `${kind}List`;
  const scope = spec.scope;

  if (group === '')
    problems.push({ type: 'FieldValueRequired', field: 'spec.group', detail: 'Required value' });
  else if (!DNS_SUBDOMAIN.test(group) || !group.includes('.')) {
    problems.push({
      type: 'FieldValueInvalid',
      field: 'spec.group',
      detail: `Invalid value: "${group}": should be a domain with at least one dot`,
    });
  }
  if (plural === '')
    problems.push({ type: 'FieldValueRequired', field: 'spec.names.plural', detail: 'Required value' });
  else if (!DNS_LABEL.test(plural)) {
    problems.push({
      type: 'FieldValueInvalid',
      field: 'spec.names.plural',
      detail: `Invalid value: "${plural}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
    });
  }
  if (kind === '')
    problems.push({ type: 'FieldValueRequired', field: 'spec.names.kind', detail: 'Required value' });
  if (scope !== 'Namespaced' && scope !== 'Cluster') {
    problems.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      detail: `Unsupported value: "${String(scope ?? '')}": supported values: "Cluster", "Namespaced"`,
    });
  }
  if (plural !== '' && group !== '' && name !== `${plural}.${group}`) {
    problems.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      detail: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  const rawVersions = Array.isArray(spec.versions) ? spec.versions : [];
  if (rawVersions.length === 0) {
    problems.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      detail: 'Invalid value: []: must have exactly one version marked as storage version',
    });
  }
  const versions: CrdServing['versions'] = [];
  let storageCount = 0;
  rawVersions.forEach((raw, i) => {
    const v = obj(raw) ?? {};
    const vname = typeof v.name === 'string' ? v.name : '';
    if (!DNS_LABEL.test(vname)) {
      problems.push({
        type: 'FieldValueInvalid',
        field: `spec.versions[${i}].name`,
        detail: `Invalid value: "${vname}": must be a DNS label`,
      });
    }
    if (v.storage === true) storageCount++;
    if (v.served !== true) return;
    const sub = obj(v.subresources) ?? {};
    const printerColumns: PrinterColumn[] = (
      Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : []
    )
      .map((c) => obj(c))
      .filter(
        (c): c is Record<string, unknown> =>
          c !== undefined && typeof c.name === 'string' && typeof c.jsonPath === 'string',
      )
      .map((c) => ({
        name: c.name as string,
        type: typeof c.type === 'string' ? c.type : 'string',
        jsonPath: c.jsonPath as string,
        ...(typeof c.format === 'string' ? { format: c.format } : {}),
        ...(typeof c.description === 'string' ? { description: c.description } : {}),
        ...(typeof c.priority === 'number' ? { priority: c.priority } : {}),
      }));
    for (const problem of validatePrinterColumns(printerColumns)) {
      const [field, ...rest] = problem.split(': ');
      problems.push({
        type: 'FieldValueInvalid',
        field: (field ?? '').replace('spec.versions[]', `spec.versions[${i}]`),
        detail: rest.join(': '),
      });
    }
    const schema = obj(v.schema)?.openAPIV3Schema;
    const scale = obj(sub.scale);
    const scalePaths =
      scale === undefined
        ? undefined
        : {
            specReplicasPath:
              typeof scale.specReplicasPath === 'string' ? scale.specReplicasPath : '.spec.replicas',
            statusReplicasPath:
              typeof scale.statusReplicasPath === 'string' ? scale.statusReplicasPath : '.status.replicas',
            ...(typeof scale.labelSelectorPath === 'string'
              ? { labelSelectorPath: scale.labelSelectorPath }
              : {}),
          };
    versions.push({
      name: vname,
      status: obj(sub.status) !== undefined,
      scale: scale !== undefined,
      ...(scalePaths !== undefined ? { scalePaths } : {}),
      printerColumns,
      ...(schema !== undefined ? { schema } : {}),
    });
  });
  if (rawVersions.length > 0 && storageCount !== 1) {
    problems.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      detail: `Invalid value: ${storageCount}: must have exactly one version marked as storage version`,
    });
  }
  if (problems.length > 0) throw invalid('apiextensions.k8s.io', 'CustomResourceDefinition', name, problems);
  return {
    crdName: name,
    group,
    plural,
    singular,
    kind,
    listKind,
    namespaced: scope === 'Namespaced',
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
    versions,
  };
}

/** The status an established CRD reports; `now` is an RFC 3339 timestamp. */
export function establishedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = obj(crd.spec) ?? {};
  const names = obj(spec.names) ?? {};
  const storage = (Array.isArray(spec.versions) ? spec.versions : [])
    .map((v) => obj(v))
    .find((v) => v?.storage === true);
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: { ...names },
    storedVersions: typeof storage?.name === 'string' ? [storage.name] : [],
  };
}
