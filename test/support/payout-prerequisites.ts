/**
 * What the payout rules of `kfq-2019` (issue 17, docs/payout.md) need on record before finance may approve
 * a reward, recorded through the API as the people who record them would: the one helper the tests that
 * approve and pay call before their approval, so each of them keeps testing what it tested.
 *
 * Recorded today: the referrer's registration (报备), by the lead's sector team, and its re-evaluation;
 * the evidence (an audit report and an on-site check, by two people of the team); above the first approval
 * tier the finance head's sign-off and, where needed, the collective decision.
 */
import { randomUUID } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ReferrerRegistration } from '#shared/schemas/referrer-registration.ts';
import { auditReport, siteCheck } from '#test/fixtures/evidence.ts';
import { referrerRegistration } from '#test/fixtures/referrer-registration.ts';

// Kept in a fixture without vitest (the crash loop runs outside it too); imported from here by the tests.
export { PAYOUT_GATES_OFF } from '#test/fixtures/payout-settings.ts';

import { api, eventually, localDynamoDb, tableName, tokenFor } from './api.ts';

interface LeadState {
  readonly status: string;
  readonly latestRevision: number;
  readonly pendingRevision?: number;
}

const SETTLED = new Set(['PENDING_FINANCE', 'PENDING_CASE_REVIEW']);

/** The lead once no re-evaluation is pending (the registration is refused while one is). */
async function settledLead(token: string, leadId: string): Promise<LeadState> {
  return eventually(async () => {
    const answer = await api<LeadState>('GET', `/leads/${leadId}`, { token });
    const lead = answer.body;
    return answer.status === 200 && SETTLED.has(lead.status) && lead.pendingRevision === undefined
      ? lead
      : undefined;
  });
}

/**
 * Finance acts once the queued allocation of the new revision has arrived (an approval racing it may be
 * refused as a concurrent change, rightly); a decision that asks the fund for nothing has none to wait for.
 */
async function allocationSettled(token: string, leadId: string, revision: number): Promise<void> {
  await eventually(async () => {
    const view = await api<{
      allocation: { revision: number } | null;
      latestDecision: { decision: { fund: { capFen?: number } } } | null;
    }>('GET', `/leads/${leadId}`, { token });
    const cap = view.body.latestDecision?.decision.fund.capFen ?? 0;
    const allocation = view.body.allocation;
    if (allocation === null) return cap === 0 ? true : undefined;
    return allocation.revision >= revision || cap === 0 ? true : undefined;
  });
}

/**
 * The evidence of the actual investment: an audit report certifying the decision's actual investment,
 * recorded by the officer, and a confirming on-site check recorded by a colleague of the same team (two
 * different people, neither of them finance's approver).
 */
async function recordEvidence(leadId: string, sectorToken: string): Promise<void> {
  const view = await api<{ sector: string; lead: { actualInvestment?: number; plannedInvestment: number } }>(
    'GET',
    `/leads/${leadId}`,
    { token: sectorToken },
  );
  const amountFen = view.body.lead.actualInvestment ?? view.body.lead.plannedInvestment;
  const report = await api('POST', `/leads/${leadId}/evidence/audit-report`, {
    token: sectorToken,
    body: auditReport(amountFen),
  });
  if (report.status !== 201) throw new Error(`audit report: ${report.status} ${JSON.stringify(report.body)}`);
  const checker = await tokenFor(`sector:${view.body.sector}`, `site-checker-${randomUUID().slice(0, 8)}`);
  const check = await api('POST', `/leads/${leadId}/evidence/site-check`, {
    token: checker,
    body: siteCheck(),
  });
  if (check.status !== 201) throw new Error(`site check: ${check.status} ${JSON.stringify(check.body)}`);
}

/**
 * Records the referrer's registration as the lead's sector team (`sectorToken`) and waits until its
 * re-evaluation is the lead's latest decision. Returns that revision.
 */
export async function completePayoutPrerequisites(
  leadId: string,
  sectorToken: string,
  options: {
    readonly registration?: ReferrerRegistration;
    /** false: leave every approval sign-off to the test (tests of the tiers themselves). */
    readonly signOffs?: boolean;
  } = {},
): Promise<{ readonly revision: number }> {
  await settledLead(sectorToken, leadId);
  const registered = await api<{ revision: number }>('POST', `/leads/${leadId}/referrer-registration`, {
    token: sectorToken,
    body: options.registration ?? referrerRegistration(),
  });
  if (registered.status !== 202) {
    throw new Error(`referrer registration: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  const { revision } = registered.body;
  await eventually(async () => {
    const lead = await settledLead(sectorToken, leadId);
    return lead.latestRevision >= revision ? lead : undefined;
  });
  await allocationSettled(sectorToken, leadId, revision);
  await recordEvidence(leadId, sectorToken);
  if (options.signOffs !== false) await signAboveFirstTier(leadId);
  return { revision };
}

/** A collective decision as the tests record it (县政府常务会议, with its minutes' number). */
export const COLLECTIVE_DECISION = {
  body: '县政府常务会议',
  meetingDate: '2026-07-10',
  minutesNumber: '〔2026〕第12次',
} as const;

/**
 * The sign-offs an approval above the first tier needs besides finance's own (issue 17, part 3): the
 * finance head's, and the collective decision when the amount or a 一事一议 outcome asks for it; so the
 * test's own `POST /leads/{id}/approve` as finance is the last sign-off, which approves. Within the first
 * tier the head's sign-off is not needed (409 `sign_off_not_needed`) and nothing is recorded; before a
 * 一事一议 outcome is recorded nothing can be signed (the test calls this again once it is).
 */
export async function signAboveFirstTier(leadId: string): Promise<void> {
  const head = await tokenFor('finance-head', `finance-head-${randomUUID().slice(0, 8)}`);
  const signed = await api<{ code?: string; missing?: string[] }>('POST', `/leads/${leadId}/approve`, {
    token: head,
    body: {},
  });
  // Within the first tier nothing to sign; a 一事一议 lead is signed once its outcome is recorded.
  const nothingYet = ['sign_off_not_needed', 'case_outcome_missing'];
  if (signed.status === 409 && nothingYet.includes(signed.body.code ?? '')) return;
  if (signed.status !== 202)
    throw new Error(`head sign-off: ${signed.status} ${JSON.stringify(signed.body)}`);
  if (!signed.body.missing?.includes('collectiveDecision')) return;
  const decided = await api('POST', `/leads/${leadId}/approve`, {
    token: head,
    body: { collectiveDecision: COLLECTIVE_DECISION },
  });
  if (decided.status !== 202) {
    throw new Error(`collective decision: ${decided.status} ${JSON.stringify(decided.body)}`);
  }
}

/**
 * Test-side time travel of one record: moves the stored public notice (公示) of an approved lead into the
 * past, directly in DynamoDB Local, so a test that approves and then pays under kfq-2019 need not wait 5
 * real working days (issue 17, part 4). Only the notice's dates change (its deadline to yesterday, its end
 * to a minute ago); objections still hold the payment. The real wait, on a pinned clock, is tested in
 * test/integration/payout/public-notice.test.ts. Call it between the approval and `POST …/paid`.
 */
export async function endNoticePeriod(leadId: string): Promise<void> {
  const endedAt = new Date(Date.now() - 60_000);
  const deadline = new Date(endedAt.getTime() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
  const client = localDynamoDb();
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName('LEADS_TABLE'),
        Key: marshall({ pk: `LEAD#${leadId}`, sk: 'NOTICE' }),
        UpdateExpression: 'SET endsAt = :ended, objectionDeadline = :deadline',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: marshall({ ':ended': endedAt.toISOString(), ':deadline': deadline }),
      }),
    );
  } finally {
    client.destroy();
  }
}

/**
 * The same time travel for a reward by decision (重奖, issue 20), whose 公示 is its own record beside the
 * lead (`sk NOTICE#<rewardId>`): its objection deadline to yesterday, its end to a minute ago.
 */
export async function endDiscretionaryNoticePeriod(leadId: string, rewardId: string): Promise<void> {
  const endedAt = new Date(Date.now() - 60_000);
  const deadline = new Date(endedAt.getTime() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
  const client = localDynamoDb();
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName('LEADS_TABLE'),
        Key: marshall({ pk: `LEAD#${leadId}`, sk: `NOTICE#${rewardId}` }),
        UpdateExpression: 'SET endsAt = :ended, objectionDeadline = :deadline',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: marshall({ ':ended': endedAt.toISOString(), ':deadline': deadline }),
      }),
    );
  } finally {
    client.destroy();
  }
}
