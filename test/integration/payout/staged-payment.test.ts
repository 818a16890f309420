import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import type { DynamoProjectStore } from '#shared/adapters/dynamodb/dynamo-project-store.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { splitReward } from '#shared/domain/staged-payment.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { StageStore } from '#shared/ports/stages.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { clawbacksOf, decideClawback, proposeClawback } from '#shared/use-cases/clawback.ts';
import { changeStage } from '#shared/use-cases/projects/record-project-changes.ts';
import { registerProject } from '#shared/use-cases/projects/register-project.ts';
import { approveReward, markPaid } from '#shared/use-cases/review-reward.ts';
import { approveStage, payStage, type StageDeps, stagesOfLead } from '#shared/use-cases/staged-payment.ts';
import { randomUscc, useLocalCloudEnv } from '#test/support/api.ts';
import { PAYOUT_GATES_OFF } from '#test/support/payout-prerequisites.ts';
import { finance, fundTestKit } from '../fund/fund-support.ts';

/**
 * Staged payment (issue 17, part 5) through the use cases on the local engines (DynamoDB Local): the
 * example policy — 50% once 30% of the planned investment is in place, the rest at 竣工投产 — under a
 * 5-working-day 公示 on a pinned clock. Approved Monday 2031-03-03 10:00 Shanghai, the notice ends at
 * 00:00 on 2031-03-11 (16:00 UTC on 03-10) on the default weekdays and on the admin's 2031 calendar alike.
 */

let adapters: Adapters;
let stageStore: StageStore;
let projectStore: DynamoProjectStore;
const APPROVED_AT = new Date('2031-03-03T02:00:00.000Z');
const NOTICE_RUNNING = new Date('2031-03-10T15:59:59.999Z');
const ENDED = new Date('2031-03-10T16:00:00.000Z');
const EXAMPLE_STAGES = [
  { shareBasisPoints: 5000, condition: { kind: 'investment_in_place' as const, percent: 30 } },
  { shareBasisPoints: 5000, condition: { kind: 'stage_reached' as const, stage: 'in_production' } },
];

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  const { DynamoStageStore } = await import('#shared/adapters/dynamodb/dynamo-stage-store.ts');
  const { DynamoProjectStore } = await import('#shared/adapters/dynamodb/dynamo-project-store.ts');
  const { dynamoDbClient } = await import('#shared/adapters/aws-clients.ts');
  adapters = productionAdapters();
  stageStore = new DynamoStageStore(
    dynamoDbClient,
    adapters.config.LEADS_TABLE,
    adapters.audit,
    adapters.leads,
  );
  projectStore = new DynamoProjectStore(dynamoDbClient, adapters.config.PROJECTS_TABLE, adapters.audit);
});

function pinnedClock(start: Date): Clock & { set(instant: Date): void } {
  let now = start;
  return {
    now: () => now,
    set: (instant) => {
      now = instant;
    },
  };
}

/** An approved lead under the example policy: planned 4亿 (below 5亿, where 一事一议 begins), actual in place as given (at least 1亿, the threshold). */
async function approvedLead(
  clock: Clock,
  actualFen: number,
  noticeDays = 5,
  introducer?: Lead['introducer'],
) {
  const kit = fundTestKit(adapters);
  await kit.openFund(1_000_000_000);
  const policy = {
    ...kit.policy,
    payout: { ...PAYOUT_GATES_OFF, notice: { workingDays: noticeDays }, stages: EXAMPLE_STAGES },
  };
  const deps: StageDeps = {
    ...kit.deps,
    clock,
    policies: { all: async () => [policy] },
    stages: stageStore,
    projects: projectStore,
  };
  const leadId = await kit.evaluatedLead({
    plannedFen: 40_000_000_000,
    actualFen,
    fundRequestFen: 100_000_000,
    ...(introducer === undefined ? {} : { introducer }),
  });
  await kit.allocate(leadId);
  const before = await stagesOfLead(deps, leadId);
  expect(before).toMatchObject({ staged: true, approved: false, paidFen: 0 });
  const approved = await approveReward(deps, { principal: finance('reward-approver'), leadId });
  expect(approved.state).toBe('APPROVED');
  return { leadId, deps, kit, rewardFen: (approved as { rewardFen: number }).rewardFen };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'done';
  } catch (error) {
    if (error instanceof ConflictError || error instanceof ForbiddenError) return error.code ?? 'forbidden';
    throw error;
  }
}

const pay = (deps: StageDeps, leadId: string, stage: number, who = 'stage-payer', key?: string) =>
  payStage(deps, {
    principal: finance(who),
    leadId,
    stage,
    reference: `PAY-${leadId.slice(-6)}-${stage}`,
    ...(key === undefined ? {} : { idempotencyKey: key }),
  });

describe('staged payment on the local engines', () => {
  it('pays the example policy stage by stage: conditions, maker-checker, 公示, order, exact fen, audit', async () => {
    const clock = pinnedClock(APPROVED_AT);
    // 16,000,000,050 fen in place of 4亿 planned: 40% ≥ 30%; a reward of 2% with an odd number of fen.
    const { leadId, deps, kit, rewardFen } = await approvedLead(clock, 16_000_000_050);
    expect(rewardFen).toBe(320_000_001);
    const [first = 0, second = 0] = splitReward(rewardFen, [5000, 5000]);
    expect(first + second).toBe(rewardFen);
    expect(second - first).toBe(rewardFen % 2);

    // The whole reward is never paid at once under a staged policy.
    expect(await codeOf(markPaid(deps, { principal: finance('p'), leadId, reference: 'X' }))).toBe(
      'staged_payment',
    );
    const view = await stagesOfLead(deps, leadId);
    expect(view.stages.map((s) => [s.stage, s.amountFen, s.status])).toEqual([
      [1, first, 'ready'],
      [2, second, 'waiting'],
    ]);
    expect(view.stages[1]?.finding.zh).toBe('线索尚未关联项目');

    // Stage 2 waits for 竣工投产: 409 naming the condition.
    const refused = approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 2 });
    await expect(refused).rejects.toMatchObject({ code: 'stage_condition_not_met' });
    await expect(
      approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 2 }),
    ).rejects.toMatchObject({
      text: { zh: expect.stringContaining('项目达到「竣工投产」阶段（线索尚未关联项目）') },
    });
    // The submitter may not approve a stage.
    expect(
      await codeOf(
        approveStage(deps, { principal: { ...kit.submitter, roles: ['finance'] }, leadId, stage: 1 }),
      ),
    ).toBe('maker_checker');
    expect(await codeOf(pay(deps, leadId, 1))).toBe('stage_not_approved');

    const approved1 = await approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 1 });
    expect(approved1).toMatchObject({ stage: 1, amountFen: first, state: 'APPROVED' });
    expect(
      await codeOf(approveStage(deps, { principal: finance('stage-approver-2'), leadId, stage: 1 })),
    ).toBe('stage_already_approved');

    // Nobody who approved (the reward, or the stage) pays it; the notice still runs.
    expect(await codeOf(pay(deps, leadId, 1, 'stage-approver'))).toBe('maker_checker');
    expect(await codeOf(pay(deps, leadId, 1, 'reward-approver'))).toBe('maker_checker');
    clock.set(NOTICE_RUNNING);
    expect(await codeOf(pay(deps, leadId, 1))).toBe('notice_open');
    clock.set(ENDED);
    const paid1 = await pay(deps, leadId, 1, 'stage-payer', 'pay-1');
    expect(paid1).toMatchObject({ replayed: false, record: { state: 'PAID', amountFen: first } });
    expect(await adapters.reviews.review(leadId)).toMatchObject({ state: 'APPROVED', paidFen: first });
    expect((await adapters.leads.get(leadId))?.status).toBe('APPROVED');

    // The project the lead became reaches 竣工投产: stage 2 can be approved and paid.
    const sector = (await adapters.leads.get(leadId))?.sector ?? '';
    const admin: Principal = { userId: 'project-admin', roles: ['admin'] };
    const projectDeps = {
      projects: projectStore,
      leads: adapters.leads,
      reference: adapters.calendar,
      clock,
    };
    const { project } = await registerProject(projectDeps, {
      principal: admin,
      body: {
        name: '分期支付测试项目',
        sector,
        leadId,
        kind: 'continued',
        municipalMajor: null,
        team: { leader: '刘建华', department: '经济发展局', township: '蒋官屯街道', commissioner: '王磊' },
        stage: 'under_construction',
        stageOn: '2031-03-01',
      },
      rawBody: {},
    });
    expect(await codeOf(approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 2 }))).toBe(
      'stage_condition_not_met',
    );
    await changeStage(projectDeps, {
      principal: admin,
      projectId: project.projectId,
      body: { stage: 'in_production', on: '2031-03-10' },
    });
    expect((await stagesOfLead(deps, leadId)).stages[1]).toMatchObject({
      conditionMet: true,
      status: 'ready',
    });
    await approveStage(deps, { principal: finance('stage-approver-2'), leadId, stage: 2 });
    const paid2 = await pay(deps, leadId, 2, 'stage-payer-2');
    expect(paid2.record).toMatchObject({ state: 'PAID', amountFen: second });
    expect(await adapters.reviews.review(leadId)).toMatchObject({
      state: 'PAID',
      paidFen: rewardFen,
      payment: { reference: `PAY-${leadId.slice(-6)}-2` },
    });
    expect((await adapters.leads.get(leadId))?.status).toBe('PAID');
    const after = await stagesOfLead(deps, leadId);
    expect(after).toMatchObject({ paidFen: rewardFen, rewardFen });
    expect(after.stages.map((s) => s.status)).toEqual(['paid', 'paid']);
    expect(await codeOf(pay(deps, leadId, 2, 'stage-payer-3'))).toBe('stage_already_paid');

    const trail = await adapters.audit.query({ subject: leadId, limit: 50 });
    // Oldest first: the history comes newest first by time (its entries may sit in different chains).
    const staged = trail.entries.filter((entry) => entry.action.startsWith('reward.stage_')).reverse();
    expect(staged.map((e) => [e.action, e.details.stage, e.details.amountFen, e.actor.userId])).toEqual([
      ['reward.stage_approved', 1, first, 'stage-approver'],
      ['reward.stage_paid', 1, first, 'stage-payer'],
      ['reward.stage_approved', 2, second, 'stage-approver-2'],
      ['reward.stage_paid', 2, second, 'stage-payer-2'],
    ]);
    expect(staged[3]?.details).toMatchObject({ final: true, to: 'PAID', paidFen: rewardFen });
  });

  it('refuses the investment condition below 30% in place, and stage 2 before stage 1 is paid', async () => {
    const clock = pinnedClock(ENDED);
    // 1.1亿 in place of 4亿 planned: 27.5%.
    const { leadId, deps } = await approvedLead(clock, 11_000_000_000, 0);
    await expect(
      approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 1 }),
    ).rejects.toMatchObject({ code: 'stage_condition_not_met', missing: ['stageCondition'] });
    expect((await stagesOfLead(deps, leadId)).stages[0]?.finding.en).toContain('27.50%');
    await expect(approveStage(deps, { principal: finance('a'), leadId, stage: 3 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('a stage is paid once', () => {
  it('two payments of the same stage at once: one is paid, the other 409; the paid-so-far counts it once', async () => {
    const clock = pinnedClock(ENDED);
    const { leadId, deps, rewardFen } = await approvedLead(clock, 16_000_000_000, 0);
    const [first] = splitReward(rewardFen, [5000, 5000]);
    await approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 1 });
    const outcomes = await Promise.all([
      codeOf(pay(deps, leadId, 1, 'payer-a', 'key-a')),
      codeOf(pay(deps, leadId, 1, 'payer-b', 'key-b')),
    ]);
    expect(outcomes.sort()).toEqual(['done', 'stage_already_paid']);
    expect((await adapters.reviews.review(leadId))?.paidFen).toBe(first);
    const trail = await adapters.audit.query({ subject: leadId, limit: 50 });
    expect(trail.entries.filter((e) => e.action === 'reward.stage_paid')).toHaveLength(1);
    // The transaction's own guard, past every check of the use case: a stage moves from APPROVED once.
    const [stored] = await stageStore.stages(leadId);
    const forced = await stageStore.payStage(
      { paid: { ...(stored as NonNullable<typeof stored>), state: 'PAID' }, noticeClear: false },
      {
        at: ENDED.toISOString(),
        actor: { userId: 'forced', role: 'finance' },
        action: 'reward.stage_paid',
        subject: leadId,
        inputHash: null,
        policyVersion: null,
        details: {},
      },
    );
    expect(forced).toBe('conflict');
    // Stage 2 is not approved: nothing to pay.
    await expect(pay(deps, leadId, 2, 'payer-a', 'key-2')).rejects.toMatchObject({
      code: 'stage_not_approved',
    });
  });

  it('a crash after the payment is written, retried with the same Idempotency-Key: one payment', async () => {
    const clock = pinnedClock(ENDED);
    const { leadId, deps, rewardFen } = await approvedLead(clock, 16_000_000_000, 0);
    const [first] = splitReward(rewardFen, [5000, 5000]);
    await approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 1 });
    const crashing: StageDeps = {
      ...deps,
      stages: {
        stages: (id) => stageStore.stages(id),
        approveStage: (record, audit) => stageStore.approveStage(record, audit),
        payStage: async (payment, audit) => {
          await stageStore.payStage(payment, audit);
          throw new Error('crashed after the transaction, before the answer');
        },
      },
    };
    await expect(pay(crashing, leadId, 1, 'payer-a', 'retry-key')).rejects.toThrow(/crashed/);
    const retried = await pay(deps, leadId, 1, 'payer-a', 'retry-key');
    expect(retried).toMatchObject({ replayed: true, record: { state: 'PAID', amountFen: first } });
    // The same key with another reference is another request.
    await expect(
      payStage(deps, {
        principal: finance('payer-a'),
        leadId,
        stage: 1,
        reference: 'OTHER',
        idempotencyKey: 'retry-key',
      }),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    // Concurrent retries with the same key: both answer the one payment.
    const both = await Promise.all([
      pay(deps, leadId, 1, 'payer-a', 'retry-key'),
      pay(deps, leadId, 1, 'payer-a', 'retry-key'),
    ]);
    expect(both.map((answer) => answer.replayed)).toEqual([true, true]);
    expect((await adapters.reviews.review(leadId))?.paidFen).toBe(first);
    const trail = await adapters.audit.query({ subject: leadId, limit: 50 });
    expect(trail.entries.filter((e) => e.action === 'reward.stage_paid')).toHaveLength(1);
  });

  it('two different requests with the same key racing the first payment: one payment, one replay', async () => {
    const clock = pinnedClock(ENDED);
    const { leadId, deps, rewardFen } = await approvedLead(clock, 16_000_000_000, 0);
    const [first] = splitReward(rewardFen, [5000, 5000]);
    await approveStage(deps, { principal: finance('stage-approver'), leadId, stage: 1 });
    const answers = await Promise.all([
      pay(deps, leadId, 1, 'payer-a', 'same-key'),
      pay(deps, leadId, 1, 'payer-a', 'same-key'),
    ]);
    expect(answers.map((answer) => answer.replayed).sort()).toEqual([false, true]);
    expect((await adapters.reviews.review(leadId))?.paidFen).toBe(first);
  });
});

describe('clawback of a staged reward (issue 17, part 6)', () => {
  it('claims at most what the stages paid; an offset comes off the same introducer’s next stage payment', async () => {
    const clock = pinnedClock(ENDED);
    // An introducer of its own: an approved offset is deducted from any later payment to it.
    const introducer: Lead['introducer'] = {
      type: 'leading_enterprise',
      name: '分期追回引荐企业',
      uscc: randomUscc(),
    };
    const a = await approvedLead(clock, 16_000_000_000, 0, introducer);
    const [first = 0] = splitReward(a.rewardFen, [5000, 5000]);
    await approveStage(a.deps, { principal: finance('stage-approver'), leadId: a.leadId, stage: 1 });
    await pay(a.deps, a.leadId, 1);
    const deps = { ...a.deps, clawbacks: adapters.clawbacks, discretionary: adapters.discretionary };
    const ask = { leadId: a.leadId, reason: '引荐材料不实', method: 'offset' as const };
    await expect(
      proposeClawback(deps, { ...ask, principal: finance('fin-a'), amountFen: first + 1 }),
    ).rejects.toMatchObject({ code: 'clawback_exceeds_paid' });
    const { record } = await proposeClawback(deps, {
      ...ask,
      principal: finance('fin-a'),
      amountFen: 1_000_000,
    });
    await decideClawback(deps, {
      principal: finance('fin-b'),
      leadId: a.leadId,
      clawbackId: record.clawbackId,
      outcome: 'approved',
      note: undefined,
    });
    expect((await clawbacksOf(deps, a.leadId)).summary).toMatchObject({
      grossFen: first,
      recoveredFen: 1_000_000,
    });

    const b = await approvedLead(clock, 16_000_000_000, 0, introducer);
    await approveStage(b.deps, { principal: finance('stage-approver'), leadId: b.leadId, stage: 1 });
    const paid = await pay(b.deps, b.leadId, 1);
    expect(paid.record.payment?.deductions).toEqual([
      { clawbackId: record.clawbackId, fromLeadId: a.leadId, amountFen: 1_000_000 },
    ]);
    expect((await clawbacksOf(deps, a.leadId)).clawbacks[0]).toMatchObject({
      state: 'RECOVERED',
      deductions: [{ leadId: b.leadId, stage: 1, amountFen: 1_000_000 }],
    });
    expect((await adapters.funds.balance(a.kit.fundId))?.totalFen).toBe(1_000_000_000 + 1_000_000);
  });
});
