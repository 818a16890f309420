import { randomInt } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { noticeIdOf } from '#shared/domain/public-notice.ts';
import type { PayoutSettings } from '#shared/policy/payout-settings.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { DiscretionaryRewardBody } from '#shared/schemas/discretionary-reward.ts';
import {
  clawbacksOf,
  decideClawback,
  proposeClawback,
  recordRefundReceived,
} from '#shared/use-cases/clawback.ts';
import {
  type DiscretionaryDeps,
  discretionaryOfYear,
  payDiscretionary,
  proposeDiscretionary,
  rejectDiscretionary,
  signOffDiscretionary,
} from '#shared/use-cases/discretionary-rewards.ts';
import { exportDiscretionaryRewards } from '#shared/use-cases/exports/discretionary-export.ts';
import { listPublicNotices, recordObjection, resolveObjection } from '#shared/use-cases/public-notices.ts';
import { ENTERPRISE_USCC } from '#test/fixtures/leads.ts';
import { localDynamoDb, randomUscc, tableName, useLocalCloudEnv } from '#test/support/api.ts';
import { PAYOUT_GATES_OFF } from '#test/support/payout-prerequisites.ts';
import { finance, fundTestKit } from '../fund/fund-support.ts';

/**
 * Rewards by decision (重奖, issue 20) through the use cases on the local engines (DynamoDB Local): the
 * tiers with distinct approvers, its own 公示 (5 working days) with an objection, payment once with
 * maker-checker, a clawback; caps under concurrent proposals; never a second referral reward; the fund
 * untouched unless the policy draws on it. The clock is pinned; the cap test runs in a year of its own.
 */

let adapters: Adapters;
beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
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

const head = (userId: string): Principal => ({ userId, roles: ['finance-head'] });
const admin: Principal = { userId: 'notice-admin', roles: ['admin'] };

function rewardBody(amount: string, overrides: Partial<DiscretionaryRewardBody> = {}) {
  return {
    recipient: { type: 'professional_team' as const, name: '聊城专业招商团队', uscc: randomUscc() },
    amount: Number.parseInt(amount, 10),
    reason: '牵线搭桥引进项目，促成签约',
    collectiveDecision: { body: '管委会党工委会议', meetingDate: '2031-02-20', minutesNumber: '〔2031〕3号' },
    legalBasis: { document: '《招商引资奖励办法》', clause: '第十条' },
    ...overrides,
  };
}

async function setUp(clock: Clock, discretionary: PayoutSettings['discretionary'], noticeDays = 5) {
  const kit = fundTestKit(adapters);
  await kit.openFund(1_000_000_000);
  const policy = {
    ...kit.policy,
    payout: {
      ...PAYOUT_GATES_OFF,
      approvals: {
        financeHeadAboveFen: 50_000_000,
        collectiveAboveFen: 300_000_000,
        collectiveForCaseByCase: true,
      },
      notice: { workingDays: noticeDays },
      discretionary,
    },
  };
  const deps = {
    ...kit.deps,
    clock,
    policies: { all: async () => [policy] },
    discretionary: adapters.discretionary,
    clawbacks: adapters.clawbacks,
  } satisfies DiscretionaryDeps;
  const leadId = await kit.evaluatedLead({ actualFen: 12_000_000_000, fundRequestFen: 0 });
  return { kit, deps, leadId };
}

const ALLOWED = {
  allowed: true,
  capPerLeadFen: null,
  capPerYearFen: null,
  proposers: ['finance' as const],
  drawsOnFund: false,
};

describe('a reward by decision on the local engines', () => {
  it('goes through the tiers, its own 公示 with an objection, one payment and a clawback; the fund untouched', async () => {
    // Monday 2031-03-03 10:00 Shanghai; 5 working days: the notice ends 00:00 on 03-11.
    const clock = pinnedClock(new Date('2031-03-03T02:00:00.000Z'));
    const { kit, deps, leadId } = await setUp(clock, ALLOWED);
    const fundBefore = await adapters.funds.balance(kit.fundId);

    // 60万: above the first tier, so finance and the finance head sign.
    const { record } = await proposeDiscretionary(deps, {
      principal: finance('fin-p'),
      leadId,
      body: rewardBody('60000000'),
    });
    expect(record).toMatchObject({
      state: 'PROPOSED',
      required: ['finance', 'financeHead'],
      missing: ['finance', 'financeHead'],
    });
    await expect(
      signOffDiscretionary(deps, { principal: finance('fin-p'), leadId, rewardId: record.rewardId }),
    ).rejects.toMatchObject({ code: 'maker_checker' });
    const first = await signOffDiscretionary(deps, {
      principal: finance('fin-a'),
      leadId,
      rewardId: record.rewardId,
    });
    expect(first).toMatchObject({ state: 'PROPOSED', missing: ['financeHead'] });
    await expect(
      signOffDiscretionary(deps, { principal: finance('fin-b'), leadId, rewardId: record.rewardId }),
    ).rejects.toMatchObject({ code: 'sign_off_not_needed' });
    const approved = await signOffDiscretionary(deps, {
      principal: head('head-1'),
      leadId,
      rewardId: record.rewardId,
    });
    expect(approved).toMatchObject({
      state: 'APPROVED',
      noticeId: noticeIdOf(leadId, record.rewardId),
      notice: { objectionDeadline: '2031-03-10' },
    });

    // On the public list, apart from any referral notice of the lead; a team with a credit code by name.
    const listed = await listPublicNotices(deps, { limit: 100 });
    expect(listed.items.find((n) => n.noticeId === approved.noticeId)).toMatchObject({
      introducerName: '聊城专业招商团队',
      rewardFen: 60_000_000,
      fundFen: 0,
      legalBasis: [{ document: '《招商引资奖励办法》', clauses: ['第十条'] }],
    });
    const pay = (userId: string) =>
      payDiscretionary(deps, {
        principal: finance(userId),
        leadId,
        rewardId: record.rewardId,
        reference: 'ZJ-2031-001',
      });
    await expect(pay('fin-x')).rejects.toMatchObject({ code: 'notice_open' });
    clock.set(new Date('2031-03-05T02:00:00.000Z'));
    const objection = await recordObjection(deps, {
      principal: admin,
      noticeId: approved.noticeId ?? '',
      objection: { receivedOn: '2031-03-05', from: { name: '王某' }, summary: '该团队未参与引荐' },
    });
    clock.set(new Date('2031-03-10T16:00:00.000Z'));
    await expect(pay('fin-x')).rejects.toMatchObject({ code: 'objection_pending' });
    await resolveObjection(deps, {
      principal: admin,
      noticeId: approved.noticeId ?? '',
      objectionId: objection.objection.objectionId,
      resolution: { outcome: 'dismissed', reason: '经核实，团队参与了洽谈' },
    });
    // Nobody who proposed or signed pays it.
    for (const who of ['fin-p', 'fin-a', 'head-1'])
      await expect(pay(who)).rejects.toMatchObject({ code: 'maker_checker' });
    const paid = await pay('fin-x');
    expect(paid).toMatchObject({ state: 'PAID', payment: { reference: 'ZJ-2031-001' } });
    await expect(pay('fin-y')).rejects.toMatchObject({ code: 'already_paid' });
    // The referral reward's review is not touched; the fund neither.
    expect(await adapters.reviews.review(leadId)).toBeUndefined();
    expect(await adapters.funds.balance(kit.fundId)).toMatchObject({
      availableFen: fundBefore?.availableFen,
      committedFen: fundBefore?.committedFen,
    });

    // A clawback reverses it, as for every reward: proposed, approved by another, refunded into the fund.
    const claw = {
      leadId,
      reason: '团队材料不实',
      method: 'refund' as const,
      discretionaryRewardId: record.rewardId,
    };
    await expect(
      proposeClawback(deps, { ...claw, principal: finance('fin-c'), amountFen: 60_000_001 }),
    ).rejects.toMatchObject({ code: 'clawback_exceeds_paid' });
    const { record: clawback } = await proposeClawback(deps, {
      ...claw,
      principal: finance('fin-c'),
      amountFen: 60_000_000,
    });
    expect(clawback.discretionaryRewardId).toBe(record.rewardId);
    await decideClawback(deps, {
      principal: finance('fin-d'),
      leadId,
      clawbackId: clawback.clawbackId,
      outcome: 'approved',
      note: undefined,
    });
    await recordRefundReceived(deps, {
      principal: finance('fin-e'), // neither its proposer nor its approver
      leadId,
      clawbackId: clawback.clawbackId,
      reference: 'TK-1',
      receivedOn: '2031-03-11',
    });
    expect((await clawbacksOf(deps, leadId)).clawbacks).toMatchObject([
      { state: 'RECOVERED', receivedFen: 60_000_000 },
    ]);
    expect((await adapters.funds.balance(kit.fundId))?.totalFen).toBe(
      (fundBefore?.totalFen ?? 0) + 60_000_000,
    );

    const actions = (await adapters.audit.query({ subject: leadId, limit: 50 })).entries.map((e) => e.action);
    for (const action of [
      'reward.discretionary_proposed',
      'reward.discretionary_signed_off',
      'reward.discretionary_approved',
      'notice.objection_recorded',
      'reward.discretionary_paid',
      'reward.clawback_approved',
    ]) {
      expect(actions).toContain(action);
    }
  });

  it('keeps every cap under proposals at once, gives a rejected amount back, and refuses a second referral reward', async () => {
    // A year nobody else uses: the per-year counter is the deployment's.
    const year = 2040 + randomInt(0, 50);
    const clock = pinnedClock(new Date(`${year}-06-02T02:00:00.000Z`));
    const { deps, leadId } = await setUp(clock, {
      ...ALLOWED,
      capPerLeadFen: 2_000_000_000,
      capPerYearFen: 100_000_000,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        proposeDiscretionary(deps, { principal: finance(`fin-${i}`), leadId, body: rewardBody('30000000') }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes.filter((x) => x.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toMatchObject({
        code: 'discretionary_cap_exceeded',
        missing: ['capPerYear'],
      });
    }
    const ofYear = await discretionaryOfYear(deps, year);
    expect(ofYear.totals).toMatchObject({ proposedFen: 90_000_000, count: 3 });
    // Each item names its project (the fixture lead's), its lead id kept beside it.
    expect(ofYear.items.map((item) => [item.projectName, item.leadId])).toEqual(
      Array.from({ length: 3 }, () => ['智能光电信息产业园', leadId]),
    );
    const [firstReward] = ofYear.items;
    if (firstReward === undefined) throw new Error('no reward');
    await rejectDiscretionary(deps, {
      principal: finance('checker'),
      leadId,
      rewardId: firstReward.rewardId,
      reason: '依据不足',
    });
    // 60万 left under the cap of 100万: 40万 fits again, 40万 + 1 fen does not.
    await proposeDiscretionary(deps, { principal: finance('fin-9'), leadId, body: rewardBody('40000000') });
    await expect(
      proposeDiscretionary(deps, { principal: finance('fin-9'), leadId, body: rewardBody('1') }),
    ).rejects.toMatchObject({ code: 'discretionary_cap_exceeded' });
    expect((await discretionaryOfYear(deps, year)).totals).toMatchObject({
      proposedFen: 100_000_000,
      rejectedFen: 30_000_000,
    });

    // The lead's introducer (the fixture's leading enterprise) earns its 2% reward: not again by decision.
    await expect(
      proposeDiscretionary(deps, {
        principal: finance('fin-9'),
        leadId,
        body: rewardBody('1', {
          recipient: { type: 'intermediary', name: '山东光明电子集团有限公司', uscc: ENTERPRISE_USCC },
        }),
      }),
    ).rejects.toMatchObject({ code: 'second_referral_reward' });
    // Without its legal basis and collective decision: 409 naming both.
    const { legalBasis: _l, collectiveDecision: _c, ...bare } = rewardBody('1');
    await expect(
      proposeDiscretionary(deps, { principal: finance('fin-9'), leadId, body: bare }),
    ).rejects.toMatchObject({ code: 'legal_basis_missing', missing: ['legalBasis', 'collectiveDecision'] });
  });

  it('draws on the conversion fund only when the policy says so', async () => {
    const clock = pinnedClock(new Date('2031-03-03T02:00:00.000Z'));
    const { kit, deps, leadId } = await setUp(clock, { ...ALLOWED, drawsOnFund: true }, 0);
    const before = await adapters.funds.balance(kit.fundId);
    const { record } = await proposeDiscretionary(deps, {
      principal: finance('fin-p'),
      leadId,
      body: rewardBody('20000000'),
    });
    expect(record.fundId).toBe(kit.fundId);
    await signOffDiscretionary(deps, { principal: finance('fin-a'), leadId, rewardId: record.rewardId });
    const after = await adapters.funds.balance(kit.fundId);
    expect((before?.availableFen ?? 0) - (after?.availableFen ?? 0)).toBe(20_000_000);
    expect((after?.committedFen ?? 0) - (before?.committedFen ?? 0)).toBe(20_000_000);
    expect(after?.totalFen).toBe(before?.totalFen);
  });

  it('names the project in the year’s list and the 重奖清单, for a reward stored before names were recorded too', async () => {
    // Not the cap test's range of years: its per-year counter must see no other test's rewards.
    const year = 2100 + randomInt(0, 50);
    const clock = pinnedClock(new Date(`${year}-04-01T02:00:00.000Z`));
    const { deps, leadId } = await setUp(clock, ALLOWED);
    const projectName = (await adapters.leads.get(leadId))?.lead.projectName;
    expect(projectName).toBe('智能光电信息产业园');
    const named = await proposeDiscretionary(deps, {
      principal: finance('fin-p'),
      leadId,
      body: rewardBody('1000000'),
    });
    expect(named.record.projectName).toBe(projectName);
    const legacy = await proposeDiscretionary(deps, {
      principal: finance('fin-p'),
      leadId,
      body: rewardBody('2000000'),
    });
    // Recorded at proposal, on the stored record itself.
    expect((await adapters.discretionary.rewards(leadId)).map((r) => r.projectName)).toEqual([
      projectName,
      projectName,
    ]);
    // A reward as stored before the name was recorded: no projectName attribute.
    const client = localDynamoDb();
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName('LEADS_TABLE'),
          Key: marshall({ pk: `LEAD#${leadId}`, sk: `DISCRETIONARY#${legacy.record.rewardId}` }),
          UpdateExpression: 'REMOVE projectName',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } finally {
      client.destroy();
    }
    const stored = await adapters.discretionary.rewards(leadId);
    expect(stored.find((r) => r.rewardId === legacy.record.rewardId)).not.toHaveProperty('projectName');

    // The list reads the lead's name for it. The year's list holds every lead's rewards of that year (a rerun
    // on the same stack may draw the same year): this lead's, compared by id (proposed at the same instant).
    const ofYear = await discretionaryOfYear(deps, year);
    const byId = (a: readonly unknown[], b: readonly unknown[]) => String(a[0]).localeCompare(String(b[0]));
    const thisLead = ofYear.items.filter((item) => item.leadId === leadId);
    expect(thisLead.map((item) => [item.rewardId, item.leadId, item.projectName]).sort(byId)).toEqual(
      [
        [named.record.rewardId, leadId, projectName],
        [legacy.record.rewardId, leadId, projectName],
      ].sort(byId),
    );

    // The 重奖清单: 项目名称 right after 线索编号, on both rows.
    const file = await exportDiscretionaryRewards(
      { discretionary: adapters.discretionary, leads: adapters.leads, clock, zoneUnit: '经开区招商局' },
      { year, format: 'csv' },
    );
    const lines = Buffer.from(file.bytes).toString('utf8').split('\r\n');
    expect(lines[0]).toContain('"线索编号","项目名称"');
    for (const rewardId of [named.record.rewardId, legacy.record.rewardId]) {
      expect(lines.find((line) => line.startsWith(`"${rewardId}"`))).toContain(
        `"${rewardId}","${leadId}","${projectName}"`,
      );
    }
  });
});
