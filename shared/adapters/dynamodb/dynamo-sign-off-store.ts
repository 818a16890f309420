import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SignOffStore } from '#shared/ports/sign-offs.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import { type SignOffRecord, SignOffRecordSchema } from '#shared/schemas/sign-off.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { queryAll } from './query-pages.ts';

/**
 * Sign-offs beside their lead in the Leads table (`pk LEAD#<id>`, `sk SIGNOFF#<signedAt>#<id>`): one item
 * per entry, put only if absent, so a sign-off is never overwritten and they read back in order.
 */
const signOffKey = (record: SignOffRecord) => ({
  pk: `LEAD#${record.leadId}`,
  sk: `SIGNOFF#${record.signedAt}#${record.signOffId}`,
});

export class DynamoSignOffStore implements SignOffStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
  }

  async signOffs(leadId: string): Promise<SignOffRecord[]> {
    const records: SignOffRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': 'SIGNOFF#' }),
      ConsistentRead: true,
    });
    for await (const item of items) {
      const { pk: _pk, sk: _sk, ...stored } = unmarshall(item);
      records.push(SignOffRecordSchema.parse(stored));
    }
    return records;
  }

  async recordSignOff(record: SignOffRecord, audit: AuditEntryDraft): Promise<void> {
    await this.#audit.appendWithin(audit, [
      {
        Put: {
          TableName: this.#table,
          Item: marshall({ ...signOffKey(record), ...record }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }
}
