/**
 * The `Idempotency-Key` request header of the write routes: 1 to 128 visible ASCII characters (the
 * IETF draft's opaque key). A retry with the same key answers what the first request stored.
 */
import { ValidationError } from '#shared/errors.ts';

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** The key, where a route takes one but does not require it; a malformed key is a 400 naming the header. */
export function optionalIdempotencyKey(headers: Readonly<Record<string, string>>): string | undefined {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError([
      {
        field: 'Idempotency-Key',
        message: { zh: '须为 1 到 128 个可见 ASCII 字符', en: 'must be 1 to 128 visible ASCII characters' },
      },
    ]);
  }
  return key;
}

/** The key of a route that requires one (a lead's submission): missing or malformed is a 400. */
export function requiredIdempotencyKey(headers: Readonly<Record<string, string>>): string {
  const key = headers['idempotency-key'];
  if (key === undefined || !IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError([
      {
        field: 'Idempotency-Key',
        message: {
          zh: '必须提供此请求头：1 至 128 个可见 ASCII 字符',
          en: 'header is required: 1 to 128 visible ASCII characters',
        },
      },
    ]);
  }
  return key;
}
