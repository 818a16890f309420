/**
 * Bilingual messages through zod. A zod issue carries one string, so a `{ zh, en }` text written in a
 * schema travels packed in it (`zodMessage`) and is unpacked by `problemsFromZod`, the one reader of
 * `issue.message`. zod's own messages (a number where a string belongs, say) come in both languages from
 * the parse option `inBothLanguages`, which asks zod's zh-CN and en locales per parse: no global setting,
 * and only those two locales in a Lambda bundle (imported by module path; `zod/locales` would bring all).
 *
 *     const parsed = schema.safeParse(input, inBothLanguages);
 *     if (!parsed.success) throw new ValidationError(problemsFromZod(parsed.error));
 */
import type * as z from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { FieldProblem, LocalText } from '#shared/errors.ts';

const PACKED_PREFIX = '{"zh":';

/** A bilingual text as the message of a zod schema or check: `.min(1, NOT_EMPTY)`. */
export function zodMessage(text: LocalText): string {
  return JSON.stringify({ zh: text.zh, en: text.en });
}

/** The text of an issue message: packed by {@link zodMessage}, or (a schema that forgot) the same in both. */
export function unpackMessage(message: string): LocalText {
  if (message.startsWith(PACKED_PREFIX)) {
    try {
      const text = JSON.parse(message) as Partial<LocalText>;
      if (typeof text.zh === 'string' && typeof text.en === 'string') return { zh: text.zh, en: text.en };
    } catch {
      // Not ours after all: shown as it is.
    }
  }
  return { zh: message, en: message };
}

// The messages many schemas share. Chinese ones stand alone (a form shows them under the field); English
// ones read after the field's name ("investor.uscc is required").
export const REQUIRED = zodMessage({ zh: '必填', en: 'is required' });
export const MUST_BE_TEXT = zodMessage({ zh: '必须是文本', en: 'must be a string' });
export const MUST_BE_BOOLEAN = zodMessage({ zh: '必须是 true 或 false', en: 'must be true or false' });
export const NOT_EMPTY = zodMessage({ zh: '不能为空', en: 'must not be empty' });
export const NO_CONTROL_CHARACTERS = zodMessage({
  zh: '不能包含控制字符',
  en: 'must not contain control characters',
});
export const MUST_BE_MORE_THAN_ZERO = zodMessage({ zh: '必须大于 0', en: 'must be more than 0' });

export function atMostCharacters(max: number): string {
  return zodMessage({ zh: `不能超过 ${max} 个字符`, en: `must be at most ${max} characters` });
}

/** "is required" when the value is missing, `otherwise` when it has the wrong type: for `{ error }`. */
export function requiredOr(otherwise: string) {
  return (issue: { readonly input?: unknown }): string => (issue.input === undefined ? REQUIRED : otherwise);
}

export function oneOf(values: readonly string[]): string {
  return zodMessage({
    zh: `必须是以下之一：${values.join('、')}`,
    en: `must be one of ${values.join(', ')}`,
  });
}

export const UNKNOWN_FIELD: LocalText = { zh: '不是可接受的字段', en: 'is not a known field' };

const zhMessages = zhCN().localeError;
const enMessages = en().localeError;

// zod's zh-CN locale leaves most type names in English ("期望 string"); these are the ones JSON has.
const ZH_TYPE_NAMES: Readonly<Record<string, string>> = {
  string: '文本',
  number: '数字',
  nan: '非数字（NaN）',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  array: '数组',
  null: '空值（null）',
};

function jsonTypeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
}

function zhMessage(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'invalid_type') {
    const expected = ZH_TYPE_NAMES[issue.expected];
    const received = ZH_TYPE_NAMES[jsonTypeOf(issue.input)];
    if (expected !== undefined && received !== undefined)
      return `类型错误：应为${expected}，实际为${received}`;
  }
  return plain(zhMessages(issue));
}

function plain(message: ReturnType<z.core.$ZodErrorMap>): string {
  if (typeof message === 'string') return message;
  return message?.message ?? 'Invalid input';
}

/**
 * Parse option giving zod's own messages in both languages (a schema's own message still wins): a
 * missing value is "required", a wrong JSON type is named in Chinese, every other issue is worded by
 * zod's zh-CN and en locales.
 */
export const inBothLanguages = {
  error: (issue: z.core.$ZodRawIssue): string =>
    issue.code === 'invalid_type' && issue.input === undefined
      ? REQUIRED
      : zodMessage({ zh: zhMessage(issue), en: plain(enMessages(issue)) }),
} as const;

export interface ProblemsFromZodOptions {
  /** Put before every path (`policy` → `policy.rules.0.id`). */
  readonly prefix?: string;
  /** The field of an issue on the whole input (default `(root)`). */
  readonly root?: string;
  /** What an unknown key is called (default {@link UNKNOWN_FIELD}); each key is named on its own. */
  readonly unknownKey?: LocalText;
}

/** Turns zod issues into field problems, one per field and message, unknown keys named individually. */
export function problemsFromZod(error: z.ZodError, options: ProblemsFromZodOptions = {}): FieldProblem[] {
  const { prefix = '', root = '(root)', unknownKey = UNKNOWN_FIELD } = options;
  const problems: FieldProblem[] = [];
  const join = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map((segment) => String(segment))].filter((part) => part !== '').join('.');
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: join([...issue.path, key]), message: unknownKey });
      continue;
    }
    const field = join(issue.path);
    problems.push({ field: field === '' ? root : field, message: unpackMessage(issue.message) });
  }
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field}\u0000${problem.message.en}\u0000${problem.message.zh}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
