import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { noticeRefOf } from '#shared/domain/public-notice.ts';
import type { NoticeStore } from '#shared/ports/notices.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import {
  type NoticeRecord,
  NoticeRecordSchema,
  type ObjectionRecord,
  ObjectionRecordSchema,
  type ResolutionRecord,
  ResolutionRecordSchema,
} from '#shared/schemas/notice.ts';
import { decodeCursor, encodeCursor, exactly, resumeKeySchema } from './cursor.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { queryAll, queryUpTo } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { TransactionConditionFailedError } from './transactions.ts';

/**
 * Public notices in the Leads table, beside their lead:
 *
 * | item | pk | sk | index |
 * | --- | --- | --- | --- |
 * | the notice | `LEAD#<leadId>` | `NOTICE` | byStatus: `gsi2pk = NOTICES`, `gsi2sk = <openedAt>#<leadId>` (the public list) |
 * | an objection | `LEAD#<leadId>` | `OBJECTION#<objectionId>` | |
 * | its resolution | `LEAD#<leadId>` | `RESOLUTION#<objectionId>` (one per objection) | |
 *
 * The notice's `openObjections` and `upheldObjections` move in the transactions that add an objection or
 * its resolution; marking paid checks them (and the end) in its own transaction, so an objection recorded
 * while a payment is being marked either holds it or arrives after it, never between.
 */
export const noticeKey = (leadId: string, rewardId?: string) => ({
  pk: `LEAD#${leadId}`,
  sk: rewardId === undefined ? 'NOTICE' : `NOTICE#${rewardId}`,
});
/** What the notice is of: the lead's review (the referral reward), or a discretionary reward (issue 20). */
const payableKey = (leadId: string, rewardId?: string) => ({
  pk: `LEAD#${leadId}`,
  sk: rewardId === undefined ? 'REVIEW' : `DISCRETIONARY#${rewardId}`,
});
const refOf = (noticeId: string) => noticeRefOf(noticeId) ?? { leadId: '', rewardId: undefined };
const PUBLIC_LIST = 'NOTICES';
const STRIP = ['pk', 'sk', 'gsi2pk', 'gsi2sk'];

/** The put of a new notice, for the approval's transaction. */
export function openNoticeItem(table: string, notice: NoticeRecord): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: marshall(
        {
          ...noticeKey(notice.leadId, refOf(notice.noticeId).rewardId),
          gsi2pk: PUBLIC_LIST,
          gsi2sk: `${notice.openedAt}#${notice.noticeId}`,
          ...notice,
        },
        { removeUndefinedValues: true },
      ),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The check the pay transition makes: the notice ended at `at`, nothing unresolved, nothing upheld. */
export function noticeClearCheck(
  table: string,
  leadId: string,
  at: string,
  rewardId?: string,
): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: table,
      Key: marshall(noticeKey(leadId, rewardId)),
      ConditionExpression: 'openObjections = :zero AND upheldObjections = :zero AND endsAt <= :at',
      ExpressionAttributeValues: marshall({ ':zero': 0, ':at': at }),
    },
  };
}

const fromItem = <T>(item: Record<string, AttributeValue>, schema: { parse: (value: unknown) => T }): T =>
  recordOf(item, schema, STRIP);

export class DynamoNoticeStore implements NoticeStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
  }

  async notice(leadId: string, rewardId?: string): Promise<NoticeRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall(noticeKey(leadId, rewardId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : fromItem(Item, NoticeRecordSchema);
  }

  async objections(leadId: string, noticeId?: string) {
    const objections: ObjectionRecord[] = [];
    const resolutions: ResolutionRecord[] = [];
    for (const [prefix, push] of [
      [
        'OBJECTION#',
        (item: Record<string, AttributeValue>) => objections.push(fromItem(item, ObjectionRecordSchema)),
      ],
      [
        'RESOLUTION#',
        (item: Record<string, AttributeValue>) => resolutions.push(fromItem(item, ResolutionRecordSchema)),
      ],
    ] as const) {
      const items = queryAll(this.#client, {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': prefix }),
        ConsistentRead: true,
      });
      for await (const item of items) push(item);
    }
    objections.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    resolutions.sort((a, b) => a.resolvedAt.localeCompare(b.resolvedAt));
    // A lead's items hold the objections of each of its notices: keep those of the one asked for.
    const ofNotice = (record: { noticeId: string }) => noticeId === undefined || record.noticeId === noticeId;
    return { objections: objections.filter(ofNotice), resolutions: resolutions.filter(ofNotice) };
  }

  async recordObjection(record: ObjectionRecord, audit: AuditEntryDraft) {
    try {
      await this.#audit.appendWithin(audit, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall(
              { pk: `LEAD#${record.leadId}`, sk: `OBJECTION#${record.objectionId}`, ...record },
              { removeUndefinedValues: true },
            ),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.#table,
            Key: marshall(noticeKey(record.leadId, refOf(record.noticeId).rewardId)),
            UpdateExpression: 'ADD openObjections :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: marshall({ ':one': 1 }),
          },
        },
        {
          ConditionCheck: {
            TableName: this.#table,
            Key: marshall(payableKey(record.leadId, refOf(record.noticeId).rewardId)),
            ConditionExpression: '#state = :approved',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: marshall({ ':approved': 'APPROVED' }),
          },
        },
      ]);
      return 'recorded' as const;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? ('exists' as const) : ('closed' as const);
    }
  }

  async resolveObjection(record: ResolutionRecord, audit: AuditEntryDraft) {
    try {
      await this.#audit.appendWithin(audit, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall(
              { pk: `LEAD#${record.leadId}`, sk: `RESOLUTION#${record.objectionId}`, ...record },
              { removeUndefinedValues: true },
            ),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.#table,
            Key: marshall(noticeKey(record.leadId, refOf(record.noticeId).rewardId)),
            UpdateExpression:
              record.outcome === 'upheld'
                ? 'ADD openObjections :less, upheldObjections :one'
                : 'ADD openObjections :less',
            ConditionExpression: 'openObjections >= :one',
            ExpressionAttributeValues: marshall({ ':less': -1, ':one': 1 }),
          },
        },
      ]);
      return 'resolved' as const;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return 'exists' as const;
    }
  }

  async page(query: { readonly limit: number; readonly cursor?: string | undefined }) {
    const resume = decodeCursor(
      query.cursor,
      resumeKeySchema('Leads', 'byStatus', { gsi2pk: exactly(PUBLIC_LIST) }),
    );
    const { items, lastKey } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': PUBLIC_LIST }),
        ScanIndexForward: false,
        ExclusiveStartKey: resume,
      },
      query.limit,
    );
    return {
      notices: items.map((item) => fromItem(item, NoticeRecordSchema)),
      nextCursor: encodeCursor(lastKey),
    };
  }
}
