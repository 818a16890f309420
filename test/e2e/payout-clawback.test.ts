import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { api, randomUscc, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund, DEFAULT_FUND } from '#test/support/default-fund.ts';
import { completePayoutPrerequisites, endNoticePeriod } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 17, part 6, over HTTP under kfq-2019 with every payout gate on: a lead goes through registration,
 * evidence, approval, 公示 and payment; then a refund clawback (proposed, refused to its proposer, approved
 * by another, its refund refused to both and recorded by a third, received into the fund) and an offset clawback deducted from the same introducer's next
 * reward. Each lead's introducer is one nobody else uses: an open offset follows its introducer to any lead.
 */

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string }[];
}
interface Clawback {
  clawbackId: string;
  state: string;
  amountFen: number;
  receivedFen: number;
  deductions: { leadId: string; amountFen: number }[];
}
interface Fund {
  totalFen: number;
  availableFen: number;
}

const fin = (name: string) => tokenFor('finance', `${name}-${randomUUID().slice(0, 8)}`);

/** A lead of 1.2亿 in place (reward 240万) through every gate and paid, with the introducer given. */
async function paidLead(introducerUscc: string) {
  const sector = await tokenFor('sector:optoelectronics', `officer-${randomUUID().slice(0, 8)}`);
  const leadId = await submit(
    sector,
    leadInput({
      projectName: `追回测试项目-${randomUUID().slice(0, 6)}`,
      investor: freshInvestor(),
      introducer: { type: 'leading_enterprise', name: '追回测试引荐企业', uscc: introducerUscc },
      fundRequest: undefined,
    }),
  );
  await waitForEvaluation(sector, leadId);
  await completePayoutPrerequisites(leadId, sector);
  const approved = await api('POST', `/leads/${leadId}/approve`, { token: await fin('approver'), body: {} });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  await endNoticePeriod(leadId);
  const paid = await api<{ payment: { deductions?: unknown[] } }>('POST', `/leads/${leadId}/paid`, {
    token: await fin('payer'),
    body: { reference: `BANK-${leadId.slice(-6)}` },
  });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return { leadId, payment: paid.body.payment };
}

describe('clawback over HTTP', () => {
  it('refund: 400 naming fields, maker-checker, never more than paid, received once into the fund, audited', async () => {
    const { leadId } = await paidLead(randomUscc());
    const proposer = await fin('proposer');
    const checker = await fin('checker');
    // The refund raises the fund: recorded by a third member of finance, as a payment is.
    const recorder = await fin('recorder');
    const auditor = await tokenFor('auditor', 'clawback-auditor');

    const bad = await api<Problem>('POST', `/leads/${leadId}/clawbacks`, {
      token: proposer,
      body: { amount: '-1', reason: '', method: 'cash' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['amount', 'method', 'reason']);
    expect((await api('POST', `/leads/${leadId}/clawbacks`, { token: auditor, body: {} })).status).toBe(403);
    const tooMuch = await api<Problem>('POST', `/leads/${leadId}/clawbacks`, {
      token: proposer,
      body: { amount: '240.01万', reason: '超额', method: 'refund' },
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('clawback_exceeds_paid');

    const proposed = await api<Clawback>('POST', `/leads/${leadId}/clawbacks`, {
      token: proposer,
      body: { amount: '100万', reason: '项目未按合同约定竣工投产', method: 'refund' },
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ state: 'PROPOSED', amountFen: 100_000_000 });
    const { clawbackId } = proposed.body;
    const self = await api<Problem>('POST', `/leads/${leadId}/clawbacks/${clawbackId}/approval`, {
      token: proposer,
      body: {},
    });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('maker_checker');
    const approved = await api<Clawback>('POST', `/leads/${leadId}/clawbacks/${clawbackId}/approval`, {
      token: checker,
      body: { note: '经集体研究同意追回' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('APPROVED');

    const view = await api<{ summary: Record<string, number>; claimableFen: number }>(
      'GET',
      `/leads/${leadId}/clawbacks`,
      { token: auditor },
    );
    expect(view.status).toBe(200);
    expect(view.body.summary).toEqual({
      grossFen: 240_000_000,
      recoveredFen: 100_000_000,
      netFen: 140_000_000,
      receivedFen: 0,
    });
    expect(view.body.claimableFen).toBe(140_000_000);

    const fundBefore = await api<Fund>('GET', `/funds/${DEFAULT_FUND.fundId}`, { token: checker });
    const badDay = await api<Problem>('POST', `/leads/${leadId}/clawbacks/${clawbackId}/refund`, {
      token: recorder,
      body: { reference: 'REFUND-1', receivedOn: '2099-01-01' },
    });
    expect(badDay.status).toBe(400);
    expect(badDay.body.errors?.map((e) => e.field)).toEqual(['receivedOn']);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const recordAs = (token: string) =>
      api<Problem>('POST', `/leads/${leadId}/clawbacks/${clawbackId}/refund`, {
        token,
        headers: { 'accept-language': 'zh-CN' },
        body: { reference: 'REFUND-1', receivedOn: today },
      });
    for (const token of [proposer, checker]) {
      const refused = await recordAs(token);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        type: '/problems/forbidden',
        code: 'maker_checker',
        title: '无权操作',
        detail: `追回 ${clawbackId} 由您提出（或审批），退款到账须由财务部门的另一人登记。`,
      });
    }
    const refund = await api<Clawback>('POST', `/leads/${leadId}/clawbacks/${clawbackId}/refund`, {
      token: recorder,
      body: { reference: 'REFUND-1', receivedOn: today },
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ state: 'RECOVERED', receivedFen: 100_000_000 });
    const retry = await api<Clawback>('POST', `/leads/${leadId}/clawbacks/${clawbackId}/refund`, {
      token: recorder,
      body: { reference: 'REFUND-1', receivedOn: today },
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The approver sending the recorded reference gets no replay: still 403.
    expect((await recordAs(checker)).status).toBe(403);
    const fundAfter = await api<Fund>('GET', `/funds/${DEFAULT_FUND.fundId}`, { token: checker });
    // Other tests move the shared fund too; the total only ever grows by top-ups and recoveries.
    expect(fundAfter.body.totalFen - fundBefore.body.totalFen).toBeGreaterThanOrEqual(100_000_000);

    const reward = await api<{ items: { leadId: string; recovery: unknown }[] }>(
      'GET',
      '/rewards?status=PAID&limit=100',
      {
        token: checker,
      },
    );
    expect(reward.body.items.find((item) => item.leadId === leadId)?.recovery).toEqual({
      grossFen: 240_000_000,
      recoveredFen: 100_000_000,
      netFen: 140_000_000,
    });
    const trail = await api<{ items: { action: string }[] }>('GET', `/audit?subject=${leadId}&limit=100`, {
      token: auditor,
    });
    const actions = trail.body.items.map((e) => e.action);
    for (const action of [
      'reward.paid',
      'reward.clawback_proposed',
      'reward.clawback_approved',
      'reward.clawback_refund_received',
    ]) {
      expect(actions).toContain(action);
    }
  });

  it('offset: deducted from the same introducer’s next reward, shown on both leads', async () => {
    const uscc = randomUscc();
    const first = await paidLead(uscc);
    const proposed = await api<Clawback>('POST', `/leads/${first.leadId}/clawbacks`, {
      token: await fin('proposer'),
      body: { amount: '50万', reason: '引荐材料不实', method: 'offset' },
    });
    expect(proposed.status).toBe(201);
    const approved = await api<Clawback>(
      'POST',
      `/leads/${first.leadId}/clawbacks/${proposed.body.clawbackId}/approval`,
      { token: await fin('checker'), body: {} },
    );
    expect(approved.status).toBe(200);
    const notRefund = await api<Problem>(
      'POST',
      `/leads/${first.leadId}/clawbacks/${proposed.body.clawbackId}/refund`,
      { token: await fin('checker'), body: { reference: 'R', receivedOn: '2026-01-01' } },
    );
    expect(notRefund.body.code).toBe('not_a_refund');

    const second = await paidLead(uscc);
    expect(second.payment.deductions).toEqual([
      { clawbackId: proposed.body.clawbackId, fromLeadId: first.leadId, amountFen: 50_000_000 },
    ]);
    const view = await api<{ clawbacks: Clawback[] }>('GET', `/leads/${first.leadId}/clawbacks`, {
      token: await fin('reader'),
    });
    expect(view.body.clawbacks[0]).toMatchObject({
      state: 'RECOVERED',
      receivedFen: 50_000_000,
      deductions: [{ leadId: second.leadId, amountFen: 50_000_000 }],
    });
  });
});
