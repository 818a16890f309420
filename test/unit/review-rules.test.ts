import { describe, expect, it } from 'vitest';
import { settleDecision } from '#shared/domain/lead-outcome.ts';
import {
  makerCheckerRefusal,
  type ReviewAction,
  type ReviewContext,
  whyNotPayable,
} from '#shared/domain/review-rules.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import type { Allocation, CaseOutcomeRecord, ReviewRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import { TEST_HASHING } from '#test/fixtures/identifier-keys.ts';
import { receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { makeLead } from '#test/fixtures/leads.ts';

/** Finance review's pure rules: what is payable, and who may act (maker-checker), table-driven. */

const AT = '2026-03-01T00:00:00.000Z';
const actor = (userId: string) => ({ userId, role: 'finance' });

function decisionOf(
  overrides: { actual?: string; planned?: string; duplicateOf?: string; reportedBy?: string } = {},
): DecisionRecord {
  const { actualInvestment: _none, ...planned } = makeLead({
    plannedInvestment: overrides.planned ?? '1.5亿',
  });
  const lead =
    overrides.actual === undefined
      ? planned
      : makeLead({ plannedInvestment: overrides.planned ?? '1.5亿', actualInvestment: overrides.actual });
  const decision = evaluateLead(lead, DEFAULT_POLICY, TEST_HASHING);
  return {
    leadId: 'ld_000000000000000000000001',
    revision: 2,
    evaluatedAt: AT,
    lead,
    policyVersion: DEFAULT_POLICY.version,
    decision,
    ...settleDecision(decision, overrides.duplicateOf ?? null),
    ...(overrides.reportedBy === undefined
      ? {}
      : { investmentReportedBy: { userId: overrides.reportedBy, role: 'sector:optoelectronics' } }),
  };
}

function contextOf(
  decision: DecisionRecord,
  extra: { allocation?: Allocation; caseOutcome?: CaseOutcomeRecord; review?: ReviewRecord } = {},
): ReviewContext {
  const lead = receivedLeadRecord(decision.lead, {
    leadId: decision.leadId,
    submittedBy: { userId: 'submitter', role: 'sector:optoelectronics' },
    status: decision.status,
    latestRevision: decision.revision,
  });
  return {
    lead,
    decision,
    review: extra.review,
    caseOutcome: extra.caseOutcome,
    allocation: extra.allocation,
  };
}

function allocationOf(decision: DecisionRecord, reservedFen: number): Allocation {
  return {
    fundId: decision.decision.fund.fundId,
    leadId: decision.leadId,
    state: 'reserved',
    revision: decision.revision,
    capFen: reservedFen,
    reservedFen,
    committedFen: 0,
    wantFen: 0,
    waitingSince: null,
    negotiated: false,
    updatedAt: AT,
  };
}

describe('what is payable', () => {
  const verified = decisionOf({ actual: '1.2亿' });
  const caseOutcome: CaseOutcomeRecord = {
    rewardFen: 100,
    fundFen: 0,
    reason: '纪要',
    recordedBy: actor('recorder'),
    recordedAt: AT,
    revision: 2,
  };
  it.each([
    [
      'a verified decision with its allocation applied',
      contextOf(verified, { allocation: allocationOf(verified, 1) }),
      undefined,
    ],
    ['a provisional estimate on the planned investment', contextOf(decisionOf()), 'not_payable'],
    [
      'a duplicate project, whatever it shows',
      contextOf(decisionOf({ actual: '1.2亿', duplicateOf: 'ld_first' }), { caseOutcome }),
      'duplicate_project',
    ],
    [
      'one-case-one-policy without its outcome',
      contextOf(decisionOf({ actual: '6亿', planned: '6亿' })),
      'case_outcome_missing',
    ],
    ['a fund allocation still in flight', contextOf(verified), 'allocation_pending'],
    [
      'a negotiated outcome of nothing and nothing held',
      contextOf(decisionOf({ actual: '6亿', planned: '6亿' }), {
        caseOutcome: { ...caseOutcome, rewardFen: 0 },
      }),
      'nothing_payable',
    ],
  ])('%s → %s', (_name, context, code) => {
    expect(whyNotPayable(context)?.code).toBe(code);
  });
});

describe('maker-checker', () => {
  const decision = decisionOf({ actual: '9亿', reportedBy: 'reporter' });
  const context = contextOf(decision, {
    caseOutcome: {
      rewardFen: 1,
      fundFen: 0,
      reason: 'x',
      recordedBy: actor('recorder'),
      recordedAt: AT,
      revision: 2,
    },
    review: {
      leadId: decision.leadId,
      state: 'APPROVED',
      revision: 2,
      rewardFen: 1,
      fundFen: 0,
      decidedBy: actor('approver'),
      decidedAt: AT,
      note: null,
      payment: null,
    },
  });
  const facts = {
    lead: context.lead,
    revision: decision,
    caseOutcome: context.caseOutcome,
    review: context.review,
  };
  const cases: [ReviewAction, string, boolean][] = [
    ['approve', 'submitter', false],
    ['approve', 'reporter', false],
    ['approve', 'recorder', false],
    ['approve', 'someone-else', true],
    ['record_case_outcome', 'submitter', false],
    ['record_case_outcome', 'reporter', false],
    ['record_case_outcome', 'someone-else', true],
    ['reject', 'submitter', false],
    ['reject', 'reporter', true],
    ['mark_paid', 'approver', false],
    ['mark_paid', 'recorder', false],
    ['mark_paid', 'reporter', false],
    ['mark_paid', 'submitter', false],
    ['mark_paid', 'someone-else', true],
  ];
  it.each(cases)('%s by %s → allowed: %s', (action, userId, allowed) => {
    expect(makerCheckerRefusal(action, userId, facts) === undefined).toBe(allowed);
  });

  it('names why, in words finance understands', () => {
    const refusal = makerCheckerRefusal('approve', 'reporter', facts);
    expect(refusal?.en).toContain('reported the actual investment');
    expect(refusal?.zh).toContain('实际投资由您登记');
  });
});
