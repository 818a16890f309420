import { type DynamoDBClient, GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ClawbackMove, ClawbackStore, OffsetSettlement, TotalsMove } from '#shared/ports/clawbacks.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import {
  type ClawbackRecord,
  ClawbackRecordSchema,
  type OpenOffset,
  OpenOffsetSchema,
  type RecoveryTotals,
  RecoveryTotalsSchema,
} from '#shared/schemas/clawback.ts';
import { BATCH_GET_KEYS, batchGet } from './batch-get.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { fundTopUpItem } from './dynamo-fund-store.ts';
import { queryAll } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { versionedPut, writtenUnlessRefused } from './transactions.ts';

/**
 * Clawbacks (issue 17, part 6) in the Leads table:
 * - `LEAD#<id>` / `CLAWBACK#<clawbackId>`: each clawback, put once when proposed, moved on only from the
 *   state and received amount read (never edited otherwise; the payment it reverses is never touched);
 * - `LEAD#<id>` / `RECOVERY`: the lead's totals, moved under a condition on `version` with every proposal
 *   and decision, so concurrent proposals never claim more than was paid;
 * - `OFFSET#<introducer key>` / `CLAWBACK#<clawbackId>`: an approved offset still to deduct, under the
 *   introducer's keyed pseudonym (never the identifier itself), moved down by each payment that deducts it.
 * Recovered money goes back to the fund (a top-up of the Funds table's balance) in the same transaction.
 */
const clawbackKey = (leadId: string, clawbackId: string) => ({
  pk: `LEAD#${leadId}`,
  sk: `CLAWBACK#${clawbackId}`,
});
const totalsKey = (leadId: string, rewardId?: string) => ({
  pk: `LEAD#${leadId}`,
  sk: rewardId === undefined ? 'RECOVERY' : `RECOVERY#${rewardId}`,
});
const offsetKey = (introducerKey: string, clawbackId: string) => ({
  pk: `OFFSET#${introducerKey}`,
  sk: `CLAWBACK#${clawbackId}`,
});

export class DynamoClawbackStore implements ClawbackStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #fundsTable: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, fundsTable: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#fundsTable = fundsTable;
    this.#audit = audit;
  }

  async clawbacks(leadId: string): Promise<ClawbackRecord[]> {
    const records: ClawbackRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': 'CLAWBACK#' }),
      ConsistentRead: true,
    });
    for await (const item of items) records.push(recordOf(item, ClawbackRecordSchema, ['pk', 'sk']));
    return records.sort(
      (a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.clawbackId.localeCompare(b.clawbackId),
    );
  }

  async totals(leadId: string, rewardId?: string): Promise<RecoveryTotals | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall(totalsKey(leadId, rewardId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : recordOf(Item, RecoveryTotalsSchema, ['pk', 'sk']);
  }

  async totalsOf(leadIds: readonly string[]): Promise<ReadonlyMap<string, RecoveryTotals>> {
    const totals = new Map<string, RecoveryTotals>();
    const ids = [...new Set(leadIds)];
    for (let start = 0; start < ids.length; start += BATCH_GET_KEYS) {
      const keys = ids.slice(start, start + BATCH_GET_KEYS).map((id) => marshall(totalsKey(id)));
      for (const item of await batchGet(this.#client, this.#table, keys)) {
        const record = recordOf(item, RecoveryTotalsSchema, ['pk', 'sk']);
        totals.set(record.leadId, record);
      }
    }
    return totals;
  }

  async propose(record: ClawbackRecord, totals: TotalsMove, audit: AuditEntryDraft) {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.#table,
          Item: marshall({ ...clawbackKey(record.leadId, record.clawbackId), ...record }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.#moveTotals(totals),
    ];
    return (await this.#write(audit, items)) ? ('proposed' as const) : ('conflict' as const);
  }

  async decide(
    move: ClawbackMove,
    totals: TotalsMove,
    offsetFor: { readonly introducerKey: string; readonly offset: OpenOffset } | undefined,
    audit: AuditEntryDraft,
  ) {
    const items = [this.#moveClawback(move), this.#moveTotals(totals)];
    if (offsetFor !== undefined) {
      items.push({
        Put: {
          TableName: this.#table,
          Item: marshall({
            ...offsetKey(offsetFor.introducerKey, offsetFor.offset.clawbackId),
            ...offsetFor.offset,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    return (await this.#write(audit, items)) ? ('decided' as const) : ('conflict' as const);
  }

  async receiveRefund(move: ClawbackMove, audit: AuditEntryDraft) {
    const { after } = move;
    const items = [
      this.#moveClawback(move),
      fundTopUpItem(
        this.#fundsTable,
        after.fundId,
        after.receivedFen - move.before.receivedFen,
        after.refund?.recordedAt ?? '',
      ),
    ];
    return (await this.#write(audit, items)) ? ('received' as const) : ('conflict' as const);
  }

  async openOffsets(introducerKey: string): Promise<OpenOffset[]> {
    const offsets: OpenOffset[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'remainingFen > :zero',
      ExpressionAttributeValues: marshall({ ':pk': `OFFSET#${introducerKey}`, ':zero': 0 }),
      ConsistentRead: true,
    });
    for await (const item of items) offsets.push(recordOf(item, OpenOffsetSchema, ['pk', 'sk']));
    return offsets;
  }

  #moveClawback(move: ClawbackMove): TransactWriteItem {
    return moveClawbackItem(this.#table, move);
  }

  #moveTotals({ before, after }: TotalsMove): TransactWriteItem {
    return versionedPut(
      this.#table,
      marshall({ ...totalsKey(after.leadId, after.rewardId), ...after }),
      before,
    );
  }

  #write(audit: AuditEntryDraft, items: TransactWriteItem[]): Promise<boolean> {
    return writtenUnlessRefused(() => this.#audit.appendWithin(audit, items));
  }
}

/** A clawback moved on only from exactly the state and received amount read. */
function moveClawbackItem(table: string, { before, after }: ClawbackMove): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: marshall({ ...clawbackKey(after.leadId, after.clawbackId), ...after }),
      ConditionExpression: '#state = :state AND receivedFen = :received',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: marshall({ ':state': before.state, ':received': before.receivedFen }),
    },
  };
}

/**
 * The items that deduct offsets inside a payment's transaction (the lead store's and the stage store's):
 * per offset, its remaining amount and its clawback moved on from what was read; per fund, one top-up.
 */
export function offsetSettlementItems(
  tables: { readonly leads: string; readonly funds: string },
  settlements: readonly OffsetSettlement[],
  at: string,
): TransactWriteItem[] {
  const items: TransactWriteItem[] = [];
  const byFund = new Map<string, number>();
  for (const settlement of settlements) {
    const { offset, amountFen } = settlement;
    items.push(
      {
        Update: {
          TableName: tables.leads,
          Key: marshall(offsetKey(settlement.introducerKey, offset.clawbackId)),
          UpdateExpression: 'SET remainingFen = :after',
          ConditionExpression: 'remainingFen = :before',
          ExpressionAttributeValues: marshall({
            ':after': offset.remainingFen - amountFen,
            ':before': offset.remainingFen,
          }),
        },
      },
      moveClawbackItem(tables.leads, settlement.clawback),
    );
    byFund.set(offset.fundId, (byFund.get(offset.fundId) ?? 0) + amountFen);
  }
  for (const [fundId, amountFen] of byFund) items.push(fundTopUpItem(tables.funds, fundId, amountFen, at));
  return items;
}
