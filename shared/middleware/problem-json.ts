import type { Language, LocalText, RowProblem } from '#shared/errors.ts';
import {
  ConflictError,
  DuplicateProjectError,
  ForbiddenError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  textIn,
  UnauthenticatedError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors.ts';

/** A bad field as the caller reads it: the dotted path, and the message in the answer's language. */
export interface ProblemField {
  readonly field: string;
  readonly message: string;
}

/** An RFC 9457 problem details document; `errors` names every bad field. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code?: string;
  readonly errors?: readonly ProblemField[];
  /** A conflict whose cause is something not yet on record: the machine names of what is missing. */
  readonly missing?: readonly string[];
  /** An import refused whole: each refused row with its errors (shared/use-cases/import-leads.ts). */
  readonly rows?: readonly LocalRowProblem[];
}

/** A refused row as the caller reads it. */
export interface LocalRowProblem {
  readonly row: number;
  readonly status: number;
  readonly errors: readonly (ProblemField & { readonly column: string })[];
}

export function localRow(row: RowProblem, language: Language): LocalRowProblem {
  return {
    row: row.row,
    status: row.status,
    errors: row.errors.map(({ column, field, message }) => ({
      column,
      field,
      message: textIn(message, language),
    })),
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES = {
  validation: { zh: '请求参数有误', en: 'Invalid request' },
  'malformed-body': { zh: '请求体格式错误', en: 'Malformed body' },
  unauthenticated: { zh: '身份未认证', en: 'Unauthenticated' },
  forbidden: { zh: '无权操作', en: 'Forbidden' },
  'not-found': { zh: '未找到', en: 'Not found' },
  'duplicate-project': { zh: '重复项目（撞单）', en: 'Duplicate project' },
  conflict: { zh: '与当前状态冲突', en: 'Conflict' },
  'payload-too-large': { zh: '请求体过大', en: 'Payload too large' },
  'unsupported-media-type': { zh: '不支持的媒体类型', en: 'Unsupported media type' },
  unprocessable: { zh: '无法处理的内容', en: 'Unprocessable content' },
  internal: { zh: '服务器内部错误', en: 'Internal error' },
} as const satisfies Record<string, LocalText>;

type Slug = keyof typeof TITLES;

/**
 * The one place where an error becomes an HTTP status, in the caller's language (titles, details and
 * every field message). Unknown errors are 500 and say nothing inside.
 */
export function problemOf(error: unknown, language: Language): Problem {
  const problem = (slug: Slug, status: number, detail: LocalText): Problem => ({
    type: `/problems/${slug}`,
    title: textIn(TITLES[slug], language),
    status,
    detail: textIn(detail, language),
  });
  if (error instanceof ValidationError) {
    const fields = error.problems.map((field) => field.field || 'body');
    return {
      ...problem('validation', 400, {
        zh: `${error.text.zh}${fields.join('、')}`,
        en: `${error.text.en} ${fields.join(', ')}`,
      }),
      errors: error.problems.map(({ field, message }) => ({ field, message: textIn(message, language) })),
    };
  }
  if (error instanceof MalformedBodyError) return problem('malformed-body', 400, error.text);
  if (error instanceof UnauthenticatedError) return problem('unauthenticated', 401, error.text);
  if (error instanceof ForbiddenError) {
    return {
      ...problem('forbidden', 403, error.text),
      ...(error.code === undefined ? {} : { code: error.code }),
    };
  }
  if (error instanceof NotFoundError) return problem('not-found', 404, error.text);
  if (error instanceof DuplicateProjectError) {
    return { ...problem('duplicate-project', 409, error.text), code: error.code };
  }
  if (error instanceof ConflictError) {
    const missing = error.missing === undefined ? {} : { missing: [...error.missing] };
    return { ...problem('conflict', 409, error.text), code: error.code, ...missing };
  }
  if (error instanceof PayloadTooLargeError) return problem('payload-too-large', 413, error.text);
  if (error instanceof UnsupportedMediaTypeError) return problem('unsupported-media-type', 415, error.text);
  if (error instanceof UnprocessableContentError) {
    return {
      ...problem('unprocessable', 422, error.text),
      ...(error.problems.length === 0
        ? {}
        : {
            errors: error.problems.map(({ field, message }) => ({
              field,
              message: textIn(message, language),
            })),
          }),
      ...(error.rows === undefined ? {} : { rows: error.rows.map((row) => localRow(row, language)) }),
    };
  }
  return problem('internal', 500, {
    zh: '请求未能完成，已记录在案；使用相同的 Idempotency-Key 重试是安全的。',
    en: 'The request could not be completed. It has been logged; retrying with the same Idempotency-Key is safe.',
  });
}
