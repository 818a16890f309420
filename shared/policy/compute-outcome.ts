/**
 * The bare rule evaluation: a pure function of (lead, policy) giving numbers and reason codes, no texts and
 * no hashes. No clock, no randomness, no I/O. `evaluateLead` (evaluate-lead.ts) builds the full decision on it.
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
import { applyBasisPoints } from '#shared/domain/money.ts';
import type {
  FundBound,
  FundResult,
  OneCaseOnePolicyReason,
  ReferralRewardResult,
} from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { payoutSettingsOf, type RegistrationSettings } from './payout-settings.ts';
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

/**
 * What the referrer's registration rules out, when one is recorded (a lead without one is evaluated as
 * before: whether a registration is required is checked when the reward is approved, see
 * shared/domain/payout-rules.ts). Dates are ISO dates, so text order is date order.
 */
export function registrationExclusions(lead: Lead, settings: RegistrationSettings): ReferralReason[] {
  const registration = lead.referrerRegistration;
  if (registration === undefined || lead.introducer.type === 'none') return [];
  const reasons: ReferralReason[] = [];
  if (settings.beforeSigning && registration.registeredOn > registration.contractSignedOn)
    reasons.push('registered_after_signing');
  if (settings.excludePublicPayrollStaff && registration.publicPayrollStaff)
    reasons.push('introducer_public_payroll_staff');
  if (settings.excludeTiedToInvestor && registration.tiedToInvestor)
    reasons.push('introducer_tied_to_investor');
  return reasons;
}

/** The three rules of a policy, looked up once per policy object. */
export const rulesOf = perPolicy((policy) => ({
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
  ineligible.push(...registrationExclusions(lead, payoutSettingsOf(policy).registration));
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
