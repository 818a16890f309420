import { describe, expect, it } from 'vitest';
import { citesLegalBasis, legalBasisRefusal } from '#shared/domain/payout-rules.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { PolicySchema } from '#shared/policy/policy-schema.ts';
import type { Decision } from '#shared/schemas/decision.ts';
import type { CaseOutcomeRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import { TEST_HASHING } from '#test/fixtures/identifier-keys.ts';
import { makeLead } from '#test/fixtures/leads.ts';

/**
 * Issue 17, part 7: a policy rule without a legal basis is never published, and no amount is approved on
 * a rule of the decision that cites none (公平竞争审查条例, in force 2024-08-01).
 */

describe('publishing: every rule carries its legal basis', () => {
  const withoutBasis = (index: number) => ({
    ...DEFAULT_POLICY,
    rules: DEFAULT_POLICY.rules.map((rule, i) => {
      if (i !== index) return rule;
      const { legalBasis: _dropped, ...rest } = rule;
      return rest;
    }),
  });
  const table: readonly [string, unknown, string][] = [
    ['the referral rule without one', withoutBasis(0), 'rules.0.legalBasis'],
    ['the one-case-one-policy rule without one', withoutBasis(1), 'rules.1.legalBasis'],
    ['the fund rule without one', withoutBasis(2), 'rules.2.legalBasis'],
    [
      'a blank document',
      {
        ...DEFAULT_POLICY,
        rules: [
          { ...DEFAULT_POLICY.rules[0], legalBasis: { document: '  ', clauses: ['第一条'] } },
          ...DEFAULT_POLICY.rules.slice(1),
        ],
      },
      'rules.0.legalBasis.document',
    ],
    [
      'no clause',
      {
        ...DEFAULT_POLICY,
        rules: [
          { ...DEFAULT_POLICY.rules[0], legalBasis: { document: '《某意见》', clauses: [] } },
          ...DEFAULT_POLICY.rules.slice(1),
        ],
      },
      'rules.0.legalBasis.clauses',
    ],
  ];
  for (const [name, policy, field] of table) {
    it(`refuses ${name}, naming ${field}`, () => {
      const result = PolicySchema.safeParse(policy);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
    });
  }
});

describe('approval: the rule the amount rests on cites a legal basis', () => {
  const recordOf = (decision: Decision, payableRewardFen: number): DecisionRecord => ({
    leadId: 'ld_basis',
    revision: 2,
    evaluatedAt: '2026-07-01T00:00:00.000Z',
    lead: makeLead(),
    policyVersion: DEFAULT_POLICY.version,
    decision,
    adjustments: [],
    payableRewardFen: payableRewardFen,
    status: 'PENDING_FINANCE',
  });
  const referral = evaluateLead(makeLead(), DEFAULT_POLICY, TEST_HASHING);
  const caseByCase = evaluateLead(makeLead({ bespokeTermsRequested: true }), DEFAULT_POLICY, TEST_HASHING);
  // A decision recorded under a policy of before the rule (or migrated from elsewhere): the basis absent.
  const stripped = (decision: Decision, part: 'referralReward' | 'fund' | 'flags'): Decision =>
    part === 'flags'
      ? ({
          ...decision,
          flags: decision.flags.map(({ legalBasis: _l, ...flag }) => flag),
        } as unknown as Decision)
      : ({ ...decision, [part]: { ...decision[part], legalBasis: undefined } } as unknown as Decision);
  const blank = {
    ...referral,
    referralReward: { ...referral.referralReward, legalBasis: { document: '', clauses: [' '] } },
  };
  const outcome = (rewardFen: number, fundFen: number): CaseOutcomeRecord => ({
    rewardFen,
    fundFen,
    reason: '管委会一事一议',
    recordedBy: { userId: 'fin-a', role: 'finance' },
    recordedAt: '2026-07-02T00:00:00.000Z',
    revision: 2,
  });
  const table: readonly [
    string,
    Decision,
    CaseOutcomeRecord | undefined,
    { rewardFen: number; fundFen: number },
    readonly string[],
  ][] = [
    ['kfq-2019: reward and fund share', referral, undefined, { rewardFen: 240_000_000, fundFen: 1 }, []],
    [
      'the referral rule cites none',
      stripped(referral, 'referralReward'),
      undefined,
      { rewardFen: 240_000_000, fundFen: 0 },
      ['referralReward.legalBasis'],
    ],
    [
      'a blank citation counts as none',
      blank,
      undefined,
      { rewardFen: 240_000_000, fundFen: 0 },
      ['referralReward.legalBasis'],
    ],
    [
      'the fund rule cites none, a fund share approved',
      stripped(referral, 'fund'),
      undefined,
      { rewardFen: 240_000_000, fundFen: 100_000_000 },
      ['fund.legalBasis'],
    ],
    [
      'the fund rule cites none, no fund share approved',
      stripped(referral, 'fund'),
      undefined,
      { rewardFen: 240_000_000, fundFen: 0 },
      [],
    ],
    [
      'neither cites one',
      stripped(stripped(referral, 'fund'), 'referralReward'),
      undefined,
      { rewardFen: 240_000_000, fundFen: 100_000_000 },
      ['referralReward.legalBasis', 'fund.legalBasis'],
    ],
    [
      'nothing approved: nothing to check',
      stripped(referral, 'referralReward'),
      undefined,
      { rewardFen: 0, fundFen: 0 },
      [],
    ],
    [
      '一事一议 outcome on a rule that cites one',
      caseByCase,
      outcome(300_000_000, 0),
      { rewardFen: 300_000_000, fundFen: 0 },
      [],
    ],
    [
      '一事一议 outcome without a basis',
      stripped(caseByCase, 'flags'),
      outcome(300_000_000, 50_000_000),
      { rewardFen: 300_000_000, fundFen: 50_000_000 },
      ['oneCaseOnePolicy.legalBasis'],
    ],
    [
      '一事一议 outcome of 0: nothing to check',
      stripped(caseByCase, 'flags'),
      outcome(0, 0),
      { rewardFen: 0, fundFen: 0 },
      [],
    ],
  ];
  for (const [name, decision, caseOutcome, amounts, missing] of table) {
    it(name, () => {
      const refusal = legalBasisRefusal({
        decision: recordOf(decision, amounts.rewardFen),
        caseOutcome,
        ...amounts,
      });
      if (missing.length === 0) expect(refusal).toBeUndefined();
      else {
        expect(refusal?.code).toBe('legal_basis_missing');
        expect(refusal?.missing).toEqual(missing);
        expect(refusal?.message.zh).toContain('公平竞争审查条例');
        expect(refusal?.message.en).toContain('legal basis');
      }
    });
  }

  it('counts a citation only with a document and a clause', () => {
    expect(citesLegalBasis(DEFAULT_POLICY.legalBasis)).toBe(true);
    expect(citesLegalBasis(undefined)).toBe(false);
    expect(citesLegalBasis({ document: '《某意见》', clauses: [] })).toBe(false);
    expect(citesLegalBasis({ document: '', clauses: ['第一条'] })).toBe(false);
  });
});
