import { describe, expect, it } from 'vitest';
import type { LeadTrack } from '#test/chaos/crash-loop.ts';
import {
  type AllocationView,
  type Evidence,
  type FundView,
  judge,
  type LeadView,
  type Observation,
  type RewardView,
} from '#test/chaos/invariants.ts';
import { prng } from '#test/chaos/prng.ts';
import { type AuditEntryLite, killPhases } from '#test/chaos/timeline.ts';
import { planRun } from '#test/chaos/workload.ts';

/**
 * The crash loop's judge (test/chaos/invariants.ts) on states built by hand: it passes a sound end state
 * and names the lead in each broken promise. (The loop itself runs in the chaos project.)
 */

const CAP = 600_000_000;
const plan = planRun(
  {
    kills: 1,
    leads: 4,
    allocations: 10,
    seed: 1,
    maxUptimeMs: 1_000,
    startupKillShare: 0,
    settleSeconds: 10,
  },
  prng(1),
);
const ids = ['ld_a', 'ld_b', 'ld_c', 'ld_d'];

function track(index: number, reportedRevision = 1): LeadTrack {
  const leadPlan = plan.leads[index];
  if (leadPlan === undefined) throw new Error('no such lead');
  return {
    plan: { ...leadPlan, repeats: undefined },
    leadIds: new Set([ids[index] ?? '?']),
    leadId: ids[index],
    posts: 1,
    replayed: false,
    refused: undefined,
    reportedRevision,
    reportOutcome: undefined,
    financeOutcome: undefined,
    payOutcome: undefined,
  };
}

function view(leadId: string, status: string, firstDecidedAt: string, revision = 1): LeadView {
  return {
    leadId,
    status,
    latestRevision: status === 'RECEIVED' ? 0 : revision,
    duplicateOf: null,
    evaluationFailure: null,
    revisions: status === 'RECEIVED' ? [] : [{ revision: 1, evaluatedAt: firstDecidedAt }],
    latestDecision:
      status === 'RECEIVED'
        ? null
        : {
            revision,
            adjustments: [],
            decision: { fund: { fundId: 'conversion-2019', eligible: true, capFen: CAP } },
          },
  };
}

const reserved = (reservedFen = CAP): AllocationView => ({
  state: 'reserved',
  revision: 1,
  capFen: CAP,
  reservedFen,
  committedFen: 0,
  wantFen: 0,
});
const waiting: AllocationView = {
  state: 'waitlisted',
  revision: 1,
  capFen: CAP,
  reservedFen: 0,
  committedFen: 0,
  wantFen: CAP,
};
const committed: AllocationView = {
  state: 'committed',
  revision: 1,
  capFen: CAP,
  reservedFen: 0,
  committedFen: CAP,
  wantFen: 0,
};

function reward(leadId: string, status: string, allocation: AllocationView, rewardFen = 0): RewardView {
  const approved = status === 'APPROVED' || status === 'PAID';
  return {
    leadId,
    status,
    allocation,
    review: approved ? { state: status, rewardFen, fundFen: allocation.committedFen } : null,
  };
}

function fund(overrides: Partial<FundView> = {}): FundView {
  return {
    totalFen: plan.fundTotalFen,
    availableFen: plan.fundTotalFen - 3 * CAP,
    reservedFen: 2 * CAP,
    committedFen: CAP,
    version: 9,
    waitlist: [],
    ...overrides,
  };
}

function entry(
  seq: number,
  at: string,
  action: string,
  subject: string,
  details: Record<string, unknown> = {},
) {
  return { seq, at, action, subject, details } satisfies AuditEntryLite;
}

/** A sound end state: a, b reserved; c approved and paid; d rejected. */
function soundEvidence(): { evidence: Evidence; tracks: LeadTrack[] } {
  const views = [
    view('ld_a', 'PENDING_FINANCE', '2026-01-01T00:00:01.000Z'),
    view('ld_b', 'PENDING_FINANCE', '2026-01-01T00:00:02.000Z'),
    view('ld_c', 'PAID', '2026-01-01T00:00:03.000Z'),
    view('ld_d', 'REJECTED', '2026-01-01T00:00:04.000Z'),
  ];
  const rewards = [
    reward('ld_a', 'PENDING_FINANCE', reserved()),
    reward('ld_b', 'PENDING_FINANCE', reserved()),
    reward('ld_c', 'PAID', committed, 2_400_000_00),
    reward('ld_d', 'REJECTED', { ...reserved(0), state: 'released' }),
  ];
  const observation: Observation = {
    at: Date.now(),
    views: new Map(views.map((v) => [v.leadId, v])),
    pendingRevisions: new Map(),
    pendingWork: [],
    fund: fund(),
    rewards: new Map(rewards.map((r) => [r.leadId, r])),
    readProblems: [],
  };
  const audit = [
    ...ids.map((id, i) => entry(i + 1, '2026-01-01T00:00:00.000Z', 'lead.received', id)),
    entry(5, '2026-01-01T00:00:05.000Z', 'reward.approved', 'ld_c', { move: 'commit', amountFen: CAP }),
    entry(6, '2026-01-01T00:00:06.000Z', 'reward.paid', 'ld_c'),
  ];
  return {
    evidence: { observation, audit, listed: [...ids], verify: { ok: true, checked: audit.length } },
    tracks: [track(0), track(1), track(2), track(3)],
  };
}

const failing = (evidence: Evidence, tracks: LeadTrack[]) =>
  judge(evidence, tracks, plan)
    .filter((invariant) => !invariant.ok)
    .map((invariant) => ({
      name: invariant.name.split(' (')[0] ?? invariant.name,
      problems: invariant.problems.join(' | '),
    }));

describe('the crash loop judge', () => {
  it('passes a sound end state', () => {
    const { evidence, tracks } = soundEvidence();
    expect(failing(evidence, tracks)).toEqual([]);
  });

  it('names a lead left RECEIVED and one whose reported revision never came', () => {
    const { evidence, tracks } = soundEvidence();
    const views = new Map(evidence.observation.views);
    views.set('ld_a', view('ld_a', 'RECEIVED', ''));
    const reportedTwo = tracks.map((t, i) => (i === 1 ? { ...t, reportedRevision: 2 } : t));
    const pendingRevisions = new Map([['ld_b', 2]]);
    const [decided] = failing(
      { ...evidence, observation: { ...evidence.observation, views, pendingRevisions } },
      reportedTwo,
    );
    expect(decided?.name).toBe('every 202 is decided');
    expect(decided?.problems).toContain('ld_a: RECEIVED, revision 0');
    expect(decided?.problems).toContain('ld_b: PENDING_FINANCE, revision 1, reported 2, pendingRevision 2');
  });

  it('names a lead later in evaluation order holding money while an earlier one waits', () => {
    const { evidence, tracks } = soundEvidence();
    const rewards = new Map(evidence.observation.rewards);
    rewards.set('ld_a', reward('ld_a', 'PENDING_FINANCE', waiting));
    const observation = {
      ...evidence.observation,
      rewards,
      fund: fund({
        availableFen: plan.fundTotalFen - 2 * CAP,
        reservedFen: CAP,
        waitlist: [{ leadId: 'ld_a', position: 1, wantFen: CAP, since: '2026-01-01T00:00:01.000Z' }],
      }),
    };
    const problems = failing({ ...evidence, observation }, tracks);
    const order = problems.find((p) => p.name === 'waitlist served in evaluation order');
    expect(order?.problems).toContain('available while 1 leads wait');
    expect(order?.problems).toContain('ld_b (first decided 2026-01-01T00:00:02.000Z, PENDING_FINANCE) holds');
    expect(order?.problems).toContain('ld_c (first decided 2026-01-01T00:00:03.000Z, PAID) holds');
  });

  it('names a reward approved twice, and a fund whose parts do not add up', () => {
    const { evidence, tracks } = soundEvidence();
    const audit = [
      ...(evidence.audit as AuditEntryLite[]),
      entry(7, '2026-01-01T00:00:07.000Z', 'reward.approved', 'ld_c', { move: 'commit', amountFen: CAP }),
    ];
    const observation = {
      ...evidence.observation,
      fund: fund({ availableFen: plan.fundTotalFen - 3 * CAP + 1 }),
    };
    const names = failing({ ...evidence, audit, observation }, tracks);
    expect(names.find((p) => p.name === 'no reward approved or paid twice')?.problems).toContain(
      'ld_c: approved 2 times',
    );
    expect(names.find((p) => p.name.startsWith('fund:'))?.problems).toContain('≠ available');
  });

  it('names a listed lead no key was answered with, and a failed verification', () => {
    const { evidence, tracks } = soundEvidence();
    const names = failing(
      { ...evidence, listed: [...ids, 'ld_x'], verify: { ok: false, firstBad: 3 } },
      tracks,
    );
    expect(names.find((p) => p.name === 'no lead twice')?.problems).toContain('ld_x: listed');
    expect(names.find((p) => p.name === '/audit/verify ok')?.problems).toContain('"firstBad":3');
  });
});

describe('where a kill fell (from the audit trail)', () => {
  const audit = [
    entry(1, '2026-01-01T00:00:01.000Z', 'lead.received', 'ld_a'),
    entry(2, '2026-01-01T00:00:02.000Z', 'lead.evaluated', 'ld_a', {
      revision: 1,
      fundCapFen: CAP,
      duplicateOf: null,
    }),
    entry(3, '2026-01-01T00:00:03.000Z', 'lead.received', 'ld_b'),
    entry(4, '2026-01-01T00:00:05.000Z', 'fund.reserved', 'ld_a', { revision: 1 }),
    entry(5, '2026-01-01T00:00:06.000Z', 'lead.actual_investment_reported', 'ld_a', { nextRevision: 2 }),
  ];

  it('counts revisions waiting for evaluation and decisions waiting for their allocation', () => {
    expect(killPhases('2026-01-01T00:00:04.000Z', audit)).toEqual({
      evaluationNew: 1,
      evaluationAgain: 0,
      allocation: 1,
    });
    expect(killPhases('2026-01-01T00:00:07.000Z', audit)).toEqual({
      evaluationNew: 1,
      evaluationAgain: 1,
      allocation: 0,
    });
    expect(killPhases('2026-01-01T00:00:00.500Z', audit)).toEqual({
      evaluationNew: 0,
      evaluationAgain: 0,
      allocation: 0,
    });
  });
});
