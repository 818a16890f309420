import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { ConflictError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import {
  listPublicNotices,
  noticeOfLead,
  recordObjection,
  resolveObjection,
} from '#shared/use-cases/public-notices.ts';
import { approveReward, markPaid } from '#shared/use-cases/review-reward.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { PAYOUT_GATES_OFF } from '#test/support/payout-prerequisites.ts';
import { finance, fundTestKit } from '../fund/fund-support.ts';

/**
 * 公示 (issue 17, part 4) on the local engines with a pinned clock: the real wait the e2e tests skip. The
 * calendar of 2031 is the admin's, stored in the Reference table: Wednesday 03-05 off, Saturday 03-08
 * worked (调休). Approved Monday 2031-03-03 (Asia/Shanghai) with 5 working days: 03-04, 03-06, 03-07, 03-08,
 * 03-10, so the objection deadline is Monday 2031-03-10 and the notice ends at 00:00 on 03-11 (16:00 UTC).
 */

let adapters: Adapters;
const YEAR = 2031;
const APPROVED_AT = new Date('2031-03-03T02:00:00.000Z'); // 10:00 in Shanghai
const LAST_MOMENT = new Date('2031-03-10T15:59:59.999Z'); // 23:59:59.999 on the deadline day
const ENDED = new Date('2031-03-10T16:00:00.000Z');
const admin: Principal = { userId: 'notice-admin', roles: ['admin'] };

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
  const stored = await adapters.calendar.calendar(YEAR);
  if (stored?.holidays.includes('2031-03-05') !== true) {
    const at = new Date().toISOString();
    const set = await adapters.calendar.setCalendar(
      {
        year: YEAR,
        holidays: ['2031-03-05'],
        workdays: ['2031-03-08'],
        revision: (stored?.revision ?? 0) + 1,
        at,
      },
      {
        at,
        actor: { userId: 'test-admin', role: 'admin' },
        action: 'calendar.set',
        subject: `calendar:${YEAR}`,
        inputHash: null,
        policyVersion: null,
        details: { year: YEAR },
      },
    );
    expect(set).toBe('set');
  }
});

/** A pinned clock the test moves. */
function pinnedClock(start: Date): Clock & { set(instant: Date): void } {
  let now = start;
  return {
    now: () => now,
    set: (instant) => {
      now = instant;
    },
  };
}

/** An approved lead under a policy whose only payout rule is the 5-working-day notice. */
async function approvedLead(clock: Clock) {
  const kit = fundTestKit(adapters);
  await kit.openFund(1_000_000_000);
  const policy = { ...kit.policy, payout: { ...PAYOUT_GATES_OFF, notice: { workingDays: 5 } } };
  const deps = { ...kit.deps, clock, policies: { all: async () => [policy] } };
  const leadId = await kit.evaluatedLead({ actualFen: 12_000_000_000, fundRequestFen: 100_000_000 });
  await kit.allocate(leadId);
  const approved = await approveReward(deps, { principal: finance('notice-approver'), leadId });
  expect(approved).toMatchObject({ state: 'APPROVED', rewardFen: 240_000_000 });
  const noticeDeps = { notices: adapters.notices, clock };
  return { leadId, deps, noticeDeps };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'paid';
  } catch (error) {
    if (error instanceof ConflictError) return error.code;
    throw error;
  }
}

const pay = (deps: Parameters<typeof markPaid>[0], leadId: string) =>
  markPaid(deps, { principal: finance('notice-payer'), leadId, reference: `PAY-${leadId.slice(-6)}` });

describe('the public notice on a pinned clock', () => {
  it('opens with the approval, is listed publicly, and pays only once the deadline day is over', async () => {
    const clock = pinnedClock(APPROVED_AT);
    const { leadId, deps, noticeDeps } = await approvedLead(clock);

    const notice = await noticeOfLead(noticeDeps, leadId);
    expect(notice).toMatchObject({
      openedOn: '2031-03-03',
      workingDays: 5,
      objectionDeadline: '2031-03-10',
      endsAt: ENDED.toISOString(),
      status: 'open',
      objections: [],
      content: { rewardFen: 240_000_000, fundFen: 100_000_000 },
    });
    expect(notice.content.legalBasis.length).toBeGreaterThan(0);
    const listed = (await listPublicNotices(noticeDeps, { limit: 100 })).items.find(
      (item) => item.noticeId === notice.noticeId,
    );
    expect(listed).toMatchObject({ objectionDeadline: '2031-03-10', status: 'open' });
    expect(JSON.stringify(listed)).not.toMatch(/\d{17}[\dX]/);

    clock.set(LAST_MOMENT);
    expect(await codeOf(pay(deps, leadId))).toBe('notice_open');
    expect((await adapters.reviews.review(leadId))?.state).toBe('APPROVED');

    clock.set(ENDED);
    expect(await codeOf(pay(deps, leadId))).toBe('paid');
    expect((await adapters.reviews.review(leadId))?.state).toBe('PAID');
    expect((await noticeOfLead(noticeDeps, leadId)).status).toBe('ended');

    // After payment an objection no longer holds anything: a matter for a clawback.
    const late = recordObjection(noticeDeps, {
      principal: admin,
      noticeId: notice.noticeId,
      objection: { receivedOn: '2031-03-11', from: { name: '赵六' }, summary: '迟到的异议' },
    });
    expect(await codeOf(late)).toBe('notice_closed');
  });

  it('an objection holds the payment past the deadline; dismissed, it releases it', async () => {
    const clock = pinnedClock(APPROVED_AT);
    const { leadId, deps, noticeDeps } = await approvedLead(clock);
    const { noticeId } = await noticeOfLead(noticeDeps, leadId);

    clock.set(new Date('2031-03-05T03:00:00.000Z'));
    const objection = { receivedOn: '2031-03-05', from: { name: '赵六' }, summary: '引荐关系存疑' };
    const recorded = await recordObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objection,
      idempotencyKey: `objection-${leadId}`,
    });
    expect(recorded.replayed).toBe(false);
    expect(recorded.notice.status).toBe('held');
    // The same key again: the same objection, nothing added; with another body: refused.
    const retry = await recordObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objection,
      idempotencyKey: `objection-${leadId}`,
    });
    expect(retry).toMatchObject({
      replayed: true,
      objection: { objectionId: recorded.objection.objectionId },
    });
    expect(retry.notice.objections).toHaveLength(1);
    const reused = recordObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objection: { ...objection, summary: '另一条' },
      idempotencyKey: `objection-${leadId}`,
    });
    expect(await codeOf(reused)).toBe('idempotency_key_reused');

    clock.set(ENDED);
    expect(await codeOf(pay(deps, leadId))).toBe('objection_pending');

    // The store's own guard: a pay transition with an objection open fails its condition.
    const review = await adapters.reviews.review(leadId);
    if (review === undefined) throw new Error('no review');
    const lead = await adapters.leads.get(leadId);
    const forced = await adapters.reviews.transition(
      {
        leadId,
        revision: lead?.latestRevision ?? 1,
        fromStatus: 'APPROVED',
        toStatus: 'PAID',
        at: ENDED.toISOString(),
        review: { before: review, after: { ...review, state: 'PAID' } },
        noticeClear: true,
      },
      {
        at: ENDED.toISOString(),
        actor: { userId: 'notice-payer', role: 'finance' },
        action: 'reward.paid',
        subject: leadId,
        inputHash: null,
        policyVersion: null,
        details: {},
      },
    );
    expect(forced).toBe('conflict');

    const resolution = { outcome: 'dismissed' as const, reason: '经核实，引荐关系属实' };
    const resolved = await resolveObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objectionId: recorded.objection.objectionId,
      resolution,
    });
    expect(resolved.notice.status).toBe('ended');
    expect(resolved.notice.objections[0]?.resolution).toMatchObject(resolution);
    const again = await resolveObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objectionId: recorded.objection.objectionId,
      resolution,
    });
    expect(again.replayed).toBe(true);
    const otherwise = resolveObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objectionId: recorded.objection.objectionId,
      resolution: { outcome: 'upheld', reason: '改判' },
    });
    expect(await codeOf(otherwise)).toBe('objection_resolved');

    expect(await codeOf(pay(deps, leadId))).toBe('paid');
    const trail = await adapters.audit.query({ subject: leadId, limit: 50 });
    const actions = trail.entries.map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'reward.approved',
        'notice.objection_recorded',
        'notice.objection_resolved',
        'reward.paid',
      ]),
    );
    const approvedEntry = trail.entries.find((entry) => entry.action === 'reward.approved');
    expect(approvedEntry?.details).toMatchObject({ noticeId, objectionDeadline: '2031-03-10' });
    const objected = trail.entries.find((entry) => entry.action === 'notice.objection_recorded');
    expect(objected?.details).toMatchObject({ fromMasked: '赵*' });
    expect(JSON.stringify(objected)).not.toContain('赵六');
  });

  it('an upheld objection means the reward is never paid', async () => {
    const clock = pinnedClock(APPROVED_AT);
    const { leadId, deps, noticeDeps } = await approvedLead(clock);
    const { noticeId } = await noticeOfLead(noticeDeps, leadId);
    // Received before the notice opened, or later than today: 400 naming the field.
    for (const receivedOn of ['2031-03-02', '2031-03-04']) {
      const refused = recordObjection(noticeDeps, {
        principal: admin,
        noticeId,
        objection: { receivedOn, from: { name: '钱七' }, summary: '日期不对' },
      });
      await expect(refused).rejects.toMatchObject({ problems: [{ field: 'receivedOn' }] });
    }
    clock.set(new Date('2031-03-04T03:00:00.000Z'));
    const { objection } = await recordObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objection: { receivedOn: '2031-03-04', from: { name: '钱七' }, summary: '引荐人为财政供养人员' },
    });
    await resolveObjection(noticeDeps, {
      principal: admin,
      noticeId,
      objectionId: objection.objectionId,
      resolution: { outcome: 'upheld', reason: '经核实属实' },
    });
    clock.set(new Date('2031-04-01T02:00:00.000Z'));
    expect(await codeOf(pay(deps, leadId))).toBe('objection_upheld');
    expect((await noticeOfLead(noticeDeps, leadId)).status).toBe('upheld');
  });
});
