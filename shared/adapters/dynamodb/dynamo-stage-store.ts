import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { StagePayment, StageStore } from '#shared/ports/stages.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import { type StageRecord, StageRecordSchema } from '#shared/schemas/stage.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import type { DynamoLeadStore } from './dynamo-lead-store.ts';
import { noticeClearCheck } from './dynamo-notice-store.ts';
import { queryAll } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { TransactionConditionFailedError } from './transactions.ts';

/**
 * The stages of a staged payment (issue 17, part 5), beside their lead: `sk STAGE#<nnn>`, put once when the
 * stage is approved (only while the review is APPROVED), updated once to PAID (only from APPROVED, so a
 * stage is never paid twice however many pay at once). Paying checks in the same transaction that the
 * previous stage is paid and that the notice (公示) ended clean, and moves the review's paid-so-far, or for
 * the last stage the lead and its review to PAID.
 */
const stageKey = (leadId: string, stage: number) => ({
  pk: `LEAD#${leadId}`,
  sk: `STAGE#${String(stage).padStart(3, '0')}`,
});
const reviewKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'REVIEW' });

export class DynamoStageStore implements StageStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;
  readonly #leads: Pick<DynamoLeadStore, 'transitionItems' | 'offsetItems'>;

  constructor(
    client: DynamoDBClient,
    table: string,
    audit: DynamoAuditTrail,
    leads: Pick<DynamoLeadStore, 'transitionItems' | 'offsetItems'>,
  ) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
    this.#leads = leads;
  }

  async stages(leadId: string): Promise<StageRecord[]> {
    const records: StageRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':prefix': 'STAGE#' }),
      ConsistentRead: true,
    });
    for await (const item of items) records.push(recordOf(item, StageRecordSchema, ['pk', 'sk']));
    return records.sort((a, b) => a.stage - b.stage);
  }

  async approveStage(record: StageRecord, audit: AuditEntryDraft) {
    try {
      await this.#audit.appendWithin(audit, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall({ ...stageKey(record.leadId, record.stage), ...record }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          ConditionCheck: {
            TableName: this.#table,
            Key: marshall(reviewKey(record.leadId)),
            ConditionExpression: '#state = :approved AND revision = :revision',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: marshall({ ':approved': 'APPROVED', ':revision': record.revision }),
          },
        },
      ]);
      return 'approved' as const;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? ('exists' as const) : ('closed' as const);
    }
  }

  async payStage(payment: StagePayment, audit: AuditEntryDraft): Promise<'paid' | 'conflict'> {
    const { paid } = payment;
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName: this.#table,
          Key: marshall(stageKey(paid.leadId, paid.stage)),
          UpdateExpression: 'SET #state = :paid, payment = :payment',
          ConditionExpression: '#state = :approved',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: marshall({
            ':paid': 'PAID',
            ':payment': paid.payment,
            ':approved': 'APPROVED',
          }),
        },
      },
    ];
    if (payment.previousStage !== undefined) {
      items.push({
        ConditionCheck: {
          TableName: this.#table,
          Key: marshall(stageKey(paid.leadId, payment.previousStage)),
          ConditionExpression: '#state = :paid',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: marshall({ ':paid': 'PAID' }),
        },
      });
    }
    if (payment.final !== undefined) {
      // The lead's status and its review (conditioned on APPROVED), and the notice check when asked.
      items.push(...this.#leads.transitionItems({ ...payment.final, noticeClear: payment.noticeClear }));
    } else {
      if (payment.paidSoFar !== undefined) {
        const { review, before, after } = payment.paidSoFar;
        items.push({
          Update: {
            TableName: this.#table,
            Key: marshall(reviewKey(review.leadId)),
            UpdateExpression: 'SET paidFen = :after',
            // Over the paid-so-far read: two stages paid at once never both add to the same figure.
            ConditionExpression: `#state = :approved AND revision = :revision AND ${
              before === 0 ? '(attribute_not_exists(paidFen) OR paidFen = :before)' : 'paidFen = :before'
            }`,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: marshall({
              ':after': after,
              ':approved': 'APPROVED',
              ':revision': review.revision,
              ':before': before,
            }),
          },
        });
      }
      if (payment.noticeClear)
        items.push(noticeClearCheck(this.#table, paid.leadId, paid.payment?.paidAt ?? ''));
      if (payment.offsets !== undefined)
        items.push(...this.#leads.offsetItems(payment.offsets, paid.payment?.paidAt ?? ''));
    }
    try {
      await this.#audit.appendWithin(audit, items);
      return 'paid';
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) return 'conflict';
      throw error;
    }
  }
}
