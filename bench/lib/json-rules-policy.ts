/**
 * The default policy as a team would write it with json-rules-engine (the popular npm rules engine):
 * facts in yuan as JS numbers, its built-in operators, rates as floats, amounts computed with float math
 * (`Math.round(x * 100) / 100` to the fen) from the events' params. The numbers come from the same
 * policy document as ours, converted to yuan and float rates, so both engines apply the same policy.
 */
import { Engine, type RuleProperties } from 'json-rules-engine';
import type { Policy } from '#shared/policy/policy-schema.ts';
import { ruleOf } from '#shared/policy/policy-schema.ts';
import type { Lead } from '#shared/schemas/lead.ts';

/** What the json-rules-engine version decides: the same facts we compare with ours. */
export interface FloatDecision {
  readonly referralEligible: boolean;
  /** In yuan, rounded to the fen with float math. */
  readonly referralAmountYuan: number;
  readonly payable: boolean;
  readonly oneCaseOnePolicy: boolean;
  /** null: the category is eligible but no fund request was made (not evaluated). */
  readonly fundEligible: boolean | null;
  readonly fundCapYuan: number;
}

const toCents = (yuan: number) => Math.round(yuan * 100) / 100;

export interface JsonRulesPolicy {
  readonly engine: Engine;
  decide(lead: Lead): Promise<FloatDecision>;
}

export function jsonRulesPolicy(policy: Policy): JsonRulesPolicy {
  const referral = ruleOf(policy, 'referral_reward');
  const oneCase = ruleOf(policy, 'one_case_one_policy');
  const fund = ruleOf(policy, 'conversion_fund');

  const rules: RuleProperties[] = [
    {
      name: referral.id,
      priority: 3,
      conditions: {
        all: [
          { fact: 'introducerType', operator: 'in', value: [...referral.eligibleIntroducers] },
          {
            fact: 'investment',
            operator: referral.thresholdInclusive ? 'greaterThanInclusive' : 'greaterThan',
            value: referral.thresholdFen / 100,
          },
        ],
      },
      event: {
        type: 'referral_reward',
        params: {
          rate: referral.basisPoints / 10_000,
          capYuan: referral.capFen === null ? null : referral.capFen / 100,
        },
      },
    },
    {
      name: oneCase.id,
      priority: 2,
      conditions: {
        any: [
          {
            fact: 'plannedInvestment',
            operator: oneCase.thresholdInclusive ? 'greaterThanInclusive' : 'greaterThan',
            value: oneCase.plannedInvestmentThresholdFen / 100,
          },
          {
            fact: 'municipalMajorProject',
            operator: 'equal',
            value: oneCase.municipalMajorProject ? true : 'never',
          },
          {
            fact: 'bespokeTermsRequested',
            operator: 'equal',
            value: oneCase.bespokeTermsRequested ? true : 'never',
          },
        ],
      },
      event: { type: 'one_case_one_policy' },
    },
    {
      name: fund.id,
      priority: 1,
      conditions: { all: [{ fact: 'category', operator: 'in', value: [...fund.eligibleCategories] }] },
      event: {
        type: 'conversion_fund',
        params: {
          shareRate: fund.investmentShareBasisPoints / 10_000,
          perProjectCapYuan: fund.perProjectCapFen / 100,
        },
      },
    },
  ];

  const engine = new Engine(rules);
  // The base of the reward and the fund share: actual investment when known, else planned.
  engine.addFact('investment', async (_params, almanac) => {
    const actual = await almanac.factValue<number | null>('actualInvestment');
    return actual ?? (await almanac.factValue<number>('plannedInvestment'));
  });

  return {
    engine,
    async decide(lead) {
      const facts = {
        introducerType: lead.introducer.type,
        category: lead.category,
        plannedInvestment: lead.plannedInvestment / 100,
        actualInvestment: lead.actualInvestment === undefined ? null : lead.actualInvestment / 100,
        fundRequest: lead.fundRequest === undefined ? null : lead.fundRequest / 100,
        municipalMajorProject: lead.municipalMajorProject,
        bespokeTermsRequested: lead.bespokeTermsRequested,
      };
      const { events, almanac } = await engine.run(facts);
      const investment = await almanac.factValue<number>('investment');
      let referralEligible = false;
      let referralAmountYuan = 0;
      let aboveCap = false;
      let oneCaseOnePolicy = false;
      let fundEligible: boolean | null = false;
      let fundCapYuan = 0;
      for (const event of events) {
        const params = event.params ?? {};
        if (event.type === 'referral_reward') {
          referralEligible = true;
          referralAmountYuan = toCents(investment * (params.rate as number));
          const capYuan = params.capYuan as number | null;
          if (capYuan !== null && referralAmountYuan > capYuan) {
            aboveCap = true;
            referralAmountYuan = capYuan;
          }
        } else if (event.type === 'one_case_one_policy') {
          oneCaseOnePolicy = true;
        } else if (event.type === 'conversion_fund') {
          if (facts.fundRequest === null) {
            fundEligible = null;
          } else {
            fundEligible = true;
            const share = toCents(investment * (params.shareRate as number));
            fundCapYuan = Math.min(params.perProjectCapYuan as number, share, facts.fundRequest);
          }
        }
      }
      oneCaseOnePolicy ||= aboveCap;
      return {
        referralEligible,
        referralAmountYuan,
        payable: referralEligible && facts.actualInvestment !== null && !oneCaseOnePolicy,
        oneCaseOnePolicy,
        fundEligible,
        fundCapYuan,
      };
    },
  };
}
