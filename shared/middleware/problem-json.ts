import type { FieldProblem } from '#shared/errors.ts';
import {
  ConflictError,
  DuplicateProjectError,
  ForbiddenError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors.ts';

/** An RFC 9457 problem details document; `errors` names every bad field. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code?: string;
  readonly errors?: readonly FieldProblem[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one place where an error becomes an HTTP status. Unknown errors are 500 and say nothing inside. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ValidationError) {
    return {
      type: '/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: `${error.message} ${error.problems.map((problem) => problem.field || 'body').join(', ')}`,
      errors: error.problems,
    };
  }
  if (error instanceof MalformedBodyError) return simple('malformed-body', 'Malformed body', 400, error);
  if (error instanceof UnauthenticatedError) return simple('unauthenticated', 'Unauthenticated', 401, error);
  if (error instanceof ForbiddenError) return simple('forbidden', 'Forbidden', 403, error);
  if (error instanceof NotFoundError) return simple('not-found', 'Not found', 404, error);
  if (error instanceof DuplicateProjectError) {
    return { ...simple('duplicate-project', 'Duplicate project', 409, error), code: error.code };
  }
  if (error instanceof ConflictError)
    return { ...simple('conflict', 'Conflict', 409, error), code: error.code };
  if (error instanceof PayloadTooLargeError)
    return simple('payload-too-large', 'Payload too large', 413, error);
  if (error instanceof UnsupportedMediaTypeError) {
    return simple('unsupported-media-type', 'Unsupported media type', 415, error);
  }
  return {
    type: '/problems/internal',
    title: 'Internal error',
    status: 500,
    detail:
      'The request could not be completed. It has been logged; retrying with the same Idempotency-Key is safe.',
  };
}

function simple(slug: string, title: string, status: number, error: Error): Problem {
  return { type: `/problems/${slug}`, title, status, detail: error.message };
}
