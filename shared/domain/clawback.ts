/**
 * Clawback (追回, issue 17 part 6), pure: what may be claimed back, who may decide, how an offset is deducted
 * from a later payment, and a lead's gross / recovered / net. Amounts are integer fen.
 */
import type { LocalText } from '#shared/errors.ts';
import type {
  ClawbackRecord,
  OpenOffset,
  RecoverySummary,
  RecoveryTotals,
} from '#shared/schemas/clawback.ts';
import type { Introducer } from '#shared/schemas/lead.ts';

/** What the reward's payments add up to: all of it once PAID, else what the stages paid so far. */
export function paidSoFarFen(review: {
  readonly state: string;
  readonly rewardFen: number;
  readonly paidFen?: number | undefined;
}): number {
  if (review.state === 'PAID') return review.rewardFen;
  if (review.state === 'APPROVED') return review.paidFen ?? 0;
  return 0;
}

export function claimableFen(paidFen: number, totals: RecoveryTotals | undefined): number {
  return Math.max(0, paidFen - (totals?.claimedFen ?? 0));
}

export interface ClawbackRefusal {
  readonly code: string;
  readonly message: LocalText;
}

/** Why a clawback of `amountFen` cannot be proposed (undefined: it can). */
export function proposalRefusal(
  leadId: string,
  paidFen: number,
  totals: RecoveryTotals | undefined,
  amountFen: number,
): ClawbackRefusal | undefined {
  if (paidFen === 0) {
    return {
      code: 'not_paid',
      message: {
        zh: `线索 ${leadId} 的奖励尚未支付，没有可追回的款项。`,
        en: `Nothing of the reward of lead ${leadId} has been paid: there is nothing to claw back.`,
      },
    };
  }
  const claimable = claimableFen(paidFen, totals);
  if (amountFen > claimable) {
    return {
      code: 'clawback_exceeds_paid',
      message: {
        zh: `追回金额 ${amountFen} 分超过可追回的 ${claimable} 分（已支付 ${paidFen} 分，已申请或已批准追回 ${totals?.claimedFen ?? 0} 分）。`,
        en: `The clawback of ${amountFen} fen exceeds the ${claimable} fen that may still be claimed (${paidFen} fen paid, ${totals?.claimedFen ?? 0} fen proposed or approved already).`,
      },
    };
  }
  return undefined;
}

/** The totals after a proposal, an approval or a rejection of `amountFen`. */
export function totalsAfter(
  leadId: string,
  before: RecoveryTotals | undefined,
  change: 'propose' | 'approve' | 'reject',
  amountFen: number,
): RecoveryTotals {
  const base = before ?? { leadId, claimedFen: 0, clawedBackFen: 0, version: 0 };
  const claimedFen =
    change === 'propose'
      ? base.claimedFen + amountFen
      : change === 'reject'
        ? base.claimedFen - amountFen
        : base.claimedFen;
  const clawedBackFen = change === 'approve' ? base.clawedBackFen + amountFen : base.clawedBackFen;
  return {
    leadId,
    ...(before?.rewardId === undefined ? {} : { rewardId: before.rewardId }),
    claimedFen,
    clawedBackFen,
    version: base.version + 1,
  };
}

/** Maker-checker: whoever proposed a clawback does not decide it. */
export function deciderRefusal(userId: string, clawback: ClawbackRecord): LocalText | undefined {
  if (clawback.proposedBy.userId !== userId) return undefined;
  return {
    zh: `追回 ${clawback.clawbackId} 由您提出，须由财务部门另一人审批。`,
    en: `You proposed clawback ${clawback.clawbackId}: another member of finance decides it.`,
  };
}

/**
 * Why `userId` may not record the refund of a clawback (undefined: they may). Recording it returns money to
 * the fund, so, like a payment, it is done by nobody who proposed or approved the clawback.
 */
export function refundRecorderRefusal(userId: string, clawback: ClawbackRecord): LocalText | undefined {
  if (clawback.proposedBy.userId !== userId && clawback.decision?.by.userId !== userId) return undefined;
  return {
    zh: `追回 ${clawback.clawbackId} 由您提出（或审批），退款到账须由财务部门的另一人登记。`,
    en: `You proposed (or approved) clawback ${clawback.clawbackId}: another member of finance records its refund.`,
  };
}

export interface OffsetDeductionPlan {
  readonly offset: OpenOffset;
  readonly amountFen: number;
}

/**
 * The open offsets a payment of `paymentFen` deducts, oldest approval first, each up to what it still
 * lacks, never more than the payment. At most one offset per clawed-back lead per payment keeps the
 * transaction to one write per item; the next payment takes the next.
 */
export function planOffsetDeductions(
  paymentFen: number,
  open: readonly OpenOffset[],
): readonly OffsetDeductionPlan[] {
  const plans: OffsetDeductionPlan[] = [];
  const leads = new Set<string>();
  let left = paymentFen;
  const oldestFirst = [...open].sort(
    (a, b) => a.approvedAt.localeCompare(b.approvedAt) || a.clawbackId.localeCompare(b.clawbackId),
  );
  for (const offset of oldestFirst) {
    if (left === 0) break;
    if (offset.remainingFen === 0 || leads.has(offset.leadId)) continue;
    const amountFen = Math.min(offset.remainingFen, left);
    plans.push({ offset, amountFen });
    leads.add(offset.leadId);
    left -= amountFen;
  }
  return plans;
}

/**
 * The text an introducer is known by across leads, for its keyed pseudonym: the credit code of an
 * organisation, else the resident ID of a person. Undefined for one without either (no offset can follow
 * it to another lead).
 */
export function introducerIdentity(introducer: Introducer): string | undefined {
  if (introducer.type === 'none') return undefined;
  if ('uscc' in introducer && introducer.uscc !== undefined) return `uscc\n${introducer.uscc}`;
  if ('residentId' in introducer && introducer.residentId !== undefined)
    return `resident\n${introducer.residentId.toUpperCase()}`;
  return undefined;
}

/** Gross, recovered and net of a lead's reward, and what is back in the fund. */
export function recoverySummary(
  paidFen: number,
  totals: RecoveryTotals | undefined,
  clawbacks: readonly ClawbackRecord[] = [],
): RecoverySummary {
  const recoveredFen = totals?.clawedBackFen ?? 0;
  return {
    grossFen: paidFen,
    recoveredFen,
    netFen: paidFen - recoveredFen,
    receivedFen: clawbacks.reduce((sum, c) => sum + c.receivedFen, 0),
  };
}
