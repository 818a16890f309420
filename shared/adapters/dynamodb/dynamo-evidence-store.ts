import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { EvidenceStore } from '#shared/ports/evidence.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import { type EvidenceRecord, EvidenceRecordSchema } from '#shared/schemas/evidence.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { queryAll } from './query-pages.ts';

/**
 * Evidence entries beside their lead in the Leads table (`pk LEAD#<id>`, `sk EVIDENCE#<recordedAt>#<id>`):
 * one item per entry, put only if absent, so an entry is never overwritten and they read back in order.
 */
const evidenceKey = (record: EvidenceRecord) => ({
  pk: `LEAD#${record.leadId}`,
  sk: `EVIDENCE#${record.recordedAt}#${record.evidenceId}`,
});

export class DynamoEvidenceStore implements EvidenceStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
  }

  async evidence(leadId: string): Promise<EvidenceRecord[]> {
    const records: EvidenceRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': 'EVIDENCE#' }),
      ConsistentRead: true,
    });
    for await (const item of items) {
      const { pk: _pk, sk: _sk, ...stored } = unmarshall(item);
      records.push(EvidenceRecordSchema.parse(stored));
    }
    return records;
  }

  async recordEvidence(record: EvidenceRecord, audit: AuditEntryDraft): Promise<void> {
    await this.#audit.appendWithin(audit, [
      {
        Put: {
          TableName: this.#table,
          Item: marshall({ ...evidenceKey(record), ...record }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }
}
