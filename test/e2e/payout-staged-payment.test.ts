import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import { splitReward } from '#shared/domain/staged-payment.ts';
import { auditReport, siteCheck } from '#test/fixtures/evidence.ts';
import { api, freshLead, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { endNoticePeriod } from '#test/support/payout-prerequisites.ts';
import { leadUnder, stagedPolicy } from '#test/support/staged-payment.ts';

/**
 * Staged payment (issue 17, part 5) over HTTP on the local stack: the admin publishes a staged policy
 * (the example's stages: 50% once 30% of the planned investment is in place, the rest at 竣工投产; a bad
 * split is 400 naming `payout.stages`); a lead decided under it goes through evidence, approval, 公示,
 * each stage's approval and payment, the project reaching 竣工投产, and ends PAID with every fen paid once.
 *
 * The policy and the lead come from `test/support/staged-payment.ts` (in force only for a lead submitted
 * in June 2018, so no other test's lead is decided under it; registration and tiers off).
 */

interface Problem {
  readonly code?: string;
  readonly detail?: string;
  readonly missing?: string[];
  readonly errors?: { field: string }[];
}
interface StagesView {
  staged: boolean;
  approved: boolean;
  rewardFen: number;
  paidFen: number;
  stages: { stage: number; amountFen: number; status: string; conditionMet: boolean }[];
}

describe('staged payment over HTTP', () => {
  it('publishes a staged policy (400 naming payout.stages when the shares are not the whole)', async () => {
    const admin = await tokenFor('admin');
    const policy = stagedPolicy();
    const bad = await api<Problem>('POST', '/policies', {
      token: admin,
      body: {
        ...policy,
        payout: { ...policy.payout, stages: [{ shareBasisPoints: 5000 }, { shareBasisPoints: 4000 }] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['payout.stages']);
    const badCondition = await api<Problem>('POST', '/policies', {
      token: admin,
      body: {
        ...policy,
        payout: {
          ...policy.payout,
          stages: [{ shareBasisPoints: 10_000, condition: { kind: 'investment_in_place', percent: 0 } }],
        },
      },
    });
    expect(badCondition.body.errors?.map((e) => e.field)).toEqual(['payout.stages.0.condition.percent']);
  });

  it('pays a reward in two stages, each approved and paid once, under every rule', async () => {
    const admin = await tokenFor('admin');
    const policy = stagedPolicy();
    const published = await api('POST', '/policies', { token: admin, body: policy });
    expect(published.status, JSON.stringify(published.body)).toBe(201);

    const officerId = `staged-officer-${randomUUID().slice(0, 8)}`;
    const officer = await tokenFor('sector:optoelectronics', officerId);
    const colleague = await tokenFor('sector:optoelectronics');
    const approver = await tokenFor('finance', `staged-approver-${randomUUID().slice(0, 8)}`);
    const stageApprover = await tokenFor('finance', `staged-stage-approver-${randomUUID().slice(0, 8)}`);
    const payer = await tokenFor('finance', `staged-payer-${randomUUID().slice(0, 8)}`);
    const otherPayer = await tokenFor('finance');
    const leadId = await leadUnder(policy, officerId);

    const before = await api<StagesView>('GET', `/leads/${leadId}/stages`, { token: approver });
    expect(before.status).toBe(200);
    const rewardFen = before.body.rewardFen;
    expect(rewardFen).toBe(320_000_001);
    const [first = 0, second = 0] = splitReward(rewardFen, [5000, 5000]);
    expect([first, second]).toEqual([160_000_000, 160_000_001]);
    expect(before.body).toMatchObject({ staged: true, approved: false, paidFen: 0 });
    expect(before.body.stages.map((s) => [s.stage, s.amountFen, s.status])).toEqual([
      [1, first, 'ready'],
      [2, second, 'waiting'],
    ]);

    // A stage before the reward is approved: 409.
    const early = await api<Problem>('POST', `/leads/${leadId}/stages/1/approval`, {
      token: stageApprover,
      body: {},
    });
    expect([early.status, early.body.code]).toEqual([409, 'not_approved']);

    // Evidence by two people of the team, then the reward's approval (it opens the 公示).
    const report = await api('POST', `/leads/${leadId}/evidence/audit-report`, {
      token: officer,
      body: auditReport(16_000_000_050),
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    expect(
      (await api('POST', `/leads/${leadId}/evidence/site-check`, { token: colleague, body: siteCheck() }))
        .status,
    ).toBe(201);
    const approved = await api<{ state: string }>('POST', `/leads/${leadId}/approve`, {
      token: approver,
      body: {},
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // Never paid at once.
    const whole = await api<Problem>('POST', `/leads/${leadId}/paid`, {
      token: payer,
      body: { reference: 'W-1' },
    });
    expect([whole.status, whole.body.code]).toEqual([409, 'staged_payment']);

    // Stage 2 waits for 竣工投产.
    const notYet = await api<Problem>('POST', `/leads/${leadId}/stages/2/approval`, {
      token: stageApprover,
      body: {},
    });
    expect([notYet.status, notYet.body.code]).toEqual([409, 'stage_condition_not_met']);
    expect(notYet.body.detail).toContain('竣工投产');
    expect(notYet.body.missing).toEqual(['stageCondition']);

    // Maker-checker: the officer who recorded evidence may not approve the stage (and is not finance).
    const stage1 = await api<{ state: string; amountFen: number }>(
      'POST',
      `/leads/${leadId}/stages/1/approval`,
      {
        token: stageApprover,
        body: { note: '到位投资已达计划的 40%' },
      },
    );
    expect(stage1.status, JSON.stringify(stage1.body)).toBe(201);
    expect(stage1.body).toMatchObject({ state: 'APPROVED', amountFen: first });

    const byApprover = await api<Problem>('POST', `/leads/${leadId}/stages/1/paid`, {
      token: stageApprover,
      body: { reference: 'S1' },
    });
    expect([byApprover.status, byApprover.body.code]).toEqual([403, 'maker_checker']);
    const duringNotice = await api<Problem>('POST', `/leads/${leadId}/stages/1/paid`, {
      token: payer,
      body: { reference: 'S1' },
    });
    expect([duringNotice.status, duringNotice.body.code]).toEqual([409, 'notice_open']);
    await endNoticePeriod(leadId);

    const key = `stage-1-${leadId}`;
    const paid1 = await api<{ state: string }>('POST', `/leads/${leadId}/stages/1/paid`, {
      token: payer,
      headers: { 'idempotency-key': key },
      body: { reference: 'BANK-2031-0001' },
    });
    expect(paid1.status, JSON.stringify(paid1.body)).toBe(201);
    const retry = await api<{ state: string }>('POST', `/leads/${leadId}/stages/1/paid`, {
      token: payer,
      headers: { 'idempotency-key': key },
      body: { reference: 'BANK-2031-0001' },
    });
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    const again = await api<Problem>('POST', `/leads/${leadId}/stages/1/paid`, {
      token: otherPayer,
      body: { reference: 'BANK-2031-0002' },
    });
    expect([again.status, again.body.code]).toEqual([409, 'stage_already_paid']);

    const view = await api<{ status: string; review: { paidFen?: number; rewardFen: number } }>(
      'GET',
      `/leads/${leadId}`,
      { token: payer },
    );
    expect(view.body.status).toBe('APPROVED');
    expect(view.body.review).toMatchObject({ paidFen: first, rewardFen });

    // The lead becomes a project, which reaches 竣工投产.
    const created = await api<{ projectId: string }>('POST', '/projects', {
      token: officer,
      body: {
        name: `分期支付项目 ${leadId.slice(-6)}`,
        sector: 'optoelectronics',
        leadId,
        kind: 'continued',
        team: { leader: '刘建华', department: '经济发展局', township: '蒋官屯街道', commissioner: '王磊' },
        stage: 'under_construction',
        stageOn: '2026-01-05',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const moved = await api('POST', `/projects/${created.body.projectId}/stage`, {
      token: officer,
      body: { stage: 'in_production', on: shanghaiDateOf(new Date()) },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    expect(
      (await api('POST', `/leads/${leadId}/stages/2/approval`, { token: stageApprover, body: {} })).status,
    ).toBe(201);
    const paid2 = await api('POST', `/leads/${leadId}/stages/2/paid`, {
      token: otherPayer,
      body: { reference: 'BANK-2031-0002' },
    });
    expect(paid2.status, JSON.stringify(paid2.body)).toBe(201);

    const after = await api<StagesView>('GET', `/leads/${leadId}/stages`, {
      token: await tokenFor('auditor'),
    });
    expect(after.body).toMatchObject({ paidFen: rewardFen, rewardFen });
    expect(after.body.stages.map((s) => s.status)).toEqual(['paid', 'paid']);
    const final = await api<{ status: string; review: { state: string; paidFen?: number } }>(
      'GET',
      `/leads/${leadId}`,
      { token: payer },
    );
    expect(final.body.status).toBe('PAID');
    expect(final.body.review).toMatchObject({ state: 'PAID', paidFen: rewardFen });

    // Path parameters: a stage that is not a number is 400, one the plan does not have 404.
    const notNumber = await api<Problem>('POST', `/leads/${leadId}/stages/x/paid`, {
      token: payer,
      body: { reference: 'X' },
    });
    expect([notNumber.status, notNumber.body.errors?.map((e) => e.field)]).toEqual([400, ['stage']]);
    const badKey = await api<Problem>('POST', `/leads/${leadId}/stages/2/paid`, {
      token: payer,
      headers: { 'idempotency-key': 'not a key' },
      body: { reference: 'X' },
    });
    expect([badKey.status, badKey.body.errors?.map((e) => e.field)]).toEqual([400, ['Idempotency-Key']]);
    expect(
      (await api('POST', `/leads/${leadId}/stages/3/approval`, { token: stageApprover, body: {} })).status,
    ).toBe(404);
    // A sector team does not see the stages.
    expect((await api('GET', `/leads/${leadId}/stages`, { token: officer })).status).toBe(403);
  });

  it('a reward under kfq-2019 is not staged: no stages, the stage routes say so', async () => {
    const officer = await tokenFor('sector:optoelectronics');
    const finance = await tokenFor('finance');
    const leadId = await submit(officer, freshLead('optoelectronics'));
    await waitForEvaluation(officer, leadId);
    const view = await api<StagesView>('GET', `/leads/${leadId}/stages`, { token: finance });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ staged: false, approved: false, paidFen: 0, stages: [] });
    const stage = await api<Problem>('POST', `/leads/${leadId}/stages/1/approval`, {
      token: finance,
      body: {},
    });
    expect([stage.status, stage.body.code]).toEqual([409, 'not_approved']);
    expect((await api('GET', `/leads/ld_${'0'.repeat(24)}/stages`, { token: finance })).status).toBe(404);
  });
});
