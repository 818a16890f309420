import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** BatchGetItem's limit of keys per call. */
export const BATCH_GET_KEYS = 100;

/**
 * The items of up to {@link BATCH_GET_KEYS} keys of one table, read consistently; the keys DynamoDB
 * leaves unprocessed (throttled, or a response over 16 MB) are asked for again, with backoff. Missing
 * items are simply absent from the answer.
 */
export async function batchGet(
  client: DynamoDBClient,
  table: string,
  keys: readonly Record<string, AttributeValue>[],
  projection?: { readonly expression: string; readonly names?: Record<string, string> },
): Promise<Record<string, AttributeValue>[]> {
  if (keys.length > BATCH_GET_KEYS) throw new RangeError(`At most ${BATCH_GET_KEYS} keys per batch`);
  const items: Record<string, AttributeValue>[] = [];
  let pending = [...keys];
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    const answer = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [table]: {
            Keys: pending,
            ConsistentRead: true,
            ...(projection === undefined
              ? {}
              : {
                  ProjectionExpression: projection.expression,
                  ...(projection.names === undefined ? {} : { ExpressionAttributeNames: projection.names }),
                }),
          },
        },
      }),
    );
    items.push(...(answer.Responses?.[table] ?? []));
    pending = answer.UnprocessedKeys?.[table]?.Keys ?? [];
  }
  return items;
}
