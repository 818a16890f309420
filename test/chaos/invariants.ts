import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeadTrack } from './crash-loop.ts';
import type { ChaosClient } from './http.ts';
import type { AuditEntryLite } from './timeline.ts';
import type { ChaosPlan } from './workload.ts';

/**
 * What the crash loop checks at the end, with the stack up. Everything is read through the API as
 * finance and an auditor see it, except what the API does not show: whether a lead still has a
 * `pendingRevision`, and what the pending-work index (if the Leads table has one) still holds, read from
 * DynamoDB Local at the endpoint in the stack file. The readers are tolerant of fields they do not know,
 * so the checks keep meaning the same while the pipeline's internals change.
 */

export interface InvariantResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was checked, in one line. */
  readonly checked: string;
  /** Each violation, naming the lead and what was seen. */
  readonly problems: readonly string[];
}

interface Revision {
  readonly revision: number;
  readonly evaluatedAt: string;
}

export interface LeadView {
  readonly leadId: string;
  readonly status: string;
  readonly latestRevision: number;
  readonly duplicateOf: string | null;
  readonly evaluationFailure: unknown;
  readonly revisions: readonly Revision[];
  readonly latestDecision: {
    readonly revision: number;
    readonly adjustments?: readonly { readonly code: string }[];
    readonly decision: {
      readonly fund: { readonly fundId: string; readonly eligible: boolean | null; readonly capFen: number };
    };
  } | null;
}

export interface AllocationView {
  readonly state: string;
  readonly revision: number;
  readonly capFen: number;
  readonly reservedFen: number;
  readonly committedFen: number;
  readonly wantFen: number;
  readonly negotiated?: boolean;
}

export interface RewardView {
  readonly leadId: string;
  readonly status: string;
  readonly allocation: AllocationView | null;
  readonly review: { readonly state: string; readonly rewardFen: number; readonly fundFen: number } | null;
}

export interface WaitlistEntryView {
  readonly leadId: string;
  readonly position: number;
  readonly wantFen: number;
  /** When the decision that asked was made (`evaluatedAt`, or `waitingSince` in newer views). */
  readonly since: string | undefined;
}

export interface FundView {
  readonly totalFen: number;
  readonly availableFen: number;
  readonly reservedFen: number;
  readonly committedFen: number;
  readonly version: number | undefined;
  readonly waitlist: readonly WaitlistEntryView[];
}

export interface Observation {
  readonly at: number;
  readonly views: ReadonlyMap<string, LeadView | undefined>;
  /** `pendingRevision` of each accepted lead's item, where set. */
  readonly pendingRevisions: ReadonlyMap<string, number>;
  /** Items left in a pending-work index of the Leads table (undefined: the table has no such index). */
  readonly pendingWork: readonly string[] | undefined;
  readonly fund: FundView | undefined;
  readonly rewards: ReadonlyMap<string, RewardView>;
  readonly readProblems: readonly string[];
}

export interface CheckContext {
  /** A client for the checks (never stopped), and the tokens of the run. */
  readonly client: ChaosClient;
  readonly token: (user: string) => string;
  readonly envOf: () => Record<string, string> | undefined;
  readonly fundId: string;
}

const DECIDED = new Set(['PENDING_FINANCE', 'PENDING_CASE_REVIEW', 'APPROVED', 'REJECTED', 'PAID']);
const OPEN = new Set(['PENDING_FINANCE', 'PENDING_CASE_REVIEW']);
const REWARD_STATUSES = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW', 'APPROVED', 'REJECTED', 'PAID'];
const ATTEMPTS = 8;

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** ¥ text of an amount in fen, for problem lines. */
export function yuan(fen: number): string {
  return Number.isFinite(fen)
    ? `${(fen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} yuan`
    : String(fen);
}

function allocationOf(value: unknown): AllocationView | null {
  if (value === null || value === undefined) return null;
  const a = record(value);
  return {
    state: str(a.state) ?? '?',
    revision: num(a.revision),
    capFen: num(a.capFen),
    reservedFen: num(a.reservedFen),
    committedFen: num(a.committedFen),
    wantFen: num(a.wantFen ?? 0),
    ...(typeof a.negotiated === 'boolean' ? { negotiated: a.negotiated } : {}),
  };
}

async function getJson(context: CheckContext, path: string, user: string): Promise<unknown> {
  const answer = await context.client.retrying('read', 'GET', path, { token: context.token(user) }, ATTEMPTS);
  if (answer.status !== 200)
    throw new Error(`GET ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

async function pages(context: CheckContext, path: string, user: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const body = record(
      await getJson(
        context,
        `${path}${separator}limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        user,
      ),
    );
    items.push(...(Array.isArray(body.items) ? body.items : []));
    cursor = str(body.nextCursor) ?? null;
  } while (cursor !== null);
  return items;
}

/** Reads every accepted lead, the fund, the rewards (allocations, reviews) and the tables' pending markers. */
export async function observe(context: CheckContext, accepted: readonly LeadTrack[]): Promise<Observation> {
  const readProblems: string[] = [];
  const ids = accepted.flatMap((track) => (track.leadId === undefined ? [] : [track.leadId]));
  const views = new Map<string, LeadView | undefined>();
  await Promise.all(
    ids.map(async (leadId) => {
      try {
        views.set(leadId, (await getJson(context, `/leads/${leadId}`, 'fin-1')) as LeadView);
      } catch (error) {
        views.set(leadId, undefined);
        readProblems.push(`${leadId}: ${String(error)}`);
      }
    }),
  );

  let fund: FundView | undefined;
  try {
    const body = record(await getJson(context, `/funds/${context.fundId}`, 'fin-1'));
    fund = {
      totalFen: num(body.totalFen),
      availableFen: num(body.availableFen),
      reservedFen: num(body.reservedFen),
      committedFen: num(body.committedFen),
      version: typeof body.version === 'number' ? body.version : undefined,
      waitlist: (Array.isArray(body.waitlist) ? body.waitlist : []).map((raw) => {
        const entry = record(raw);
        return {
          leadId: str(entry.leadId) ?? '?',
          position: num(entry.position),
          wantFen: num(entry.wantFen),
          since: str(entry.evaluatedAt) ?? str(entry.waitingSince),
        };
      }),
    };
  } catch (error) {
    readProblems.push(`fund: ${String(error)}`);
  }

  const rewards = new Map<string, RewardView>();
  for (const status of REWARD_STATUSES) {
    try {
      for (const raw of await pages(context, `/rewards?status=${status}`, 'fin-1')) {
        const item = record(raw);
        const leadId = str(item.leadId);
        if (leadId === undefined) continue;
        const review = item.review === null || item.review === undefined ? null : record(item.review);
        rewards.set(leadId, {
          leadId,
          status: str(item.status) ?? status,
          allocation: allocationOf(record(item.fund).allocation),
          review:
            review === null
              ? null
              : {
                  state: str(review.state) ?? '?',
                  rewardFen: num(review.rewardFen),
                  fundFen: num(review.fundFen),
                },
        });
      }
    } catch (error) {
      readProblems.push(`rewards ${status}: ${String(error)}`);
    }
  }

  const { pendingRevisions, pendingWork } = await readTables(context, ids, readProblems);
  return { at: Date.now(), views, pendingRevisions, pendingWork, fund, rewards, readProblems };
}

async function readTables(
  context: CheckContext,
  ids: readonly string[],
  readProblems: string[],
): Promise<{ pendingRevisions: Map<string, number>; pendingWork: string[] | undefined }> {
  const pendingRevisions = new Map<string, number>();
  const env = context.envOf();
  const endpoint = env?.AWS_ENDPOINT_URL_DYNAMODB;
  const table = env?.LEADS_TABLE;
  if (env === undefined || endpoint === undefined || table === undefined) {
    readProblems.push('no stack file: DynamoDB not read');
    return { pendingRevisions, pendingWork: undefined };
  }
  const dynamo = new DynamoDBClient({
    endpoint,
    region: env.AWS_REGION ?? 'cn-north-1',
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
    maxAttempts: 5,
  });
  try {
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(i, i + 100)
        .map((id) => marshall({ pk: `LEAD#${id}`, sk: 'LEAD' }));
      while (keys !== undefined && keys.length > 0) {
        const answer = await dynamo.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: keys as never, ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[table] ?? []) {
          const lead = unmarshall(item);
          if (lead.pendingRevision !== undefined && lead.pendingRevision !== null) {
            pendingRevisions.set(String(lead.pk).slice('LEAD#'.length), Number(lead.pendingRevision));
          }
        }
        keys = answer.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    // A sparse index of pending work, if the table has one: what it still lists is work not done.
    const described = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    const index = described.Table?.GlobalSecondaryIndexes?.find((gsi) =>
      /pending/i.test(gsi.IndexName ?? ''),
    );
    if (index?.IndexName === undefined) return { pendingRevisions, pendingWork: undefined };
    const pendingWork: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: table, IndexName: index.IndexName, ExclusiveStartKey: start as never }),
      );
      for (const item of page.Items ?? []) {
        const marker = unmarshall(item);
        pendingWork.push(
          Object.entries(marker)
            .filter(([name]) => !/^gsi/.test(name))
            .map(
              ([name, value]) =>
                `${name}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
            )
            .join(' '),
        );
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return { pendingRevisions, pendingWork };
  } catch (error) {
    readProblems.push(`DynamoDB: ${String(error)}`);
    return { pendingRevisions, pendingWork: undefined };
  } finally {
    dynamo.destroy();
  }
}

const isDuplicate = (view: LeadView) =>
  view.duplicateOf !== null ||
  (view.latestDecision?.adjustments ?? []).some((a) => a.code === 'DUPLICATE_PROJECT');
const asksFund = (view: LeadView) => {
  const fund = view.latestDecision?.decision.fund;
  return fund !== undefined && fund.eligible === true && fund.capFen > 0 && !isDuplicate(view);
};
const held = (allocation: AllocationView | null | undefined) =>
  allocation === null || allocation === undefined
    ? 0
    : (allocation.reservedFen || 0) + (allocation.committedFen || 0);

/** Why an accepted lead is not (yet) decided at the revision it was given, or undefined. */
function undecided(track: LeadTrack, observation: Observation): string | undefined {
  const leadId = track.leadId ?? '?';
  const view = observation.views.get(leadId);
  if (view === undefined) return `${leadId}: not readable`;
  const pending = observation.pendingRevisions.get(leadId);
  const facts = `${view.status}, revision ${view.latestRevision}, reported ${track.reportedRevision}${pending === undefined ? '' : `, pendingRevision ${pending}`}`;
  if (!DECIDED.has(view.status)) return `${leadId}: ${facts}`;
  if (view.latestRevision < track.reportedRevision) return `${leadId}: ${facts}`;
  if (pending !== undefined) return `${leadId}: ${facts}`;
  if (view.evaluationFailure !== null && view.evaluationFailure !== undefined) {
    return `${leadId}: ${facts}, evaluation failed ${JSON.stringify(view.evaluationFailure)}`;
  }
  return undefined;
}

/** Why a decided lead's allocation is not what its decision and status call for, or undefined. */
function misallocated(view: LeadView, observation: Observation): string | undefined {
  const allocation = observation.rewards.get(view.leadId)?.allocation ?? null;
  const decision = view.latestDecision;
  if (decision === null || !DECIDED.has(view.status)) return undefined;
  const shown =
    allocation === null
      ? 'no allocation'
      : `${allocation.state} rev ${allocation.revision} cap ${yuan(allocation.capFen)} reserved ${yuan(allocation.reservedFen)} committed ${yuan(allocation.committedFen)} want ${yuan(allocation.wantFen)}`;
  const where = `${view.leadId} (${view.status}, decision rev ${decision.revision}, cap ${yuan(decision.decision.fund.capFen)})`;
  if (!asksFund(view)) {
    return held(allocation) > 0
      ? `${where}: ${isDuplicate(view) ? 'a duplicate' : 'not fund-eligible'} yet holds money: ${shown}`
      : undefined;
  }
  if (allocation === null) return `${where}: no allocation`;
  if (view.status === 'REJECTED') {
    return allocation.state === 'released' && held(allocation) === 0
      ? undefined
      : `${where}: rejected but ${shown}`;
  }
  if (view.status === 'APPROVED' || view.status === 'PAID') {
    return allocation.state === 'committed' && allocation.reservedFen === 0
      ? undefined
      : `${where}: approved but ${shown}`;
  }
  if (!OPEN.has(view.status)) return undefined;
  if (allocation.state !== 'reserved' && allocation.state !== 'waitlisted') return `${where}: ${shown}`;
  if (!(allocation.revision >= decision.revision))
    return `${where}: allocation behind the decision: ${shown}`;
  if (allocation.negotiated !== true && allocation.capFen !== decision.decision.fund.capFen)
    return `${where}: cap differs: ${shown}`;
  if (allocation.reservedFen > allocation.capFen) return `${where}: holds more than its cap: ${shown}`;
  if (
    allocation.state === 'waitlisted' &&
    !(observation.fund?.waitlist ?? []).some((entry) => entry.leadId === view.leadId)
  ) {
    return `${where}: waitlisted but not in the fund's waitlist: ${shown}`;
  }
  return undefined;
}

/** Empty when the pipeline has nothing left to do; otherwise what it still has to do. */
export function settledProblems(
  observation: Observation,
  previous: Observation | undefined,
  accepted: readonly LeadTrack[],
): string[] {
  const problems = [...observation.readProblems];
  for (const track of accepted) {
    const why = undecided(track, observation);
    if (why !== undefined) problems.push(why);
  }
  for (const view of observation.views.values()) {
    const why = view === undefined ? undefined : misallocated(view, observation);
    if (why !== undefined) problems.push(why);
  }
  if ((observation.pendingWork ?? []).length > 0)
    problems.push(`${observation.pendingWork?.length} pending-work items left`);
  const fund = observation.fund;
  if (fund !== undefined && fund.availableFen > 0 && fund.waitlist.length > 0) {
    problems.push(`${yuan(fund.availableFen)} available while ${fund.waitlist.length} leads wait`);
  }
  // Stable: nothing moved in the fund since the previous look.
  if (previous === undefined) problems.push('first look');
  else if (JSON.stringify(previous.fund) !== JSON.stringify(fund)) problems.push('the fund is still moving');
  return problems;
}

function result(name: string, checked: string, problems: readonly string[]): InvariantResult {
  return { name, ok: problems.length === 0, checked, problems };
}

async function auditTrail(context: CheckContext): Promise<AuditEntryLite[]> {
  const entries = (await pages(context, '/audit', 'auditor')).map((raw) => {
    const entry = record(raw);
    return {
      seq: num(entry.seq),
      at: str(entry.at) ?? '',
      action: str(entry.action) ?? '',
      subject: str(entry.subject) ?? '',
      details: record(entry.details),
    };
  });
  // Oldest first. GET /audit answers newest first by time across the chains; a seq orders one chain only,
  // and one lead's steps may sit in different chains (each writer appends to its own).
  return entries.reverse();
}

/** Every invariant, from the last observation, the audit trail, its verification and the lead list. */
/** What the judge needs beyond the last observation; a string where it could not be read. */
export interface Evidence {
  readonly observation: Observation;
  readonly audit: readonly AuditEntryLite[] | string;
  /** Every lead id GET /leads lists, page after page. */
  readonly listed: readonly string[] | string;
  /** GET /audit/verify's answer. */
  readonly verify: Readonly<Record<string, unknown>> | string;
}

async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | string> {
  try {
    return await work();
  } catch (error) {
    return `${what} could not be read: ${String(error)}`;
  }
}

export async function gatherEvidence(context: CheckContext, observation: Observation): Promise<Evidence> {
  return {
    observation,
    audit: await attempt('the audit trail', () => auditTrail(context)),
    listed: await attempt('GET /leads', async () =>
      (await pages(context, '/leads', 'fin-1')).map((item) => str(record(item).leadId) ?? '?'),
    ),
    verify: await attempt('GET /audit/verify', async () =>
      record(await getJson(context, '/audit/verify', 'auditor')),
    ),
  };
}

/** Every invariant, judged on the evidence (pure: the crash loop's checks, testable without a stack). */
export function judge(evidence: Evidence, tracks: readonly LeadTrack[], plan: ChaosPlan): InvariantResult[] {
  const { observation } = evidence;
  const invariants: InvariantResult[] = [];
  const accepted = tracks.filter((track) => track.leadId !== undefined);
  const audit = typeof evidence.audit === 'string' ? [] : evidence.audit;
  const auditProblem = typeof evidence.audit === 'string' ? evidence.audit : undefined;

  // 0. Intake: every lead a team sent was accepted (202), none refused.
  invariants.push(
    result(
      'every lead sent is accepted (202)',
      `${tracks.length} leads sent, ${accepted.length} accepted`,
      tracks.flatMap((track) =>
        track.leadId !== undefined
          ? []
          : [
              `lead ${track.plan.index + 1} (${track.plan.key}): ${track.refused === undefined ? 'never answered 202 (run ended)' : `refused ${track.refused}`}`,
            ],
      ),
    ),
  );

  // 1. No accepted lead is lost: decided at the revision it was given, nothing pending left.
  const undecidedProblems = accepted.flatMap((track) => {
    const why = undecided(track, observation);
    return why === undefined ? [] : [why];
  });
  if (observation.pendingWork !== undefined && observation.pendingWork.length > 0) {
    undecidedProblems.push(
      ...observation.pendingWork.map((item) => `pending work left in the table: ${item}`),
    );
  }
  invariants.push(
    result(
      'every 202 is decided (no RECEIVED, revision ≥ reported, no pendingRevision)',
      `${accepted.length} leads; ${observation.pendingWork === undefined ? 'no pending-work index' : `pending-work index: ${observation.pendingWork.length} items`}`,
      [...observation.readProblems, ...undecidedProblems],
    ),
  );

  // 2. Every fund-eligible, non-duplicate decision has its allocation; others hold nothing.
  const views = [...observation.views.values()].filter((view): view is LeadView => view !== undefined);
  const waitlist = observation.fund?.waitlist ?? [];
  const allocationProblems = views.flatMap((view) => {
    const why = misallocated(view, observation);
    return why === undefined ? [] : [why];
  });
  const waitlisted = new Set(
    views
      .filter((view) => observation.rewards.get(view.leadId)?.allocation?.state === 'waitlisted')
      .map((view) => view.leadId),
  );
  const entryCounts = new Map<string, number>();
  for (const entry of waitlist) entryCounts.set(entry.leadId, (entryCounts.get(entry.leadId) ?? 0) + 1);
  for (const [leadId, count] of entryCounts) {
    if (count > 1) allocationProblems.push(`${leadId}: ${count} waitlist entries`);
    if (!waitlisted.has(leadId)) {
      allocationProblems.push(
        `${leadId}: in the waitlist but its allocation is ${observation.rewards.get(leadId)?.allocation?.state ?? 'not shown'}`,
      );
    }
  }
  invariants.push(
    result(
      'every fund-eligible decision has its allocation (reserved/waitlisted, committed if approved, released if rejected)',
      `${views.filter(asksFund).length} fund-eligible non-duplicate leads, ${views.filter(isDuplicate).length} duplicates, ${waitlist.length} waiting`,
      allocationProblems,
    ),
  );

  // 3. The fund's balance.
  const fund = observation.fund;
  const balanceProblems: string[] = [];
  const allocations = views.map((view) => observation.rewards.get(view.leadId)?.allocation ?? null);
  const sumReserved = allocations.reduce((sum, a) => sum + (a?.reservedFen || 0), 0);
  const sumCommitted = allocations.reduce((sum, a) => sum + (a?.committedFen || 0), 0);
  if (fund === undefined) balanceProblems.push('the fund could not be read');
  else {
    const { totalFen, availableFen, reservedFen, committedFen } = fund;
    if (totalFen !== availableFen + reservedFen + committedFen) {
      balanceProblems.push(
        `total ${yuan(totalFen)} ≠ available ${yuan(availableFen)} + reserved ${yuan(reservedFen)} + committed ${yuan(committedFen)}`,
      );
    }
    for (const [name, value] of Object.entries({ availableFen, reservedFen, committedFen })) {
      if (!(Number.isSafeInteger(value) && value >= 0)) balanceProblems.push(`${name} is ${value}`);
    }
    if (totalFen !== plan.fundTotalFen)
      balanceProblems.push(`total ${yuan(totalFen)}, not the ${yuan(plan.fundTotalFen)} opened`);
    if (reservedFen !== sumReserved) {
      balanceProblems.push(
        `reserved ${yuan(reservedFen)} ≠ ${yuan(sumReserved)} held by the leads' allocations`,
      );
    }
  }
  invariants.push(
    result(
      'fund: total = available + reserved + committed exactly, available ≥ 0',
      fund === undefined
        ? 'GET /funds'
        : `total ${yuan(fund.totalFen)}, available ${yuan(fund.availableFen)}, reserved ${yuan(fund.reservedFen)}, committed ${yuan(fund.committedFen)}`,
      balanceProblems,
    ),
  );

  // 4. The waitlist is served in order of evaluation.
  invariants.push(waitlistOrder(observation, views, audit));

  // 5. No reward approved or paid twice.
  invariants.push(noRewardTwice(observation, views, tracks, audit, auditProblem, sumCommitted));

  // 6. No lead twice.
  const leadProblems: string[] = [];
  for (const track of accepted) {
    if (track.leadIds.size > 1)
      leadProblems.push(`${track.plan.key} answered ${[...track.leadIds].join(', ')}`);
  }
  const acceptedIds = new Set(accepted.map((track) => track.leadId));
  if (acceptedIds.size !== accepted.length)
    leadProblems.push(`${accepted.length} keys accepted, ${acceptedIds.size} lead ids`);
  const listed = evidence.listed;
  if (typeof listed === 'string') leadProblems.push(listed);
  else {
    const listedSet = new Set(listed);
    if (listedSet.size !== listed.length)
      leadProblems.push(`GET /leads lists ${listed.length} items, ${listedSet.size} distinct`);
    for (const id of listedSet)
      if (!acceptedIds.has(id)) leadProblems.push(`${id}: listed, but no key was answered with it`);
    for (const id of acceptedIds)
      if (id !== undefined && !listedSet.has(id)) leadProblems.push(`${id}: accepted, not listed`);
  }
  if (auditProblem === undefined) {
    const received = new Map<string, number>();
    for (const entry of audit)
      if (entry.action === 'lead.received')
        received.set(entry.subject, (received.get(entry.subject) ?? 0) + 1);
    for (const id of acceptedIds) {
      if (id !== undefined && received.get(id) !== 1)
        leadProblems.push(`${id}: ${received.get(id) ?? 0} lead.received audit entries`);
    }
  } else leadProblems.push(auditProblem);
  invariants.push(
    result(
      'no lead twice (one lead per Idempotency-Key; GET /leads lists each accepted lead once)',
      `${accepted.length} keys accepted, ${typeof listed === 'string' ? '?' : listed.length} leads listed`,
      leadProblems,
    ),
  );

  // 7. The audit trail verifies.
  const verify = evidence.verify;
  invariants.push(
    result(
      '/audit/verify ok',
      typeof verify === 'string' ? 'GET /audit/verify' : `checked ${String(verify.checked ?? '?')} entries`,
      typeof verify === 'string'
        ? [verify]
        : verify.ok === true
          ? []
          : [JSON.stringify(verify).slice(0, 500)],
    ),
  );

  return invariants;
}

/** Gathers the evidence and judges it. */
export async function checkInvariants(
  context: CheckContext,
  observation: Observation | undefined,
  tracks: readonly LeadTrack[],
  plan: ChaosPlan,
): Promise<{ invariants: InvariantResult[]; audit: AuditEntryLite[] }> {
  if (observation === undefined) {
    return {
      invariants: [
        result('the stack could be observed', 'GET /leads/{id}, /funds, /rewards', ['no observation']),
      ],
      audit: [],
    };
  }
  const evidence = await gatherEvidence(context, observation);
  return {
    invariants: judge(evidence, tracks, plan),
    audit: typeof evidence.audit === 'string' ? [] : [...evidence.audit],
  };
}

/**
 * Served in order, precisely: let `since(w)` be when the decision that put lead w in the waitlist was
 * made (the waitlist entry's time), and `first(L)` when lead L's first decision was made (its revision
 * 1). With the pipeline settled:
 * (a) the waitlist lists each waiting lead once, in order of (since, leadId);
 * (b) no money is available while a lead waits (it would have been served);
 * (c) no lead L holds money (reserved or committed) whose first(L) comes after since(w) of a lead w that
 *     still waits: nobody later in evaluation order holds money while an earlier lead wants some.
 */
function waitlistOrder(
  observation: Observation,
  views: readonly LeadView[],
  audit: readonly AuditEntryLite[],
): InvariantResult {
  const problems: string[] = [];
  const fund = observation.fund;
  const waitlist = [...(fund?.waitlist ?? [])].sort((a, b) => a.position - b.position);
  const firstOf = (leadId: string) =>
    observation.views
      .get(leadId)
      ?.revisions.reduce<Revision | undefined>(
        (first, revision) => (first === undefined || revision.revision < first.revision ? revision : first),
        undefined,
      )?.evaluatedAt;
  const key = (at: string, leadId: string) => `${at}#${leadId}`;
  waitlist.forEach((entry, i) => {
    if (entry.position !== i + 1) problems.push(`position ${entry.position} at place ${i + 1}`);
    const previous = waitlist[i - 1];
    if (
      previous !== undefined &&
      key(previous.since ?? firstOf(previous.leadId) ?? '', previous.leadId) >
        key(entry.since ?? firstOf(entry.leadId) ?? '', entry.leadId)
    ) {
      problems.push(
        `${entry.leadId} (since ${entry.since}) is listed after ${previous.leadId} (since ${previous.since})`,
      );
    }
  });
  if (fund !== undefined && fund.availableFen > 0 && waitlist.length > 0) {
    problems.push(
      `${yuan(fund.availableFen)} available while ${waitlist.length} leads wait (head ${waitlist[0]?.leadId}, wants ${yuan(waitlist[0]?.wantFen ?? 0)})`,
    );
  }
  // From the audit trail, when it happened: a lead's first step in the fund, its first money.
  const fundSteps = (leadId: string) =>
    audit.filter(
      (entry) =>
        entry.subject === leadId && /^(fund|reward)\./.test(entry.action) && entry.action !== 'reward.paid',
    );
  const firstFundStep = (leadId: string) => {
    const step = fundSteps(leadId)[0];
    return step === undefined ? '' : `; first fund step ${step.action} at ${step.at}`;
  };
  const firstMoney = (leadId: string) => {
    const step = fundSteps(leadId).find(
      (entry) => entry.details.move === 'reserve' || entry.details.move === 'commit',
    );
    return step === undefined
      ? ''
      : `; got money at ${step.at} by ${step.action} rev ${String(step.details.revision ?? '?')}`;
  };
  const earliest = waitlist
    .map((entry) => ({ entry, at: key(entry.since ?? firstOf(entry.leadId) ?? '', entry.leadId) }))
    .sort((a, b) => (a.at < b.at ? -1 : 1))[0];
  if (earliest !== undefined) {
    const overtaking = views
      .filter((view) => view.leadId !== earliest.entry.leadId)
      .map((view) => ({
        view,
        allocation: observation.rewards.get(view.leadId)?.allocation ?? null,
        first: firstOf(view.leadId),
      }))
      .filter(
        ({ view, allocation, first }) =>
          held(allocation) > 0 && first !== undefined && key(first, view.leadId) > earliest.at,
      );
    for (const { view, allocation, first } of overtaking.slice(0, 15)) {
      problems.push(
        `${view.leadId} (first decided ${first}, ${view.status}) holds ${yuan(held(allocation))} (${allocation?.state}${firstMoney(view.leadId)}) while ${earliest.entry.leadId} (waiting since ${earliest.entry.since}${firstFundStep(earliest.entry.leadId)}) wants ${yuan(earliest.entry.wantFen)}`,
      );
    }
    if (overtaking.length > 15) problems.push(`… and ${overtaking.length - 15} more`);
  }
  return result(
    'waitlist served in evaluation order (nobody later holds money while an earlier lead waits)',
    `${waitlist.length} waiting, ${fund === undefined ? '?' : yuan(fund.availableFen)} available`,
    problems,
  );
}

function noRewardTwice(
  observation: Observation,
  views: readonly LeadView[],
  tracks: readonly LeadTrack[],
  audit: readonly AuditEntryLite[],
  auditProblem: string | undefined,
  sumCommitted: number,
): InvariantResult {
  const problems: string[] = [];
  if (auditProblem !== undefined) problems.push(auditProblem);
  const count = (action: string) => {
    const counts = new Map<string, number>();
    for (const entry of audit)
      if (entry.action === action) counts.set(entry.subject, (counts.get(entry.subject) ?? 0) + 1);
    return counts;
  };
  const approvals = count('reward.approved');
  const payments = count('reward.paid');
  for (const [leadId, n] of approvals) if (n > 1) problems.push(`${leadId}: approved ${n} times`);
  for (const [leadId, n] of payments) {
    if (n > 1) problems.push(`${leadId}: paid ${n} times`);
    if (!approvals.has(leadId)) problems.push(`${leadId}: paid, never approved`);
  }
  // One reward per project: the leads repeating a project (another team's) earn nothing.
  const rootOf = (track: LeadTrack): number => {
    const repeats = track.plan.repeats;
    const original = repeats === undefined ? undefined : tracks[repeats];
    return original === undefined ? track.plan.index : rootOf(original);
  };
  const rewarded = new Map<number, string[]>();
  for (const track of tracks) {
    const review =
      track.leadId === undefined ? null : (observation.rewards.get(track.leadId)?.review ?? null);
    if (
      track.leadId === undefined ||
      review === null ||
      review.state === 'REJECTED' ||
      !(review.rewardFen > 0)
    )
      continue;
    const root = rootOf(track);
    rewarded.set(root, [...(rewarded.get(root) ?? []), track.leadId]);
  }
  for (const [root, leadIds] of rewarded) {
    if (leadIds.length > 1)
      problems.push(`project of lead ${root + 1}: rewards approved for ${leadIds.join(', ')}`);
  }
  for (const view of views) {
    const review = observation.rewards.get(view.leadId)?.review ?? null;
    if (
      isDuplicate(view) &&
      review !== null &&
      review.state !== 'REJECTED' &&
      (review.rewardFen > 0 || review.fundFen > 0)
    ) {
      problems.push(
        `${view.leadId}: a duplicate project approved with reward ${yuan(review.rewardFen)}, fund ${yuan(review.fundFen)}`,
      );
    }
    const allocation = observation.rewards.get(view.leadId)?.allocation ?? null;
    if (
      review !== null &&
      review.state !== 'REJECTED' &&
      allocation !== null &&
      allocation.committedFen !== review.fundFen
    ) {
      problems.push(
        `${view.leadId}: approved ${yuan(review.fundFen)} from the fund, allocation committed ${yuan(allocation.committedFen)}`,
      );
    }
  }
  const fund = observation.fund;
  if (fund !== undefined && fund.committedFen !== sumCommitted) {
    problems.push(
      `fund committed ${yuan(fund.committedFen)} ≠ ${yuan(sumCommitted)} committed by the approved leads' allocations`,
    );
  }
  const auditCommitted = audit
    .filter((entry) => entry.action === 'reward.approved' && entry.details.move === 'commit')
    .reduce((sum, entry) => sum + num(entry.details.amountFen), 0);
  if (
    auditProblem === undefined &&
    fund !== undefined &&
    audit.some((entry) => entry.action === 'reward.approved' && 'move' in entry.details)
  ) {
    if (auditCommitted !== fund.committedFen) {
      problems.push(
        `the audit trail's approvals commit ${yuan(auditCommitted)}, the fund shows ${yuan(fund.committedFen)}`,
      );
    }
  }
  return result(
    'no reward approved or paid twice (one per lead, one per project; committed = Σ approved allocations)',
    `${approvals.size} approved, ${payments.size} paid; committed ${fund === undefined ? '?' : yuan(fund.committedFen)}`,
    problems,
  );
}
