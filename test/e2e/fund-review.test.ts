import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import type { FundView } from '#shared/schemas/fund.ts';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { api, eventually, tokenFor } from '#test/support/api.ts';
import { adaptersWithDefaultFund, DEFAULT_FUND } from '#test/support/default-fund.ts';
import { completePayoutPrerequisites, endNoticePeriod } from '#test/support/payout-prerequisites.ts';

const FUND = DEFAULT_FUND;
const REQUEST_FEN = 100_000_000; // 100万元

let adapters: Adapters;

beforeAll(async () => {
  adapters = await adaptersWithDefaultFund();
});

describe('the fund and finance review over HTTP', () => {
  it('takes a lead from submission through allocation, verified investment, approval and payment', async () => {
    const sectorUser = `officer-${randomUUID().slice(0, 6)}`;
    const sectorToken = await tokenFor('sector:optoelectronics', sectorUser);
    const approverToken = await tokenFor('finance', 'finance-approver');
    const payerToken = await tokenFor('finance', 'finance-payer');
    const adminToken = await tokenFor('admin', 'admin-1');
    const auditorToken = await tokenFor('auditor', 'auditor-1');

    // Make room in the shared fund, whatever earlier tests reserved: the waitlist is served first, so
    // top up what it waits for, plus room for this lead and for allocations still in flight.
    const before = await api<FundView>('GET', `/funds/${FUND.fundId}`, { token: adminToken });
    const waitingFen = before.body.waitlist.reduce((sum, entry) => sum + entry.wantFen, 0);
    const topUpFen = waitingFen + 500_000_000_00;
    const topUp = await api<FundView>('POST', `/funds/${FUND.fundId}/top-up`, {
      token: adminToken,
      body: { amount: (topUpFen / 100).toFixed(2) },
    });
    expect(topUp.status).toBe(200);

    const key = randomUUID();
    const lead = leadInput({ investor: freshInvestor(), actualInvestment: undefined, fundRequest: '100万' });
    const submitted = await api('POST', '/leads', {
      token: sectorToken,
      headers: { 'idempotency-key': key },
      body: lead,
    });
    expect(submitted.status).toBe(202);
    const leadId = leadIdFor(sectorUser, key);

    // Evaluation and allocation happen through the queues.
    const reserved = await eventually(async () => {
      const allocation = await adapters.funds.allocation(FUND.fundId, leadId);
      return allocation?.revision === 1 ? allocation : undefined;
    });
    expect(reserved).toMatchObject({ state: 'reserved', reservedFen: REQUEST_FEN });

    const early = await api<{ code: string }>('POST', `/leads/${leadId}/approve`, {
      token: approverToken,
      body: {},
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not_payable');

    const otherSector = await tokenFor('sector:food', 'officer-food');
    const foreign = await api('POST', `/leads/${leadId}/actual-investment`, {
      token: otherSector,
      body: { amount: '1.2亿' },
    });
    expect(foreign.status).toBe(404);

    const reported = await api<{ revision: number }>('POST', `/leads/${leadId}/actual-investment`, {
      token: sectorToken,
      body: { amount: '1.2亿', evidence: 'statistics bureau record 2019-07' },
    });
    expect(reported.status).toBe(202);
    expect(reported.body.revision).toBe(2);
    await eventually(async () => {
      const allocation = await adapters.funds.allocation(FUND.fundId, leadId);
      return allocation?.revision === 2 ? allocation : undefined;
    });

    const malformed = await api('POST', `/leads/${leadId}/approve`, {
      token: approverToken,
      body: 'not json',
    });
    expect(malformed.status).toBe(400);
    const listed = await api<{ items: { leadId: string; approvable: boolean }[] }>(
      'GET',
      '/rewards?status=PENDING_FINANCE&sector=optoelectronics&limit=100',
      { token: approverToken },
    );
    expect(listed.status).toBe(200);

    await completePayoutPrerequisites(leadId, sectorToken);
    const approved = await api<{ state: string; rewardFen: number; fundFen: number }>(
      'POST',
      `/leads/${leadId}/approve`,
      { token: approverToken, body: { note: 'verified' } },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'APPROVED', rewardFen: 240_000_000, fundFen: REQUEST_FEN });

    const selfPay = await api('POST', `/leads/${leadId}/paid`, {
      token: approverToken,
      body: { reference: 'PAY-1' },
    });
    expect(selfPay.status).toBe(403);
    // 公示 (issue 17, part 4): not while the approval's public notice runs.
    const whileNoticeRuns = await api<{ code: string }>('POST', `/leads/${leadId}/paid`, {
      token: payerToken,
      body: { reference: 'PAY-1' },
    });
    expect(whileNoticeRuns.status).toBe(409);
    expect(whileNoticeRuns.body.code).toBe('notice_open');
    await endNoticePeriod(leadId);
    const paid = await api('POST', `/leads/${leadId}/paid`, {
      token: payerToken,
      body: { reference: 'PAY-1' },
    });
    expect(paid.status).toBe(200);
    const again = await api('POST', `/leads/${leadId}/paid`, {
      token: payerToken,
      body: { reference: 'PAY-2' },
    });
    expect(again.status).toBe(409);

    const fund = await api<FundView>('GET', `/funds/${FUND.fundId}`, { token: auditorToken });
    expect(fund.status).toBe(200);
    expect(fund.body.committedFen).toBeGreaterThanOrEqual(REQUEST_FEN);
    expect(fund.body.totalFen).toBe(fund.body.availableFen + fund.body.reservedFen + fund.body.committedFen);
    expect(await adapters.funds.allocation(FUND.fundId, leadId)).toMatchObject({
      state: 'committed',
      committedFen: REQUEST_FEN,
    });
    const sectorView = await api('GET', `/funds/${FUND.fundId}`, { token: sectorToken });
    expect(sectorView.status).toBe(403);
  });
});
