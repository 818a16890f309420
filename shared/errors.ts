/**
 * Typed errors of the use cases. They say what went wrong in the domain's words, in both languages the
 * API speaks; the HTTP status and the caller's language are chosen in one place
 * (`shared/middleware/problem-json.ts`), never here.
 *
 * Why every text is a `{ zh, en }` pair written where the error is made (rather than a message code and a
 * catalogue elsewhere): the reader of a refusal sees both wordings beside the rule that refuses, with
 * the values they name (lead id, revision, amounts) interpolated in plain template strings; nothing can
 * be missing a translation, since the type asks for both; and rendering is a field pick at the edge
 * (`textIn`). zod issues carry one string, so schemas pack the pair (`zodMessage`, shared/schemas/zod-text.ts).
 * Chinese is what the users read first (the default language); English is for the vendors and the logs.
 * No text ever holds a resident ID.
 */

/** A user-facing text in both languages of the API. */
export interface LocalText {
  readonly zh: string;
  readonly en: string;
}

/** The languages the API answers in (`Content-Language`); the first is the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export function textIn(text: LocalText, language: Language): string {
  return language === 'en' ? text.en : text.zh;
}

export interface FieldProblem {
  /** Dotted path of the field, e.g. `introducer.residentId`; `(root)` for the body as a whole. */
  readonly field: string;
  readonly message: LocalText;
}

/** An error whose text is shown to the caller; `message` is its English text, for logs and stack traces. */
abstract class UserFacingError extends Error {
  readonly text: LocalText;
  constructor(text: LocalText) {
    super(text.en);
    this.text = text;
  }
}

export class ValidationError extends UserFacingError {
  override readonly name = 'ValidationError';
  readonly problems: readonly FieldProblem[];
  constructor(
    problems: readonly FieldProblem[],
    text: LocalText = { zh: '请求中有字段不符合要求：', en: 'The request has invalid fields:' },
  ) {
    super(text);
    this.problems = problems;
  }
}

export class MalformedBodyError extends UserFacingError {
  override readonly name = 'MalformedBodyError';
}

export class PayloadTooLargeError extends UserFacingError {
  override readonly name = 'PayloadTooLargeError';
}

export class UnsupportedMediaTypeError extends UserFacingError {
  override readonly name = 'UnsupportedMediaTypeError';
}

export class UnauthenticatedError extends UserFacingError {
  override readonly name = 'UnauthenticatedError';
}

/** A refused row of an uploaded sheet: its row number, the status it would have had alone, its errors. */
export interface RowProblem {
  readonly row: number;
  readonly status: number;
  /** `column`: the sheet's header text; `field`: the lead field path. */
  readonly errors: readonly (FieldProblem & { readonly column: string })[];
}

/**
 * The request is well-formed but cannot be taken as it is (422): an uploaded file that is encrypted or
 * lacks its columns, an import with no valid row, or one refused whole (`rows`: each refused row).
 */
export class UnprocessableContentError extends UserFacingError {
  override readonly name = 'UnprocessableContentError';
  readonly problems: readonly FieldProblem[];
  readonly rows: readonly RowProblem[] | undefined;
  constructor(text: LocalText, problems: readonly FieldProblem[] = [], rows?: readonly RowProblem[]) {
    super(text);
    this.problems = problems;
    this.rows = rows;
  }
}

export class ForbiddenError extends UserFacingError {
  override readonly name = 'ForbiddenError';
  /** Which rule refused, when one does (maker-checker at approval: the problem's `code`). */
  readonly code: string | undefined;
  constructor(text: LocalText, code?: string) {
    super(text);
    this.code = code;
  }
}

export class NotFoundError extends UserFacingError {
  override readonly name = 'NotFoundError';
}

/** The request clashes with the current state (idempotency key reused with another body, paid twice…). */
export class ConflictError extends UserFacingError {
  override readonly name: string = 'ConflictError';
  readonly code: string;
  /** When something must be recorded first: the machine names of what is missing (the problem's `missing`). */
  readonly missing: readonly string[] | undefined;
  constructor(code: string, text: LocalText, missing?: readonly string[]) {
    super(text);
    this.code = code;
    this.missing = missing;
  }
}

/** A duplicate project (撞单) asked for money: a project earns one reward and one fund share, ever. */
export class DuplicateProjectError extends ConflictError {
  override readonly name = 'DuplicateProjectError';
  constructor(text: LocalText) {
    super('duplicate_project', text);
  }
}
