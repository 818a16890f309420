import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { api, randomUscc, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund } from '#test/support/default-fund.ts';
import { endDiscretionaryNoticePeriod } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 20 over HTTP under kfq-2019 (its payout defaults: rewards by decision allowed, proposed by finance,
 * tiers at 50万 and 300万, 5 working days of 公示): a professional team's reward goes from proposal to
 * payment and clawback, on the public list with an objection; the year's report and export show it apart.
 */

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

interface Problem {
  code?: string;
  missing?: string[];
  errors?: { field: string }[];
}
interface Reward {
  rewardId: string;
  state: string;
  missing: string[];
  noticeId: string | null;
  recipient: { name: string; uscc?: string; residentIdMasked?: string };
}

const fin = (name: string) => tokenFor('finance', `${name}-${randomUUID().slice(0, 8)}`);

describe('rewards by decision over HTTP', () => {
  it('proposal, 409 naming what is missing, two tiers, 公示 with an objection, payment, clawback, report and export', async () => {
    const sector = await tokenFor('sector:optoelectronics', `officer-${randomUUID().slice(0, 8)}`);
    const projectName = `光电显示模组项目-${randomUUID().slice(0, 6)}`;
    const leadId = await submit(
      sector,
      leadInput({ investor: freshInvestor(), fundRequest: undefined, projectName }),
    );
    await waitForEvaluation(sector, leadId);
    const [proposer, signer, payer] = await Promise.all([fin('proposer'), fin('signer'), fin('payer')]);
    const head = await tokenFor('finance-head', `head-${randomUUID().slice(0, 8)}`);
    const admin = await tokenFor('admin', 'notice-admin');
    const auditor = await tokenFor('auditor', 'discretionary-auditor');
    const team = {
      type: 'professional_team',
      name: `专业招商团队-${randomUUID().slice(0, 4)}`,
      uscc: randomUscc(),
    };
    const body = {
      recipient: team,
      amount: '60万',
      reason: '牵线搭桥，促成项目签约落地',
      collectiveDecision: {
        body: '管委会党工委会议',
        meetingDate: '2026-11-20',
        minutesNumber: '〔2026〕12号',
      },
      legalBasis: { document: '《招商引资奖励办法》', clause: '第十条' },
    };

    const bad = await api<Problem>('POST', `/leads/${leadId}/discretionary-rewards`, {
      token: proposer,
      body: { ...body, amount: 0, recipient: { type: 'intermediary', name: '某' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['amount', 'recipient.uscc']);
    const { legalBasis: _basis, ...withoutBasis } = body;
    const missing = await api<Problem>('POST', `/leads/${leadId}/discretionary-rewards`, {
      token: proposer,
      body: withoutBasis,
    });
    expect(missing.status).toBe(409);
    expect(missing.body).toMatchObject({ code: 'legal_basis_missing', missing: ['legalBasis'] });
    expect(
      (await api('POST', `/leads/${leadId}/discretionary-rewards`, { token: sector, body })).status,
    ).toBe(403);

    const proposed = await api<Reward>('POST', `/leads/${leadId}/discretionary-rewards`, {
      token: proposer,
      body,
      headers: { 'Idempotency-Key': `dr-${leadId}` },
    });
    expect(proposed.status).toBe(201);
    const { rewardId } = proposed.body;
    const retry = await api<Reward>('POST', `/leads/${leadId}/discretionary-rewards`, {
      token: proposer,
      body,
      headers: { 'Idempotency-Key': `dr-${leadId}` },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.rewardId).toBe(rewardId);

    const path = `/leads/${leadId}/discretionary-rewards/${rewardId}`;
    expect((await api<Problem>('POST', `${path}/approve`, { token: proposer, body: {} })).body.code).toBe(
      'maker_checker',
    );
    const first = await api<Reward>('POST', `${path}/approve`, { token: signer, body: {} });
    expect(first.status).toBe(202);
    expect(first.body.missing).toEqual(['financeHead']);
    const approved = await api<Reward>('POST', `${path}/approve`, { token: head, body: { note: '同意' } });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('APPROVED');
    const noticeId = approved.body.noticeId ?? '';

    const listed = await api<{ items: { noticeId: string; introducerName: string; rewardFen: number }[] }>(
      'GET',
      '/public/notices?limit=100',
    );
    expect(listed.body.items.find((n) => n.noticeId === noticeId)).toMatchObject({
      introducerName: team.name,
      rewardFen: 60_000_000,
    });
    expect(
      (await api<Problem>('POST', `${path}/paid`, { token: payer, body: { reference: 'ZJ-1' } })).body.code,
    ).toBe('notice_open');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const objection = await api<{ objection: { objectionId: string } }>(
      'POST',
      `/notices/${noticeId}/objections`,
      {
        token: admin,
        body: { receivedOn: today, from: { name: '王某' }, summary: '团队未参与引荐' },
      },
    );
    expect(objection.status).toBe(201);
    await endDiscretionaryNoticePeriod(leadId, rewardId);
    expect(
      (await api<Problem>('POST', `${path}/paid`, { token: payer, body: { reference: 'ZJ-1' } })).body.code,
    ).toBe('objection_pending');
    const dismissed = await api(
      'POST',
      `/notices/${noticeId}/objections/${objection.body.objection.objectionId}/resolution`,
      {
        token: admin,
        body: { outcome: 'dismissed', reason: '经核实，团队参与了洽谈' },
      },
    );
    expect(dismissed.status).toBe(201);
    expect(
      (await api<Problem>('POST', `${path}/paid`, { token: signer, body: { reference: 'ZJ-1' } })).status,
    ).toBe(403);
    const paid = await api<Reward>('POST', `${path}/paid`, { token: payer, body: { reference: 'ZJ-1' } });
    expect(paid.status).toBe(200);
    expect(paid.body.state).toBe('PAID');

    const clawback = await api<{ clawbackId: string }>('POST', `/leads/${leadId}/clawbacks`, {
      token: proposer,
      body: { amount: '60万', reason: '团队材料不实', method: 'refund', discretionaryRewardId: rewardId },
    });
    expect(clawback.status).toBe(201);
    const reversal = await api('POST', `/leads/${leadId}/clawbacks/${clawback.body.clawbackId}/approval`, {
      token: signer,
      body: {},
    });
    expect(reversal.status).toBe(200);

    const year = Number(today.slice(0, 4));
    const report = await api<{
      items: { rewardId: string; leadId: string; projectName: string | null; state: string }[];
      totals: { paidFen: number };
    }>('GET', `/discretionary-rewards?year=${year}`, { token: auditor });
    expect(report.status).toBe(200);
    // Named by its project, its lead id kept beside it.
    expect(report.body.items.find((r) => r.rewardId === rewardId)).toMatchObject({
      state: 'PAID',
      leadId,
      projectName,
    });
    expect(report.body.totals.paidFen).toBeGreaterThanOrEqual(60_000_000);
    const csv = await api<string>('GET', `/discretionary-rewards/export?year=${year}&format=csv`, {
      token: auditor,
    });
    expect(csv.status).toBe(200);
    const text = typeof csv.body === 'string' ? csv.body : JSON.stringify(csv.body);
    expect(text).toContain(rewardId);
    expect(text).toContain('已支付');
    // 重奖清单: 项目名称 beside 线索编号, on the header and on the reward's row.
    const lines = text.split('\r\n');
    expect(lines[0]).toContain('"线索编号","项目名称"');
    expect(lines.find((line) => line.startsWith(`"${rewardId}"`))).toContain(
      `"${rewardId}","${leadId}","${projectName}"`,
    );

    const actions = (
      await api<{ items: { action: string }[] }>('GET', `/audit?subject=${leadId}&limit=100`, {
        token: auditor,
      })
    ).body.items.map((e) => e.action);
    for (const action of [
      'reward.discretionary_proposed',
      'reward.discretionary_signed_off',
      'reward.discretionary_approved',
      'notice.objection_resolved',
      'reward.discretionary_paid',
      'reward.clawback_approved',
    ]) {
      expect(actions).toContain(action);
    }
  });
});
