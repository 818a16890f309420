import { beforeAll, describe, expect, it } from 'vitest';
import type { FundView } from '#shared/schemas/fund.ts';
import type { LeadView } from '#shared/use-cases/get-lead.ts';
import { api, eventually, freshLead, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund, DEFAULT_FUND } from '#test/support/default-fund.ts';
import { completePayoutPrerequisites } from '#test/support/payout-prerequisites.ts';

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

describe('GET /leads/{id} shows what followed the decision', () => {
  it('carries the fund allocation, the pending re-evaluation and finance’s verdict', async () => {
    const sector = await tokenFor('sector:optoelectronics');
    const approver = await tokenFor('finance', 'view-approver');
    const admin = await tokenFor('admin', 'view-admin');
    // Room in the shared fund whatever earlier tests reserved: the waitlist is served first.
    const fund = await api<FundView>('GET', `/funds/${DEFAULT_FUND.fundId}`, { token: admin });
    const waitingFen = fund.body.waitlist.reduce((sum, entry) => sum + entry.wantFen, 0);
    await api('POST', `/funds/${DEFAULT_FUND.fundId}/top-up`, {
      token: admin,
      body: { amount: ((waitingFen + 10_000_000_00) / 100).toFixed(2) },
    });

    const leadId = await submit(
      sector,
      freshLead('optoelectronics', { actualInvestment: undefined, fundRequest: '100万' }),
    );
    await waitForEvaluation(sector, leadId);
    const evaluated = await eventually(async () => {
      const view = (await api<LeadView>('GET', `/leads/${leadId}`, { token: sector })).body;
      return view.allocation?.revision === 1 ? view : undefined;
    });
    expect(evaluated.allocation).toMatchObject({ state: 'reserved', reservedFen: 100_000_000 });
    expect(evaluated.review).toBeNull();
    expect(evaluated.caseOutcome).toBeNull();
    expect(evaluated.pendingRevision).toBeUndefined();

    const reported = await api('POST', `/leads/${leadId}/actual-investment`, {
      token: sector,
      body: { amount: '1.2亿', evidence: '验资报告' },
    });
    expect(reported.status).toBe(202);
    const waiting = (await api<LeadView>('GET', `/leads/${leadId}`, { token: sector })).body;
    // Either the re-evaluation is still waiting (and says which revision), or it is already recorded.
    if (waiting.latestRevision === 1) expect(waiting.pendingRevision).toBe(2);
    const reevaluated = await eventually(async () => {
      const view = (await api<LeadView>('GET', `/leads/${leadId}`, { token: sector })).body;
      return view.latestRevision === 2 && view.allocation?.revision === 2 ? view : undefined;
    });
    expect(reevaluated.pendingRevision).toBeUndefined();

    await completePayoutPrerequisites(leadId, sector);
    const approved = await api('POST', `/leads/${leadId}/approve`, { token: approver, body: {} });
    expect(approved.status).toBe(200);
    const after = (await api<LeadView>('GET', `/leads/${leadId}`, { token: sector })).body;
    expect(after.review).toMatchObject({ state: 'APPROVED', rewardFen: 240_000_000, fundFen: 100_000_000 });
    expect(after.allocation).toMatchObject({ state: 'committed', committedFen: 100_000_000 });
  });
});
