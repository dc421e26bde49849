// Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io, RC-08): turn stored
// objects into the meta.k8s.io/v1 Table that `kubectl get` prints. Three convertors exist, as in the
// apiserver:
//   - built-in kinds use their printer (table-columns.ts);
//   - custom resources use the CRD's additionalPrinterColumns (JSONPath, jsonpath.ts), after a Name
//     column, or a single Age column when the CRD declares none;
//   - every other kind uses the default convertor: Name and Created At.
// The engine calls toTable for list, get (one object) and each watch event (one object, with
// noHeaders after the first event, as the apiserver omits column definitions there).
import { compileJsonPath, type JsonPath, JsonPathError, jsonPathText } from './jsonpath.ts';
import type { KubeObject } from './sim-writer.ts';
import {
  builtinPrinter,
  DEFAULT_PRINTER,
  humanDuration,
  NAME_COLUMN,
  parseTimestamp,
  type RowPrinter,
  type TableCell,
  type TableColumnDefinition,
  type TableRowCondition,
} from './table-columns.ts';

export type { TableCell, TableColumnDefinition, TableRowCondition };

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface PrinterColumn {
  name: string;
  /** integer, number, string, boolean or date. */
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  /** A simple JSONPath relative to the object, e.g. ".spec.replicas". */
  jsonPath: string;
}

/** What each row carries in `object` (the includeObject query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** Absent for includeObject=None; PartialObjectMetadata for Metadata; the object for Object. */
  object?: KubeObject;
}

/** meta.k8s.io/v1 Table. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: TableListMeta;
  /** Empty when opts.noHeaders (watch events after the first). */
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableInput {
  group: string;
  version: string;
  resource: string;
  kind: string;
  /**
   * Set (possibly empty) exactly when the resource is served by a CRD: its additionalPrinterColumns
   * for this version. Undefined means a built-in resource.
   */
  printerColumns?: readonly PrinterColumn[];
}

export interface TableOptions {
  includeObject: IncludeObject;
  /** Milliseconds since the epoch: the "now" ages are measured from. */
  now: number;
  /** The list's metadata. When absent and there is one object, its resourceVersion is used (a GET). */
  listMeta?: TableListMeta;
  /** Leave columnDefinitions empty (metav1.TableOptions.NoHeaders; watch events after the first). */
  noHeaders?: boolean;
}

/** A Table request the server cannot satisfy: a bad includeObject or a CRD column that does not parse. */
export class TableError extends Error {
  override readonly name = 'TableError';
}

/**
 * The includeObject query parameter. Absent or empty means Metadata, the apiserver's default.
 * Throws TableError for anything else, which the engine should answer with 400 BadRequest.
 */
export function parseIncludeObject(value: string | null | undefined): IncludeObject {
  if (value === null || value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw new TableError(
    `includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`,
  );
}

const CR_DEFAULT_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/**
 * Problems with a CRD's additionalPrinterColumns, one message per bad column ([] when valid), for the
 * engine to reject the CRD with 422 Invalid as the apiserver does.
 */
export function validatePrinterColumns(columns: readonly PrinterColumn[]): string[] {
  const problems: string[] = [];
  columns.forEach((column, i) => {
    const at = `spec.versions[].additionalPrinterColumns[${i}]`;
    if (typeof column.name !== 'string' || column.name === '') problems.push(`${at}.name: Required value`);
    if (!['integer', 'number', 'string', 'boolean', 'date'].includes(column.type)) {
      problems.push(`${at}.type: Unsupported value: "${String(column.type)}"`);
    }
    try {
      compileJsonPath(column.jsonPath);
    } catch (err) {
      problems.push(`${at}.jsonPath: Invalid value: "${String(column.jsonPath)}": ${(err as Error).message}`);
    }
  });
  return problems;
}

/** A CRD column's value as the apiextensions table convertor renders it; null when absent or mistyped. */
function customCell(type: string, value: unknown, now: number): TableCell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return jsonPathText(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const ms = parseTimestamp(value);
      return ms === 0 ? '<invalid>' : humanDuration(now - ms);
    }
    default:
      return null;
  }
}

function customResourcePrinter(columns: readonly PrinterColumn[]): RowPrinter {
  const effective = columns.length === 0 ? CR_DEFAULT_COLUMNS : columns;
  const compiled: { column: PrinterColumn; path: JsonPath }[] = effective.map((column) => {
    try {
      return { column, path: compileJsonPath(column.jsonPath) };
    } catch (err) {
      if (err instanceof JsonPathError) {
        throw new TableError(`printer column "${column.name}": ${err.message}`);
      }
      throw err;
    }
  });
  const definitions: TableColumnDefinition[] = [
    NAME_COLUMN,
    ...compiled.map(({ column }) => ({
      name: column.name,
      type: column.type,
      format: column.format ?? '',
      description:
        column.description || `Custom resource definition column (in JSONPath format): ${column.jsonPath}`,
      priority: column.priority ?? 0,
    })),
  ];
  return {
    columns: definitions,
    print: (obj, now) => ({
      cells: [
        obj.metadata?.name ?? '',
        ...compiled.map(({ column, path }) => customCell(column.type, path.evaluate(obj)[0], now)),
      ],
    }),
  };
}

/** The convertor for a resource; build it once when printing many tables for the same resource. */
export function tablePrinterFor(input: TableInput): RowPrinter {
  if (input.printerColumns !== undefined) return customResourcePrinter(input.printerColumns);
  return builtinPrinter(input.group, input.resource) ?? DEFAULT_PRINTER;
}

function rowObject(input: TableInput, obj: KubeObject, includeObject: IncludeObject): KubeObject | undefined {
  switch (includeObject) {
    case 'None':
      return undefined;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
    case 'Object': {
      if (obj.apiVersion !== undefined && obj.kind !== undefined) return obj;
      const apiVersion = input.group === '' ? input.version : `${input.group}/${input.version}`;
      return { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? input.kind };
    }
  }
}

/**
 * Render objects as a Table. Objects are only read. Throws TableError when the resource's CRD
 * columns do not parse (validatePrinterColumns catches that at CRD creation).
 */
export function toTable(
  input: TableInput,
  objects: readonly KubeObject[],
  opts: TableOptions,
  printer: RowPrinter = tablePrinterFor(input),
): Table {
  const includeObject = parseIncludeObject(opts.includeObject);
  const rows: TableRow[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const obj = objects[i] as KubeObject;
    const printed = printer.print(obj, opts.now);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions !== undefined) row.conditions = printed.conditions;
    const object = rowObject(input, obj, includeObject);
    if (object !== undefined) row.object = object;
    rows[i] = row;
  }
  let metadata: TableListMeta = {};
  if (opts.listMeta !== undefined) {
    metadata = { ...opts.listMeta };
  } else if (objects.length === 1 && objects[0]?.metadata?.resourceVersion !== undefined) {
    metadata = { resourceVersion: objects[0].metadata.resourceVersion };
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? [] : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
