// metav1.Status bodies as the apiserver writes them, and the one error type the simulated
// cluster throws internally. Every failure inside the core is a SimStatusError; handle() turns it
// into a Status response, so a bug can never leak a raw exception to the transport.
import type { Status } from '../../../src/kube/api/types.ts';

export type { Status };

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An apiserver error: code, reason and message travel as the Status the client will read (TE-01). */
export class SimStatusError extends Error {
  override readonly name = 'SimStatusError';
  readonly status: Status;

  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
  }

  get code(): number {
    return this.status.code ?? 500;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** The qualified resource as the apiserver names it in messages: "pods", "deployments.apps". */
export function qualifiedResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
  metadata: Record<string, string> = {},
): SimStatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details !== undefined) status.details = details;
  return new SimStatusError(status);
}

export function badRequest(message: string): SimStatusError {
  return failure(400, 'BadRequest', message);
}

export function notFound(group: string, resource: string, name: string): SimStatusError {
  return failure(404, 'NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

export function alreadyExists(group: string, resource: string, name: string): SimStatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

export function conflict(group: string, resource: string, name: string, why: string): SimStatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`,
    { name, group, kind: resource },
  );
}

/** One field problem of a 422 Invalid (field.Error in apimachinery). */
export interface FieldProblem {
  /** FieldValueRequired, FieldValueInvalid, FieldValueForbidden, FieldValueNotSupported, … */
  type: string;
  field: string;
  /** Already prefixed the way field.Error.ErrorBody() does, e.g. "Required value". */
  detail: string;
}

/**
 * 422 Invalid, formatted as apierrors.NewInvalid does:
 * `Kind.group "name" is invalid: [field: detail, field: detail]` (brackets only when several).
 */
export function invalid(group: string, kind: string, name: string, problems: FieldProblem[]): SimStatusError {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const parts = problems.map((p) => `${p.field}: ${p.detail}`);
  const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    group,
    kind,
    causes: problems.map((p) => ({ reason: p.type, message: p.detail, field: p.field })),
  });
}

/** 410 Expired as the watch cache and etcd layer send it (TE-06, WS-07). */
export function expired(message: string): SimStatusError {
  return failure(410, 'Expired', message);
}

/** 504 for an RV the server has not reached yet (TE-07: the cause type is what clients test). */
export function resourceVersionTooLarge(requested: string, current: string): SimStatusError {
  return failure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [
      {
        reason: 'ResourceVersionTooLarge',
        message: `Too large resource version: ${requested}, current: ${current}`,
      },
    ],
    retryAfterSeconds: 1,
  });
}

export function methodNotAllowed(method: string): SimStatusError {
  return failure(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}

export function unsupportedMediaType(contentType: string, supported: string[]): SimStatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')} (got ${contentType || 'no Content-Type'})`,
  );
}

export function internalError(message: string): SimStatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** Turn anything thrown inside the core into a Status; unknown throws become 500s, never crashes. */
export function toStatusError(err: unknown): SimStatusError {
  if (err instanceof SimStatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message);
}
