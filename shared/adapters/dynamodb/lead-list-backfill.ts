import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ALL_LEADS_PARTITION } from './dynamo-lead-store.ts';

export interface LeadListBackfill {
  /** Lead items read without the index keys. */
  readonly found: number;
  /** Of those, given the keys now (a lead deleted meanwhile is skipped). */
  readonly updated: number;
}

/**
 * Gives every lead item stored before the `newestFirst` index (infra/resources.ts, issue 18 part 4) its
 * keys, so `GET /leads` without filters lists it: gsi4pk = LEADS, gsi4sk = <submittedAt>#<leadId>, exactly
 * what the store writes with every new lead. One scan of the table (lead items without gsi4pk), one update
 * per lead found; safe to run again, and while the pipeline runs (a lead put meanwhile carries the same
 * keys already). `npm run cli -- backfill-lead-list`.
 */
export async function backfillLeadList(client: DynamoDBClient, table: string): Promise<LeadListBackfill> {
  let found = 0;
  let updated = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'sk = :lead AND attribute_not_exists(gsi4pk)',
        ProjectionExpression: 'pk, sk, leadId, submittedAt',
        ExpressionAttributeValues: marshall({ ':lead': 'LEAD' }),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const leadId = item.leadId?.S;
      const submittedAt = item.submittedAt?.S;
      if (leadId === undefined || submittedAt === undefined || item.pk === undefined) continue;
      found += 1;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: item.pk, sk: { S: 'LEAD' } },
            UpdateExpression: 'SET gsi4pk = :partition, gsi4sk = :order',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: marshall({
              ':partition': ALL_LEADS_PARTITION,
              ':order': `${submittedAt}#${leadId}`,
            }),
          }),
        );
        updated += 1;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { found, updated };
}
