import { sha256Hex } from '#shared/domain/canonical-json.ts';
import type { Decision } from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { DecisionRecord, LeadStatus } from '#shared/schemas/lead-record.ts';

/** A duplicate project earns no second referral reward and no second share of the fund. */
export const DUPLICATE_PROJECT_EFFECT = 'no_referral_reward_no_fund_allocation';

/**
 * What the pipeline makes of an engine decision for a stored lead. The engine sees one lead; only the
 * pipeline knows another lead registered the same project first, and then nothing more is payable for
 * that project, ever: no second referral reward and no second fund allocation.
 */
export function settleDecision(
  decision: Decision,
  duplicateOf: string | null,
): Pick<DecisionRecord, 'adjustments' | 'payableRewardFen' | 'status'> {
  const adjustments: DecisionRecord['adjustments'] =
    duplicateOf === null
      ? []
      : [{ code: 'DUPLICATE_PROJECT', firstLeadId: duplicateOf, effect: DUPLICATE_PROJECT_EFFECT }];
  const reward = decision.referralReward;
  const payableRewardFen = duplicateOf === null && reward.payable ? reward.amountFen : 0;
  const caseByCase = decision.flags.some((flag) => flag.code === 'ONE_CASE_ONE_POLICY');
  const status: LeadStatus = caseByCase ? 'PENDING_CASE_REVIEW' : 'PENDING_FINANCE';
  return { adjustments, payableRewardFen, status };
}

/**
 * The project a lead is about: the investor's credit code and the project name, folded so that spacing,
 * width and case differences do not hide a collision (撞单). Hashed, so it can serve as a key.
 */
export function projectKeyOf(lead: Pick<Lead, 'investor' | 'projectName'>): string {
  const name = lead.projectName.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return sha256Hex(`${lead.investor.uscc}\n${name}`);
}

/**
 * A lead's id follows from who submitted it and the Idempotency-Key they chose: a retry after a crash
 * finds the lead it began, instead of creating a second one.
 */
export function leadIdFor(userId: string, idempotencyKey: string): string {
  return `ld_${sha256Hex(`${userId}\n${idempotencyKey}`).slice(0, 24)}`;
}

export function isDuplicateProject(record: Pick<DecisionRecord, 'adjustments'>): boolean {
  return record.adjustments.some((adjustment) => adjustment.code === 'DUPLICATE_PROJECT');
}
