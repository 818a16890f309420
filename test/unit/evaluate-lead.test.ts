import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import { MAX_FEN } from '#shared/domain/money.ts';
import { computeOutcome } from '#shared/policy/compute-outcome.ts';
import { KFQ_2019_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead, policyHash } from '#shared/policy/evaluate-lead.ts';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import { DecisionSchema } from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { TEST_HASHING } from '#test/fixtures/identifier-keys.ts';
import { ENTERPRISE_USCC, leadInFen, leadInput, makeLead, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';

const YI = 10_000_000_000;
const WAN = 1_000_000;
const policy = KFQ_2019_POLICY;

function withRules(patch: (rule: Policy['rules'][number]) => Policy['rules'][number]): Policy {
  return PolicySchema.parse({ ...structuredClone(KFQ_2019_POLICY), rules: KFQ_2019_POLICY.rules.map(patch) });
}

const introducers: Record<Lead['introducer']['type'], Lead['introducer']> = {
  leading_enterprise: { type: 'leading_enterprise', name: '龙头企业甲', uscc: ENTERPRISE_USCC },
  natural_person: { type: 'natural_person', name: '李明', residentId: PERSON_RESIDENT_ID },
  intermediary: { type: 'intermediary', name: '某招商咨询公司' },
  professional_team: { type: 'professional_team', name: '专业招商团队' },
  none: { type: 'none' },
};

describe('evaluateLead on the issue example', () => {
  it('gives 240万元 payable on a 1.2亿 verified referral, and the fund bound by the per-project cap', () => {
    const decision = evaluateLead(makeLead(), policy, TEST_HASHING);
    expect(DecisionSchema.parse(decision)).toEqual(decision);
    expect(decision.policyVersion).toBe('kfq-2019');
    expect(decision.policyHash).toBe(policyHash(policy));
    expect(decision.referralReward).toMatchObject({
      status: 'evaluated',
      eligible: true,
      basis: 'actual',
      amountFen: 240_000_000,
      amountText: '240万元',
      payable: true,
      reasons: [],
    });
    expect(decision.referralReward.explanation.zh).toContain('2% × 1.2亿元 = 240万元');
    expect(decision.referralReward.explanation.en).toContain('2% × 1.2亿元 = 240万元');
    expect(decision.flags).toEqual([]);
    expect(decision.fund).toMatchObject({
      status: 'evaluated',
      eligible: true,
      requestedFen: 1_000_000_000,
      capFen: 1_000_000_000,
      boundBy: 'per_project_cap',
    });
    expect(decision.referralReward.legalBasis.document).toContain('政策扶持意见');
    expect(decision.fund.legalBasis.document).toContain('政策扶持意见');
    expect(decision.rules.map((rule) => rule.ruleId)).toEqual([
      'referral-reward',
      'one-case-one-policy',
      'conversion-fund',
    ]);
  });
});

describe('referral reward threshold', () => {
  it.each([
    ['exactly 1亿', YI, true, 200_000_000],
    ['99,999,999.99 yuan', YI - 1, false, 0],
    ['1亿 and one fen', YI + 1, true, 200_000_000],
    ['0', 0, false, 0],
  ])('on an actual investment of %s: eligible %s, %i fen', (_label, actualFen, eligible, amountFen) => {
    const reward = evaluateLead(
      leadInFen({ plannedFen: YI, actualFen }),
      policy,
      TEST_HASHING,
    ).referralReward;
    expect(reward.eligible).toBe(eligible);
    expect(reward.amountFen).toBe(amountFen);
    expect(reward.payable).toBe(eligible);
    if (!eligible) {
      expect(reward.reasons).toContain('below_threshold');
      expect(reward.explanation.en).toContain('below the threshold');
    }
  });

  it('makes exactly 1亿 ineligible when the policy sets the threshold exclusive', () => {
    const exclusive = withRules((rule) =>
      rule.type === 'referral_reward' ? { ...rule, thresholdInclusive: false } : rule,
    );
    expect(
      evaluateLead(leadInFen({ plannedFen: YI, actualFen: YI }), exclusive, TEST_HASHING).referralReward
        .eligible,
    ).toBe(false);
    expect(
      evaluateLead(leadInFen({ plannedFen: YI, actualFen: YI + 1 }), exclusive, TEST_HASHING).referralReward
        .eligible,
    ).toBe(true);
  });
});

describe('referral reward by introducer type', () => {
  it.each([
    ['leading_enterprise', true, []],
    ['natural_person', true, []],
    ['intermediary', false, ['introducer_not_eligible']],
    ['professional_team', false, ['introducer_not_eligible']],
    ['none', false, ['no_introducer']],
  ] as const)('%s: eligible %s', (type, eligible, reasons) => {
    const reward = evaluateLead(
      leadInFen({ plannedFen: 2 * YI, actualFen: 2 * YI, introducer: introducers[type] }),
      policy,
      TEST_HASHING,
    ).referralReward;
    expect(reward.eligible).toBe(eligible);
    expect(reward.reasons).toEqual(reasons);
    expect(reward.amountFen).toBe(eligible ? 400_000_000 : 0);
    if (type === 'intermediary' || type === 'professional_team') {
      expect(reward.explanation.en).toContain('discretionary');
      expect(reward.explanation.zh).toContain('酌定奖励');
    }
  });
});

describe('planned vs actual basis', () => {
  it('estimates on the planned investment, not payable, when no actual investment is verified', () => {
    const reward = evaluateLead(leadInFen({ plannedFen: 1.5 * YI }), policy, TEST_HASHING).referralReward;
    expect(reward).toMatchObject({
      basis: 'planned',
      baseFen: 1.5 * YI,
      amountFen: 300_000_000,
      payable: false,
      reasons: ['provisional_on_planned_investment'],
    });
    expect(reward.explanation.en).toContain('provisional');
  });

  it('takes the verified actual investment, even when it is below the planned one', () => {
    const reward = evaluateLead(
      leadInFen({ plannedFen: 3 * YI, actualFen: 1.2 * YI }),
      policy,
      TEST_HASHING,
    ).referralReward;
    expect(reward).toMatchObject({
      basis: 'actual',
      baseFen: 1.2 * YI,
      amountFen: 240_000_000,
      payable: true,
    });
  });

  it('makes a planned estimate above the threshold ineligible once the verified actual falls below it', () => {
    const reward = evaluateLead(
      leadInFen({ plannedFen: 2 * YI, actualFen: YI - 1 }),
      policy,
      TEST_HASHING,
    ).referralReward;
    expect(reward).toMatchObject({ eligible: false, amountFen: 0, payable: false });
  });
});

describe('rounding', () => {
  it.each([
    ['100000000.25', 200_000_001, 'a half fen rounds up'],
    ['100000000.24', 200_000_000, 'below a half fen rounds down'],
    ['100000000.75', 200_000_002, '1.5 fen rounds up to 2'],
    ['123456789.01', 246_913_578, '0.02 fen rounds down'],
  ])('2%% of %s yuan is %i fen (%s)', (actualInvestment, amountFen) => {
    expect(evaluateLead(makeLead({ actualInvestment }), policy, TEST_HASHING).referralReward.amountFen).toBe(
      amountFen,
    );
  });
});

describe('Chinese-unit amounts', () => {
  it.each([
    ['1.2亿', 240_000_000],
    ['1亿2000万', 240_000_000],
    ['12000万元', 240_000_000],
    ['120000000.00', 240_000_000],
    [120000000, 240_000_000],
    ['6亿3000万元', 1_260_000_000],
  ])('reads an actual investment of %j and rewards %i fen', (actualInvestment, amountFen) => {
    expect(evaluateLead(makeLead({ actualInvestment }), policy, TEST_HASHING).referralReward.amountFen).toBe(
      amountFen,
    );
  });
});

describe('one-case-one-policy', () => {
  it.each([
    ['planned 5亿 exactly', { plannedFen: 5 * YI }, ['planned_investment_at_or_above_threshold']],
    ['planned just under 5亿', { plannedFen: 5 * YI - 1 }, []],
    [
      'a municipal major project',
      { plannedFen: 2 * YI, municipalMajorProject: true },
      ['municipal_major_project'],
    ],
    [
      'bespoke terms requested',
      { plannedFen: 2 * YI, bespokeTermsRequested: true },
      ['bespoke_terms_requested'],
    ],
    [
      'all three',
      { plannedFen: 6 * YI, municipalMajorProject: true, bespokeTermsRequested: true },
      ['planned_investment_at_or_above_threshold', 'municipal_major_project', 'bespoke_terms_requested'],
    ],
  ])('%s flags %j', (_label, fields, reasons) => {
    const decision = evaluateLead(leadInFen({ ...fields, actualFen: 2 * YI }), policy, TEST_HASHING);
    if (reasons.length === 0) {
      expect(decision.flags).toEqual([]);
      expect(decision.referralReward.payable).toBe(true);
      return;
    }
    expect(decision.flags).toHaveLength(1);
    expect(decision.flags[0]).toMatchObject({ code: 'ONE_CASE_ONE_POLICY', reasons });
    expect(decision.referralReward).toMatchObject({ eligible: true, amountFen: 400_000_000, payable: false });
    expect(decision.referralReward.reasons).toContain('one_case_one_policy');
  });

  it('ignores a criterion the policy switches off', () => {
    const off = withRules((rule) =>
      rule.type === 'one_case_one_policy' ? { ...rule, municipalMajorProject: false } : rule,
    );
    expect(
      evaluateLead(leadInFen({ plannedFen: 2 * YI, municipalMajorProject: true }), off, TEST_HASHING).flags,
    ).toEqual([]);
  });

  it('cuts a reward above the cap and flags it above_reward_cap', () => {
    const capped = withRules((rule) =>
      rule.type === 'referral_reward' ? { ...rule, capFen: 300 * WAN } : rule,
    );
    const decision = evaluateLead(leadInFen({ plannedFen: 2 * YI, actualFen: 2 * YI }), capped, TEST_HASHING);
    expect(decision.referralReward).toMatchObject({
      standardAmountFen: 400 * WAN,
      amountFen: 300 * WAN,
      capFen: 300 * WAN,
      payable: false,
      reasons: ['capped', 'one_case_one_policy'],
    });
    expect(decision.flags[0]?.reasons).toEqual(['above_reward_cap']);
    const under = evaluateLead(leadInFen({ plannedFen: YI, actualFen: YI }), capped, TEST_HASHING);
    expect(under.referralReward).toMatchObject({ amountFen: 200 * WAN, payable: true });
    expect(under.flags).toEqual([]);
  });
});

describe('conversion fund cap', () => {
  it.each([
    ['the request', 2 * YI, 500 * WAN, 500 * WAN, 'request'],
    ['10% of the investment', 0.8 * YI, 1000 * WAN, 800 * WAN, 'investment_share'],
    ['the per-project cap', 2 * YI, 1500 * WAN, 1000 * WAN, 'per_project_cap'],
    ['the per-project cap on a tie with the request', 2 * YI, 1000 * WAN, 1000 * WAN, 'per_project_cap'],
    ['the investment share on a tie with the request', 0.5 * YI, 500 * WAN, 500 * WAN, 'investment_share'],
    ['the per-project cap on a tie with the share', YI, 2000 * WAN, 1000 * WAN, 'per_project_cap'],
  ])('is bound by %s', (_label, actualFen, fundRequestFen, capFen, boundBy) => {
    const fund = evaluateLead(
      leadInFen({ plannedFen: actualFen, actualFen, fundRequestFen }),
      policy,
      TEST_HASHING,
    ).fund;
    expect(fund).toMatchObject({
      status: 'evaluated',
      eligible: true,
      capFen,
      boundBy,
      requestedFen: fundRequestFen,
    });
  });

  it('takes the share of the planned investment when no actual one is verified', () => {
    const fund = evaluateLead(
      leadInFen({ plannedFen: 0.3 * YI, fundRequestFen: 1000 * WAN }),
      policy,
      TEST_HASHING,
    ).fund;
    expect(fund).toMatchObject({ basis: 'planned', investmentShareFen: 300 * WAN, capFen: 300 * WAN });
  });

  it('refuses the category other, with cap 0 and a reason', () => {
    const fund = evaluateLead(
      leadInFen({ plannedFen: 2 * YI, fundRequestFen: 500 * WAN, category: 'other' }),
      policy,
      TEST_HASHING,
    ).fund;
    expect(fund).toMatchObject({
      status: 'evaluated',
      eligible: false,
      capFen: 0,
      boundBy: null,
      reasons: ['category_not_eligible'],
    });
    expect(fund.explanation.en).toContain('not eligible');
  });

  it.each(['new_productive_force', 'old_capacity_upgrade'] as const)(
    'accepts the category %s',
    (category) => {
      const fund = evaluateLead(
        leadInFen({ plannedFen: 2 * YI, fundRequestFen: 500 * WAN, category }),
        policy,
        TEST_HASHING,
      ).fund;
      expect(fund.eligible).toBe(true);
    },
  );

  it('reports the fund as not evaluated, naming fundRequest, when no request is given', () => {
    const fund = evaluateLead(leadInFen({ plannedFen: 2 * YI }), policy, TEST_HASHING).fund;
    expect(fund).toMatchObject({
      status: 'not_evaluated',
      missing: ['fundRequest'],
      eligible: null,
      capFen: 0,
      boundBy: null,
    });
    expect(fund.explanation.en).toContain('1000万元');
  });
});

const arbIntroducer = fc.constantFrom(...Object.values(introducers));
const arbLead = fc
  .record({
    plannedFen: fc.integer({ min: 1, max: MAX_FEN }),
    actualFen: fc.option(fc.integer({ min: 0, max: MAX_FEN }), { nil: undefined }),
    fundRequestFen: fc.option(fc.integer({ min: 1, max: MAX_FEN }), { nil: undefined }),
    introducer: arbIntroducer,
    category: fc.constantFrom('new_productive_force', 'old_capacity_upgrade', 'other') as fc.Arbitrary<
      Lead['category']
    >,
    municipalMajorProject: fc.boolean(),
    bespokeTermsRequested: fc.boolean(),
  })
  .map((fields) => leadInFen(fields));

describe('properties', () => {
  it('rewards 2% of the base, rounded half up, for every eligible lead', () => {
    fc.assert(
      fc.property(arbLead, (lead) => {
        const reward = evaluateLead(lead, policy, TEST_HASHING).referralReward;
        const base = BigInt(lead.actualInvestment ?? lead.plannedInvestment);
        const eligibleType = ['leading_enterprise', 'natural_person'].includes(lead.introducer.type);
        const eligible = eligibleType && base >= 10_000_000_000n;
        expect(reward.eligible).toBe(eligible);
        // Independent expectation: (base × 200 + 5000) div 10000.
        const expected = eligible ? Number((base * 200n + 5_000n) / 10_000n) : 0;
        expect(reward.amountFen).toBe(expected);
      }),
    );
  });

  it('never gives a negative amount and never more than the fund cap', () => {
    fc.assert(
      fc.property(arbLead, (lead) => {
        const decision = evaluateLead(lead, policy, TEST_HASHING);
        expect(decision.referralReward.amountFen).toBeGreaterThanOrEqual(0);
        expect(decision.fund.capFen).toBeGreaterThanOrEqual(0);
        expect(decision.fund.capFen).toBeLessThanOrEqual(1_000_000_000);
        expect(decision.fund.capFen).toBeLessThanOrEqual(lead.fundRequest ?? 0);
      }),
    );
  });

  it('is monotonic in the investment', () => {
    fc.assert(
      fc.property(
        arbIntroducer,
        fc.integer({ min: 0, max: MAX_FEN }),
        fc.integer({ min: 0, max: MAX_FEN }),
        (introducer, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const rewardAt = (fen: number) =>
            computeOutcome(leadInFen({ plannedFen: YI, actualFen: fen, introducer }), policy).referral
              .amountFen;
          expect(rewardAt(low)).toBeLessThanOrEqual(rewardAt(high));
        },
      ),
    );
  });

  it('gives byte-identical canonical decisions for the same lead, whatever the key order of the input', () => {
    fc.assert(
      fc.property(arbLead, (lead) => {
        const reversed = JSON.parse(JSON.stringify(lead), (_key, value: unknown) =>
          value !== null && typeof value === 'object' && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).reverse())
            : value,
        ) as Lead;
        const first = canonicalJson(evaluateLead(lead, policy, TEST_HASHING));
        expect(canonicalJson(evaluateLead(lead, policy, TEST_HASHING))).toBe(first);
        expect(canonicalJson(evaluateLead(reversed, policy, TEST_HASHING))).toBe(first);
      }),
      { numRuns: 50 },
    );
  });

  it('hashes the input the same for a lead parsed from reordered keys or other amount spellings', () => {
    const a = makeLead();
    const reordered = Object.fromEntries(Object.entries(leadInput()).reverse());
    const b = makeLead({ ...reordered, actualInvestment: '120000000.00', plannedInvestment: 150000000 });
    expect(evaluateLead(b, policy, TEST_HASHING).inputHash).toBe(
      evaluateLead(a, policy, TEST_HASHING).inputHash,
    );
    expect(evaluateLead(makeLead({ actualInvestment: '1.3亿' }), policy, TEST_HASHING).inputHash).not.toBe(
      evaluateLead(a, policy, TEST_HASHING).inputHash,
    );
  });

  it('produces decisions that satisfy the decision schema', () => {
    fc.assert(
      fc.property(arbLead, (lead) => {
        expect(DecisionSchema.safeParse(evaluateLead(lead, policy, TEST_HASHING)).success).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
