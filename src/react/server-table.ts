// meta.k8s.io/v1 Table, the server-side printing kubectl uses (its columns, CRD printer columns),
// and the row objects our informers hold. Design decision (see app/providers.tsx): each live table
// runs an informer whose ListerWatcher asks for Table output, so every row carries the server's
// cells and its object, keyed like the object itself (IX-01). The object is PartialObjectMetadata
// for list views and the full object only where a view reads it (row-object-level.ts).
import type { KubeObject, ListMeta, ObjectMeta } from '../kube/api/types.ts';

/** The Accept header that asks the apiserver for Table output, falling back to plain JSON. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  /** 0 = shown by default; > 0 = only in wide output (kubectl -o wide). */
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata?: ListMeta;
  columnDefinitions?: TableColumnDefinition[];
  rows?: TableRow[];
}

/**
 * One row as an informer item: it has the object's metadata (so key functions and the owner-UID
 * index work unchanged), the server's cells, and the row's object. Read-only, like every cached
 * object. For metadata-only rows `object` is `{ metadata }` and kind/apiVersion are absent (the
 * server's PartialObjectMetadata names its own kind, not the resource's).
 */
export interface RowObject extends KubeObject {
  metadata: ObjectMeta;
  cells: readonly unknown[];
  object: KubeObject;
}

const PARTIAL_KINDS = new Set(['PartialObjectMetadata']);

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Table';
}

/** Rows without an object (includeObject not honoured) or without a name are dropped: they cannot be keyed. */
export function rowObjectsOf(table: Table): RowObject[] {
  const out: RowObject[] = [];
  for (const row of table.rows ?? []) {
    const row0 = rowObjectOf(row);
    if (row0) out.push(row0);
  }
  return out;
}

export function rowObjectOf(row: TableRow): RowObject | undefined {
  const object = row.object;
  const full = object?.metadata;
  if (!object || !full?.name) return undefined;
  const cells = Array.isArray(row.cells) ? row.cells : [];
  if (object.kind !== undefined && PARTIAL_KINDS.has(object.kind)) {
    // managedFields (often half of a real object's metadata) are never drawn from a row; the
    // details panel reads them from its own full object.
    let metadata = full;
    if (full.managedFields !== undefined) {
      const { managedFields: _dropped, ...rest } = full;
      metadata = rest;
    }
    return { metadata, cells, object: { metadata } };
  }
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: full, cells, object };
}

/** Text for one cell as kubectl prints it: missing values are "<none>"-like blanks. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Columns shown by default (priority 0), keeping their original index for cell lookup. */
export function visibleColumns(
  columns: readonly TableColumnDefinition[],
  wide = false,
): { def: TableColumnDefinition; index: number }[] {
  return columns.map((def, index) => ({ def, index })).filter(({ def }) => wide || (def.priority ?? 0) === 0);
}
