import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import type { FundView } from '#shared/schemas/fund.ts';
import type { LeadInput } from '#shared/schemas/lead.ts';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { api, eventually, tokenFor } from '#test/support/api.ts';
import { adaptersWithDefaultFund, DEFAULT_FUND } from '#test/support/default-fund.ts';
import { completePayoutPrerequisites } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 12, defects 2 and 3, over HTTP as a user would meet them: a duplicate project may never be
 * approved for any reward or fund amount (not even through one-case-one-policy), and nobody approves or
 * pays a revision whose actual investment they reported themselves.
 */

const FUND = DEFAULT_FUND;
let adapters: Adapters;

beforeAll(async () => {
  adapters = await adaptersWithDefaultFund();
});

async function submit(sector: string, userId: string, lead: LeadInput): Promise<string> {
  const key = randomUUID();
  const answer = await api('POST', '/leads', {
    token: await tokenFor(`sector:${sector}`, userId),
    headers: { 'idempotency-key': key },
    body: lead,
  });
  expect(answer.status).toBe(202);
  return leadIdFor(userId, key);
}

async function decided(leadId: string, revision = 1) {
  return eventually(async () => {
    const lead = await adapters.leads.get(leadId);
    return lead !== undefined && lead.latestRevision >= revision ? lead : undefined;
  });
}

async function fundOf(token: string): Promise<FundView> {
  return (await api<FundView>('GET', `/funds/${FUND.fundId}`, { token })).body;
}

describe('money through side routes', () => {
  it('refuses any reward or fund amount for a duplicate project, through case outcome and approval alike', async () => {
    const investor = freshInvestor();
    // Planned 6亿: one-case-one-policy, so both leads wait for a negotiated outcome.
    const project = leadInput({
      investor,
      plannedInvestment: '6亿',
      actualInvestment: '6亿',
      fundRequest: '500万',
    });
    const first = await submit('optoelectronics', `team-a-${randomUUID().slice(0, 6)}`, project);
    await decided(first);
    const duplicate = await submit('equipment', `team-b-${randomUUID().slice(0, 6)}`, {
      ...project,
      sector: 'equipment',
    });
    const lead = await decided(duplicate);
    expect(lead.status).toBe('PENDING_CASE_REVIEW');
    expect(lead.duplicateOf).toBe(first);

    const recorder = await tokenFor('finance', `fin-rec-${randomUUID().slice(0, 6)}`);
    const approver = await tokenFor('finance', `fin-app-${randomUUID().slice(0, 6)}`);
    const before = await fundOf(approver);

    for (const amounts of [
      { rewardFen: 300_000_000, fundFen: 500_000_000 },
      { rewardFen: 1, fundFen: 0 },
      { rewardFen: 0, fundFen: 1 },
    ]) {
      const outcome = await api<{ type: string; code: string }>('POST', `/leads/${duplicate}/case-outcome`, {
        token: recorder,
        body: { ...amounts, reason: '一事一议 纪要' },
      });
      expect(outcome.status).toBe(409);
      expect(outcome.body.type).toBe('/problems/duplicate-project');
    }
    expect(await adapters.reviews.caseOutcome(duplicate)).toBeUndefined();

    // Nothing for nothing: the negotiation may record that the duplicate gets nothing, and still it is never approved.
    const nothing = await api('POST', `/leads/${duplicate}/case-outcome`, {
      token: recorder,
      body: { rewardFen: 0, fundFen: 0, reason: '撞单，不予奖励' },
    });
    expect(nothing.status).toBe(200);
    const approve = await api<{ type: string }>('POST', `/leads/${duplicate}/approve`, {
      token: approver,
      body: {},
    });
    expect(approve.status).toBe(409);
    expect(approve.body.type).toBe('/problems/duplicate-project');
    expect(await adapters.reviews.review(duplicate)).toBeUndefined();
    expect(await adapters.funds.allocation(FUND.fundId, duplicate)).toMatchObject({
      reservedFen: 0,
      committedFen: 0,
    });
    const after = await fundOf(approver);
    expect(after.committedFen).toBe(before.committedFen);

    const listed = await api<{
      items: { leadId: string; approvable: boolean; notApprovableBecause: { code: string } | null }[];
    }>('GET', '/rewards?status=PENDING_FINANCE&sector=equipment&limit=100', { token: approver });
    expect(listed.body.items.find((item) => item.leadId === duplicate)).toMatchObject({
      approvable: false,
      notApprovableBecause: { code: 'duplicate_project' },
    });
  });

  it('refuses approval and payment to whoever reported the actual investment the reward rests on', async () => {
    const submitter = `officer-${randomUUID().slice(0, 6)}`;
    const both = `dual-${randomUUID().slice(0, 6)}`; // in the sector team and in finance
    const leadId = await submit('optoelectronics', submitter, {
      ...leadInput({ investor: freshInvestor(), actualInvestment: undefined, fundRequest: undefined }),
    });
    await decided(leadId);

    const inflated = await api('POST', `/leads/${leadId}/actual-investment`, {
      token: await tokenFor('sector:optoelectronics', both),
      body: { amount: '9亿', evidence: '验资报告' },
    });
    expect(inflated.status).toBe(202);
    await decided(leadId, 2);
    const [, revision2] = await adapters.leads.decisions(leadId);
    expect(revision2?.investmentReportedBy).toMatchObject({ userId: both });

    const selfApprove = await api<{ detail: string }>('POST', `/leads/${leadId}/approve`, {
      token: await tokenFor('finance', both),
      body: {},
      headers: { 'accept-language': 'en' },
    });
    expect(selfApprove.status).toBe(403);
    expect(selfApprove.body.detail).toContain('reported the actual investment');
    expect(await adapters.reviews.review(leadId)).toBeUndefined();

    await completePayoutPrerequisites(leadId, await tokenFor('sector:optoelectronics', submitter));
    const approved = await api('POST', `/leads/${leadId}/approve`, {
      token: await tokenFor('finance', `fin-${randomUUID().slice(0, 6)}`),
      body: {},
    });
    expect(approved.status).toBe(200);
    const selfPay = await api('POST', `/leads/${leadId}/paid`, {
      token: await tokenFor('finance', both),
      body: { reference: 'PAY-X' },
    });
    expect(selfPay.status).toBe(403);
    expect((await adapters.reviews.review(leadId))?.state).toBe('APPROVED');
  });
});
