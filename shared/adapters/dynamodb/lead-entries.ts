import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from 'zod';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { queryAll } from './query-pages.ts';

/**
 * Append-only entries beside their lead in the Leads table (`pk LEAD#<leadId>`, `sk <KIND>#<at>#<id>`): one
 * item per entry, put only if absent and with its audit entry, so an entry is never overwritten and the
 * lead's entries read back oldest first. Evidence and approval sign-offs are kept so (issue 17).
 */
export class LeadEntries<Entry extends { readonly leadId: string }> {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;
  readonly #kind: string;
  readonly #schema: z.ZodType<Entry>;
  readonly #sortKeyOf: (entry: Entry) => string;

  constructor(options: {
    readonly client: DynamoDBClient;
    readonly table: string;
    readonly audit: DynamoAuditTrail;
    /** The sort key's prefix, `EVIDENCE` say. */
    readonly kind: string;
    readonly schema: z.ZodType<Entry>;
    /** What follows `<KIND>#` in an entry's sort key: when, then its id, so entries sort in time. */
    readonly orderOf: (entry: Entry) => string;
  }) {
    this.#client = options.client;
    this.#table = options.table;
    this.#audit = options.audit;
    this.#kind = options.kind;
    this.#schema = options.schema;
    this.#sortKeyOf = (entry) => `${options.kind}#${options.orderOf(entry)}`;
  }

  async of(leadId: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': `${this.#kind}#` }),
      ConsistentRead: true,
    });
    for await (const item of items) {
      const { pk: _pk, sk: _sk, ...stored } = unmarshall(item);
      entries.push(this.#schema.parse(stored));
    }
    return entries;
  }

  async append(entry: Entry, audit: AuditEntryDraft): Promise<void> {
    const key = { pk: `LEAD#${entry.leadId}`, sk: this.#sortKeyOf(entry) };
    await this.#audit.appendWithin(audit, [
      {
        Put: {
          TableName: this.#table,
          Item: marshall({ ...key, ...entry }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }
}
