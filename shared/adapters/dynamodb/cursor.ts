import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { type TableId, tables } from '#infra/resources.ts';
import { ValidationError } from '#shared/errors.ts';

/**
 * Opaque pagination cursors: the DynamoDB key to resume from, base64url-encoded. A client can send any
 * text as a cursor, so a decoded key is checked against the query it is for before DynamoDB sees it: a
 * key DynamoDB would refuse (another index's attributes, a value too long for a key, a position outside
 * the query's partition or range) is the client's error, 400, never a failed query.
 */
export function encodeCursor(key: Record<string, AttributeValue> | undefined): string | null {
  return key === undefined ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor into the key to resume from, if it fits `schema` (see {@link resumeKeySchema}). */
export function decodeCursor(
  cursor: string | undefined,
  schema: z.ZodType,
): Record<string, AttributeValue> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notACursor();
  }
  if (!schema.safeParse(key).success) throw notACursor();
  return key as Record<string, AttributeValue>;
}

function notACursor(): ValidationError {
  return new ValidationError([
    {
      field: 'cursor',
      message: {
        zh: '不是本接口为此查询返回的游标。',
        en: 'Not a cursor returned by this API for this query.',
      },
    },
  ]);
}

/** DynamoDB's limit on a sort key value (a partition key may take 2048 bytes; ours never need 1024). */
const MAX_KEY_BYTES = 1024;

const keyText = z
  .string()
  .min(1)
  .refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_KEY_BYTES);
const keyNumber = z.string().regex(/^(0|[1-9]\d{0,14})$/);

type KeyType = 'S' | 'N';

/** The key attributes of a table, or of one of its indexes (whose keys add to the table's), by type. */
export function keyAttributesOf(tableId: TableId, indexName?: string): Readonly<Record<string, KeyType>> {
  const table = tables.find((candidate) => candidate.id === tableId);
  if (table === undefined) throw new Error(`No table ${tableId} in infra/resources.ts`);
  const keys = [table.partitionKey, table.sortKey];
  if (indexName !== undefined) {
    const index = table.globalIndexes.find((candidate) => candidate.name === indexName);
    if (index === undefined) throw new Error(`No index ${indexName} on ${tableId} in infra/resources.ts`);
    keys.push(index.partitionKey, index.sortKey);
  }
  return Object.fromEntries(keys.flatMap((key) => (key === undefined ? [] : [[key.name, key.type]])));
}

/**
 * The shape of a key that resumes a query on `tableId` (through `indexName`): exactly the attributes of
 * that index's key (infra/resources.ts), each a string or number attribute value of key size, and those
 * in `values` also as the query requires (its partition, the range of its sort key condition).
 */
export function resumeKeySchema(
  tableId: TableId,
  indexName: string | undefined,
  values: Readonly<Record<string, z.ZodType<string, string>>> = {},
): z.ZodType {
  const attributes = Object.entries(keyAttributesOf(tableId, indexName)).map(([name, type]) => {
    const text = type === 'N' ? keyNumber : keyText;
    const required = values[name];
    return [
      name,
      z.object({ [type]: required === undefined ? text : text.pipe(required) }).strict(),
    ] as const;
  });
  const unknown = Object.keys(values).filter((name) => !attributes.some(([attribute]) => attribute === name));
  if (unknown.length > 0) throw new Error(`${unknown.join(', ')}: not key attributes of ${tableId}`);
  return z.object(Object.fromEntries(attributes)).strict();
}

/** A key value the query fixes (its partition). */
export const exactly = (value: string): z.ZodType<string, string> => z.literal(value);

/** A key value inside the bounds of the query's BETWEEN condition, inclusive. */
export const between = (from: string, to: string): z.ZodType<string, string> =>
  z.string().refine((value) => value >= from && value <= to);
