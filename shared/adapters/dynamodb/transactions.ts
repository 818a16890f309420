import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  type DynamoDBClient,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';

/** Which items of a cancelled transaction failed their condition (indexes into the item list). */
export class TransactionConditionFailedError extends Error {
  override readonly name = 'TransactionConditionFailedError';
  readonly failedIndexes: readonly number[];
  constructor(failedIndexes: readonly number[]) {
    super(`Transaction cancelled: condition failed on item(s) ${failedIndexes.join(', ')}`);
    this.failedIndexes = failedIndexes;
  }
}

const MAX_CONFLICT_RETRIES = 8;

/**
 * Runs TransactWriteItems. A condition failure is a business answer (thrown as
 * {@link TransactionConditionFailedError} naming the items); a conflict with another transaction is
 * retried with jittered backoff, since the SDK does not retry cancellations itself.
 */
export async function transactWrite(client: DynamoDBClient, items: TransactWriteItem[]): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.flatMap((reason, index) =>
        reason.Code === 'ConditionalCheckFailed' ? [index] : [],
      );
      if (failed.length > 0) throw new TransactionConditionFailedError(failed);
      const conflicted = reasons.some(
        (reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError',
      );
      if (!conflicted || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}

/** Full jitter: a random wait up to 20 ms × 2^attempt, capped at 1 s. */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(1000, 20 * 2 ** attempt);
}

/**
 * Whether an audited transaction was written: false when one of its conditions failed (the business
 * answer "somebody moved it first"), any other error thrown.
 */
export async function writtenUnlessRefused(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof TransactionConditionFailedError) return false;
    throw error;
  }
}

/**
 * The put of a record moved on only from the version read (`before` undefined: created only if absent):
 * the optimistic lock of the counters and records that concurrent writers race for.
 */
export function versionedPut(
  table: string,
  item: Record<string, AttributeValue>,
  before: { readonly version: number } | undefined,
): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: item,
      ConditionExpression: before === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
      ...(before === undefined
        ? {}
        : { ExpressionAttributeValues: { ':version': { N: String(before.version) } } }),
    },
  };
}
