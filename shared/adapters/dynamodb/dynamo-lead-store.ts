import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type QueryCommandInput,
  type TransactWriteItem,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { OffsetSettlement } from '#shared/ports/clawbacks.ts';
import type {
  ActualInvestmentStore,
  CreateLeadOutcome,
  LeadListQuery,
  LeadPage,
  LeadRevisionStore,
  LeadStore,
  RecordDecisionOutcome,
  ReportActualInvestmentOutcome,
} from '#shared/ports/leads.ts';
import {
  PENDING_WORK_KINDS,
  type PendingWork,
  type PendingWorkKind,
  type PendingWorkStore,
} from '#shared/ports/pending-work.ts';
import type { LeadTransition, ReviewStore } from '#shared/ports/reviews.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import {
  type CaseOutcomeRecord,
  CaseOutcomeRecordSchema,
  type ReviewRecord,
  ReviewRecordSchema,
} from '#shared/schemas/fund.ts';
import {
  type DecisionFundAsk,
  DecisionFundAskSchema,
  type DecisionRecord,
  DecisionRecordSchema,
  type LeadRecord,
  LeadRecordSchema,
} from '#shared/schemas/lead-record.ts';
import { BATCH_GET_KEYS, batchGet } from './batch-get.ts';
import { between, decodeCursor, encodeCursor, exactly, resumeKeySchema } from './cursor.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { offsetSettlementItems } from './dynamo-clawback-store.ts';
import { noticeClearCheck, openNoticeItem } from './dynamo-notice-store.ts';
import { type Item, queryAll, queryUpTo } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { TransactionConditionFailedError } from './transactions.ts';

export const leadKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });
const decisionKey = (leadId: string, revision: number) => ({
  pk: `LEAD#${leadId}`,
  sk: `DECISION#${String(revision).padStart(6, '0')}`,
});
const reviewKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'REVIEW' });
const caseOutcomeKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'CASE_OUTCOME' });
const projectKeyItem = (projectKey: string) => ({ pk: `PROJECT#${projectKey}`, sk: 'PROJECT' });
const pendingKey = (leadId: string, kind: PendingWorkKind) => ({
  pk: `LEAD#${leadId}`,
  sk: `PENDING#${kind.toUpperCase()}`,
});

/**
 * Work waiting for a lead is an item of its own beside the lead (`sk PENDING#EVALUATION`,
 * `PENDING#ALLOCATION`), never attributes of the lead item: `recordDecision` rewrites the lead item whole,
 * and both kinds can wait at once (an allocation of N while N+1 waits for evaluation). Only these items
 * carry the `pendingWork` index keys, so the index holds exactly the work waiting, oldest first.
 */
const PendingWorkItemSchema = z.object({
  kind: z.enum(PENDING_WORK_KINDS),
  leadId: z.string(),
  revision: z.number().int().positive(),
  fundId: z.string().optional(),
  since: z.string(),
  resent: z.number().int().nonnegative(),
  retryAfter: z.string().optional(),
});

function pendingItem(work: Omit<PendingWork, 'resent' | 'retryAfter'>) {
  return marshall(
    {
      ...pendingKey(work.leadId, work.kind),
      pendingKind: work.kind.toUpperCase(),
      pendingOrder: `${work.since}#${work.leadId}`,
      kind: work.kind,
      leadId: work.leadId,
      revision: work.revision,
      fundId: work.fundId,
      since: work.since,
      resent: 0,
    },
    { removeUndefinedValues: true },
  );
}

/** The one partition of the `newestFirst` index (infra/resources.ts): every lead, newest first. */
export const ALL_LEADS_PARTITION = 'LEADS';

/** Index keys: newest first by sector, by status, by month of submission and all together. */
export function indexKeys(lead: LeadRecord) {
  const order = `${lead.submittedAt}#${lead.leadId}`;
  return {
    gsi1pk: `SECTOR#${lead.sector}`,
    gsi1sk: order,
    gsi2pk: `STATUS#${lead.status}`,
    gsi2sk: order,
    gsi3pk: `MONTH#${lead.submittedAt.slice(0, 7)}`,
    gsi3sk: order,
    gsi4pk: ALL_LEADS_PARTITION,
    gsi4sk: order,
  };
}

const STRIP = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk'];

const fromItem = <T>(item: Record<string, AttributeValue>, schema: { parse: (value: unknown) => T }): T =>
  recordOf(item, schema, STRIP);

export class DynamoLeadStore
  implements LeadStore, ReviewStore, ActualInvestmentStore, LeadRevisionStore, PendingWorkStore
{
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  /** The Funds table: a payment that deducts a clawback's offset returns that money to its fund. */
  readonly #fundsTable: string | undefined;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail, fundsTable?: string) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
    this.#fundsTable = fundsTable;
  }

  async get(leadId: string): Promise<LeadRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: marshall(leadKey(leadId)), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item, LeadRecordSchema);
  }

  async projectOwner(projectKey: string): Promise<string | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall(projectKeyItem(projectKey)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : String(unmarshall(Item).leadId);
  }

  async create(lead: LeadRecord, audit: AuditEntryDraft): Promise<CreateLeadOutcome> {
    const putLead = {
      Put: {
        TableName: this.#table,
        Item: marshall(
          { ...leadKey(lead.leadId), ...indexKeys(lead), ...lead },
          { removeUndefinedValues: true },
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const claimProject = {
      Put: {
        TableName: this.#table,
        Item: marshall({ ...projectKeyItem(lead.projectKey), leadId: lead.leadId, at: lead.submittedAt }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    // Revision 1 waits for evaluation until its decision is recorded (the message is only a hint of it).
    const awaitEvaluation = {
      Put: {
        TableName: this.#table,
        Item: pendingItem({ kind: 'evaluation', leadId: lead.leadId, revision: 1, since: lead.submittedAt }),
      },
    };
    try {
      await this.#audit.appendWithin(
        audit,
        lead.duplicateOf === null ? [putLead, claimProject, awaitEvaluation] : [putLead, awaitEvaluation],
      );
      return 'created';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? 'lead_exists' : 'project_taken';
    }
  }

  async recordDecision(
    decision: DecisionRecord,
    audit: AuditEntryDraft,
    allocation?: { readonly fundId: string },
    seen?: LeadRecord,
  ): Promise<RecordDecisionOutcome> {
    // The lead as the caller read it (the evaluation's one read) is written back only if it is still the
    // stored one (`updatedAt`, which every write of the lead item sets); if it moved, read it again.
    let current = seen ?? (await this.get(decision.leadId));
    for (let attempt = 0; ; attempt += 1) {
      if (current === undefined) throw new Error(`Lead ${decision.leadId} does not exist`);
      const outcome = await this.#writeDecision(decision, audit, allocation, current);
      if (outcome !== 'lead_moved') return outcome;
      if (attempt >= 8) throw new Error(`Lead ${decision.leadId}: changed under every decision write`);
      current = await this.get(decision.leadId);
      if (current !== undefined && current.latestRevision !== decision.revision - 1)
        return 'already_recorded';
    }
  }

  async #writeDecision(
    decision: DecisionRecord,
    audit: AuditEntryDraft,
    allocation: { readonly fundId: string } | undefined,
    current: LeadRecord,
  ): Promise<RecordDecisionOutcome | 'lead_moved'> {
    // The re-evaluation that was pending is this decision: its marks go (deliberately, not by omission).
    const { pendingRevision: _decided, pendingReportedBy: _reporter, ...settled } = current;
    const moved: LeadRecord = {
      ...settled,
      status: decision.status,
      latestRevision: decision.revision,
      evaluationFailure: null,
      updatedAt: decision.evaluatedAt,
    };
    try {
      await this.#audit.appendWithin(audit, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall(
              { ...decisionKey(decision.leadId, decision.revision), ...decision },
              {
                removeUndefinedValues: true,
              },
            ),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: marshall(
              { ...leadKey(moved.leadId), ...indexKeys(moved), ...moved },
              { removeUndefinedValues: true },
            ),
            ConditionExpression: 'latestRevision = :previous AND updatedAt = :seen',
            ExpressionAttributeValues: marshall({
              ':previous': decision.revision - 1,
              ':seen': current.updatedAt,
            }),
          },
        },
        // Only revision N can be waiting here (a report needs the lead at N−1), so no condition.
        { Delete: { TableName: this.#table, Key: marshall(pendingKey(decision.leadId, 'evaluation')) } },
        // Replaces the mark of an earlier revision: applying N's allocation supersedes it.
        ...(allocation === undefined
          ? []
          : [
              {
                Put: {
                  TableName: this.#table,
                  Item: pendingItem({
                    kind: 'allocation',
                    leadId: decision.leadId,
                    revision: decision.revision,
                    fundId: allocation.fundId,
                    since: decision.evaluatedAt,
                  }),
                },
              },
            ]),
      ]);
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      // The revision is there already; or only the lead item moved (another write since it was read).
      return error.failedIndexes.includes(0) || !error.failedIndexes.includes(1)
        ? 'already_recorded'
        : 'lead_moved';
    }
  }

  async decisions(leadId: string): Promise<DecisionRecord[]> {
    const records: DecisionRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :decision)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':decision': 'DECISION#' }),
      ConsistentRead: true,
    });
    for await (const item of items) records.push(fromItem(item, DecisionRecordSchema));
    return records;
  }

  async fundAsks(leadId: string): Promise<DecisionFundAsk[]> {
    const asks: DecisionFundAsk[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :decision)',
      ExpressionAttributeValues: marshall({ ':pk': `LEAD#${leadId}`, ':decision': 'DECISION#' }),
      // Only what the allocation uses: the decision's lead and texts are most of the item.
      ProjectionExpression: '#leadId, #revision, #evaluatedAt, #adjustments, #decision.#fund',
      ExpressionAttributeNames: {
        '#leadId': 'leadId',
        '#revision': 'revision',
        '#evaluatedAt': 'evaluatedAt',
        '#adjustments': 'adjustments',
        '#decision': 'decision',
        '#fund': 'fund',
      },
      ConsistentRead: true,
    });
    for await (const item of items) asks.push(DecisionFundAskSchema.parse(unmarshall(item)));
    return asks;
  }

  async recordEvaluationFailure(
    leadId: string,
    failure: NonNullable<LeadRecord['evaluationFailure']>,
    audit: AuditEntryDraft,
  ): Promise<void> {
    const current = await this.get(leadId);
    if (current === undefined) return;
    const failed: LeadRecord = { ...current, evaluationFailure: failure, updatedAt: failure.at };
    await this.#audit.appendWithin(audit, [
      {
        Put: {
          TableName: this.#table,
          Item: marshall(
            { ...leadKey(leadId), ...indexKeys(failed), ...failed },
            { removeUndefinedValues: true },
          ),
          // Only over the version read, so a concurrent decision is never overwritten.
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: marshall({ ':seen': current.updatedAt }),
        },
      },
    ]);
  }

  async list(query: LeadListQuery): Promise<LeadPage> {
    const from = query.from ?? '0000';
    const to = `${query.to ?? '9999'}\uffff`;
    const base = {
      TableName: this.#table,
      ScanIndexForward: false,
      ExpressionAttributeValues: {} as Record<string, unknown>,
    };
    let input: QueryCommandInput;
    // What a cursor may resume: this index, the partition asked for, inside the range asked for.
    let resumeKey: z.ZodType;
    if (query.sector !== undefined) {
      resumeKey = resumeKeySchema('Leads', 'bySector', {
        gsi1pk: exactly(`SECTOR#${query.sector}`),
        gsi1sk: between(from, to),
      });
      input = {
        ...base,
        IndexName: 'bySector',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        FilterExpression: query.status !== undefined ? '#status = :status' : undefined,
        ExpressionAttributeNames: query.status !== undefined ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: marshall({
          ':pk': `SECTOR#${query.sector}`,
          ':from': from,
          ':to': to,
          ...(query.status !== undefined ? { ':status': query.status } : {}),
        }),
      };
    } else if (query.status !== undefined) {
      resumeKey = resumeKeySchema('Leads', 'byStatus', {
        gsi2pk: exactly(`STATUS#${query.status}`),
        gsi2sk: between(from, to),
      });
      input = {
        ...base,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: marshall({ ':pk': `STATUS#${query.status}`, ':from': from, ':to': to }),
      };
    } else {
      return this.#listNewestFirst(query, from, to);
    }
    return this.#pageOf(input, query.limit, decodeCursor(query.cursor, resumeKey));
  }

  async allocationSettled(leadId: string, revision: number): Promise<void> {
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: marshall(pendingKey(leadId, 'allocation')),
          ConditionExpression: 'revision <= :revision',
          ExpressionAttributeValues: marshall({ ':revision': revision }),
        }),
      );
    } catch (error) {
      // Already gone (a repeat), or the mark is a later revision's, which still waits: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  // Pending work (shared/ports/pending-work.ts): queries on the sparse `pendingWork` index, never a scan.

  async oldestPending(kind: PendingWorkKind): Promise<PendingWork | undefined> {
    const { items } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        IndexName: 'pendingWork',
        KeyConditionExpression: 'pendingKind = :kind',
        ExpressionAttributeValues: marshall({ ':kind': kind.toUpperCase() }),
        ScanIndexForward: true,
      },
      1,
    );
    const [first] = items;
    return first === undefined ? undefined : fromItem(first, PendingWorkItemSchema);
  }

  async duePending(
    kind: PendingWorkKind,
    query: { waitingSinceBefore: string; at: string; limit: number; ignoreBackoff?: boolean },
  ): Promise<PendingWork[]> {
    const backoff = query.ignoreBackoff !== true;
    const { items } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        IndexName: 'pendingWork',
        KeyConditionExpression: 'pendingKind = :kind AND pendingOrder < :before',
        // Items backing off are read and passed over: they never hold up the ones behind them.
        FilterExpression: backoff ? 'attribute_not_exists(retryAfter) OR retryAfter <= :at' : undefined,
        ExpressionAttributeValues: marshall({
          ':kind': kind.toUpperCase(),
          ':before': query.waitingSinceBefore,
          ...(backoff ? { ':at': query.at } : {}),
        }),
        ScanIndexForward: true,
      },
      query.limit,
    );
    return items.map((item) => fromItem(item, PendingWorkItemSchema));
  }

  async markResent(work: PendingWork, retryAfter: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: marshall(pendingKey(work.leadId, work.kind)),
          UpdateExpression: 'SET resent = :next, retryAfter = :retryAfter',
          // The same work as read: done meanwhile (gone), replaced by a later revision, or marked by a
          // concurrent run, it is left alone, never written back.
          ConditionExpression: 'revision = :revision AND resent = :resent',
          ExpressionAttributeValues: marshall({
            ':next': work.resent + 1,
            ':retryAfter': retryAfter,
            ':revision': work.revision,
            ':resent': work.resent,
          }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  // Finance review (issue 5). The review record and the case outcome are items of their own
  // (`sk REVIEW`, `sk CASE_OUTCOME`): `recordDecision` rewrites the whole lead item, so nothing finance
  // records may live in it. The lead item only carries the status (for the byStatus index) and, while a
  // re-evaluation on a reported actual investment is pending, `pendingRevision` (which the next
  // `recordDecision` drops, since it writes the lead back as parsed).

  async review(leadId: string): Promise<ReviewRecord | undefined> {
    return this.#getParsed(reviewKey(leadId), ReviewRecordSchema);
  }

  async caseOutcome(leadId: string): Promise<CaseOutcomeRecord | undefined> {
    return this.#getParsed(caseOutcomeKey(leadId), CaseOutcomeRecordSchema);
  }

  /** The review records of up to 100 leads in one BatchGetItem (the payment list reads a page at once). */
  async reviewsOf(leadIds: readonly string[]): Promise<Map<string, ReviewRecord>> {
    const keys = [...new Set(leadIds)].map((id) => marshall(reviewKey(id)));
    const items = await batchGet(this.#client, this.#table, keys);
    const reviews = new Map<string, ReviewRecord>();
    for (const item of items) {
      const review = fromItem(item, ReviewRecordSchema);
      reviews.set(review.leadId, review);
    }
    return reviews;
  }

  async transition(transition: LeadTransition, audit: AuditEntryDraft): Promise<'applied' | 'conflict'> {
    try {
      await this.#audit.appendWithin(audit, this.transitionItems(transition));
      return 'applied';
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) return 'conflict';
      throw error;
    }
  }

  /**
   * The transaction items of a lead transition, for a caller that writes them with other items
   * (the fund store): [lead status update, review record?, case outcome?, notice?, notice check?], in
   * this order.
   */
  transitionItems(transition: LeadTransition): TransactWriteItem[] {
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName: this.#table,
          Key: marshall(leadKey(transition.leadId)),
          UpdateExpression: 'SET #status = :to, gsi2pk = :gsi2pk, updatedAt = :at',
          ConditionExpression:
            '#status = :from AND latestRevision = :revision AND attribute_not_exists(pendingRevision)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':to': transition.toStatus,
            ':gsi2pk': `STATUS#${transition.toStatus}`,
            ':at': transition.at,
            ':from': transition.fromStatus,
            ':revision': transition.revision,
          }),
        },
      },
    ];
    if (transition.review !== undefined) {
      const { before, after } = transition.review;
      items.push({
        Put: {
          TableName: this.#table,
          Item: marshall({ ...reviewKey(transition.leadId), ...after }, { removeUndefinedValues: true }),
          ConditionExpression: before === undefined ? 'attribute_not_exists(pk)' : '#state = :before',
          ExpressionAttributeNames: before === undefined ? undefined : { '#state': 'state' },
          ExpressionAttributeValues: before === undefined ? undefined : marshall({ ':before': before.state }),
        },
      });
    }
    if (transition.caseOutcome !== undefined) {
      items.push({
        Put: {
          TableName: this.#table,
          Item: marshall(
            { ...caseOutcomeKey(transition.leadId), ...transition.caseOutcome },
            { removeUndefinedValues: true },
          ),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (transition.notice !== undefined) items.push(openNoticeItem(this.#table, transition.notice));
    if (transition.noticeClear === true) {
      items.push(noticeClearCheck(this.#table, transition.leadId, transition.at));
    }
    if (transition.offsets !== undefined) items.push(...this.offsetItems(transition.offsets, transition.at));
    return items;
  }

  /** The items of offsets deducted from a payment (issue 17, part 6), for the payment's transaction. */
  offsetItems(settlements: readonly OffsetSettlement[], at: string): TransactWriteItem[] {
    if (settlements.length === 0) return [];
    if (this.#fundsTable === undefined)
      throw new Error('DynamoLeadStore: deducting an offset needs the Funds table');
    return offsetSettlementItems({ leads: this.#table, funds: this.#fundsTable }, settlements, at);
  }

  async reportActualInvestment(
    report: Parameters<ActualInvestmentStore['reportActualInvestment']>[0],
    audit: AuditEntryDraft,
  ): Promise<ReportActualInvestmentOutcome> {
    const pending = report.expectedRevision + 1;
    const statuses = Object.fromEntries(report.allowedStatuses.map((status, i) => [`:s${i}`, status]));
    try {
      await this.#audit.appendWithin(audit, [
        {
          Update: {
            TableName: this.#table,
            Key: marshall(leadKey(report.leadId)),
            UpdateExpression:
              'SET #lead.#actual = :actual, inputHash = :hash, inputHashForm = :form, pendingRevision = :pending, pendingReportedBy = :reporter, updatedAt = :at',
            ConditionExpression: `latestRevision = :revision AND attribute_not_exists(pendingRevision) AND #status IN (${Object.keys(statuses).join(', ')})`,
            ExpressionAttributeNames: { '#lead': 'lead', '#actual': 'actualInvestment', '#status': 'status' },
            ExpressionAttributeValues: marshall({
              ':actual': report.actualInvestmentFen,
              ':hash': report.inputHash,
              ':form': report.inputHashForm,
              ':pending': pending,
              ':reporter': report.reportedBy,
              ':at': report.at,
              ':revision': report.expectedRevision,
              ...statuses,
            }),
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: pendingItem({
              kind: 'evaluation',
              leadId: report.leadId,
              revision: pending,
              since: report.at,
            }),
          },
        },
      ]);
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      const { Item } = await this.#client.send(
        new GetItemCommand({
          TableName: this.#table,
          Key: marshall(leadKey(report.leadId)),
          ConsistentRead: true,
        }),
      );
      const stored = Item === undefined ? undefined : unmarshall(Item);
      const samePending =
        stored !== undefined &&
        stored.pendingRevision === pending &&
        stored.latestRevision === report.expectedRevision &&
        (stored.lead as { actualInvestment?: number } | undefined)?.actualInvestment ===
          report.actualInvestmentFen;
      return samePending ? 'same_pending' : 'conflict';
    }
  }

  async reviseLead(
    revision: Parameters<LeadRevisionStore['reviseLead']>[0],
    audit: AuditEntryDraft,
  ): Promise<'recorded' | 'conflict'> {
    const pending = revision.expectedRevision + 1;
    const statuses = Object.fromEntries(revision.allowedStatuses.map((status, i) => [`:s${i}`, status]));
    const reporter = revision.reportedBy === undefined ? '' : ', pendingReportedBy = :reporter';
    try {
      await this.#audit.appendWithin(audit, [
        {
          Update: {
            TableName: this.#table,
            Key: marshall(leadKey(revision.leadId)),
            UpdateExpression: `SET #lead = :lead, inputHash = :hash, inputHashForm = :form, pendingRevision = :pending${reporter}, updatedAt = :at`,
            ConditionExpression: `latestRevision = :revision AND attribute_not_exists(pendingRevision) AND #status IN (${Object.keys(statuses).join(', ')})`,
            ExpressionAttributeNames: { '#lead': 'lead', '#status': 'status' },
            ExpressionAttributeValues: marshall(
              {
                ':lead': revision.lead,
                ':hash': revision.inputHash,
                ':form': revision.inputHashForm,
                ':pending': pending,
                ':reporter': revision.reportedBy,
                ':at': revision.at,
                ':revision': revision.expectedRevision,
                ...statuses,
              },
              { removeUndefinedValues: true },
            ),
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: pendingItem({
              kind: 'evaluation',
              leadId: revision.leadId,
              revision: pending,
              since: revision.at,
            }),
          },
        },
      ]);
      return 'recorded';
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) return 'conflict';
      throw error;
    }
  }

  async #getParsed<T>(
    key: Record<string, string>,
    schema: { parse: (value: unknown) => T },
  ): Promise<T | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: marshall(key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item, schema);
  }

  async #pageOf(input: QueryCommandInput, limit: number, start: Item | undefined): Promise<LeadPage> {
    const { items, lastKey } = await queryUpTo(this.#client, { ...input, ExclusiveStartKey: start }, limit);
    return {
      leads: items.map((item) => fromItem(item, LeadRecordSchema)),
      nextCursor: encodeCursor(lastKey),
    };
  }

  /**
   * Without a sector or status: one query of the key-only `newestFirst` index (every lead in one partition,
   * newest first, `from`/`to` a range of its sort key) and one BatchGetItem of that page's items, in the
   * index's order; two requests a page, however the leads spread over the months (issue 18, part 4). A lead
   * deleted between the two reads is left out of the page.
   */
  async #listNewestFirst(query: LeadListQuery, from: string, to: string): Promise<LeadPage> {
    const resumeKey = resumeKeySchema('Leads', 'newestFirst', {
      gsi4pk: exactly(ALL_LEADS_PARTITION),
      gsi4sk: between(from, to),
    });
    const { items: keys, lastKey } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        IndexName: 'newestFirst',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to',
        ExpressionAttributeValues: marshall({ ':pk': ALL_LEADS_PARTITION, ':from': from, ':to': to }),
        ScanIndexForward: false,
        ExclusiveStartKey: decodeCursor(query.cursor, resumeKey),
      },
      Math.min(query.limit, BATCH_GET_KEYS),
    );
    const byKey = new Map<string, Item>();
    if (keys.length > 0) {
      const items = await batchGet(
        this.#client,
        this.#table,
        keys.map((key) => ({ pk: key.pk as AttributeValue, sk: key.sk as AttributeValue })),
      );
      for (const item of items) byKey.set(item.pk?.S ?? '', item);
    }
    const leads = keys.flatMap((key) => {
      const item = byKey.get(key.pk?.S ?? '');
      return item === undefined ? [] : [fromItem(item, LeadRecordSchema)];
    });
    return { leads, nextCursor: encodeCursor(lastKey) };
  }
}
