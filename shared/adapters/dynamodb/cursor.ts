import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '#shared/errors.ts';

/** Opaque pagination cursors: the DynamoDB key to resume from, base64url-encoded. */
export function encodeCursor(key: Record<string, AttributeValue> | undefined): string | null {
  return key === undefined ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Record<string, AttributeValue> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error('not a key');
    return key as Record<string, AttributeValue>;
  } catch {
    throw new ValidationError([{ field: 'cursor', message: 'Not a cursor returned by this API.' }]);
  }
}
