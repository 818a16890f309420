/**
 * Query-string parameters shared by the list routes: instants, page sizes and cursors. Pure: the
 * handlers pass `event.queryStringParameters`, the use cases get checked values or a
 * {@link ValidationError} naming each bad parameter.
 */
import * as z from 'zod';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { type LocalText, ValidationError } from '#shared/errors.ts';
import { inBothLanguages, problemsFromZod, zodMessage } from '#shared/schemas/zod-text.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const SHANGHAI_OFFSET = '+08:00';

/**
 * An instant as ISO 8601 with an offset (`2019-06-01T08:00:00+08:00`) or a calendar date
 * (`2019-06-01`), read as a day in Asia/Shanghai: the start of that day for `from`, its last
 * millisecond for `to`. Returned as a UTC ISO string, the form the stores compare against.
 */
export function instantParam(edge: 'start' | 'end') {
  return z
    .string()
    .trim()
    .refine(
      (value) => DATE_ONLY.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success,
      zodMessage({
        zh: '必须是日期（YYYY-MM-DD，按北京时间）或带时区偏移的 ISO 8601 时间',
        en: 'must be a date (YYYY-MM-DD, Asia/Shanghai) or an ISO 8601 instant with an offset',
      }),
    )
    .transform((value, ctx) => {
      const instant = DATE_ONLY.test(value)
        ? new Date(`${value}T00:00:00.000${SHANGHAI_OFFSET}`)
        : new Date(value);
      if (Number.isNaN(instant.getTime()) || (DATE_ONLY.test(value) && !isRealDate(value))) {
        ctx.addIssue({
          code: 'custom',
          message: zodMessage({ zh: '不是有效日期', en: 'is not a real date' }),
        });
        return z.NEVER;
      }
      const at =
        DATE_ONLY.test(value) && edge === 'end' ? instant.getTime() + 86_400_000 - 1 : instant.getTime();
      return new Date(at).toISOString();
    });
}

function isRealDate(yyyyMmDd: string): boolean {
  const date = new Date(`${yyyyMmDd}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === yyyyMmDd;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const limitParam = z
  .string()
  .regex(
    /^\d{1,3}$/,
    zodMessage({
      zh: `必须是 1 到 ${MAX_PAGE_SIZE} 之间的整数`,
      en: `must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
    }),
  )
  .transform(Number)
  .refine(
    (limit) => limit >= 1 && limit <= MAX_PAGE_SIZE,
    zodMessage({ zh: `必须在 1 到 ${MAX_PAGE_SIZE} 之间`, en: `must be from 1 to ${MAX_PAGE_SIZE}` }),
  )
  .default(DEFAULT_PAGE_SIZE);

export const cursorParam = z
  .string()
  .min(1)
  .max(4096, zodMessage({ zh: '过长，不是本接口返回的游标', en: 'is too long to be a cursor of this API' }));

/** Parses query parameters, naming every bad one (unknown parameters are refused too). */
export function parseQuery<TSchema extends z.ZodType>(
  schema: TSchema,
  query: Readonly<Record<string, string>>,
): z.output<TSchema> {
  // `?sector=` says nothing: an empty parameter is the same as an absent one.
  const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(given, inBothLanguages);
  if (parsed.success) return parsed.data;
  const problems = problemsFromZod(parsed.error, {
    root: '(query)',
    unknownKey: { zh: '不是可接受的查询参数', en: 'is not a known query parameter' },
  });
  throw new ValidationError(problems, { zh: '查询参数有误：', en: 'The query has invalid parameters:' });
}

/** Refuses a range whose start is after its end, naming `from`. */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError([
      { field: 'from', message: { zh: '不能晚于 to（结束时间）', en: 'must not be after `to`' } },
    ]);
  }
}

/**
 * Cursors handed to clients wrap the store's cursor with a fingerprint of the filters it was made
 * for, so a cursor cannot be replayed against another query (another sector's partition, say).
 */
export function wrapCursor(
  storeCursor: string | null,
  filters: Readonly<Record<string, unknown>>,
): string | null {
  if (storeCursor === null) return null;
  const payload = JSON.stringify({ f: fingerprint(filters), c: storeCursor });
  return Buffer.from(payload, 'utf8').toString('base64url');
}

const NOT_OUR_CURSOR: LocalText = {
  zh: '不是本接口返回的游标。',
  en: 'Not a cursor returned by this API.',
};

/** What {@link wrapCursor} hands out; the store's own cursor inside is checked by the store. */
const WrappedCursorSchema = z.object({ f: z.string(), c: z.string().min(1) }).strict();

export function unwrapCursor(
  cursor: string | undefined,
  filters: Readonly<Record<string, unknown>>,
): string | undefined {
  if (cursor === undefined) return undefined;
  const refuse = (message: LocalText) => new ValidationError([{ field: 'cursor', message }]);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse(NOT_OUR_CURSOR);
  }
  const wrapped = WrappedCursorSchema.safeParse(payload);
  if (!wrapped.success) throw refuse(NOT_OUR_CURSOR);
  // The fingerprint is not a signature (a client can compute it): it catches a cursor reused by mistake.
  if (wrapped.data.f !== fingerprint(filters)) {
    throw refuse({
      zh: '该游标属于筛选条件不同的另一次查询。',
      en: 'This cursor belongs to a query with other filters.',
    });
  }
  return wrapped.data.c;
}

function fingerprint(filters: Readonly<Record<string, unknown>>): string {
  const defined = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
  return hashCanonical(defined).slice(0, 16);
}
