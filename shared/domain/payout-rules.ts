/**
 * The payout rules (issue 17), pure: what must be on record before finance may approve a reward, under
 * the payout settings of the decision's policy (shared/policy/payout-settings.ts). The decision itself
 * already says whether the reward is eligible (a registration that rules it out is a reason there); these
 * rules say what is still missing before money may move. `approveReward` refuses with 409 and the code of
 * the first rule that fails, naming every missing item.
 */
import type { LocalText } from '#shared/errors.ts';
import type { PayoutSettings } from '#shared/policy/payout-settings.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';

export interface PayoutRefusal {
  readonly code: string;
  readonly message: LocalText;
  /** Machine names of what is missing, for the problem's `missing` member. */
  readonly missing: readonly string[];
}

/**
 * A referral reward is approved only once the referrer's registration is on record in the decision it
 * is approved on (a registration recorded since is evaluated first: a new revision). Nothing to check when
 * no referral reward is approved (a fund share alone, or a negotiated reward of 0).
 */
export function registrationRefusal(
  settings: PayoutSettings,
  decision: DecisionRecord,
  rewardFen: number,
): PayoutRefusal | undefined {
  if (!settings.registration.required || rewardFen === 0) return undefined;
  if (decision.lead.referrerRegistration !== undefined) return undefined;
  return {
    code: 'registration_missing',
    missing: ['referrerRegistration'],
    message: {
      zh: `线索 ${decision.leadId} 第 ${decision.revision} 版没有引荐人报备记录：须先由专班登记报备（含投资方、专班、园区确认，POST /leads/{id}/referrer-registration），重新评估后方可批准奖励。`,
      en: `Revision ${decision.revision} of lead ${decision.leadId} has no referrer registration on record: the sector team must record it first (confirmed by the investor, the team and the park; POST /leads/{id}/referrer-registration), and the reward is approved on the re-evaluated revision.`,
    },
  };
}
