/**
 * The rules engine: pure functions of (lead, policy). No clock, no randomness, no I/O: the same lead and
 * policy give byte-identical canonical output. `computeOutcome` is the bare rule evaluation (numbers and
 * reason codes only); `evaluateLead` adds explanations (zh/en), legal bases and hashes.
 *
 * Decisions where the brief was silent:
 * - no `fundRequest` on a lead whose category is fund-eligible: the fund part is `not_evaluated`, missing
 *   `fundRequest` (reason `no_fund_request`), capFen 0; the explanation tells the most it could get;
 *   an ineligible category is evaluated as not eligible whether or not a request is given;
 * - fund ties: when several bounds give the same cap, `boundBy` takes the first of
 *   per_project_cap, investment_share, request (the policy's own limits before the request);
 * - the ONE_CASE_ONE_POLICY planned-investment criterion uses the planned investment even when the actual
 *   one is known (the policy setting says planned);
 * - a flagged lead still shows the standard reward, with payable false.
 */

import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { applyBasisPoints, formatFen } from '#shared/domain/money.ts';
import type {
  Decision,
  Flag,
  FundBound,
  FundResult,
  OneCaseOnePolicyReason,
  ReferralRewardResult,
} from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { explainFund, explainOneCaseOnePolicy, explainReferral } from './decision-texts.ts';
import { perPolicy } from './per-policy.ts';
import { type Policy, ruleOf } from './policy-schema.ts';

type ReferralReason = ReferralRewardResult['reasons'][number];
type FundReason = FundResult['reasons'][number];

export interface ReferralOutcome {
  readonly eligible: boolean;
  readonly basis: 'actual' | 'planned';
  readonly baseFen: number;
  readonly standardAmountFen: number;
  readonly amountFen: number;
  readonly payable: boolean;
  readonly reasons: readonly ReferralReason[];
}

export interface FundOutcome {
  readonly evaluated: boolean;
  readonly eligible: boolean | null;
  readonly basis: 'actual' | 'planned';
  readonly investmentFen: number;
  readonly requestedFen: number | null;
  readonly investmentShareFen: number;
  readonly capFen: number;
  readonly boundBy: FundBound | null;
  readonly reasons: readonly FundReason[];
}

export interface Outcome {
  readonly referral: ReferralOutcome;
  /** Empty when the lead is not flagged ONE_CASE_ONE_POLICY. */
  readonly oneCaseOnePolicyReasons: readonly OneCaseOnePolicyReason[];
  readonly fund: FundOutcome;
}

function meets(value: number, threshold: number, inclusive: boolean): boolean {
  return inclusive ? value >= threshold : value > threshold;
}

const rulesOf = perPolicy((policy) => ({
  referralRule: ruleOf(policy, 'referral_reward'),
  caseRule: ruleOf(policy, 'one_case_one_policy'),
  fundRule: ruleOf(policy, 'conversion_fund'),
}));

/** The bare rule evaluation: numbers and reason codes, no texts, no hashes. */
export function computeOutcome(lead: Lead, policy: Policy): Outcome {
  const { referralRule, caseRule, fundRule } = rulesOf(policy);

  const basis = lead.actualInvestment === undefined ? 'planned' : 'actual';
  const baseFen = lead.actualInvestment ?? lead.plannedInvestment;

  // Referral reward.
  const ineligible: ReferralReason[] = [];
  if (lead.introducer.type === 'none') ineligible.push('no_introducer');
  else if (!referralRule.eligibleIntroducers.includes(lead.introducer.type))
    ineligible.push('introducer_not_eligible');
  if (!meets(baseFen, referralRule.thresholdFen, referralRule.thresholdInclusive))
    ineligible.push('below_threshold');
  const eligible = ineligible.length === 0;
  const standardAmountFen = eligible ? applyBasisPoints(baseFen, referralRule.basisPoints) : 0;
  const aboveCap = referralRule.capFen !== null && standardAmountFen > referralRule.capFen;
  const amountFen = aboveCap && referralRule.capFen !== null ? referralRule.capFen : standardAmountFen;

  // One-case-one-policy.
  const caseReasons: OneCaseOnePolicyReason[] = [];
  if (meets(lead.plannedInvestment, caseRule.plannedInvestmentThresholdFen, caseRule.thresholdInclusive)) {
    caseReasons.push('planned_investment_at_or_above_threshold');
  }
  if (caseRule.municipalMajorProject && lead.municipalMajorProject)
    caseReasons.push('municipal_major_project');
  if (caseRule.bespokeTermsRequested && lead.bespokeTermsRequested)
    caseReasons.push('bespoke_terms_requested');
  if (aboveCap) caseReasons.push('above_reward_cap');

  const referralReasons: ReferralReason[] = [...ineligible];
  if (eligible) {
    if (aboveCap) referralReasons.push('capped');
    if (basis === 'planned') referralReasons.push('provisional_on_planned_investment');
    if (caseReasons.length > 0) referralReasons.push('one_case_one_policy');
  }
  const payable = eligible && basis === 'actual' && caseReasons.length === 0;

  // Conversion fund.
  const investmentShareFen = applyBasisPoints(baseFen, fundRule.investmentShareBasisPoints);
  const categoryEligible = fundRule.eligibleCategories.includes(lead.category);
  let fund: FundOutcome;
  if (!categoryEligible) {
    fund = {
      evaluated: true,
      eligible: false,
      basis,
      investmentFen: baseFen,
      requestedFen: lead.fundRequest ?? null,
      investmentShareFen,
      capFen: 0,
      boundBy: null,
      reasons: ['category_not_eligible'],
    };
  } else if (lead.fundRequest === undefined) {
    fund = {
      evaluated: false,
      eligible: null,
      basis,
      investmentFen: baseFen,
      requestedFen: null,
      investmentShareFen,
      capFen: 0,
      boundBy: null,
      reasons: ['no_fund_request'],
    };
  } else {
    // Precedence on ties: the policy's limits first, then the request.
    const bounds: readonly [FundBound, number][] = [
      ['per_project_cap', fundRule.perProjectCapFen],
      ['investment_share', investmentShareFen],
      ['request', lead.fundRequest],
    ];
    let bound = bounds[0] as [FundBound, number];
    for (const candidate of bounds) if (candidate[1] < bound[1]) bound = candidate;
    fund = {
      evaluated: true,
      eligible: true,
      basis,
      investmentFen: baseFen,
      requestedFen: lead.fundRequest,
      investmentShareFen,
      capFen: bound[1],
      boundBy: bound[0],
      reasons: [],
    };
  }

  return {
    referral: { eligible, basis, baseFen, standardAmountFen, amountFen, payable, reasons: referralReasons },
    oneCaseOnePolicyReasons: caseReasons,
    fund,
  };
}

/** Hash of a policy: SHA-256 of the canonical JSON of the parsed policy (once per policy object). */
export const policyHash: (policy: Policy) => string = perPolicy(hashCanonical);

/** Hash of a lead: SHA-256 of the canonical JSON of the parsed lead. */
export function leadHash(lead: Lead): string {
  return hashCanonical(lead);
}

/** The full decision: the outcome with explanations, legal bases, the policy version and both hashes. */
export function evaluateLead(lead: Lead, policy: Policy): Decision {
  const outcome = computeOutcome(lead, policy);
  const { referralRule, caseRule, fundRule } = rulesOf(policy);
  const { referral, fund } = outcome;
  // Each amount is printed once and used in both the explanation and the *Text field.
  const baseText = formatFen(referral.baseFen);
  const amountText = formatFen(referral.amountFen);
  const capText = formatFen(fund.capFen);

  const flags: Flag[] = [];
  if (outcome.oneCaseOnePolicyReasons.length > 0) {
    const reasons = outcome.oneCaseOnePolicyReasons;
    const plannedText =
      lead.plannedInvestment === referral.baseFen ? baseText : formatFen(lead.plannedInvestment);
    flags.push({
      code: 'ONE_CASE_ONE_POLICY',
      ruleId: caseRule.id,
      reasons: [...reasons],
      explanation: explainOneCaseOnePolicy(policy, reasons, plannedText),
      legalBasis: caseRule.legalBasis,
    });
  }

  return {
    decisionSchemaVersion: 1,
    policyVersion: policy.version,
    policyHash: policyHash(policy),
    inputHash: leadHash(lead),
    legalBasis: policy.legalBasis,
    referralReward: {
      ruleId: referralRule.id,
      status: 'evaluated',
      missing: [],
      eligible: referral.eligible,
      basis: referral.basis,
      baseFen: referral.baseFen,
      basisPoints: referralRule.basisPoints,
      thresholdFen: referralRule.thresholdFen,
      thresholdInclusive: referralRule.thresholdInclusive,
      standardAmountFen: referral.standardAmountFen,
      capFen: referralRule.capFen,
      amountFen: referral.amountFen,
      amountText,
      payable: referral.payable,
      onePerProject: referralRule.onePerProject,
      reasons: [...referral.reasons],
      explanation: explainReferral(lead, policy, referral, baseText, amountText),
      legalBasis: referralRule.legalBasis,
    },
    flags,
    fund: {
      ruleId: fundRule.id,
      fundId: fundRule.fundId,
      status: fund.evaluated ? 'evaluated' : 'not_evaluated',
      missing: fund.evaluated ? [] : ['fundRequest'],
      eligible: fund.eligible,
      basis: fund.basis,
      investmentFen: fund.investmentFen,
      requestedFen: fund.requestedFen,
      investmentShareBasisPoints: fundRule.investmentShareBasisPoints,
      investmentShareFen: fund.investmentShareFen,
      perProjectCapFen: fundRule.perProjectCapFen,
      capFen: fund.capFen,
      capText,
      boundBy: fund.boundBy,
      reasons: [...fund.reasons],
      explanation: explainFund(lead, policy, fund, baseText, capText),
      legalBasis: fundRule.legalBasis,
    },
    rules: [
      {
        ruleId: referralRule.id,
        type: referralRule.type,
        status: 'evaluated',
        legalBasis: referralRule.legalBasis,
      },
      { ruleId: caseRule.id, type: caseRule.type, status: 'evaluated', legalBasis: caseRule.legalBasis },
      {
        ruleId: fundRule.id,
        type: fundRule.type,
        status: fund.evaluated ? 'evaluated' : 'not_evaluated',
        legalBasis: fundRule.legalBasis,
      },
    ],
  };
}
