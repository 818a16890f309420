import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { FundMove } from '#shared/domain/fund.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import type { FundChange, FundChangeOutcome, FundChangePart, FundStore } from '#shared/ports/funds.ts';
import type { PolicyPublisher } from '#shared/ports/policies.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import {
  type Allocation,
  AllocationSchema,
  type FundBalanceRecord,
  FundBalanceSchema,
  type WaitlistEntry,
  WaitlistEntrySchema,
} from '#shared/schemas/fund.ts';
import { batchGet } from './batch-get.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import type { DynamoLeadStore } from './dynamo-lead-store.ts';
import { policyPut } from './dynamo-policy-store.ts';
import { queryUpTo } from './query-pages.ts';
import { TransactionConditionFailedError } from './transactions.ts';

/**
 * The Funds table, one partition per fund (`pk FUND#<fundId>`):
 * - `sk FUND`: the balance {totalFen, availableFen, reservedFen, committedFen, version};
 * - `sk ALLOC#<leadId>`: the lead's allocation {state, revision, capFen, reservedFen, committedFen, wantFen};
 * - `sk WAIT#<evaluatedAt>#<leadId>`: a waitlist entry; a query on the prefix gives the order of evaluation.
 *
 * Every change is one TransactWriteItems: the balance update under its condition, the allocation record
 * under `attribute_not_exists` or under the exact values read, the waitlist entry, the lead's review
 * items when finance acts, and the audit entry (via `appendWithin`). Whatever fails, nothing is written.
 * One balance item per fund is the write ceiling (~1,000 writes/s per partition): fine for a zone.
 */
const fundPk = (fundId: string) => `FUND#${fundId}`;
const balanceKey = (fundId: string) => ({ pk: fundPk(fundId), sk: 'FUND' });
const allocationKey = (fundId: string, leadId: string) => ({ pk: fundPk(fundId), sk: `ALLOC#${leadId}` });

/** Allocations written before `waitingSince` kept their place as `waitKey` (`WAIT#<since>#<leadId>`). */
function withWaitingSince(stored: Record<string, unknown>): Record<string, unknown> {
  if ('waitingSince' in stored) return stored;
  const { waitKey, ...rest } = stored;
  const since = typeof waitKey === 'string' ? (waitKey.split('#')[1] ?? null) : null;
  return { ...rest, waitingSince: since };
}

function strip(item: Record<string, AttributeValue>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...rest } = unmarshall(item);
  return rest;
}

export class DynamoFundStore implements FundStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;
  readonly #leads: DynamoLeadStore;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail, leads: DynamoLeadStore) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
    this.#leads = leads;
  }

  async balance(fundId: string): Promise<FundBalanceRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: marshall(balanceKey(fundId)), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : FundBalanceSchema.parse(strip(Item));
  }

  async allocation(fundId: string, leadId: string): Promise<Allocation | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall(allocationKey(fundId, leadId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : AllocationSchema.parse(withWaitingSince(strip(Item)));
  }

  async allocationAndBalance(fundId: string, leadId: string) {
    const items = await batchGet(this.#client, this.#table, [
      marshall(allocationKey(fundId, leadId)),
      marshall(balanceKey(fundId)),
    ]);
    let allocation: Allocation | undefined;
    let balance: FundBalanceRecord | undefined;
    for (const item of items) {
      if (item.sk?.S === balanceKey(fundId).sk) balance = FundBalanceSchema.parse(strip(item));
      else allocation = AllocationSchema.parse(withWaitingSince(strip(item)));
    }
    return { allocation, balance };
  }

  async waitlist(fundId: string, limit: number): Promise<WaitlistEntry[]> {
    const { items } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :wait)',
        ExpressionAttributeValues: marshall({ ':pk': fundPk(fundId), ':wait': 'WAIT#' }),
        ConsistentRead: true,
        ScanIndexForward: true,
      },
      limit,
    );
    return items.map((item) => WaitlistEntrySchema.parse(strip(item)));
  }

  async open(
    fund: { fundId: string; totalFen: number; at: string },
    audit: AuditEntryDraft,
  ): Promise<'opened' | 'exists'> {
    try {
      await this.#audit.appendWithin(audit, [openFundItem(this.#table, fund)]);
      return 'opened';
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) return 'exists';
      throw error;
    }
  }

  async apply(change: FundChange, audit: AuditEntryDraft): Promise<FundChangeOutcome> {
    const items: TransactWriteItem[] = [];
    const parts: FundChangePart[] = [];
    const add = (part: FundChangePart, item: TransactWriteItem) => {
      items.push(item);
      parts.push(part);
    };
    const balanceUpdate = balanceUpdateOf(change);
    if (balanceUpdate !== undefined) {
      add('balance', {
        Update: { TableName: this.#table, Key: marshall(balanceKey(change.fundId)), ...balanceUpdate },
      });
    }
    if (change.allocation !== undefined) {
      const { before, after } = change.allocation;
      add('allocation', {
        Put: {
          TableName: this.#table,
          Item: marshall({ ...allocationKey(change.fundId, after.leadId), ...after }),
          ...(before === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                // Only over exactly what was read: a concurrent change makes this one fail and re-read.
                ConditionExpression:
                  '#revision = :revision AND #state = :state AND reservedFen = :reserved AND wantFen = :want AND committedFen = :committed',
                ExpressionAttributeNames: { '#revision': 'revision', '#state': 'state' },
                ExpressionAttributeValues: marshall({
                  ':revision': before.revision,
                  ':state': before.state,
                  ':reserved': before.reservedFen,
                  ':want': before.wantFen,
                  ':committed': before.committedFen,
                }),
              }),
        },
      });
    }
    const waitlist = change.waitlist;
    if (waitlist !== undefined) {
      const key = waitlistKey(change.fundId, waitlist.entry);
      add(
        'waitlist',
        waitlist.kind === 'leave'
          ? {
              Delete: {
                TableName: this.#table,
                Key: marshall(key),
                ConditionExpression: 'attribute_exists(pk)',
              },
            }
          : {
              Put: {
                TableName: this.#table,
                Item: marshall({ ...key, ...waitlist.entry }),
                // A join takes a new place; an update keeps the one it has.
                ConditionExpression:
                  waitlist.kind === 'join' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
              },
            },
      );
    }
    if (change.lead !== undefined) {
      const leadItems = this.#leads.transitionItems(change.lead);
      const leadParts: FundChangePart[] = ['lead'];
      if (change.lead.review !== undefined) leadParts.push('review');
      if (change.lead.caseOutcome !== undefined) leadParts.push('case_outcome');
      for (const [index, item] of leadItems.entries()) add(leadParts[index] ?? 'lead', item);
    }
    try {
      await this.#audit.appendWithin(audit, items);
      return { applied: true };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return {
        applied: false,
        failed: error.failedIndexes.map((index) => parts[index] ?? 'balance'),
      };
    }
  }
}

/**
 * Money back into a fund (a clawback recovered, issue 17 part 6) as one item of another store's
 * transaction: the same update as an admin's top-up, on a fund that exists.
 */
export function fundTopUpItem(
  table: string,
  fundId: string,
  amountFen: number,
  at: string,
): TransactWriteItem {
  return fundMoveItem(table, fundId, { kind: 'top_up', amountFen }, at);
}

/** One move of a fund's balance as an item of another store's transaction, under the move's condition. */
export function fundMoveItem(table: string, fundId: string, move: FundMove, at: string): TransactWriteItem {
  const update = balanceUpdateOf({ fundId, at, move });
  if (update === undefined) throw new RangeError('A fund move moves more than 0 fen');
  return { Update: { TableName: table, Key: marshall(balanceKey(fundId)), ...update } };
}

/**
 * The one update of the balance item a change needs: the move, the waiting count, and their conditions
 * (the store enforces what the transition checked on the balance it read). Undefined when the balance is
 * untouched.
 */
function balanceUpdateOf(
  change: FundChange,
):
  | Pick<
      NonNullable<TransactWriteItem['Update']>,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'
    >
  | undefined {
  const sets: string[] = [];
  const conditions: string[] = ['attribute_exists(pk)'];
  const values: Record<string, unknown> = {};
  const move = change.move;
  if (move !== undefined && move.amountFen > 0) {
    values[':a'] = move.amountFen;
    const updates = {
      reserve: ['availableFen = availableFen - :a, reservedFen = reservedFen + :a', 'availableFen >= :a'],
      release: ['availableFen = availableFen + :a, reservedFen = reservedFen - :a', 'reservedFen >= :a'],
      commit: ['reservedFen = reservedFen - :a, committedFen = committedFen + :a', 'reservedFen >= :a'],
      top_up: ['totalFen = totalFen + :a, availableFen = availableFen + :a', undefined],
      spend: ['availableFen = availableFen - :a, committedFen = committedFen + :a', 'availableFen >= :a'],
    } as const;
    const [set, condition] = updates[move.kind];
    sets.push(set);
    if (condition !== undefined) conditions.push(condition);
  }
  // Balances written before the count existed read as nobody waiting.
  const waiting = 'if_not_exists(waitingCount, :zero)';
  const delta = change.waitlist?.kind === 'join' ? 1 : change.waitlist?.kind === 'leave' ? -1 : 0;
  if (delta !== 0) {
    values[':delta'] = delta;
    sets.push(`waitingCount = ${waiting} + :delta`);
  }
  const guard = change.guard;
  if (guard?.kind === 'take_if_waiting_at_most') {
    values[':waiting'] = guard.waiting;
    conditions.push('(attribute_not_exists(waitingCount) OR waitingCount <= :waiting)');
  } else if (guard?.kind === 'join_if_nothing_to_take') {
    conditions.push('(availableFen = :zero OR waitingCount > :zero)');
  }
  if (sets.length === 0 && guard === undefined) return undefined;
  values[':one'] = 1;
  values[':at'] = change.at;
  sets.push('version = version + :one', 'updatedAt = :at');
  const update = `SET ${sets.join(', ')}`;
  const condition = conditions.join(' AND ');
  // DynamoDB refuses a value no expression uses.
  if (`${update} ${condition}`.includes(':zero')) values[':zero'] = 0;
  return {
    UpdateExpression: update,
    ConditionExpression: condition,
    ExpressionAttributeValues: marshall(values),
  };
}

/** A waitlist entry's key: the prefix query gives the order of evaluation, the lead id breaking ties. */
function waitlistKey(fundId: string, entry: Pick<WaitlistEntry, 'evaluatedAt' | 'leadId'>) {
  return { pk: fundPk(fundId), sk: `WAIT#${entry.evaluatedAt}#${entry.leadId}` };
}

function openFundItem(
  table: string,
  fund: { fundId: string; totalFen: number; at: string },
): TransactWriteItem {
  const balance: FundBalanceRecord = {
    fundId: fund.fundId,
    totalFen: fund.totalFen,
    availableFen: fund.totalFen,
    reservedFen: 0,
    committedFen: 0,
    openedAt: fund.at,
    updatedAt: fund.at,
    version: 0,
    waitingCount: 0,
  };
  return {
    Put: {
      TableName: table,
      Item: marshall({ ...balanceKey(fund.fundId), ...FundBalanceSchema.parse(balance) }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Seeds a fund (the local cloud's reference data: `conversion-2019` from the default policy). Idempotent:
 * a conditional put of the balance item with its audit entry; an open fund is left as it is.
 */
export async function seedFund(
  audit: DynamoAuditTrail,
  fundsTable: string,
  fund: { fundId: string; totalFen: number },
  at: string = new Date().toISOString(),
): Promise<'opened' | 'exists'> {
  try {
    await audit.appendWithin(
      {
        at,
        actor: { userId: 'seed', role: 'system' },
        action: 'fund.opened',
        subject: `fund:${fund.fundId}`,
        inputHash: null,
        policyVersion: null,
        details: { fundId: fund.fundId, totalFen: fund.totalFen },
      },
      [openFundItem(fundsTable, { ...fund, at })],
    );
    return 'opened';
  } catch (error) {
    if (error instanceof TransactionConditionFailedError) return 'exists';
    throw error;
  }
}

/**
 * Publishes a policy version with its audit entry in one transaction, as the same item
 * `DynamoPolicyStore` writes and reads (`policyPut`).
 */
export class DynamoPolicyPublisher implements PolicyPublisher {
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(table: string, audit: DynamoAuditTrail) {
    this.#table = table;
    this.#audit = audit;
  }

  async publishAudited(policy: Policy, audit: AuditEntryDraft): Promise<'published' | 'version_exists'> {
    try {
      await this.#audit.appendWithin(audit, [{ Put: policyPut(this.#table, policy) }]);
      return 'published';
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) return 'version_exists';
      throw error;
    }
  }
}
