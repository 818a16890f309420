import {
  type AttributeValue,
  type DynamoDBClient,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/** Every item a query matches, page after page (the SDK's paginator), as the pages come. */
export async function* queryAll(client: DynamoDBClient, input: QueryCommandInput): AsyncIterable<Item> {
  for await (const page of paginateQuery({ client }, input)) yield* page.Items ?? [];
}

/**
 * Up to `limit` items from `input.ExclusiveStartKey` on, and the key to resume from (undefined when the
 * results end): the page and cursor of a paged API. A filter or a short page can answer fewer items than
 * asked, so it reads on; each read asks only for what is still missing, so resuming never skips an item.
 */
export async function queryUpTo(
  client: DynamoDBClient,
  input: QueryCommandInput,
  limit: number,
): Promise<{ items: Item[]; lastKey: Item | undefined }> {
  const items: Item[] = [];
  let lastKey = input.ExclusiveStartKey;
  do {
    const page = await client.send(
      new QueryCommand({ ...input, ExclusiveStartKey: lastKey, Limit: limit - items.length }),
    );
    items.push(...(page.Items ?? []));
    lastKey = page.LastEvaluatedKey;
  } while (lastKey !== undefined && items.length < limit);
  return { items, lastKey };
}
