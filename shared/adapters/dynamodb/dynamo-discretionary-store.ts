import { type DynamoDBClient, GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { OffsetSettlement } from '#shared/ports/clawbacks.ts';
import type {
  CounterMove,
  DiscretionaryMove,
  DiscretionaryRewardStore,
} from '#shared/ports/discretionary-rewards.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import {
  type DiscretionaryRewardRecord,
  DiscretionaryRewardRecordSchema,
  type DiscretionaryTotals,
  DiscretionaryTotalsSchema,
} from '#shared/schemas/discretionary-reward.ts';
import type { NoticeRecord } from '#shared/schemas/notice.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { offsetSettlementItems } from './dynamo-clawback-store.ts';
import { fundMoveItem } from './dynamo-fund-store.ts';
import { noticeClearCheck, openNoticeItem } from './dynamo-notice-store.ts';
import { queryAll } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { versionedPut, writtenUnlessRefused } from './transactions.ts';

/**
 * Rewards by decision (issue 20) in the Leads table:
 * - `LEAD#<id>` / `DISCRETIONARY#<rewardId>`: each reward, moved on only from the version read; listed per
 *   year on byStatus (`gsi2pk = DISCRETIONARY#<year>`, `gsi2sk = <proposedAt>#<rewardId>`);
 * - `LEAD#<id>` / `DISCRETIONARY_TOTAL` and `DISCRETIONARY_YEAR#<year>` / `TOTAL`: what is proposed or
 *   approved (not rejected), moved with each proposal and rejection under a condition on `version`, so no
 *   cap is passed however many propose at once.
 * Its notice is `LEAD#<id>` / `NOTICE#<rewardId>` (dynamo-notice-store.ts), on the public list.
 */
const rewardKey = (leadId: string, rewardId: string) => ({
  pk: `LEAD#${leadId}`,
  sk: `DISCRETIONARY#${rewardId}`,
});
const leadTotalsKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'DISCRETIONARY_TOTAL' });
const yearTotalsKey = (year: number) => ({ pk: `DISCRETIONARY_YEAR#${year}`, sk: 'TOTAL' });
const STRIP = ['pk', 'sk', 'gsi2pk', 'gsi2sk'];

export class DynamoDiscretionaryStore implements DiscretionaryRewardStore {
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

  async rewards(leadId: string): Promise<DiscretionaryRewardRecord[]> {
    const records: DiscretionaryRewardRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': 'DISCRETIONARY#' }),
      ConsistentRead: true,
    });
    for await (const item of items) records.push(recordOf(item, DiscretionaryRewardRecordSchema, STRIP));
    return records.sort(
      (a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.rewardId.localeCompare(b.rewardId),
    );
  }

  leadTotals(leadId: string) {
    return this.#totals(leadTotalsKey(leadId));
  }

  yearTotals(year: number) {
    return this.#totals(yearTotalsKey(year));
  }

  async ofYear(year: number): Promise<DiscretionaryRewardRecord[]> {
    const records: DiscretionaryRewardRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': `DISCRETIONARY#${year}` }),
    });
    for await (const item of items) records.push(recordOf(item, DiscretionaryRewardRecordSchema, STRIP));
    return records;
  }

  async propose(
    record: DiscretionaryRewardRecord,
    counters: { readonly lead: CounterMove; readonly year: CounterMove },
    audit: AuditEntryDraft,
  ) {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.#table,
          Item: marshall(this.#item(record), { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.#moveCounter(leadTotalsKey(record.leadId), counters.lead),
      this.#moveCounter(yearTotalsKey(record.year), counters.year),
    ];
    return (await this.#write(audit, items)) ? ('proposed' as const) : ('conflict' as const);
  }

  async signOff(
    move: DiscretionaryMove,
    with_: {
      readonly notice?: NoticeRecord;
      readonly spend?: { readonly fundId: string; readonly amountFen: number };
    },
    audit: AuditEntryDraft,
  ) {
    const items = [this.#moveRecord(move)];
    if (with_.notice !== undefined) items.push(openNoticeItem(this.#table, with_.notice));
    if (with_.spend !== undefined && with_.spend.amountFen > 0) {
      items.push(
        fundMoveItem(
          this.#fundsTable,
          with_.spend.fundId,
          { kind: 'spend', amountFen: with_.spend.amountFen },
          move.after.decidedAt ?? '',
        ),
      );
    }
    return (await this.#write(audit, items)) ? ('signed' as const) : ('conflict' as const);
  }

  async reject(
    move: DiscretionaryMove,
    counters: { readonly lead: CounterMove; readonly year: CounterMove },
    audit: AuditEntryDraft,
  ) {
    const items = [
      this.#moveRecord(move),
      this.#moveCounter(leadTotalsKey(move.after.leadId), counters.lead),
      this.#moveCounter(yearTotalsKey(move.after.year), counters.year),
    ];
    return (await this.#write(audit, items)) ? ('rejected' as const) : ('conflict' as const);
  }

  async pay(
    move: DiscretionaryMove,
    with_: { readonly noticeClear: boolean; readonly offsets: readonly OffsetSettlement[] },
    audit: AuditEntryDraft,
  ) {
    const { after } = move;
    const at = after.payment?.paidAt ?? '';
    const items = [this.#moveRecord(move)];
    if (with_.noticeClear) items.push(noticeClearCheck(this.#table, after.leadId, at, after.rewardId));
    items.push(...offsetSettlementItems({ leads: this.#table, funds: this.#fundsTable }, with_.offsets, at));
    return (await this.#write(audit, items)) ? ('paid' as const) : ('conflict' as const);
  }

  #item(record: DiscretionaryRewardRecord) {
    return {
      ...rewardKey(record.leadId, record.rewardId),
      gsi2pk: `DISCRETIONARY#${record.year}`,
      gsi2sk: `${record.proposedAt}#${record.rewardId}`,
      ...record,
    };
  }

  #moveRecord({ before, after }: DiscretionaryMove): TransactWriteItem {
    return versionedPut(this.#table, marshall(this.#item(after), { removeUndefinedValues: true }), before);
  }

  #moveCounter(key: Record<string, string>, { before, after }: CounterMove): TransactWriteItem {
    return versionedPut(this.#table, marshall({ ...key, ...after }), before);
  }

  async #totals(key: Record<string, string>): Promise<DiscretionaryTotals | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: marshall(key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : recordOf(Item, DiscretionaryTotalsSchema, ['pk', 'sk']);
  }

  #write(audit: AuditEntryDraft, items: TransactWriteItem[]): Promise<boolean> {
    return writtenUnlessRefused(() => this.#audit.appendWithin(audit, items));
  }
}
