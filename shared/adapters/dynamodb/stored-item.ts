import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * A stored item as its record: the table's and indexes' key attributes (which the store derives from the
 * record when it writes) are dropped before the schema parses what is left.
 */
export function recordOf<T>(
  item: Record<string, AttributeValue>,
  schema: { parse: (value: unknown) => T },
  keyAttributes: readonly string[],
): T {
  const stored = unmarshall(item);
  for (const key of keyAttributes) delete stored[key];
  return schema.parse(stored);
}
