/**
 * The full decision of the rules engine: the bare outcome (compute-outcome.ts) with explanations (zh/en),
 * legal bases, the policy version and both hashes. Pure: the same lead, policy and input hash give
 * byte-identical canonical output, which is what a replay compares.
 */
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { formatFen } from '#shared/domain/money.ts';
import type { Decision, Flag } from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { computeOutcome, rulesOf } from './compute-outcome.ts';
import { explainFund, explainOneCaseOnePolicy, explainReferral } from './decision-texts.ts';
import { type InputHashing, leadHash, type StoredInputHash } from './input-hash.ts';
import { perPolicy } from './per-policy.ts';
import type { Policy } from './policy-schema.ts';

/** Hash of a policy: SHA-256 of the canonical JSON of the parsed policy (once per policy object). */
export const policyHash: (policy: Policy) => string = perPolicy(hashCanonical);

/**
 * The full decision, hashing the lead here: the input hash is made as `hashing` says (the recorded form on
 * replay, which must recompute it; see input-hash.ts) and a form-2 decision records which key.
 */
export function evaluateLead(lead: Lead, policy: Policy, hashing: InputHashing): Decision {
  return evaluateLeadWithInputHash(lead, policy, {
    inputHash: leadHash(lead, hashing),
    inputHashForm: hashing.version === 1 ? undefined : hashing.form,
  });
}

/**
 * The full decision with the input hash given: the pipeline hashes a lead revision once, at intake (or when
 * its investment or referrer registration is recorded), stores the hash with it, and evaluation passes it
 * here instead of hashing the lead again. The caller vouches that `input` is the hash of `lead`; replay
 * recomputes it (evaluateLead) and reports any difference.
 */
export function evaluateLeadWithInputHash(lead: Lead, policy: Policy, input: StoredInputHash): Decision {
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
    inputHash: input.inputHash,
    // Absent in form 1, so decisions recorded before form 2 replay byte for byte.
    ...(input.inputHashForm === undefined ? {} : { inputHashForm: input.inputHashForm }),
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
