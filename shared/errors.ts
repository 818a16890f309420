/**
 * Typed errors of the use cases. They say what went wrong in the domain's words; the HTTP status is
 * chosen in one place (`shared/middleware/problem-json.ts`), never here.
 */

export interface FieldProblem {
  /** Dotted path of the field, e.g. `introducer.residentId`; `(root)` for the body as a whole. */
  readonly field: string;
  readonly message: string;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[], message = 'The request has invalid fields.') {
    super(message);
    this.problems = problems;
  }
}

export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
}

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}

export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The request clashes with the current state (idempotency key reused with another body, paid twice…). */
export class ConflictError extends Error {
  override readonly name: string = 'ConflictError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A duplicate project (撞单) asked for money: a project earns one reward and one fund share, ever. */
export class DuplicateProjectError extends ConflictError {
  override readonly name = 'DuplicateProjectError';
  constructor(message: string) {
    super('duplicate_project', message);
  }
}
